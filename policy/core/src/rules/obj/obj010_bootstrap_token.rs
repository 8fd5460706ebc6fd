use super::model::{has_key, secret_entries, secret_type, secret_value, type_node};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Checks `bootstrap.kubernetes.io/token` Secrets: flags a missing `expiration`, a namespace
    /// other than `kube-system`, and `auth-extra-groups` entries outside
    /// `system:bootstrappers:*`.
    ///
    /// ## Why is this bad?
    /// A bootstrap token authenticates as `system:bootstrap:<token-id>` and joins nodes to the
    /// cluster. Without `expiration` it stays valid until someone deletes it (kubeadm's tokens
    /// default to 24 h). Bootstrap token Secrets are only read in `kube-system`; elsewhere the
    /// token is dead weight that still leaks a credential. Extra groups beyond
    /// `system:bootstrappers:` are rejected by the token authenticator, and adding powerful
    /// groups to a join token is exactly what CIS 3.1.3 warns against (bootstrap tokens must
    /// not be used as user credentials).
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// metadata: {name: bootstrap-token-07401b, namespace: kube-system}
    /// type: bootstrap.kubernetes.io/token
    /// stringData:
    ///   token-id: 07401b
    ///   token-secret: f395accd246ae52d
    ///   usage-bootstrap-authentication: "true"
    ///   auth-extra-groups: system:masters
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// metadata: {name: bootstrap-token-07401b, namespace: kube-system}
    /// type: bootstrap.kubernetes.io/token
    /// stringData:
    ///   token-id: 07401b
    ///   token-secret: f395accd246ae52d
    ///   expiration: "2030-03-10T03:22:11Z"
    ///   usage-bootstrap-authentication: "true"
    ///   auth-extra-groups: system:bootstrappers:worker
    /// ```
    ///
    /// ## References
    /// - [Bootstrap token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#bootstrap-token-secrets)
    /// - [Authenticating with bootstrap tokens](https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/)
    /// - CIS Kubernetes Benchmark 3.1.3 (bootstrap token authentication should not be used for users)
    pub struct BootstrapToken;
    id: "OBJ-010",
    title: "Bootstrap token without expiry, outside kube-system or with extra groups",
    severity: Medium,
    area: SecretData,
    cis: ["3.1.3"],
    peers: ["KS C-0288"],
    remediation: "Put bootstrap tokens in kube-system with an `expiration` and only `system:bootstrappers:*` extra groups.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-07401b, namespace: kube-system}
type: bootstrap.kubernetes.io/token
stringData:
  token-id: 07401b
  token-secret: f395accd246ae52d
  expiration: "2030-03-10T03:22:11Z"
  usage-bootstrap-authentication: "true"
  auth-extra-groups: system:bootstrappers:worker,system:bootstrappers:ingress
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-07401b, namespace: kube-system}
type: bootstrap.kubernetes.io/token
data:
  token-id: MDc0MDFi
  token-secret: ZjM5NWFjY2QyNDZhZTUyZA==
  expiration: MjAzMC0wMy0xMFQwMzoyMjoxMVo=
  auth-extra-groups: c3lzdGVtOmJvb3RzdHJhcHBlcnM6d29ya2Vy
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-07401b, namespace: default} # <-
type: bootstrap.kubernetes.io/token # <-
stringData:
  token-id: 07401b
  token-secret: f395accd246ae52d
  auth-extra-groups: system:bootstrappers:worker,system:masters # <-
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-07401b, namespace: kube-system}
type: bootstrap.kubernetes.io/token
data:
  token-id: MDc0MDFi
  token-secret: ZjM5NWFjY2QyNDZhZTUyZA==
  expiration: MjAzMC0wMy0xMFQwMzoyMjoxMVo=
  auth-extra-groups: c3lzdGVtOm1hc3RlcnM= # <-
"#,
    ],
}

impl Rule for BootstrapToken {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if secret_type(obj) != "bootstrap.kubernetes.io/token" {
            return;
        }
        let entries = secret_entries(obj);
        if obj.namespace() != "kube-system" {
            let at = obj
                .root
                .at(&["metadata", "namespace"])
                .unwrap_or_else(|| type_node(obj));
            let ns = match obj.namespace() {
                "" => "no namespace".to_string(),
                ns => format!("namespace `{ns}`"),
            };
            cx.report(
                obj,
                at,
                format!(
                    "bootstrap token Secret `{}` is in {ns}: bootstrap tokens are only honoured in `kube-system`",
                    obj.name()
                ),
            );
        }
        if !has_key(&entries, "expiration") {
            cx.report(
                obj,
                type_node(obj),
                format!(
                    "bootstrap token Secret `{}` has no `expiration`: the join credential never expires",
                    obj.name()
                ),
            );
        }
        if let Some(e) = secret_value(&entries, "auth-extra-groups") {
            let groups = e.text().unwrap_or_default();
            let bad: Vec<&str> = groups
                .split(',')
                .map(str::trim)
                .filter(|g| !g.is_empty() && !g.starts_with("system:bootstrappers:"))
                .collect();
            if !bad.is_empty() {
                cx.report(
                    obj,
                    e.value,
                    format!(
                        "bootstrap token Secret `{}` adds group(s) {} beyond `system:bootstrappers:*`",
                        obj.name(),
                        bad.iter()
                            .map(|g| format!("`{g}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }
}
