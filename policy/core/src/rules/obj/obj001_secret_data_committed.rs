use super::model::secret_entries;
use crate::k8s::credentials::is_placeholder;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `Secret` manifests that carry values in `data` or `stringData`. This is a
    /// repository/CI check: a Secret manifest with real values should not be in version
    /// control at all. Keys whose values are all empty or placeholders (`changeme`, `${VAR}`,
    /// `<password>`) are not counted.
    ///
    /// ## Why is this bad?
    /// "Base64 encoding is not an encryption method": anyone who can read the repository, a fork,
    /// a CI log or a backup can decode `data` in one command, and the credential stays in git
    /// history after it is removed. The Kubernetes good-practices guide says never to commit
    /// raw or base64-encoded Secret manifests.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata: {name: db-credentials}
    /// data:
    ///   password: UzNjcjN0UGE1NQ==
    /// ```
    ///
    /// ## Use instead
    /// Commit an encrypted or external reference instead, e.g. a SealedSecret, a SOPS-encrypted
    /// file, or an ExternalSecret:
    /// ```yaml
    /// apiVersion: external-secrets.io/v1
    /// kind: ExternalSecret
    /// metadata: {name: db-credentials}
    /// spec:
    ///   secretStoreRef: {name: vault, kind: ClusterSecretStore}
    ///   target: {name: db-credentials}
    ///   data:
    ///     - secretKey: password
    ///       remoteRef: {key: shop/db, property: password}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Secrets](https://kubernetes.io/docs/concepts/configuration/secret/)
    pub struct SecretDataCommitted;
    id: "OBJ-001",
    title: "Secret manifest with values committed to version control",
    severity: High,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Remove the values from the repository (and its history); commit an encrypted SealedSecret/SOPS file or an ExternalSecret instead.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: filled-by-operator, namespace: shop}
type: Opaque
"#,
        r#"{
  "apiVersion": "v1",
  "kind": "Secret",
  "metadata": {"name": "template", "namespace": "shop"},
  "stringData": {"password": "${DB_PASSWORD}", "token": "<token>", "empty": ""},
  "data": {"blank": ""}
}"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db-credentials, namespace: shop}
type: Opaque
data: # <-
  username: c2hvcA==
  password: UzNjcjN0UGE1NQ==
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: api, namespace: shop}
type: kubernetes.io/basic-auth
data: {}
stringData: # <-
  username: admin
  password: t0p-Secret
"#,
    ],
}

impl Rule for SecretDataCommitted {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let entries = secret_entries(obj);
        for field in ["data", "stringData"] {
            let n = entries
                .iter()
                .filter(|e| e.field_name == field)
                .filter(|e| match e.text() {
                    Some(t) => !is_placeholder(&t),
                    // Binary or undecodable: a value all the same.
                    None => e.value.as_str().is_some(),
                })
                .count();
            if n == 0 {
                continue;
            }
            let Some(key) = obj.root.key_node(field) else {
                continue;
            };
            let how = if field == "data" {
                "base64-encoded, which is not encryption"
            } else {
                "in plain text"
            };
            cx.report(
                obj,
                key,
                format!(
                    "Secret `{}` has {n} value(s) in `{field}` ({how}) committed to version control: anyone with access to the repository can read them",
                    obj.name()
                ),
            );
            return;
        }
    }
}
