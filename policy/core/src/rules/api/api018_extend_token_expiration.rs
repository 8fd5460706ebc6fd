use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container where `--service-account-extend-token-expiration` is not
    /// `false`: set to a true value, or unset (the default is `true`).
    ///
    /// ## Why is this bad?
    /// With extension on, the service-account tokens that admission injects into Pods (the
    /// projected `kube-api-access-*` volume, nominally valid for about an hour) are issued valid for
    /// up to one year, ignoring `--service-account-max-token-expiration`, to ease the migration
    /// from legacy tokens. A token stolen from a Pod, which can often read Secrets, then stays
    /// usable for months, even after the Pod is gone if its bound objects are not checked.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    ///   - --service-account-extend-token-expiration=false
    /// ```
    ///
    /// ## References
    /// - [kube-apiserver reference (`--service-account-extend-token-expiration`)](https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/)
    /// - [Bound service account tokens](https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume)
    /// - CIS Kubernetes Benchmark 1.2.30 "Ensure that the --service-account-extend-token-expiration parameter is set to false"
    pub struct ExtendTokenExpiration;
    id: "API-018",
    title: "Service account token lifetimes are extended",
    severity: Low,
    area: Apiserver,
    cis: ["1.2.30"],
    peers: ["KS C-0290"],
    remediation: "Add `--service-account-extend-token-expiration=false` once no workload relies on legacy long-lived tokens.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command:
        - kube-apiserver
        - --service-account-extend-token-expiration=false
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver]
      args: ["--service-account-extend-token-expiration=F"]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: # <-
        - kube-apiserver
        - --service-account-issuer=https://kubernetes.default.svc.cluster.local
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver]
      args:
        - --service-account-extend-token-expiration=true # <-
"#,
    ],
}

impl Rule for ExtendTokenExpiration {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            match a.get("service-account-extend-token-expiration") {
                Some(f) if f.as_bool() == Some(true) => {
                    cx.report(
                        obj,
                        f.node,
                        format!(
                            "{}: `--service-account-extend-token-expiration` is true, so projected service account tokens stay valid far beyond their requested lifetime",
                            a.subject(obj)
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    cx.report(
                        obj,
                        a.anchor(),
                        format!(
                            "{}: `--service-account-extend-token-expiration` is not set and defaults to true, so projected service account tokens stay valid far beyond their requested lifetime",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
