use crate::k8s::apiserver;
use crate::rules::prelude::*;

/// The flags kube-apiserver refuses next to `--authorization-config` (`AreLegacyFlagsSet`).
const LEGACY: &[&str] = &[
    "authorization-mode",
    "authorization-webhook-config-file",
    "authorization-webhook-version",
    "authorization-webhook-cache-authorized-ttl",
    "authorization-webhook-cache-unauthorized-ttl",
];

declare_rule! {
    /// ## What it does
    /// Flags `--authorization-mode` and `--authorization-webhook-*` flags (`-config-file`,
    /// `-version`, `-cache-authorized-ttl`, `-cache-unauthorized-ttl`) on a kube-apiserver
    /// container that also sets `--authorization-config`. One finding per conflicting flag.
    ///
    /// ## Why is this bad?
    /// The structured authorization configuration replaces these flags, and kube-apiserver refuses
    /// the combination at startup ("--authorization-config can not be specified when
    /// --authorization-mode or --authorization-webhook-* flags are defined"). The control plane
    /// does not come up, and whoever "fixes" it by dropping the wrong flag may end up with a
    /// different authorizer chain than intended.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-config=/etc/kubernetes/authz.yaml
    ///   - --authorization-mode=Node,RBAC
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-config=/etc/kubernetes/authz.yaml  # lists Node and RBAC authorizers
    /// ```
    ///
    /// ## References
    /// - [Authorization: configuring the API server using an authorization config file](https://kubernetes.io/docs/reference/access-authn-authz/authorization/#using-configuration-file-for-authorization)
    /// - kubernetes/kubernetes `pkg/kubeapiserver/options/authorization.go` (`Validate`)
    pub struct AuthorizationConfigWithLegacyFlags;
    id: "API-015",
    title: "--authorization-config combined with legacy authorization flags",
    severity: High,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Move the modes and webhook settings into the AuthorizationConfiguration file and drop the legacy flags.",
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
        - --authorization-config=/etc/kubernetes/authz.yaml
        - --authorization-policy-file=/etc/kubernetes/abac.jsonl
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
      args: [--authorization-mode=Node,RBAC,Webhook, --authorization-webhook-config-file, /etc/kubernetes/wh.kubeconfig]
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
        - --authorization-config=/etc/kubernetes/authz.yaml
        - --authorization-mode=Node,RBAC # <-
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
        - --authorization-webhook-cache-authorized-ttl=5m # <-
        - --authorization-config
        - /etc/kubernetes/authz.yaml
        - --authorization-webhook-version # <-
        - v1
"#,
    ],
}

impl Rule for AuthorizationConfigWithLegacyFlags {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let has_config = a.set("authorization-config").is_some();
            if !has_config {
                continue;
            }
            for f in a.flags.iter().filter(|f| LEGACY.contains(&f.name.as_str())) {
                cx.report(
                    obj,
                    f.node,
                    format!(
                        "{}: `--{}` cannot be combined with `--authorization-config`; kube-apiserver refuses to start",
                        a.subject(obj),
                        f.name
                    ),
                );
            }
        }
    }
}
