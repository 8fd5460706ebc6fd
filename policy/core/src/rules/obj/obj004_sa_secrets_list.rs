use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags entries in a ServiceAccount's `secrets` list.
    ///
    /// ## Why is this bad?
    /// Before Kubernetes 1.24 the token controller created a long-lived token Secret for every
    /// ServiceAccount and listed it in `secrets`; a Secret referenced there is treated as an
    /// auto-generated legacy token. Such tokens never expire and are not bound to a Pod. The
    /// field is not needed for projected tokens or for `imagePullSecrets`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: build-robot}
    /// secrets:
    ///   - name: build-robot-secret
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: build-robot}
    /// ```
    /// and delete the legacy token Secret.
    ///
    /// ## References
    /// - [Service account token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets)
    /// - [Manage service accounts: legacy tokens](https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#auto-generated-legacy-serviceaccount-token-clean-up)
    /// - Kyverno policy `check-serviceaccount-secrets`
    pub struct ServiceAccountSecrets;
    id: "OBJ-004",
    title: "ServiceAccount references token Secrets",
    severity: Medium,
    area: SecretData,
    cis: [],
    peers: ["KY check-serviceaccount-secrets"],
    remediation: "Remove the `secrets` list and delete the legacy token Secrets; use projected, expiring tokens.",
    kinds: ["ServiceAccount"],
    pass: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: good-svc-account, namespace: default}
"#,
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: puller, namespace: ci}
imagePullSecrets:
  - name: registry-auth
secrets: []
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: bad-svc-account, namespace: default}
secrets:
  - name: build-robot-secret # <-
"#,
        r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a", "namespace": "ci"},
 "secrets": [{"name": "a-token-x7k2p"}, # <-
             {"name": "a-token-9qz4d"}]} # <-
"#,
    ],
}

impl Rule for ServiceAccountSecrets {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for item in obj.root.get("secrets").map(Node::items).unwrap_or_default() {
            let name_node = item.get("name");
            let name = name_node.and_then(Node::as_str).unwrap_or("?");
            cx.report(
                obj,
                name_node.unwrap_or(item),
                format!(
                    "ServiceAccount `{}` lists Secret `{name}` in `secrets`: that marks a legacy, non-expiring token",
                    obj.name()
                ),
            );
        }
    }
}
