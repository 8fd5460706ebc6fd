use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container whose `--authorization-mode` list contains `AlwaysAllow`,
    /// or that sets neither `--authorization-mode` (with at least one mode) nor
    /// `--authorization-config`. Repeated `--authorization-mode` flags are merged, as pflag does.
    ///
    /// ## Why is this bad?
    /// When neither flag is given, kube-apiserver falls back to the mode list `[AlwaysAllow]`.
    /// `AlwaysAllow` authorizes every request that reaches it, so every authenticated user (and,
    /// with anonymous authentication, everyone) can read and change every Secret. Anywhere in the
    /// list, it allows whatever the authorizers before it do not explicitly deny.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=AlwaysAllow
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC
    /// ```
    ///
    /// ## References
    /// - [Authorization: authorization modes](https://kubernetes.io/docs/reference/access-authn-authz/authorization/#authorization-modules)
    /// - kubernetes/kubernetes `pkg/kubeapiserver/options/authorization.go` (`Complete`: no flags gives `AlwaysAllow`)
    /// - CIS Kubernetes Benchmark 1.2.6 "Ensure that the --authorization-mode argument is not set to AlwaysAllow"
    pub struct AuthorizationAlwaysAllow;
    id: "API-013",
    title: "kube-apiserver authorizes every request (AlwaysAllow)",
    severity: Critical,
    area: Apiserver,
    cis: ["1.2.6"],
    peers: ["kube-bench 1.2.6", "CKV_K8S_74", "KS C-0118", "TRV KCV-0007"],
    remediation: "Set `--authorization-mode=Node,RBAC` (or an `--authorization-config` without AlwaysAllow).",
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
      command: [kube-apiserver]
      args: [--authorization-config, /etc/kubernetes/authz.yaml]
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
        - --anonymous-auth=false
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
        - --authorization-mode=Node,RBAC
        - --authorization-mode
        - AlwaysAllow # <-
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, "--authorization-mode=Node, AlwaysAllow"] # <-
"#,
    ],
}

impl Rule for AuthorizationAlwaysAllow {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let modes = a.list("authorization-mode");
            if let Some((_, f)) = modes.iter().find(|(m, _)| *m == "AlwaysAllow") {
                cx.report(
                    obj,
                    f.value_node,
                    format!(
                        "{}: `--authorization-mode` includes `AlwaysAllow`, so every request that reaches it is allowed, including reading every Secret",
                        a.subject(obj)
                    ),
                );
            }
            let has_config = a.set("authorization-config").is_some();
            if modes.is_empty() && !has_config {
                let at = a
                    .get("authorization-mode")
                    .map_or(a.anchor(), |f| f.value_node);
                cx.report(
                    obj,
                    at,
                    format!(
                        "{}: neither `--authorization-mode` nor `--authorization-config` is set, so the apiserver uses `AlwaysAllow` and every client can read every Secret",
                        a.subject(obj)
                    ),
                );
            }
        }
    }
}
