//! Redaction of secret values, for sharing a manifest (the playground's share links carry the
//! text itself).
//!
//! [`redact`] replaces, in place:
//! - every value of a Secret's `data` (with `UkVEQUNURUQ=`, the base64 of `REDACTED`, so the
//!   Secret stays valid) and `stringData` (with `REDACTED`), and the Secret's
//!   `kubectl.kubernetes.io/last-applied-configuration` annotation, which repeats them;
//! - every other value the credential detector ([`crate::k8s::credentials`]) flags: a mapping
//!   value under its key ([`scan_entry`]), an environment variable's `value` under its `name`
//!   ([`scan_pair`]), a list item such as `--password=…` ([`scan_text`]).
//!
//! The result keeps the document readable and every other line where it was: a one-line value
//! becomes a double-quoted placeholder (valid in block style, flow style and JSON); a value over
//! several lines keeps its line breaks (block scalars keep their header and indentation, the rest
//! of their lines become empty). Keys, comments and everything else are untouched.
//!
//! Documents that do not parse cannot be walked: they are counted in [`Redaction::unparsed`] so
//! a caller can say that their text is not redacted.

use std::collections::BTreeMap;

use crate::fix::{apply_edits, Edit};
use crate::k8s::credentials::{scan_entry, scan_pair, scan_text};
use crate::yaml::{parse_documents, Limits, Node, Style, Value};

/// The placeholder of a redacted value.
pub const PLACEHOLDER: &str = "REDACTED";
/// The placeholder of a redacted Secret `data` value: `REDACTED` in base64.
pub const PLACEHOLDER_BASE64: &str = "UkVEQUNURUQ=";

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The result of [`redact`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// The text with the values replaced (the same number of lines).
    pub text: String,
    /// How many values were replaced.
    pub values: usize,
    /// Syntax errors: documents (or their rest) that could not be read, whose text is unchanged.
    pub unparsed: usize,
}

/// Replace secret values in `text` (see the module documentation).
pub fn redact(text: &str) -> Redaction {
    let lines: Vec<&str> = text.split('\n').collect();
    // Keyed by start position: a value reached twice (an alias, a merge key) is replaced once.
    let mut edits: BTreeMap<(u32, u32), Edit> = BTreeMap::new();
    let mut unparsed = 0;
    parse_documents(text, &Limits::default(), |doc| match doc {
        Ok(doc) => walk(&doc.root, &lines, &mut edits),
        Err(_) => unparsed += 1,
    });
    // Drop an edit that overlaps the one before it (only possible through odd aliasing).
    let mut kept: Vec<&Edit> = Vec::with_capacity(edits.len());
    for e in edits.values() {
        if let Some(prev) = kept.last() {
            if (e.line, e.column) < (prev.end_line, prev.end_column) {
                continue;
            }
        }
        kept.push(e);
    }
    let values = kept.len();
    match apply_edits(text, &kept) {
        Ok(text) => Redaction {
            text,
            values,
            unparsed,
        },
        // Unreachable with spans from the parser; never return the secrets as "redacted".
        Err(_) => Redaction {
            text: blank_values_fallback(text),
            values,
            unparsed,
        },
    }
}

/// Whether `text` holds any value that [`redact`] would replace.
pub fn has_secret_values(text: &str) -> bool {
    redact(text).values > 0
}

fn walk(node: &Node<'_>, lines: &[&str], edits: &mut BTreeMap<(u32, u32), Edit>) {
    match &node.value {
        Value::Scalar(_) => {}
        Value::Seq(items) => {
            for item in items {
                if let Some(s) = item.as_str() {
                    if scan_text(s).is_some() || has_credential_flag(s) {
                        add(item, PLACEHOLDER, lines, edits);
                    }
                } else {
                    walk(item, lines, edits);
                }
            }
        }
        Value::Map(entries) => {
            let is_secret = node.get("kind").and_then(Node::as_str) == Some("Secret")
                && node.get("apiVersion").and_then(Node::as_str) == Some("v1");
            if is_secret {
                for (field, placeholder) in
                    [("data", PLACEHOLDER_BASE64), ("stringData", PLACEHOLDER)]
                {
                    for e in node.get(field).map(Node::entries).unwrap_or_default() {
                        add(&e.value, placeholder, lines, edits);
                    }
                }
                if let Some(v) = node.at(&["metadata", "annotations", LAST_APPLIED]) {
                    add(v, PLACEHOLDER, lines, edits);
                }
            }
            // An environment variable (`{name: DB_PASSWORD, value: …}`).
            let env_name = node.get("name").and_then(Node::as_str);
            for e in entries {
                if is_secret
                    && matches!(e.key.as_scalar(), Some("data" | "stringData"))
                    && e.value.is_map()
                {
                    continue;
                }
                match (&e.value.value, e.key.as_str()) {
                    (Value::Scalar(_), Some(key)) => {
                        let Some(value) = e.value.as_str() else {
                            continue;
                        };
                        let hit = match (key, env_name) {
                            ("value", Some(name)) => scan_pair(name, value).is_some(),
                            _ => scan_entry(key, value).is_some(),
                        };
                        if hit {
                            add(&e.value, PLACEHOLDER, lines, edits);
                        }
                    }
                    _ => walk(&e.value, lines, edits),
                }
            }
        }
    }
}

/// A command-line word `--name=value` (or `NAME=value`) whose value the name heuristic flags.
fn has_credential_flag(item: &str) -> bool {
    item.split_whitespace().take(4096).any(|w| {
        w.split_once('=').is_some_and(|(name, value)| {
            let name = name.trim_start_matches('-');
            !name.is_empty() && scan_pair(name, value.trim_matches(['"', '\''])).is_some()
        })
    })
}

/// Record the edit that replaces the scalar `node` with `placeholder`.
fn add(node: &Node<'_>, placeholder: &str, lines: &[&str], edits: &mut BTreeMap<(u32, u32), Edit>) {
    let Value::Scalar(s) = &node.value else {
        return;
    };
    if node.is_null() || s.text.is_empty() || node.span.line == 0 || node.span.col == 0 {
        return;
    }
    let sp = node.span;
    let edit = if s.style == Style::Block {
        // The span runs from the first content character to where the next token starts (the
        // indentation of a later line): replace the content, keep every line break.
        let before_end_is_blank = lines.get(sp.end_line as usize - 1).is_some_and(|l| {
            l.chars()
                .take(sp.end_col.saturating_sub(1) as usize)
                .all(char::is_whitespace)
        });
        let last = if sp.end_line > sp.line && before_end_is_blank {
            sp.end_line - 1
        } else {
            sp.end_line
        };
        let Some(last_len) = lines
            .get(last as usize - 1)
            .map(|l| l.strip_suffix('\r').unwrap_or(l).chars().count())
        else {
            return;
        };
        Edit {
            line: sp.line,
            column: sp.col,
            end_line: last,
            end_column: last_len as u32 + 1,
            replacement: format!("{placeholder}{}", "\n".repeat((last - sp.line) as usize)),
        }
    } else if sp.line == sp.end_line {
        Edit::replace(node, format!("\"{placeholder}\""))
    } else {
        // A quoted or plain scalar over several lines: a double-quoted placeholder whose closing
        // quote sits where the value ended, with empty lines between.
        let breaks = "\n".repeat((sp.end_line - sp.line) as usize);
        let pad = " ".repeat(sp.end_col.saturating_sub(2) as usize);
        Edit::replace(node, format!("\"{placeholder}{breaks}{pad}\""))
    };
    edits.entry((edit.line, edit.column)).or_insert(edit);
}

/// Never reached in practice: if edits could not be applied, blank every value after a `:` or
/// `=` rather than return secrets.
fn blank_values_fallback(text: &str) -> String {
    text.split('\n')
        .map(|l| match l.find([':', '=']) {
            Some(i) => format!("{} {PLACEHOLDER}", &l[..=i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Settings};

    fn lines(s: &str) -> usize {
        s.split('\n').count()
    }

    /// The redacted text parses without errors, keeps its line count, and lost every secret.
    fn check(text: &str, secrets: &[&str]) -> Redaction {
        let r = redact(text);
        assert_eq!(lines(&r.text), lines(text), "lines moved:\n{}", r.text);
        let report = evaluate(&[("r.yaml", &r.text)], &Settings::default());
        assert!(report.errors.is_empty(), "{:?}\n{}", report.errors, r.text);
        for s in secrets {
            assert!(!r.text.contains(s), "`{s}` survived:\n{}", r.text);
        }
        r
    }

    #[test]
    fn secret_data_and_string_data() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\ndata:\n  password: UzNjcjN0UGE1NQ==\n  user: YWRtaW4=\nstringData:\n  token: t0p-Secret-Value\n  note: plain\n";
        let r = check(
            text,
            &[
                "UzNjcjN0UGE1NQ==",
                "YWRtaW4=",
                "t0p-Secret-Value",
                "plain\n",
            ],
        );
        assert_eq!(r.values, 4);
        assert_eq!(r.unparsed, 0);
        assert_eq!(
            r.text,
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\ndata:\n  password: \"UkVEQUNURUQ=\"\n  user: \"UkVEQUNURUQ=\"\nstringData:\n  token: \"REDACTED\"\n  note: \"REDACTED\"\n"
        );
        // Keys stay: findings about the Secret's shape stay where they were (OBJ-001, values
        // committed, goes: `REDACTED` is a placeholder, not a value).
        let after = evaluate(&[("a.yaml", &r.text)], &Settings::default());
        let ids: Vec<_> = after.findings.iter().map(|f| (f.rule, f.line)).collect();
        assert_eq!(ids, [("OBJ-008", 2), ("OBJ-002", 10)]);
    }

    #[test]
    fn json_flow_and_lists() {
        let json = r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"k\":\"c2VjcmV0dmFsdWU=\"}}"}}, "data": {"k": "c2VjcmV0dmFsdWU="}}"#;
        let r = check(json, &["c2VjcmV0dmFsdWU="]);
        assert_eq!(r.values, 2);
        assert!(
            serde_json::from_str::<serde_json::Value>(&r.text).is_ok(),
            "{}",
            r.text
        );
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: a}\n  stringData: {pw: hunter2hunter2}\n";
        check(list, &["hunter2hunter2"]);
    }

    #[test]
    fn multi_line_values_keep_lines() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\nstringData:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n    -----END PRIVATE KEY-----\n\n  folded: >-\n    first\n    second\n  quoted: \"one\n    two\"\n  plain: alpha\n    beta\n  last: x\n";
        let r = check(
            text,
            &[
                "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                "PRIVATE KEY",
                "first",
                "second",
                "one",
                "two",
                "alpha",
                "beta",
            ],
        );
        assert_eq!(r.values, 5);
        assert!(
            r.text
                .contains("  tls.key: |\n    REDACTED\n\n\n\n  folded: >-\n    REDACTED\n\n"),
            "{}",
            r.text
        );
        // Without a final newline.
        check(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  k: |\n    abcdefgh",
            &["abcdefgh"],
        );
    }

    #[test]
    fn detected_credentials_outside_secrets() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:1\n        args: [\"--token=ghp_Xk9vQ2mPz7LwR4tYXk9vQ2mPz7LwR4tY1234\", \"--port=8080\"]\n        command: [\"run\", \"--db-password=Xk9vQ2mPz7LwR4tW\"]\n        env:\n        - name: DB_PASSWORD\n          value: Xk9vQ2mPz7LwR4tZ\n        - name: LOG_LEVEL\n          value: debug\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  AWS_ACCESS_KEY_ID: AKIAZ7ZQX3MBGVNHJQ4W\n  mode: fast\n";
        let r = check(
            text,
            &[
                "ghp_Xk9vQ2mPz7LwR4tY",
                "Xk9vQ2mPz7LwR4tZ",
                "Xk9vQ2mPz7LwR4tW",
                "AKIAZ7ZQX3MBGVNHJQ4W",
            ],
        );
        assert_eq!(r.values, 4, "{}", r.text);
        for kept in [
            "--port=8080",
            "\"run\"",
            "value: debug",
            "mode: fast",
            "image: api:1",
            "name: DB_PASSWORD",
        ] {
            assert!(r.text.contains(kept), "`{kept}` lost:\n{}", r.text);
        }
        // The findings that depended on the values are gone, the others stay.
        let after = evaluate(&[("r.yaml", &r.text)], &Settings::default());
        assert!(!after
            .findings
            .iter()
            .any(|f| matches!(f.rule, "WL-003" | "WL-004" | "OBJ-006")));
    }

    #[test]
    fn nothing_to_redact_and_broken_documents() {
        let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: []\n";
        let r = redact(role);
        assert_eq!((r.text.as_str(), r.values, r.unparsed), (role, 0, 0));
        assert!(!has_secret_values(role));
        let broken = "apiVersion: v1\nkind: Secret\nstringData: {a: [1\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData: {pw: s3cr3tvalue}\n";
        let r = redact(broken);
        assert_eq!(r.unparsed, 1);
        assert_eq!(r.values, 1);
        assert!(!r.text.contains("s3cr3tvalue"));
        assert!(has_secret_values(broken));
        // Anchors and aliases: each place is replaced once, the text stays valid.
        let alias = "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\nstringData:\n  a: &pw s3cr3tvalue\n  b: *pw\n";
        check(alias, &["s3cr3tvalue"]);
        // Hostile input does not panic.
        for t in [
            "",
            "\n",
            "data: |",
            "kind: Secret\napiVersion: v1\ndata:\n  k: |\n",
            "\u{feff}a: \"\u{1F600}\n b\"",
        ] {
            let _ = redact(t);
        }
    }
}
