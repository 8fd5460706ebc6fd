use super::model::{has_key, secret_entries, secret_type, secret_value, type_node};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Checks the keys the API server requires for the built-in Secret types (after merging
    /// `stringData` into `data`):
    /// - `kubernetes.io/tls`: `tls.crt` and `tls.key`;
    /// - `kubernetes.io/basic-auth`: `username` or `password` (at least one);
    /// - `kubernetes.io/ssh-auth`: `ssh-privatekey`;
    /// - `kubernetes.io/dockercfg`: `.dockercfg`, `kubernetes.io/dockerconfigjson`:
    ///   `.dockerconfigjson`, each holding a JSON object (base64-decoded for `data`);
    /// - `kubernetes.io/service-account-token`: the `kubernetes.io/service-account.name`
    ///   annotation.
    ///
    /// ## Why is this bad?
    /// The API server rejects such a Secret, so the deployment fails at apply time (or, for a
    /// Secret created by a pipeline, the workload that needs it never starts). Catching it
    /// before admission saves a round trip.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// type: kubernetes.io/tls
    /// data:
    ///   tls.crt: LS0tLS1CRUdJTi...
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// type: kubernetes.io/tls
    /// data:
    ///   tls.crt: LS0tLS1CRUdJTi...
    ///   tls.key: LS0tLS1CRUdJTi...
    /// ```
    ///
    /// ## References
    /// - [Types of Secret](https://kubernetes.io/docs/concepts/configuration/secret/#secret-types)
    /// - kubernetes/kubernetes `pkg/apis/core/validation/validation.go` (`ValidateSecret`)
    pub struct SecretTypeConstraints;
    id: "OBJ-009",
    title: "Secret violates its built-in type's constraints",
    severity: Info,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Add the keys the Secret type requires (or use type `Opaque`).",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: web-tls, namespace: shop}
type: kubernetes.io/tls
data:
  tls.crt: ""
stringData:
  tls.key: placeholder
---
apiVersion: v1
kind: Secret
metadata: {name: pull, namespace: shop}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6e319
"#,
        r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "git", "namespace": "ci"},
 "type": "kubernetes.io/basic-auth", "stringData": {"password": "t0p-Secret"}}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: web-tls, namespace: shop}
type: kubernetes.io/tls # <-
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: pull, namespace: shop}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths": {"registry.example.io": ' # <-
---
apiVersion: v1
kind: Secret
metadata: {name: ssh, namespace: shop}
type: kubernetes.io/ssh-auth # <-
data:
  id_rsa: LS0tLS1CRUdJTg==
---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: shop}
type: kubernetes.io/service-account-token # <-
"#,
    ],
}

impl Rule for SecretTypeConstraints {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let t = secret_type(obj);
        let entries = secret_entries(obj);
        let required: &[&str] = match t {
            "kubernetes.io/tls" => &["tls.crt", "tls.key"],
            "kubernetes.io/ssh-auth" => &["ssh-privatekey"],
            "kubernetes.io/dockercfg" => &[".dockercfg"],
            "kubernetes.io/dockerconfigjson" => &[".dockerconfigjson"],
            _ => &[],
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|k| !has_key(&entries, k))
            .collect();
        let at = type_node(obj);
        if !missing.is_empty() {
            cx.report(
                obj,
                at,
                format!(
                    "Secret `{}` of type `{t}` lacks required key(s) {}: the API server rejects it",
                    obj.name(),
                    missing
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        match t {
            "kubernetes.io/basic-auth"
                if !has_key(&entries, "username") && !has_key(&entries, "password") =>
            {
                cx.report(
                    obj,
                    at,
                    format!(
                        "Secret `{}` of type `{t}` has neither `username` nor `password`: the API server rejects it",
                        obj.name()
                    ),
                );
            }
            "kubernetes.io/service-account-token"
                if obj
                    .annotation("kubernetes.io/service-account.name")
                    .is_none_or(str::is_empty) =>
            {
                cx.report(
                    obj,
                    at,
                    format!(
                        "Secret `{}` of type `{t}` lacks the `kubernetes.io/service-account.name` annotation: the API server rejects it",
                        obj.name()
                    ),
                );
            }
            "kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson" => {
                let key = if t.ends_with("json") {
                    ".dockerconfigjson"
                } else {
                    ".dockercfg"
                };
                let Some(e) = secret_value(&entries, key) else {
                    return;
                };
                // Undecodable base64 is OBJ-011's finding.
                let Some(bytes) = e.bytes() else {
                    return;
                };
                if let Err(err) =
                    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
                {
                    cx.report(
                        obj,
                        e.value,
                        format!(
                            "Secret `{}` key `{key}` (in `{}`) is not a JSON object ({}): the API server rejects it",
                            obj.name(),
                            e.field_name,
                            err.classify_name(),
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "not an object",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}
