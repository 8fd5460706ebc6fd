use super::model::{configmap_entries, secret_entries, Field};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Secret and ConfigMap content the API server rejects:
    /// - keys with characters other than alphanumerics, `-`, `_` and `.`, keys longer than 253
    ///   characters, and the keys `.`, `..` and `..*`;
    /// - Secret `data` and ConfigMap `binaryData` values that are not standard, padded base64
    ///   (or not strings);
    /// - a ConfigMap key present in both `data` and `binaryData`;
    /// - a total size (keys plus decoded values) over 1 MiB (1048576 bytes).
    ///
    /// ## Why is this bad?
    /// The apply fails, often late in a pipeline, and the workload that needs the object never
    /// starts. A common cause is a plain-text value written under `data` instead of
    /// `stringData`, which also means a credential sits un-encoded in the manifest.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// data:
    ///   db password: S3cr3tPa55
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// data:
    ///   db-password: UzNjcjN0UGE1NQ==
    /// ```
    ///
    /// ## References
    /// - [Secrets: restrictions on names and data](https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data)
    /// - [Secret size limit](https://kubernetes.io/docs/concepts/configuration/secret/#restriction-data-size)
    /// - kubernetes/kubernetes `pkg/apis/core/validation/validation.go` (`ValidateSecret`, `ValidateConfigMap`, `IsConfigMapKey`)
    pub struct InvalidKeysOrData;
    id: "OBJ-011",
    title: "Secret or ConfigMap has invalid keys, invalid base64 or exceeds 1 MiB",
    severity: Info,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Use keys made of alphanumerics, `-`, `_` and `.`; base64-encode `data` values (or use `stringData`); keep the object under 1 MiB.",
    kinds: ["Secret", "ConfigMap"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data:
  db-password: UzNjcjN0UGE1NQ==
  .hidden_key.v2: ""
  multi: |
    UzNjcjN0
    UGE1NQ==
stringData:
  "db.user": ok
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data:
  app.properties: "a=b"
binaryData:
  blob.bin: AAEC
"#,
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "x"}, "data": {"KEY_1": "1"}}"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data:
  db password: UzNjcjN0UGE1NQ== # <-
  password: S3cr3tPa55! # <-
  port: 5432 # <-
"#,
        r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data:
  ..data: x # <-
  logo: x
binaryData:
  logo: AAEC # <-
"#,
    ],
}

const MAX_TOTAL: usize = 1024 * 1024;

fn key_problem(k: &str) -> Option<&'static str> {
    if k.is_empty() {
        Some("is empty")
    } else if k.len() > 253 {
        Some("is longer than 253 characters")
    } else if k == "." || k == ".." || k.starts_with("..") {
        Some("must not be `.`, `..` or start with `..`")
    } else if !k
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        Some("may only contain alphanumerics, `-`, `_` and `.`")
    } else {
        None
    }
}

/// A plain YAML number or boolean: JSON sends it as a number/bool, which is not a base64 string.
fn typed_scalar(n: &Node<'_>) -> bool {
    n.as_bool().is_some()
        || n.as_i64().is_some()
        || n.plain_text()
            .is_some_and(|t| t.parse::<f64>().is_ok() && t.bytes().any(|b| b.is_ascii_digit()))
}

impl Rule for InvalidKeysOrData {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let secret = obj.kind() == "Secret";
        let entries = if secret {
            secret_entries(obj)
        } else {
            configmap_entries(obj)
        };
        let mut total = 0usize;
        let mut seen: Vec<&str> = vec![];
        for e in &entries {
            if let Some(p) = key_problem(e.key) {
                cx.report(
                    obj,
                    e.key_node,
                    format!(
                        "{} `{}` key `{}` {p}: the API server rejects it",
                        obj.kind(),
                        obj.name(),
                        e.key.escape_debug()
                    ),
                );
            }
            match e
                .bytes()
                .filter(|_| !(e.field == Field::Base64 && typed_scalar(e.value)))
            {
                Some(b) if !(secret && e.field == Field::Plain && seen.contains(&e.key)) => {
                    total = total.saturating_add(e.key.len() + b.len());
                }
                Some(_) => {}
                None if e.field == Field::Base64 => {
                    let why = if e.value.as_str().is_some() && !typed_scalar(e.value) {
                        "is not valid base64"
                    } else {
                        "is not a string"
                    };
                    cx.report(
                        obj,
                        e.value,
                        format!(
                            "{} `{}` `{}` value for key `{}` {why} (use `stringData` for plain text): the API server rejects it",
                            obj.kind(),
                            obj.name(),
                            e.field_name,
                            e.key.escape_debug()
                        ),
                    );
                }
                None => {}
            }
            if !secret
                && e.field == Field::Base64
                && entries
                    .iter()
                    .any(|d| d.field == Field::Plain && d.key == e.key)
            {
                cx.report(
                    obj,
                    e.key_node,
                    format!(
                        "ConfigMap `{}` has key `{}` in both `data` and `binaryData`: the API server rejects it",
                        obj.name(),
                        e.key.escape_debug()
                    ),
                );
            }
            seen.push(e.key);
        }
        if total > MAX_TOTAL {
            let at = obj
                .root
                .key_node("data")
                .or_else(|| obj.root.key_node("stringData"))
                .or_else(|| obj.root.key_node("binaryData"))
                .unwrap_or(&obj.root);
            cx.report(
                obj,
                at,
                format!(
                    "{} `{}` holds {total} bytes, over the 1 MiB (1048576 bytes) limit: the API server rejects it",
                    obj.kind(),
                    obj.name()
                ),
            );
        }
    }
}
