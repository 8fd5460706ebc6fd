//! Write a JSON value as YAML the way `kubectl get -o yaml` prints objects: block style, keys
//! sorted, sequences not indented under their key, strings quoted only when YAML would read them
//! as something else, multi-line strings as literal blocks.

use serde_json::Value;

/// The YAML text of `v` (a mapping at the top, as Kubernetes objects are), ending in a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn sorted(m: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Entries of a mapping at column `col` (the caller has written the indentation of the first
/// line when it shares a line with a `- `).
fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, col: usize) {
    for (i, (k, v)) in sorted(m).into_iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            indent(out, col);
        }
        out.push_str(&key(k));
        out.push(':');
        write_value(out, v, col);
    }
}

fn write_seq(out: &mut String, a: &[Value], col: usize) {
    for v in a {
        indent(out, col);
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => write_map(out, m, col + 2),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, col + 2);
            }
            other => {
                out.push_str(&scalar(other, col + 2));
                out.push('\n');
            }
        }
    }
}

/// The value after `key:` at column `col`.
fn write_value(out: &mut String, v: &Value, col: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, col + 2);
        }
        // Sequences sit at the key's column, as go-yaml writes them.
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, col);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, col + 2));
            out.push('\n');
        }
    }
}

fn key(k: &str) -> String {
    if plain_ok(k) {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

/// A scalar (or empty collection); `block_col` is the indentation of a literal block's lines.
fn scalar(v: &Value, block_col: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(s) => {
            if plain_ok(s) {
                s.clone()
            } else if literal_ok(s) {
                let body = s.strip_suffix('\n').unwrap_or(s);
                let chomp = if s.ends_with('\n') { "|" } else { "|-" };
                let mut out = chomp.to_string();
                for line in body.split('\n') {
                    out.push('\n');
                    if !line.is_empty() {
                        out.extend(std::iter::repeat_n(' ', block_col));
                        out.push_str(line);
                    }
                }
                out
            } else {
                // A JSON string is a valid YAML double-quoted scalar.
                Value::String(s.clone()).to_string()
            }
        }
    }
}

/// A multi-line string a literal block represents exactly.
fn literal_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with("\n\n")
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
        && s.chars().all(|c| c == '\n' || !c.is_control())
}

/// Whether `s` can be written unquoted and reads back as the same string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with([' ', '\t']) || s.ends_with([' ', '\t', ':']) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-foo` and `:foo` are plain in YAML, but kubectl quotes neither form ambiguously;
        // quote them to be safe.
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.chars().any(|c| c.is_control()) {
        return false;
    }
    if s.chars().any(|c| !c.is_ascii() && !c.is_alphanumeric()) {
        // Unusual Unicode (spaces, BOM, line separators): quote.
        return s.chars().all(|c| c.is_ascii() || c.is_alphanumeric());
    }
    !resolves_to_non_string(s)
}

/// YAML 1.1 (go-yaml) would read it as null, a boolean, a number or a timestamp.
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: [&str; 11] = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "nan",
    ];
    let lower = s.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str())
        || matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan")
    {
        return true;
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let b = body.as_bytes();
    // Timestamps and dates: 2024-05-01...
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' {
        return true;
    }
    let cleaned: String = body.chars().filter(|c| *c != '_').collect();
    if cleaned.is_empty() {
        return false;
    }
    if cleaned.parse::<f64>().is_ok() && cleaned.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(digits) = cleaned.strip_prefix(prefix) {
            if !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok() {
                return true;
            }
        }
    }
    // Sexagesimal integers (190:20:30) in YAML 1.1.
    cleaned.contains(':')
        && cleaned
            .split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_documents, Limits};
    use serde_json::json;

    fn reparse(text: &str) -> Value {
        let mut out = None;
        parse_documents(text, &Limits::default(), |d| {
            out = Some(d.expect("valid YAML").root.to_json());
        });
        out.expect("one document")
    }

    #[test]
    fn kubectl_layout() {
        let v = json!({
            "kind": "Secret", "apiVersion": "v1",
            "metadata": {"name": "db", "namespace": "app", "resourceVersion": "1234",
                         "creationTimestamp": "2024-05-01T10:00:00Z", "finalizers": ["a", "b"],
                         "ownerReferences": [{"kind": "Deployment", "name": "web", "controller": true}],
                         "labels": {}},
            "data": {"password": "czNjcjN0"},
            "type": "Opaque"
        });
        assert_eq!(
            to_yaml(&v),
            "\
apiVersion: v1
data:
  password: czNjcjN0
kind: Secret
metadata:
  creationTimestamp: \"2024-05-01T10:00:00Z\"
  finalizers:
  - a
  - b
  labels: {}
  name: db
  namespace: app
  ownerReferences:
  - controller: true
    kind: Deployment
    name: web
  resourceVersion: \"1234\"
type: Opaque
"
        );
    }

    #[test]
    fn strings_read_back_unchanged() {
        let tricky = [
            "",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#x",
            "- x",
            "yes",
            "No",
            "ON",
            "null",
            "~",
            "12",
            "1.5",
            "-3",
            "0x1f",
            "1e3",
            "2024-01-01",
            "12:30:00",
            "true",
            "a\tb",
            "tab\t",
            "multi\nline",
            "multi\nline\n",
            "x\n\n",
            "\nlead",
            "quote\"s",
            "back\\slash",
            "uni\u{2028}code",
            "é",
            "日本",
            "plain words",
            "0b3d1f2e-0000-4000-8000-000000000001",
            "key=value,other",
            "{json}",
            "[x]",
            "*alias",
            "&anchor",
            "!tag",
            "%pct",
            "@at",
            "`tick",
            "a:b",
            "http://example.com/x",
            ".inf",
            "-.inf",
            "+1",
            "_",
            "1_000",
        ];
        for s in tricky {
            let v = json!({ "k": s, s: "v", "list": [s] });
            let text = to_yaml(&v);
            assert_eq!(reparse(&text), v, "{s:?} gave:\n{text}");
        }
    }

    #[test]
    fn nested_shapes_read_back() {
        let v = json!({
            "a": [[1, 2], [], {}, {"x": [{"y": null}]}, "s"],
            "b": {"c": {"d": {"e": false}}, "empty": []},
            "n": -1.5
        });
        assert_eq!(reparse(&to_yaml(&v)), v);
    }

    #[test]
    fn literal_blocks() {
        let v = json!({"m": {"note": "line1\nline2\n"}});
        assert_eq!(to_yaml(&v), "m:\n  note: |\n    line1\n    line2\n");
        let v = json!({"note": "a\n\nb"});
        assert_eq!(to_yaml(&v), "note: |-\n  a\n\n  b\n");
    }
}
