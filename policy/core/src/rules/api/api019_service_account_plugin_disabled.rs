use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container whose `--disable-admission-plugins` list contains
    /// `ServiceAccount`. Repeated flags are merged, as pflag does. The plugin is on by default, so
    /// its absence from `--enable-admission-plugins` is not reported.
    ///
    /// ## Why is this bad?
    /// The `ServiceAccount` admission plugin assigns the `default` service account to Pods that
    /// name none, rejects Pods that name a missing service account, and adds the projected token
    /// volume. Without it, Pods can reference service accounts (and their tokens) that do not
    /// exist or were deleted, and token mounting falls outside the apiserver's control.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --disable-admission-plugins=ServiceAccount
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --enable-admission-plugins=NodeRestriction
    /// ```
    ///
    /// ## References
    /// - [Admission controllers: ServiceAccount](https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount)
    /// - CIS Kubernetes Benchmark 1.2.12 "Ensure that the admission control plugin ServiceAccount is set"
    pub struct ServiceAccountPluginDisabled;
    id: "API-019",
    title: "ServiceAccount admission plugin disabled",
    severity: Low,
    area: Apiserver,
    cis: ["1.2.12"],
    peers: ["kube-bench 1.2.12", "CKV_K8S_82", "KS C-0125", "TRV KCV-0014"],
    remediation: "Remove `ServiceAccount` from `--disable-admission-plugins`.",
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
        - --enable-admission-plugins=NodeRestriction
        - --disable-admission-plugins=AlwaysPullImages,ServiceAccountTokenCleanup
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
      command:
        - kube-apiserver
        - --disable-admission-plugins=DefaultStorageClass, ServiceAccount # <-
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
        - --disable-admission-plugins
        - ServiceAccount # <-
"#,
    ],
}

impl Rule for ServiceAccountPluginDisabled {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            if let Some((_, f)) = a
                .list("disable-admission-plugins")
                .into_iter()
                .find(|(p, _)| *p == "ServiceAccount")
            {
                cx.report(
                    obj,
                    f.value_node,
                    format!(
                        "{}: `--disable-admission-plugins` turns off the `ServiceAccount` admission plugin, so Pods are no longer checked against existing service accounts",
                        a.subject(obj)
                    ),
                );
            }
        }
    }
}
