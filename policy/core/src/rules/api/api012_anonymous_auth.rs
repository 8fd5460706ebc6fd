use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container where `--anonymous-auth` is not `false`: set to a true
    /// value, or unset (the default is `true`). When `--authentication-config` is set and
    /// `--anonymous-auth` is not, anonymous access is configured in that file and nothing is
    /// reported. Note that `--anonymous-auth false` (two elements) does not set `false`: pflag
    /// takes boolean values only as `--anonymous-auth=false`.
    ///
    /// ## Why is this bad?
    /// With anonymous authentication on, requests without credentials are served as the user
    /// `system:anonymous` in the group `system:unauthenticated`. Any RBAC binding to either
    /// (RBAC-022), or an `AlwaysAllow` authorizer, then hands Secrets to anyone who can reach the
    /// API port.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC
    ///   - --anonymous-auth=false
    /// ```
    ///
    /// ## References
    /// - [Authenticating: anonymous requests](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests)
    /// - [kube-apiserver reference (`--anonymous-auth` default true)](https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/)
    /// - CIS Kubernetes Benchmark 1.2.1 "Ensure that the --anonymous-auth argument is set to false"
    pub struct AnonymousAuth;
    id: "API-012",
    title: "kube-apiserver accepts anonymous requests",
    severity: Medium,
    area: Apiserver,
    cis: ["1.2.1"],
    peers: ["kube-bench 1.2.1", "CKV_K8S_68", "KS C-0113", "TRV KCV-0001"],
    remediation: "Add `--anonymous-auth=false`; if probes need anonymous `/livez` or `/readyz`, allow only those paths with `--authentication-config` instead.",
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
        - --anonymous-auth=false
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.32.0
      command: [kube-apiserver]
      args: ["--authentication-config=/etc/kubernetes/authn.yaml"]
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
        - --authorization-mode=Node,RBAC
"#,
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
        - --anonymous-auth=false
        - --anonymous-auth=1 # <-
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
        - --anonymous-auth # <-
        - false
"#,
    ],
}

impl Rule for AnonymousAuth {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            match a.get("anonymous-auth") {
                Some(f) if f.as_bool() == Some(true) => {
                    let note = match &f.ignored_value {
                        Some((v, _)) => format!(
                            " (`--anonymous-auth {v}` sets true: boolean flags take a value only as `--anonymous-auth={v}`, and kube-apiserver rejects the stray `{v}` argument)"
                        ),
                        None => String::new(),
                    };
                    cx.report(
                        obj,
                        f.node,
                        format!(
                            "{}: `--anonymous-auth` is true, so requests without credentials are served as `system:anonymous`{note}",
                            a.subject(obj)
                        ),
                    );
                }
                Some(_) => {}
                None if a.has("authentication-config") => {}
                None => {
                    cx.report(
                        obj,
                        a.anchor(),
                        format!(
                            "{}: `--anonymous-auth` is not set and defaults to true, so requests without credentials are served as `system:anonymous`",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
