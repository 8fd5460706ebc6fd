//! A credential detector for literal values in manifests (catalog section C.6).
//!
//! Three layers, from most to least precise:
//!
//! 1. **Value patterns** ([`scan_value`]): token formats that identify a credential by themselves
//!    (AWS access key ids, GitHub/GitLab/Slack/Stripe tokens, GCP API keys and service-account
//!    JSON, Azure `AccountKey=`, PEM private keys, JWTs, URLs with `user:pass@`, bearer tokens,
//!    kubeconfig client keys, Docker config `auth`). Confidence high.
//! 2. **Name + value shape** ([`scan_pair`]): a key name whose *tokens* (split on `_`, `-`, `.`,
//!    `/`, and camelCase) name a credential (`DB_PASSWORD`, `apiKey`, `client.secret`), with a
//!    value that looks like a real secret: at least 8 characters, no whitespace, not numeric,
//!    not a boolean, path, URL, hostname, e-mail address, Kubernetes resource name or
//!    placeholder. Names that *describe* a credential rather than hold one (`SECRET_NAME`,
//!    `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `SECRET_FILE`, `ACCESS_KEY_ID`) are excluded by their
//!    last token. Confidence medium.
//! 3. **Base64**: a value of at least 16 base64 characters that decodes to printable text is
//!    decoded once and rescanned with the value patterns (and embedded `key=value` lines).
//!
//! [`scan_text`] adds `key: value` / `key=value` / `"key": "value"` lines inside file-like values
//! (a ConfigMap holding `application.properties`), checked with layer 2.
//!
//! Decisions (documented so reviewers can argue with them):
//! - Checksums and hashes are not credentials: a name with a `checksum`, `hash`, `digest`,
//!   `sha*`, `md5` or `fingerprint` token is never flagged by name (`checksum/secret: 3f5a…`).
//! - UUIDs and hex strings under a credential name *are* flagged: many API tokens look like that.
//!   Under `*_ID` names they are not (ids are not secret).
//! - Publicly documented sample credentials are placeholders: AWS's `…EXAMPLE` keys, the Azurite
//!   emulator account key, the jwt.io sample token, Java's `changeit`, values made of `x`/`*`.
//!
//! Every pattern is linear-time (`regex`, bytes API, `(?-u)` ASCII classes) and compiled once.
//! Nothing here returns or formats a secret: [`redact`] shows at most a 4-character prefix and
//! the length.

use std::sync::OnceLock;

use crate::re::{Re as Regex, ReSet as RegexSet};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// How sure a detection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// A credential-like name with a secret-shaped value.
    Medium,
    /// A value pattern that identifies a credential format.
    High,
}

/// A credential found in a value. Never contains the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// What was found, e.g. `AWS access key id`.
    pub kind: &'static str,
    pub confidence: Confidence,
    /// Found after base64-decoding the value.
    pub via_base64: bool,
    /// A redacted preview: `AKIA…(20 chars)`, or `(12 chars)` for name-based detections.
    pub hint: String,
}

impl Detection {
    /// `AWS access key id AKIA…(20 chars)`, `password-like value (12 chars), base64-encoded`.
    pub fn describe(&self) -> String {
        let mut s = format!("{} {}", self.kind, self.hint);
        if self.via_base64 {
            s.push_str(", base64-encoded");
        }
        s
    }
}

/// A redacted preview of `s`: its first 4 characters and its length, e.g. `AKIA…(20 chars)`.
pub fn redact(s: &str) -> String {
    let n = s.chars().count();
    let prefix: String = s.chars().take(4).collect();
    if n <= 8 {
        format!("({n} chars)")
    } else {
        format!("{prefix}…({n} chars)")
    }
}

/// Kind name used by the name heuristic.
pub const NAME_HEURISTIC: &str = "credential-like value";

// ---------------------------------------------------------------------------------------------
// Value patterns
// ---------------------------------------------------------------------------------------------

/// `(kind, pattern)`; order is priority. Patterns are compiled with the bytes API and `(?-u)`.
const VALUE_PATTERNS: &[(&str, &str)] = &[
    (
        "private key",
        r"-----BEGIN[A-Z ]* PRIVATE KEY(?: BLOCK)?-----",
    ),
    (
        "GCP service account key",
        r#""type"\s*:\s*"service_account""#,
    ),
    ("AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    (
        "AWS secret access key",
        r#"(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}(?:[^A-Za-z0-9/+=]|$)"#,
    ),
    ("GCP API key", r"\bAIza[0-9A-Za-z_-]{35}"),
    ("Google OAuth access token", r"\bya29\.[0-9A-Za-z_-]{20,}"),
    (
        "Azure storage account key",
        r"(?i)\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}",
    ),
    ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    ("GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{50,}"),
    ("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("Slack token", r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
    (
        "Slack webhook URL",
        r"(?i)https://hooks\.slack\.com/services/T[A-Za-z0-9_]{8,}/B[A-Za-z0-9_]{8,}/[A-Za-z0-9_]{20,}",
    ),
    ("Stripe live key", r"\b[sr]k_live_[0-9A-Za-z]{24,}"),
    ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    (
        "SendGrid API key",
        r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
    ),
    (
        "JWT",
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
    ),
    (
        "kubeconfig client key",
        r"client-key-data\s*:\s*[A-Za-z0-9+/=]{20,}",
    ),
    (
        "URL with user:password",
        r"\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/?#@'\x22]*:[^\s/?#@'\x22]+@[^\s/?#@'\x22]",
    ),
    (
        "registry auth (Docker config)",
        r#""auth"\s*:\s*"[A-Za-z0-9+/]{8,}={0,2}""#,
    ),
    ("bearer token", r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{20,}=*"),
];

/// For each of [`VALUE_PATTERNS`], literals (lower case) of which every match contains at least
/// one, in the text lower-cased: a cheap test that skips the pattern when none occurs. The
/// `regex` engine finds such literals itself; `regex-lite` has no prefilter (see `crate::re`).
const VALUE_NEEDLES: &[&[&str]] = &[
    &["-----begin"],
    &["service_account"],
    &["akia", "asia"],
    &["secret"],
    &["aiza"],
    &["ya29."],
    &["accountkey=", "sharedaccesskey="],
    &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    &["github_pat_"],
    &["glpat-"],
    &["xox"],
    &["hooks.slack.com/services/"],
    &["k_live_"],
    &["npm_"],
    &["sg."],
    &["eyj"],
    &["client-key-data"],
    &["://"],
    &["\"auth\""],
    &["bearer"],
];

struct Compiled {
    set: RegexSet,
    each: Vec<Regex>,
    sa_private_key: Regex,
    url_password: Regex,
    pair_line: Regex,
    b64: Regex,
    dns_label: Regex,
    hostname: Regex,
    email: Regex,
    aws_secret: Regex,
    docker_auth: Regex,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let pats: Vec<&str> = VALUE_PATTERNS.iter().map(|(_, p)| *p).collect();
        let re = |p: &str| Regex::new(p).expect("valid built-in pattern");
        Compiled {
            set: RegexSet::new(&pats, VALUE_NEEDLES).expect("valid built-in patterns"),
            each: pats.iter().map(|p| re(p)).collect(),
            sa_private_key: re(r#""private_key"\s*:\s*"-----BEGIN"#),
            url_password: re(
                r"\b([A-Za-z][A-Za-z0-9+.-]{1,20})://([^\s:/?#@'\x22]*):([^\s/?#@'\x22]+)@",
            ),
            pair_line: re(
                r#"^[ \t]*(?:export[ \t]+)?["']?([A-Za-z][A-Za-z0-9_.-]{0,63})["']?[ \t]*[:=][ \t]*["']?([^\s"',;]{1,512})["']?[ \t]*[,;]?[ \t]*\r?$"#,
            ),
            b64: re(r"^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$"),
            dns_label: re(r"^[a-z]+[0-9]{0,3}(?:-(?:[a-z]+[0-9]{0,3}|[0-9]{1,4}))*$"),
            hostname: re(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::[0-9]{1,5})?$"),
            email: re(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"),
            aws_secret: re(r"^[A-Za-z0-9/+]{40}$"),
            docker_auth: re(r#""auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})""#),
        }
    })
}

/// Publicly documented sample credentials, or obvious fillers, inside a matched token.
fn is_sample_token(m: &str) -> bool {
    let l = m.to_ascii_lowercase();
    if l.contains("example") || l.contains("xxxxxxxx") || l.contains("00000000") {
        return true;
    }
    // Azurite (Azure Storage emulator) well-known account key.
    if m.contains("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq") {
        return true;
    }
    // The jwt.io sample token's payload ({"sub":"1234567890","name":"John Doe",...}).
    if m.contains("eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ") {
        return true;
    }
    // One character repeated after a short prefix (`ghp_aaaa…`, `AKIAAAAA…`).
    let tail: Vec<u8> = m
        .bytes()
        .skip(5)
        .filter(u8::is_ascii_alphanumeric)
        .collect();
    tail.len() >= 8 && tail.iter().all(|b| *b == tail[0])
}

fn value_patterns(text: &str) -> Option<(&'static str, String)> {
    let c = compiled();
    for i in c.set.matching(text) {
        let (kind, _) = VALUE_PATTERNS[i];
        let re = &c.each[i];
        match kind {
            "GCP service account key" => {
                if c.sa_private_key.is_match(text) {
                    return Some((kind, "(JSON with private_key)".to_string()));
                }
            }
            "registry auth (Docker config)" => {
                for cap in c.docker_auth.captures(text, &[1]).take(64) {
                    let Some(decoded) = decode_base64_lenient(&cap[0]) else {
                        continue;
                    };
                    let Some((_, pw)) = printable_text(&decoded).and_then(|t| t.split_once(':'))
                    else {
                        continue;
                    };
                    if !is_placeholder(pw) && !is_sample_token(pw) {
                        return Some((kind, format!("(user:password, {} chars)", decoded.len())));
                    }
                }
            }
            "URL with user:password" => {
                for cap in c.url_password.captures(text, &[1, 3]).take(64) {
                    let (scheme, pw) = (&cap[0], &cap[1]);
                    if !is_placeholder(pw) && !is_sample_token(pw) {
                        return Some((
                            kind,
                            format!("{scheme}://…:({} chars)@", pw.chars().count()),
                        ));
                    }
                }
            }
            _ => {
                for s in re.matches(text).take(64) {
                    let s = s.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '=');
                    if !is_sample_token(s) && !value_is_templated(s) {
                        return Some((kind, redact(s)));
                    }
                }
            }
        }
    }
    None
}

/// Values with template or variable syntax (only used to reject a token-shaped match).
fn value_is_templated(s: &str) -> bool {
    s.contains("${") || s.contains("$(") || s.contains("{{")
}

// ---------------------------------------------------------------------------------------------
// Base64
// ---------------------------------------------------------------------------------------------

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const LENIENT_STD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const LENIENT_URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const STRICT_PAD: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
    .with_decode_allow_trailing_bits(true);
const GO_STD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, STRICT_PAD);

/// Decode base64 as the API server does for Secret `data` and ConfigMap `binaryData` (Go's
/// `base64.StdEncoding`: standard alphabet, padding required, `\r`/`\n` ignored).
pub fn decode_base64_k8s(s: &str) -> Option<Vec<u8>> {
    if s.contains(['\r', '\n']) {
        let clean: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        GO_STD.decode(clean).ok()
    } else {
        GO_STD.decode(s).ok()
    }
}

/// Decode standard or URL-safe base64, padded or not (surrounding whitespace ignored).
pub fn decode_base64_lenient(s: &str) -> Option<Vec<u8>> {
    let t: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT_STD
        .decode(&t)
        .ok()
        .or_else(|| LENIENT_URL.decode(&t).ok())
}

/// `bytes` as text when they are valid UTF-8 and at least 90% printable.
pub fn printable_text(bytes: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(bytes).ok()?;
    if s.is_empty() {
        return None;
    }
    let total = s.chars().count();
    let printable = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .count();
    (printable * 10 >= total * 9).then_some(s)
}

/// The decoded text of a base64-looking value (≥ 16 characters of base64 alphabet, decoding to
/// printable UTF-8 of at least 8 characters).
pub fn base64_text(value: &str) -> Option<String> {
    let t = value.trim();
    if t.len() < 16 || t.len() > 4 * 1024 * 1024 {
        return None;
    }
    let single_line: String;
    let t = if t.contains('\n') {
        single_line = t.split_ascii_whitespace().collect();
        single_line.as_str()
    } else {
        t
    };
    // A plain word or identifier is not base64 worth decoding (`secretsquirrels`). (Checked
    // before the pattern, which is slower and leads to the same answer.)
    if t.bytes().all(|b| b.is_ascii_lowercase()) || t.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if !compiled().b64.is_match(t) {
        return None;
    }
    let bytes = decode_base64_lenient(t)?;
    let text = printable_text(&bytes)?;
    (text.chars().count() >= 8).then(|| text.to_string())
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// Split a key name into lowercase tokens on `_ - . / :` and whitespace, and at camelCase
/// boundaries (`clientSecret` → `client`, `secret`; `APIKey` → `api`, `key`).
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut chars = name.chars().take(256).peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let before = prev.replace(c);
        if matches!(c, '_' | '-' | '.' | '/' | ':' | '[' | ']') || c.is_whitespace() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            // `cur` is not empty, so the previous character was part of it.
            let prev = before.unwrap_or(c);
            let next_lower = chars.peek().is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const SECRET_TOKENS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "apikey",
    "apitoken",
    "accesskey",
    "secretkey",
    "privatekey",
    "credential",
    "credentials",
    "creds",
    "authtoken",
    "authkey",
    "bearer",
    "jwt",
    "clientsecret",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "accountkey",
];

/// Tokens that, before `key`, make a credential (`API_KEY`, `ACCESS_KEY`, `AccountKey`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "private",
    "secret",
    "auth",
    "encryption",
    "signing",
    "master",
    "account",
    "storage",
    "client",
    "shared",
    "session",
    "hmac",
    "batch",
    "cli",
];

/// Whole-name substrings that name a credential when the name has no separators (`dbpassword`).
const SECRET_SUBSTRINGS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secretkey",
    "apikey",
    "accesskey",
    "privatekey",
    "clientsecret",
    "authtoken",
    "apitoken",
    "accesstoken",
    "refreshtoken",
];

/// Last tokens of names that describe a credential instead of holding one.
const DESCRIPTIVE_LAST: &[&str] = &[
    "name",
    "names",
    "ref",
    "refs",
    "file",
    "files",
    "path",
    "paths",
    "dir",
    "directory",
    "id",
    "ids",
    "url",
    "uri",
    "urls",
    "endpoint",
    "host",
    "hostname",
    "port",
    "length",
    "len",
    "min",
    "max",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "age",
    "seconds",
    "secs",
    "sec",
    "minutes",
    "mins",
    "hours",
    "days",
    "duration",
    "interval",
    "period",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "policy",
    "type",
    "mode",
    "header",
    "field",
    "env",
    "var",
    "location",
    "mount",
    "version",
    "count",
    "size",
    "format",
    "algorithm",
    "alg",
    "algo",
    "provider",
    "issuer",
    "audience",
    "namespace",
    "store",
    "backend",
    "manager",
    "class",
    "kind",
    "template",
    "prefix",
    "suffix",
    "regex",
    "pattern",
    "rotation",
    "strength",
    "complexity",
    "hint",
    "reset",
    "validation",
    "validator",
    "salt",
    "user",
    "username",
    "login",
    "email",
    "key_id",
    "keyid",
    "scope",
    "scopes",
    "lookup",
    "source",
    "sources",
    "volume",
    "config",
    "configmap",
];

/// Tokens that mark hashes and checksums, which are not credentials.
const HASH_TOKENS: &[&str] = &[
    "checksum",
    "hash",
    "hashed",
    "digest",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "fingerprint",
];

/// Whether a key name (env var, ConfigMap key, flag name) names a credential.
pub fn is_sensitive_name(name: &str) -> bool {
    is_sensitive_tokens(&name_tokens(name))
}

/// [`is_sensitive_name`] of a name already split by [`name_tokens`].
fn is_sensitive_tokens(tokens: &[String]) -> bool {
    let Some(last) = tokens.last() else {
        return false;
    };
    if tokens.iter().any(|t| HASH_TOKENS.contains(&t.as_str())) {
        return false;
    }
    if DESCRIPTIVE_LAST.contains(&last.as_str()) {
        return false;
    }
    // `PASSWORD_KEY`, `TOKEN_KEY`: the name of a key inside a Secret.
    if last == "key" && tokens.len() >= 2 {
        let prev = tokens[tokens.len() - 2].as_str();
        if matches!(
            prev,
            "password" | "passwd" | "pwd" | "token" | "credential" | "credentials" | "name"
        ) {
            return false;
        }
    }
    if tokens.iter().any(|t| SECRET_TOKENS.contains(&t.as_str())) {
        return true;
    }
    if tokens
        .windows(2)
        .any(|w| w[1] == "key" && KEY_QUALIFIERS.contains(&w[0].as_str()))
    {
        return true;
    }
    // `REDIS_AUTH`, `httpAuth`: auth as the last token holds the credential.
    if last == "auth" && tokens.len() >= 2 {
        return true;
    }
    let joined: String = tokens.concat();
    SECRET_SUBSTRINGS.iter().any(|s| joined.contains(s))
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// Placeholders and template references: `changeme`, `${VAR}`, `$(VAR)`, `$VAR`, `<password>`,
/// `{{ .Values.x }}`, `%(x)s`, `xxx`, `***`, `REPLACE_ME`, empty.
pub fn is_placeholder(value: &str) -> bool {
    let t = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.is_empty() {
        return true;
    }
    if t.starts_with('$')
        || t.contains("${")
        || t.contains("$(")
        || t.contains("{{")
        || t.contains("}}")
        || t.contains("%(")
        || (t.starts_with('<') && t.ends_with('>'))
        || (t.starts_with('[') && t.ends_with(']'))
        || (t.starts_with("%{") && t.ends_with('}'))
        || (t.starts_with("#{") && t.ends_with('}'))
    {
        return true;
    }
    let l = t.to_ascii_lowercase();
    let squashed: String = l.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    const WORDS: &[&str] = &[
        "changeme",
        "changeit",
        "replaceme",
        "password",
        "passwd",
        "secret",
        "token",
        "yourpassword",
        "yoursecret",
        "yourtoken",
        "yourapikey",
        "apikey",
        "placeholder",
        "redacted",
        "dummy",
        "notset",
        "unset",
        "none",
        "null",
        "nil",
        "undefined",
        "todo",
        "fixme",
        "tbd",
        "sample",
        "example",
        "default",
        "empty",
        "masked",
        "hidden",
    ];
    if WORDS.contains(&squashed.as_str()) {
        return true;
    }
    if [
        "changeme",
        "replaceme",
        "replace_me",
        "replace-me",
        "placeholder",
        "redacted",
        "example",
        "xxxx",
        "****",
        "your-",
        "your_",
        "insert",
    ]
    .iter()
    .any(|p| l.contains(p))
    {
        return true;
    }
    // Only filler characters (`xxxxxxxx`, `********`, `--------`, `aaaaaaaa`).
    let mut bytes = t.bytes();
    let first = bytes.next().unwrap_or(b'x');
    t.bytes().all(|b| b == first) || t.bytes().all(|b| matches!(b, b'*' | b'.' | b'#' | b'-'))
}

/// Whether a value under a credential-like name looks like a real secret.
pub fn looks_like_secret_value(value: &str) -> bool {
    let t = value.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(t);
    let n = t.chars().count();
    if !(8..=4096).contains(&n) || t.chars().any(char::is_whitespace) {
        return false;
    }
    if is_placeholder(t) {
        return false;
    }
    let l = t.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled"
    ) {
        return false;
    }
    // Numbers, versions, durations, IP addresses, dates.
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b".:_-+,TZ".contains(&b))
    {
        return false;
    }
    // Paths and URLs (credentials in URLs are a value pattern).
    if t.starts_with('/')
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with("~/")
        || l.starts_with("file:")
        || t.contains("://")
        || (t.len() > 2 && t.as_bytes()[1] == b':' && t.as_bytes()[2] == b'\\')
    {
        return false;
    }
    let c = compiled();
    // Hostnames, e-mail addresses, Kubernetes resource names made of words (`db-credentials`).
    if c.hostname.is_match(t) || c.email.is_match(t) || (t.contains('-') && c.dns_label.is_match(t))
    {
        return false;
    }
    // Kubernetes secret references such as `vault:secret/data/app#password` or `ref+vault://`.
    if l.starts_with("vault:") || l.starts_with("ref+") || l.starts_with("arn:aws:") {
        return false;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------------------

/// Value patterns on `value`, then (once) on its base64-decoded text.
pub fn scan_value(value: &str) -> Option<Detection> {
    if let Some((kind, hint)) = value_patterns(value) {
        return Some(Detection {
            kind,
            confidence: Confidence::High,
            via_base64: false,
            hint,
        });
    }
    let decoded = base64_text(value)?;
    let mut d = scan_text_inner(&decoded)?;
    d.via_base64 = true;
    Some(d)
}

/// A key/value pair (env var, ConfigMap entry, `NAME=value` word): value patterns first, then
/// an AWS secret key under an AWS key name, then the name heuristic.
pub fn scan_pair(name: &str, value: &str) -> Option<Detection> {
    if let Some(d) = scan_value(value) {
        return Some(d);
    }
    name_detection(name, value)
}

fn name_detection(name: &str, value: &str) -> Option<Detection> {
    let t = value.trim();
    let tokens = name_tokens(name);
    if tokens.iter().any(|t| t == "aws")
        && tokens.iter().any(|t| t == "secret")
        && compiled().aws_secret.is_match(t)
        && !is_sample_token(t)
    {
        return Some(Detection {
            kind: "AWS secret access key",
            confidence: Confidence::High,
            via_base64: false,
            hint: format!("({} chars)", t.chars().count()),
        });
    }
    if is_sensitive_tokens(&tokens) && looks_like_secret_value(t) {
        return Some(Detection {
            kind: NAME_HEURISTIC,
            confidence: Confidence::Medium,
            via_base64: false,
            hint: format!("({} chars)", t.chars().count()),
        });
    }
    None
}

/// A named entry that may hold a file (a ConfigMap key): the same result as
/// `scan_pair(name, text).or_else(|| scan_text(text))`, with each layer run once (the value
/// patterns and base64 decoding are shared by both).
pub fn scan_entry(name: &str, text: &str) -> Option<Detection> {
    if let Some((kind, hint)) = value_patterns(text) {
        return Some(Detection {
            kind,
            confidence: Confidence::High,
            via_base64: false,
            hint,
        });
    }
    let decoded = base64_text(text);
    if let Some(mut d) = decoded.as_deref().and_then(scan_text_inner) {
        d.via_base64 = true;
        return Some(d);
    }
    name_detection(name, text).or_else(|| pair_lines(text))
}

/// A file-like value (a ConfigMap entry holding a config file): value patterns, then
/// `key: value` / `key=value` lines checked with the name heuristic, then base64.
pub fn scan_text(text: &str) -> Option<Detection> {
    if let Some(d) = scan_text_inner(text) {
        return Some(d);
    }
    let decoded = base64_text(text)?;
    let mut d = scan_text_inner(&decoded)?;
    d.via_base64 = true;
    Some(d)
}

fn scan_text_inner(text: &str) -> Option<Detection> {
    if let Some((kind, hint)) = value_patterns(text) {
        return Some(Detection {
            kind,
            confidence: Confidence::High,
            via_base64: false,
            hint,
        });
    }
    pair_lines(text)
}

/// Longest line [`pair_lines`] looks at (key ≤ 64, value ≤ 512, quotes and some blanks).
const MAX_PAIR_LINE: usize = 1024;

/// `key: value` / `key=value` lines of a text, checked with the name heuristic.
fn pair_lines(text: &str) -> Option<Detection> {
    // Every such line has a `:` or `=`; most values have neither.
    if !text.bytes().any(|b| b == b':' || b == b'=') {
        return None;
    }
    // Line by line, each anchored: a pair line is at most ~600 characters, so longer lines are
    // skipped, and no engine ever scans a long line looking for a line start.
    let re = &compiled().pair_line;
    for line in text.lines().take(4096) {
        if line.len() > MAX_PAIR_LINE || !line.bytes().any(|b| b == b':' || b == b'=') {
            continue;
        }
        let Some(cap) = re.captures(line, &[1, 2]).next() else {
            continue;
        };
        let (k, v) = (&cap[0], &cap[1]);
        if k.is_empty() || v.is_empty() {
            continue;
        }
        if let Some(d) = name_detection(k, v) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(v: &str) -> Option<&'static str> {
        scan_value(v).map(|d| d.kind)
    }

    #[test]
    fn value_patterns_true_positives() {
        let cases: &[(&str, &str)] = &[
            ("AKIAZ3MSJV4WWQNJXK7Q", "AWS access key id"),
            ("ASIAZ3MSJV4WWQNJXK7Q", "AWS access key id"),
            (
                "aws_secret_access_key = Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1",
                "AWS secret access key",
            ),
            ("AIzaSyD4kR2mN8pQ1sT6vX9yB3cF7hJ0lM5nP2q", "GCP API key"),
            (
                r#"{"type": "service_account", "project_id": "p", "private_key_id": "1", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"}"#,
                "private key",
            ),
            (
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=q8Fz3LmN0pR7sT2vW5yB9cD4fG6hJ1kL3mN8pQ0rS2tU4vW6xY8zA1bC3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z==;EndpointSuffix=core.windows.net",
                "Azure storage account key",
            ),
            ("ghp_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc6Vh0Gj8Pa2Ue", "GitHub token"),
            ("gho_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc6Vh0Gj8Pa2Ue", "GitHub token"),
            ("ghs_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc6Vh0Gj8Pa2Ue", "GitHub token"),
            (
                "github_pat_11ABCDEFG0aZ3kL9mN2pQ5_rS8tU1vW4xY7zA0bC3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA6bC9d",
                "GitHub token",
            ),
            ("glpat-Zk3Jd8sQm1Vb7Xw2Rt9L", "GitLab token"),
            ("xoxb-2837465019-4958372615-Zk3Jd8sQm1Vb7Xw2", "Slack token"),
            (
                "https://hooks.slack.com/services/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",
                "Slack webhook URL",
            ),
            ("sk_live_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc", "Stripe live key"),
            ("rk_live_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc", "Stripe live key"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
                "private key",
            ),
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n", "private key"),
            ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "private key"),
            ("-----BEGIN PRIVATE KEY-----", "private key"),
            ("-----BEGIN EC PRIVATE KEY-----", "private key"),
            (
                "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJrdWJlcm5ldGVzIiwic3ViIjoic3lzdGVtIn0.c2lnbmF0dXJl",
                "JWT",
            ),
            ("postgres://app:S3cr3tPa55@db.internal:5432/app", "URL with user:password"),
            ("amqp://guest:hunter2x@rabbitmq:5672/", "URL with user:password"),
            ("redis://:Zk3Jd8sQm1@redis:6379/0", "URL with user:password"),
            ("Authorization: Bearer Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6", "bearer token"),
            ("client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", "kubeconfig client key"),
            (
                r#"{"auths":{"registry.example.io":{"auth":"cm9ib3Q6WmszSmQ4c1FtMVZi"}}}"#,
                "registry auth (Docker config)",
            ),
            ("npm_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc6Vh0Gj8Pa2Ue", "npm token"),
            ("ya29.a0AfH6SMBZk3Jd8sQm1Vb7Xw2Rt9Lp4Nc", "Google OAuth access token"),
        ];
        for (v, want) in cases {
            let d = scan_value(v).unwrap_or_else(|| panic!("missed {want}: {v}"));
            assert_eq!(d.kind, *want, "{v}");
            assert_eq!(d.confidence, Confidence::High);
            assert!(!d.via_base64);
        }
    }

    #[test]
    fn gcp_service_account_json() {
        let v = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n  \"private_key\": \"-----BEGIN PRIV\"\n}";
        assert_eq!(kind(v), Some("GCP service account key"));
        // The `type` alone (no private key) is not a credential.
        assert_eq!(
            kind(r#"{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}"#),
            None
        );
    }

    #[test]
    fn value_patterns_reject_samples_and_placeholders() {
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAXXXXXXXXXXXXXXXX",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "postgres://user:${DB_PASSWORD}@db:5432/app",
            "postgres://user:$(DB_PASSWORD)@db:5432/app",
            "postgres://user:<password>@db:5432/app",
            "postgres://user@db:5432/app",
            "postgres://db:5432/app",
            "https://git@github.com/org/repo.git",
            "mongodb://admin:changeme@mongo:27017",
            "http://user:password@proxy:3128",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----",
            "Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)",
            "Bearer ${TOKEN}",
        ] {
            assert_eq!(kind(v), None, "{v}");
        }
    }

    #[test]
    fn base64_rescan() {
        // base64("aws_access_key_id=AKIAZ3MSJV4WWQNJXK7Q")
        let b = LENIENT_STD.encode("aws_access_key_id=AKIAZ3MSJV4WWQNJXK7Q");
        let d = scan_value(&b).expect("found");
        assert_eq!(d.kind, "AWS access key id");
        assert!(d.via_base64);
        assert!(d.describe().contains("base64"));
        let pem = LENIENT_STD.encode("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n");
        assert_eq!(
            scan_value(&pem).map(|d| (d.kind, d.via_base64)),
            Some(("private key", true))
        );
        // Unpadded and URL-safe variants.
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode("token: ghp_4f8Kd9sLm2Qw7Xz1Rt5Yb3Nc6Vh0Gj8Pa2Ue?");
        assert_eq!(kind(&b), Some("GitHub token"));
        // Base64 of benign text, and of binary data.
        assert_eq!(kind(&LENIENT_STD.encode("hello world, nothing here")), None);
        assert_eq!(
            kind(&LENIENT_STD.encode([0u8, 159, 146, 150, 1, 2, 3, 200, 201, 202, 203, 204])),
            None
        );
        // Too short to bother.
        assert_eq!(base64_text("YWJjZA=="), None);
    }

    #[test]
    fn base64_rescan_finds_embedded_password_lines() {
        let b = LENIENT_STD.encode("[db]\nhost = db.internal\npassword = Zk3Jd8sQm1Vb\n");
        let d = scan_text(&b).expect("found");
        assert_eq!(d.kind, NAME_HEURISTIC);
        assert!(d.via_base64);
    }

    #[test]
    fn tokens() {
        assert_eq!(name_tokens("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(name_tokens("clientSecret"), ["client", "secret"]);
        assert_eq!(name_tokens("APIKey"), ["api", "key"]);
        assert_eq!(
            name_tokens("spring.datasource.password"),
            ["spring", "datasource", "password"]
        );
        assert_eq!(name_tokens("x-api-key"), ["x", "api", "key"]);
        assert_eq!(
            name_tokens("oauth2ClientSecret"),
            ["oauth2", "client", "secret"]
        );
        assert_eq!(name_tokens(""), Vec::<String>::new());
    }

    #[test]
    fn sensitive_names() {
        for n in [
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "POSTGRES_PASS",
            "password",
            "dbpassword",
            "clientSecret",
            "client_secret",
            "API_KEY",
            "apiKey",
            "x-api-key",
            "GITHUB_TOKEN",
            "accessToken",
            "AWS_SECRET_ACCESS_KEY",
            "AZURE_STORAGE_KEY",
            "AZURE_BATCH_KEY",
            "SECRET_KEY",
            "JWT_SECRET",
            "REDIS_AUTH",
            "SMTP_PWD",
            "credentials",
            "private_key",
            "signing.key",
            "SECRET_BLAH",
        ] {
            assert!(is_sensitive_name(n), "{n}");
        }
        for n in [
            "PASSWORD_MIN_LENGTH",
            "SECRET_NAME",
            "TOKEN_TTL",
            "KEYCLOAK_URL",
            "SECRET_FILE",
            "PASSWORD_ENABLED",
            "AWS_ACCESS_KEY_ID",
            "TOKEN_ENDPOINT",
            "SECRET_PATH",
            "PASSWORD_KEY",
            "CACHE_KEY",
            "KEY",
            "PRIMARY_KEY_COLUMN",
            "checksum/secret",
            "SECRET_HASH",
            "DB_USER",
            "PASSWORD_POLICY",
            "AUTH_MODE",
            "OAUTH_ISSUER",
            "TOKEN_AUDIENCE",
            "SECRETS_STORE",
            "LOG_LEVEL",
            "PASSTHROUGH",
            "BYPASS_PROXY",
        ] {
            assert!(!is_sensitive_name(n), "{n}");
        }
    }

    #[test]
    fn name_heuristic_brief_false_positives() {
        for (k, v) in [
            ("PASSWORD_MIN_LENGTH", "12"),
            ("SECRET_NAME", "web-tls"),
            ("TOKEN_TTL", "3600"),
            ("KEYCLOAK_URL", "https://sso.example.com"),
            ("SECRET_FILE", "/etc/secret/x"),
            ("PASSWORD_ENABLED", "true"),
        ] {
            assert_eq!(scan_pair(k, v), None, "{k}={v}");
        }
    }

    #[test]
    fn name_heuristic_value_shapes() {
        for v in [
            "",
            "12345678901",
            "true",
            "disabled",
            "changeme",
            "CHANGE_ME",
            "REPLACE_ME",
            "${DB_PASSWORD}",
            "$(DB_PASSWORD)",
            "$DB_PASSWORD",
            "<your password>",
            "<password>",
            "{{ .Values.db.password }}",
            "xxxxxxxxxx",
            "**********",
            "password",
            "your-password-here",
            "/run/secrets/db-password",
            "./secrets/db.txt",
            "https://vault.example.com:8200",
            "vault.example.com",
            "admin@example.com",
            "postgres-credentials",
            "db-secret-v2",
            "10.0.0.1:5432",
            "2024-01-01T00:00:00Z",
            "vault:secret/data/app#password",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app",
            "a sentence with spaces in it",
            "short",
        ] {
            assert_eq!(scan_pair("DB_PASSWORD", v), None, "{v:?}");
        }
        for v in [
            "S3cr3tPa55",
            "postgres",
            "hunter2hunter2",
            "secretsquirrels",
            "9f86d081884c7d659a2feaa0c55ad015",
            "3f2b8c1e-5a4d-4e7b-9c2a-1d6f8e0b7a35",
            "t0p-Secret",
        ] {
            let d = scan_pair("DB_PASSWORD", v).unwrap_or_else(|| panic!("missed {v}"));
            assert_eq!(d.confidence, Confidence::Medium);
            assert!(!d.hint.contains(v), "hint leaks the value");
        }
    }

    #[test]
    fn benign_config_values() {
        for (k, v) in [
            ("IMAGE", "registry.example.io/team/app:1.2.3"),
            ("DATABASE_URL", "postgres://app@db:5432/app?sslmode=require"),
            ("REDIS_HOST", "redis-master.cache.svc.cluster.local"),
            ("REQUEST_ID", "3f2b8c1e-5a4d-4e7b-9c2a-1d6f8e0b7a35"),
            (
                "checksum/config",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            ),
            ("TOKEN_AUDIENCE", "https://kubernetes.default.svc"),
            ("JAVA_OPTS", "-Xmx512m -Dfile.encoding=UTF-8"),
            (
                "GOOGLE_APPLICATION_CREDENTIALS",
                "/var/secrets/google/key.json",
            ),
            ("NODE_ENV", "production"),
            ("AWS_ACCESS_KEY_ID", "${AWS_ACCESS_KEY_ID}"),
            ("SECRET_KEY_REF", "app-secrets"),
            ("HOSTNAME", "web-0"),
            (
                "nginx.conf",
                "server {\n  listen 80;\n  location / { proxy_pass http://app:8080; }\n}\n",
            ),
            (
                "ca.crt",
                "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n",
            ),
            (
                "KUBE_TOKEN_PATH",
                "/var/run/secrets/kubernetes.io/serviceaccount/token",
            ),
            (
                "PASSWORD_HASH",
                "$2b$12$KIXQJQq5m8ZtW5Q9Xv8r5uP4n6yHqJgN9j1s3uF7e2mH1qZ6b8y0a",
            ),
            ("SECRET_VOLUME", "secret-volume"),
            ("LABEL", "c2VjcmV0c3F1aXJyZWxz"), // base64 of a plain word: nothing inside
        ] {
            assert_eq!(scan_pair(k, v), None, "{k}={v}");
        }
    }

    #[test]
    fn aws_secret_by_name() {
        let d = scan_pair(
            "AWS_SECRET_ACCESS_KEY",
            "Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1",
        )
        .expect("found");
        assert_eq!(
            (d.kind, d.confidence),
            ("AWS secret access key", Confidence::High)
        );
        assert_eq!(
            scan_pair(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            ),
            None
        );
    }

    #[test]
    fn text_lines() {
        let props = "spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.password=Zk3Jd8sQm1\n";
        assert_eq!(scan_text(props).map(|d| d.kind), Some(NAME_HEURISTIC));
        let yaml = "database:\n  host: db\n  password: \"Zk3Jd8sQm1\"\n";
        assert!(scan_text(yaml).is_some());
        let json = "{\n  \"apiKey\": \"Zk3Jd8sQm1Vb7Xw2\",\n  \"debug\": true\n}";
        assert!(scan_text(json).is_some());
        let env = "export DB_PASSWORD=Zk3Jd8sQm1\n";
        assert!(scan_text(env).is_some());
        for benign in [
            "password_min_length=12\nsession_timeout=3600\n",
            "database:\n  password: ${DB_PASSWORD}\n  passwordFile: /run/secrets/db\n",
            "auth:\n  tokenTTL: 3600\n  secretName: web-tls\n",
            "log_level = info\nworkers = 4\n",
        ] {
            assert_eq!(scan_text(benign), None, "{benign}");
        }
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("AKIAZ3MSJV4WWQNJXK7Q"), "AKIA…(20 chars)");
        assert_eq!(redact("short"), "(5 chars)");
        let d = scan_value("postgres://app:S3cr3tPa55@db:5432/app").expect("found");
        assert!(!d.hint.contains("S3cr3t"), "{}", d.hint);
        assert!(!d.describe().contains("S3cr"), "{}", d.describe());
    }

    #[test]
    fn k8s_base64() {
        assert_eq!(decode_base64_k8s("YWJj"), Some(b"abc".to_vec()));
        assert_eq!(decode_base64_k8s("YWJjZA=="), Some(b"abcd".to_vec()));
        assert_eq!(decode_base64_k8s("YWJjZA\n=="), Some(b"abcd".to_vec()));
        assert_eq!(decode_base64_k8s("YWJjZA"), None);
        assert_eq!(decode_base64_k8s("not base64!"), None);
        assert_eq!(decode_base64_k8s(""), Some(vec![]));
    }

    /// The prefilter must never hide a match: every match of pattern `i` contains one of
    /// `VALUE_NEEDLES[i]` (lower-cased), checked on one true positive per pattern.
    #[test]
    fn needles_cover_every_pattern() {
        let samples = [
            "-----BEGIN RSA PRIVATE KEY-----",
            r#"{"type": "service_account", "private_key": "x"}"#,
            "AKIAZ3MSJV4WWQNJXK7Q",
            "AWS_SECRET_ACCESS_KEY=Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1",
            "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
            "ya29.a0AfH6SMBx1y2z3A4b5C6d7E8f9G0h",
            "DefaultEndpointsProtocol=https;AccountKey=Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1==",
            "ghp_Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
            "glpat-Zk3Jd8sQm1Vb7Xw2Rt9L",
            "xoxb-123456789012-abcdefghijkl",
            "https://hooks.slack.com/services/T01234567/B01234567/Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc",
            "sk_live_Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc",
            "npm_Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io",
            "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",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl",
            "client-key-data: Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1",
            "postgres://app:S3cr3tPa55@db.internal:5432/app",
            r#"{"auths":{"r.io":{"auth":"dXNlcjpaazNKZDhzUW0xVmI3WHcy"}}}"#,
            "Authorization: Bearer Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5",
        ];
        assert_eq!(VALUE_PATTERNS.len(), VALUE_NEEDLES.len());
        assert_eq!(VALUE_PATTERNS.len(), samples.len());
        let c = compiled();
        for (i, sample) in samples.iter().enumerate() {
            let matches: Vec<String> = c.each[i].matches(sample).map(|m| m.into_owned()).collect();
            assert!(
                !matches.is_empty(),
                "pattern {i} ({}) misses its sample",
                VALUE_PATTERNS[i].0
            );
            for m in matches {
                let lower = m.to_ascii_lowercase();
                assert!(
                    VALUE_NEEDLES[i].iter().any(|n| lower.contains(n)),
                    "pattern {i} matched {m:?} without any of {:?}",
                    VALUE_NEEDLES[i]
                );
            }
            assert!(
                c.set.matching(sample).contains(&i),
                "set misses pattern {i}"
            );
        }
    }

    #[test]
    fn hostile_inputs_are_fast_and_safe() {
        let long = "a".repeat(200_000);
        assert_eq!(scan_pair("PASSWORD", &long), None);
        let junk = "-----BEGIN ".repeat(20_000);
        assert_eq!(scan_text(&junk), None);
        let urls = "x://a:".repeat(20_000);
        let _ = scan_text(&urls);
        let _ = scan_pair("ÄÖÜ_PASSWORD", "ünïcødé-välue-1");
        let _ = name_tokens(&"Ab".repeat(10_000));
    }

    #[test]
    fn scan_entry_is_scan_pair_then_scan_text() {
        let b64 = |t: &str| LENIENT_STD.encode(t);
        let values = [
            "".to_string(),
            "info".to_string(),
            "12".to_string(),
            "Zk3Jd8sQm1Vb7Xw2".to_string(),
            "AKIAZ3MSJV4WWQNJXK7Q".to_string(),
            "postgres://app:S3cr3tPa55@db.internal:5432/app".to_string(),
            "server.port=8080\ndb.password=Zk3Jd8sQm1Vb7Xw2\n".to_string(),
            "server.port=8080\ncache.size=12\n".to_string(),
            b64("db.password=Zk3Jd8sQm1Vb7Xw2"),
            b64("AKIAZ3MSJV4WWQNJXK7Q and more"),
            b64("just some harmless text"),
            "Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1".to_string(),
            "${DB_PASSWORD}".to_string(),
        ];
        for name in [
            "DB_PASSWORD",
            "key_1",
            "aws_secret_access_key",
            "app.properties",
            "apiKey",
        ] {
            for v in &values {
                assert_eq!(
                    scan_entry(name, v),
                    scan_pair(name, v).or_else(|| scan_text(v)),
                    "{name} = {v:?}"
                );
            }
        }
    }

    #[test]
    fn tokens_split_like_before() {
        for (name, want) in [
            ("clientSecret", &["client", "secret"][..]),
            ("APIKey", &["api", "key"]),
            ("DB_PASSWORD", &["db", "password"]),
            ("aB", &["a", "b"]),
            ("A", &["a"]),
            ("x9Y", &["x9", "y"]),
            ("HTTPServer_key", &["http", "server", "key"]),
            ("-Ab-", &["ab"]),
            ("ÄbC", &["Äb", "c"]),
        ] {
            assert_eq!(name_tokens(name), want, "{name}");
        }
    }
}
