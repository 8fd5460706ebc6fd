//! How etcd values are handed over: raw bytes (`etcdctl get --print-value-only`), base64, hex, or
//! the JSON that `etcdctl get -w json` prints (base64 key and value). [`decode_input`] detects
//! which one in [`InputEncoding::Auto`] mode:
//!
//! 1. `etcdctl -w json` output (an object with `kvs`): the first key-value pair;
//! 2. raw bytes when the input starts with `k8s:` or `{`, or is not text;
//! 3. hex, then base64 (standard or URL-safe, padding optional, whitespace ignored), when the
//!    decoded bytes look like a value (`k8s` or `{` at the start);
//! 4. otherwise hex if it is valid hex, base64 if it is valid base64, else raw.
//!
//! `etcdctl get --print-value-only` ends the value with a newline that is not part of it; in
//! auto mode a raw value starting with `k8s` loses one trailing `\n`, and the exact bytes are kept
//! as [`DecodedInput::alternative`] (a value may really end with 0x0a).

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;

use super::inspect::hex;

/// How the input is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEncoding {
    Auto,
    Raw,
    Base64,
    Hex,
}

/// How to write a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputEncoding {
    Raw,
    Base64,
    Hex,
}

/// A decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedInput {
    pub value: Vec<u8>,
    /// `raw`, `base64`, `hex` or `etcdctl JSON`.
    pub encoding: &'static str,
    /// The etcd key, when the input carried it (`etcdctl -w json`).
    pub etcd_key: Option<String>,
    /// Another reading of the same input: the raw bytes with the trailing newline that
    /// [`DecodedInput::value`] dropped.
    pub alternative: Option<Vec<u8>>,
    /// What the detection did, for the user.
    pub notes: Vec<String>,
}

fn looks_like_value(b: &[u8]) -> bool {
    b.starts_with(b"k8s") || b.trim_ascii_start().starts_with(b"{")
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let digits = digits
        .strip_prefix(b"0x".as_slice())
        .unwrap_or(&digits)
        .to_vec();
    if digits.is_empty() || digits.len() % 2 != 0 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            let s = std::str::from_utf8(p).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if clean.is_empty() {
        return None;
    }
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(clean.as_bytes()).ok())
}

/// `etcdctl get -w json`: `{"header":…,"kvs":[{"key":"<b64>","value":"<b64>",…}],"count":1}`.
fn etcdctl_json(input: &[u8]) -> Option<Result<(String, Vec<u8>), String>> {
    let v: serde_json::Value = serde_json::from_slice(input).ok()?;
    let kvs = v.get("kvs")?;
    let list = kvs.as_array()?;
    let Some(first) = list.first() else {
        return Some(Err(
            "the etcdctl output has no key-value pair (`kvs` is empty: no such key?)".into(),
        ));
    };
    if list.len() > 1 {
        return Some(Err(format!(
            "the etcdctl output has {} key-value pairs; give one value at a time",
            list.len()
        )));
    }
    let field = |name: &str| -> Result<Vec<u8>, String> {
        let s = first
            .get(name)
            .and_then(|x| x.as_str())
            .ok_or_else(|| format!("the etcdctl output's kvs[0] has no `{name}`"))?;
        STANDARD
            .decode(s)
            .map_err(|_| format!("the etcdctl output's kvs[0].{name} is not base64"))
    };
    Some((|| {
        let key = field("key")?;
        let value = field("value")?;
        let key = String::from_utf8(key)
            .map_err(|_| "the etcdctl output's key is not UTF-8".to_string())?;
        Ok((key, value))
    })())
}

/// Decode `input` as `enc` says (see the module documentation for `Auto`).
pub fn decode_input(input: &[u8], enc: InputEncoding) -> Result<DecodedInput, String> {
    let done = |value: Vec<u8>, encoding: &'static str| DecodedInput {
        value,
        encoding,
        etcd_key: None,
        alternative: None,
        notes: vec![],
    };
    let text = || {
        std::str::from_utf8(input)
            .map_err(|_| "the input is not text (use --input-encoding raw)".to_string())
    };
    match enc {
        InputEncoding::Raw => Ok(done(input.to_vec(), "raw")),
        InputEncoding::Hex => decode_hex(text()?)
            .map(|v| done(v, "hex"))
            .ok_or_else(|| "the input is not valid hex".into()),
        InputEncoding::Base64 => decode_base64(text()?)
            .map(|v| done(v, "base64"))
            .ok_or_else(|| "the input is not valid base64".into()),
        InputEncoding::Auto => {
            if input.trim_ascii_start().starts_with(b"{") {
                if let Some(r) = etcdctl_json(input) {
                    let (key, value) = r?;
                    let mut d = done(value, "etcdctl JSON");
                    d.notes.push(format!(
                        "read the value of `{key}` from etcdctl JSON output"
                    ));
                    d.etcd_key = Some(key);
                    return Ok(d);
                }
            }
            let is_text = std::str::from_utf8(input).is_ok_and(|t| {
                t.chars()
                    .all(|c| !c.is_control() || c.is_ascii_whitespace())
            });
            if looks_like_value(input) || !is_text {
                let mut d = done(input.to_vec(), "raw");
                if input.starts_with(b"k8s") && input.ends_with(b"\n") {
                    d.value.pop();
                    d.alternative = Some(input.to_vec());
                    d.notes.push(
                        "dropped the trailing newline (as `etcdctl get --print-value-only` adds one; --input-encoding raw keeps it)".into(),
                    );
                }
                return Ok(d);
            }
            let t = text()?;
            let hexed = decode_hex(t);
            if let Some(v) = hexed.as_ref().filter(|v| looks_like_value(v)) {
                return Ok(done(v.clone(), "hex"));
            }
            let b64 = decode_base64(t);
            if let Some(v) = b64.as_ref().filter(|v| looks_like_value(v)) {
                return Ok(done(v.clone(), "base64"));
            }
            if let Some(v) = hexed {
                return Ok(done(v, "hex"));
            }
            if let Some(v) = b64 {
                return Ok(done(v, "base64"));
            }
            Ok(done(input.to_vec(), "raw"))
        }
    }
}

/// Encode a value for output: raw bytes as they are, base64 and hex with a final newline.
pub fn encode_output(value: &[u8], enc: OutputEncoding) -> Vec<u8> {
    match enc {
        OutputEncoding::Raw => value.to_vec(),
        OutputEncoding::Base64 => (STANDARD.encode(value) + "\n").into_bytes(),
        OutputEncoding::Hex => (hex(value) + "\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_detection() {
        let value = b"k8s:enc:aescbc:v1:key1:\x00\xff\x10";
        let d = |i: &[u8]| decode_input(i, InputEncoding::Auto).unwrap();
        let raw = d(value);
        assert_eq!((raw.value.as_slice(), raw.encoding), (&value[..], "raw"));
        let b64 = STANDARD.encode(value);
        assert_eq!(d(b64.as_bytes()).value, value);
        assert_eq!(d(format!("{b64}\n").as_bytes()).encoding, "base64");
        assert_eq!(d(URL_SAFE_NO_PAD.encode(value).as_bytes()).value, value);
        let h = hex(value);
        assert_eq!(
            (d(h.as_bytes()).value.as_slice(), d(h.as_bytes()).encoding),
            (&value[..], "hex")
        );
        // etcdctl --print-value-only adds a newline.
        let with_nl = [value.as_slice(), b"\n"].concat();
        let r = d(&with_nl);
        assert_eq!(r.value, value);
        assert_eq!(r.alternative.as_deref(), Some(with_nl.as_slice()));
        // Plaintext JSON keeps its newline (it is part of the stored value).
        assert_eq!(
            d(b"{\"kind\":\"Secret\"}\n").value,
            b"{\"kind\":\"Secret\"}\n"
        );
        // Explicit raw keeps everything.
        assert_eq!(
            decode_input(&with_nl, InputEncoding::Raw).unwrap().value,
            with_nl
        );
    }

    #[test]
    fn etcdctl_json_output() {
        let json = format!(
            r#"{{"header":{{"cluster_id":1,"revision":5}},"kvs":[{{"key":"{}","create_revision":5,"value":"{}"}}],"count":1}}"#,
            STANDARD.encode("/registry/secrets/default/s1"),
            STANDARD.encode(b"k8s:enc:aesgcm:v1:k:abc")
        );
        let r = decode_input(json.as_bytes(), InputEncoding::Auto).unwrap();
        assert_eq!(r.etcd_key.as_deref(), Some("/registry/secrets/default/s1"));
        assert_eq!(r.value, b"k8s:enc:aesgcm:v1:k:abc");
        let empty = r#"{"header":{},"kvs":[],"count":0}"#;
        assert!(decode_input(empty.as_bytes(), InputEncoding::Auto)
            .unwrap_err()
            .contains("no such key"));
        let empty = r#"{"header":{},"count":0}"#;
        assert_eq!(
            decode_input(empty.as_bytes(), InputEncoding::Auto)
                .unwrap()
                .encoding,
            "raw"
        );
    }

    #[test]
    fn explicit_encodings() {
        assert_eq!(
            decode_input(b"6b38 73\n", InputEncoding::Hex)
                .unwrap()
                .value,
            b"k8s"
        );
        assert_eq!(
            decode_input(b"0x6b3873", InputEncoding::Hex).unwrap().value,
            b"k8s"
        );
        assert!(decode_input(b"6b387", InputEncoding::Hex).is_err());
        assert!(decode_input(b"+f+f", InputEncoding::Hex).is_err());
        assert!(decode_input(b"***", InputEncoding::Base64).is_err());
        assert!(decode_input(b"\xff", InputEncoding::Base64)
            .unwrap_err()
            .contains("not text"));
        assert_eq!(encode_output(b"k8s", OutputEncoding::Base64), b"azhz\n");
        assert_eq!(encode_output(b"k8s", OutputEncoding::Hex), b"6b3873\n");
        assert_eq!(encode_output(b"k8s", OutputEncoding::Raw), b"k8s");
    }
}
