use super::model::{secret_entries, Field};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Secrets that use `stringData` (low), and keys present in both `data` and
    /// `stringData` (medium).
    ///
    /// ## Why is this bad?
    /// `stringData` holds the value in plain text in the manifest, so it is readable at a
    /// glance, in diffs and in review tools. When a key is in both fields, the API server
    /// silently takes the `stringData` value, so the `data` value a reviewer sees is not the one
    /// that is stored.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// data:
    ///   password: b2xkLXBhc3N3b3Jk
    /// stringData:
    ///   password: new-password
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// data:
    ///   password: bmV3LXBhc3N3b3Jk
    /// ```
    /// (Better still, keep the values out of the manifest: see OBJ-001.)
    ///
    /// ## References
    /// - [Secrets: constraints on Secret names and data](https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data)
    pub struct StringData;
    id: "OBJ-002",
    title: "Secret uses stringData (plain text, overrides data)",
    severity: Low,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Keep each key in one field; avoid plain-text `stringData` in committed manifests.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data:
  password: UzNjcjN0UGE1NQ==
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: empty, namespace: shop}
stringData: {}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: # <-
  username: shop
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data:
  password: b2xkLXBhc3N3b3Jk
stringData: # <-
  password: new-password # <-
"#,
    ],
}

impl Rule for StringData {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let entries = secret_entries(obj);
        if !entries.iter().any(|e| e.field == Field::Plain) {
            return;
        }
        if let Some(key) = obj.root.key_node("stringData") {
            cx.report(
                obj,
                key,
                format!(
                    "Secret `{}` uses `stringData`: its values are plain text in the manifest",
                    obj.name()
                ),
            );
        }
        for e in entries.iter().filter(|e| e.field == Field::Plain) {
            if entries
                .iter()
                .any(|d| d.field == Field::Base64 && d.key == e.key)
            {
                cx.report(
                    obj,
                    e.key_node,
                    format!(
                        "Secret `{}` has key `{}` in both `data` and `stringData`: the `stringData` value silently wins",
                        obj.name(),
                        e.key
                    ),
                )
                .with_severity(Severity::Medium);
            }
        }
    }
}
