//! Share links: the playground's whole state (the editor's text, the settings, the selected tab)
//! in the URL fragment, so a link carries everything and never needs a server. Pure logic (no
//! browser API), tested natively.
//!
//! Format, version 1 (`#` followed by):
//!
//! ```text
//! share=1&engine=<core version>&data=<base64url, no padding, of raw DEFLATE of the JSON payload>
//! ```
//!
//! The payload is `{"text": …, "tab": "findings", "settings": {…}}`; `settings` is left out when
//! it equals the defaults (shorter links). `share` is the format version: a link of another
//! format is refused with a clear message rather than misread. `engine` is the core's version
//! ([`secrets_guard_core::VERSION`]) that produced the findings the sender saw: a link from
//! another engine still opens, with a note that findings may differ.
//!
//! Decoding treats the fragment as hostile: every field is bounded ([`MAX_FRAGMENT_CHARS`],
//! [`MAX_DECODED_BYTES`], a short engine string), every failure is a [`ShareError`] with a
//! message for the user, and nothing panics.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use secrets_guard_core::admission::PolicySettings;
use serde::{Deserialize, Serialize};

use crate::state::Tab;

/// The share format written by this playground.
pub const FORMAT_VERSION: u32 = 1;
/// Links longer than this are not made (and fragments longer than this are not read): many
/// browsers, chat tools and proxies cut or refuse URLs well before this size.
pub const MAX_FRAGMENT_CHARS: usize = 64 * 1024;
/// Links longer than this are made with a warning: some chat tools and e-mail clients cut URLs
/// of more than a few thousand characters.
pub const WARN_FRAGMENT_CHARS: usize = 8 * 1024;
/// The most a fragment may decompress to (a "zip bomb" stops here).
pub const MAX_DECODED_BYTES: usize = 4 * 1024 * 1024;
/// Longest engine version string accepted from a link.
const MAX_ENGINE_CHARS: usize = 32;

/// What a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedState {
    pub text: String,
    pub settings: PolicySettings,
    pub tab: Tab,
}

/// A decoded link: the state, and the engine version that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub state: SharedState,
    pub engine: String,
}

impl Decoded {
    /// A note for the user when the link was made by another engine version.
    pub fn engine_note(&self) -> Option<String> {
        (self.engine != secrets_guard_core::VERSION).then(|| {
            format!(
                "This link was made with secrets-guard {}; this playground runs {}. Findings may differ from what the sender saw.",
                self.engine,
                secrets_guard_core::VERSION
            )
        })
    }
}

#[derive(Serialize)]
struct PayloadOut<'a> {
    text: &'a str,
    tab: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    settings: Option<&'a PolicySettings>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PayloadIn {
    text: String,
    #[serde(default)]
    tab: Option<String>,
    /// Read by [`PolicySettings::from_json`], as the policy reads its settings.
    #[serde(default)]
    settings: Option<Box<serde_json::value::RawValue>>,
}

/// Why a link could not be read (or made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is not a share link at all (the page ignores it).
    NotAShareLink,
    /// A share format this playground does not read.
    UnsupportedFormat(String),
    /// A required part (`engine`, `data`) is missing or malformed.
    Malformed(String),
    /// The fragment, or what it decompresses to, is over a limit.
    TooLarge(String),
    /// The data is not valid base64url or DEFLATE (a truncated or edited link).
    Corrupt(String),
    /// The payload is not what this format holds.
    BadPayload(String),
    /// The settings in the link are not valid policy settings.
    BadSettings(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotAShareLink => f.write_str("this address does not hold a share link"),
            ShareError::UnsupportedFormat(v) => write!(
                f,
                "this link uses share format {v}, which this playground (format {FORMAT_VERSION}) cannot read: it was probably made by a newer version"
            ),
            ShareError::Malformed(why) => write!(f, "the link is malformed: {why}"),
            ShareError::TooLarge(why) => write!(f, "the link is too large: {why}"),
            ShareError::Corrupt(why) => write!(
                f,
                "the link's data is damaged ({why}); it may have been cut off when it was copied"
            ),
            ShareError::BadPayload(why) => write!(f, "the link's content is not valid: {why}"),
            ShareError::BadSettings(why) => {
                write!(f, "the link's settings are not valid: {why}")
            }
        }
    }
}

impl std::error::Error for ShareError {}

/// Whether a link of this many characters should be made, with a warning, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeCheck {
    Fine,
    /// Made, but long enough that some tools may cut it.
    Long,
    /// Not made: over [`MAX_FRAGMENT_CHARS`].
    TooLong,
}

impl SizeCheck {
    pub fn of(fragment_chars: usize) -> SizeCheck {
        if fragment_chars > MAX_FRAGMENT_CHARS {
            SizeCheck::TooLong
        } else if fragment_chars > WARN_FRAGMENT_CHARS {
            SizeCheck::Long
        } else {
            SizeCheck::Fine
        }
    }
}

/// The fragment (without `#`) for `state`.
pub fn encode(state: &SharedState) -> String {
    let defaults = PolicySettings::default();
    let payload = PayloadOut {
        text: &state.text,
        tab: state.tab.name(),
        settings: (state.settings != defaults).then_some(&state.settings),
    };
    // Serialising plain strings and the settings struct cannot fail.
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!(
        "share={FORMAT_VERSION}&engine={}&data={}",
        secrets_guard_core::VERSION,
        URL_SAFE_NO_PAD.encode(deflated)
    )
}

/// Whether `fragment` (with or without its `#`) is meant as a share link (it may still be
/// invalid).
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment
        .strip_prefix('#')
        .unwrap_or(fragment)
        .starts_with("share=")
}

/// Read a fragment (with or without its `#`).
pub fn decode(fragment: &str) -> Result<Decoded, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if !is_share_fragment(fragment) {
        return Err(ShareError::NotAShareLink);
    }
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLarge(format!(
            "{} characters, over the {} KiB limit",
            fragment.len(),
            MAX_FRAGMENT_CHARS / 1024
        )));
    }
    let (mut version, mut engine, mut data) = (None, None, None);
    for part in fragment.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let slot = match key {
            "share" => &mut version,
            "engine" => &mut engine,
            "data" => &mut data,
            // Unknown parameters (added by a chat tool, say) are ignored.
            _ => continue,
        };
        if slot.is_some() {
            return Err(ShareError::Malformed(format!("`{key}` appears twice")));
        }
        *slot = Some(value);
    }
    let version = version.unwrap_or_default();
    if version != FORMAT_VERSION.to_string() {
        let shown: String = version.chars().take(16).collect();
        return Err(ShareError::UnsupportedFormat(if shown.is_empty() {
            "(none)".into()
        } else {
            shown
        }));
    }
    let engine = engine.ok_or_else(|| ShareError::Malformed("no engine version".into()))?;
    let engine_ok = !engine.is_empty()
        && engine.len() <= MAX_ENGINE_CHARS
        && engine
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'));
    if !engine_ok {
        return Err(ShareError::Malformed(
            "the engine version is not valid".into(),
        ));
    }
    let data = data.ok_or_else(|| ShareError::Malformed("no data".into()))?;
    // Tolerate padding, which some tools add.
    let bytes = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|e| ShareError::Corrupt(format!("base64: {e}")))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_DECODED_BYTES)
        .map_err(|e| {
            if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
                ShareError::TooLarge(format!(
                    "it expands to more than {} MiB",
                    MAX_DECODED_BYTES / (1024 * 1024)
                ))
            } else {
                ShareError::Corrupt(format!("deflate: {:?}", e.status))
            }
        })?;
    let payload: PayloadIn =
        serde_json::from_slice(&json).map_err(|e| ShareError::BadPayload(e.to_string()))?;
    let tab = match payload.tab.as_deref() {
        None => Tab::default(),
        Some(name) => Tab::from_name(name).ok_or_else(|| {
            ShareError::BadPayload(format!(
                "unknown tab `{}`",
                name.chars().take(32).collect::<String>()
            ))
        })?,
    };
    let settings = match payload.settings {
        None => PolicySettings::default(),
        Some(raw) => {
            PolicySettings::from_json(raw.get().as_bytes()).map_err(ShareError::BadSettings)?
        }
    };
    Ok(Decoded {
        state: SharedState {
            text: payload.text,
            settings,
            tab,
        },
        engine: engine.to_string(),
    })
}

/// A share URL: `base` (the page's address without its fragment) and the fragment.
pub fn share_url(base: &str, fragment: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{fragment}")
}

#[cfg(test)]
mod tests {
    use secrets_guard_core::Severity;

    use super::*;
    use crate::examples;

    fn seed_state() -> SharedState {
        SharedState {
            text: examples::seed_document(),
            settings: PolicySettings::default(),
            tab: Tab::Findings,
        }
    }

    fn data_of(fragment: &str) -> &str {
        fragment.split("&data=").nth(1).unwrap()
    }

    fn with_data(json: &[u8]) -> String {
        let d = miniz_oxide::deflate::compress_to_vec(json, 6);
        format!(
            "share=1&engine={}&data={}",
            secrets_guard_core::VERSION,
            URL_SAFE_NO_PAD.encode(d)
        )
    }

    #[test]
    fn round_trip() {
        let state = seed_state();
        let fragment = encode(&state);
        assert!(fragment.starts_with(&format!(
            "share=1&engine={}&data=",
            secrets_guard_core::VERSION
        )));
        // URL-safe: nothing a fragment would need to escape.
        assert!(data_of(&fragment)
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let decoded = decode(&format!("#{fragment}")).unwrap();
        assert_eq!(decoded.state, state);
        assert_eq!(decoded.engine, secrets_guard_core::VERSION);
        assert_eq!(decoded.engine_note(), None);
        // Compressed: the seed's ~1 KB of YAML makes a link well under the warning size.
        assert!(fragment.len() < state.text.len(), "{}", fragment.len());
        assert_eq!(SizeCheck::of(fragment.len()), SizeCheck::Fine);

        let custom = SharedState {
            text: "kind: Role\n\u{1F512} ünïcode\r\n".into(),
            settings: PolicySettings {
                reject_at: Severity::Critical,
                warn_at: Severity::Low,
                disable: vec!["RBAC-002".into(), "workload".into()],
                exempt_namespaces: vec!["kube-system".into()],
                only_new_findings: true,
                ..PolicySettings::default()
            },
            tab: Tab::Admission,
        };
        assert_eq!(decode(&encode(&custom)).unwrap().state, custom);
        // Default settings are left out of the payload.
        let short = encode(&SharedState {
            settings: PolicySettings::default(),
            ..custom.clone()
        });
        assert!(short.len() < encode(&custom).len());
    }

    #[test]
    fn versions() {
        let fragment = encode(&seed_state());
        let newer = fragment.replacen("share=1", "share=2", 1);
        let err = decode(&newer).unwrap_err();
        assert_eq!(err, ShareError::UnsupportedFormat("2".into()));
        assert!(err.to_string().contains("share format 2"), "{err}");
        let other_engine = fragment.replacen(
            &format!("engine={}", secrets_guard_core::VERSION),
            "engine=0.0.9-beta.1",
            1,
        );
        let decoded = decode(&other_engine).unwrap();
        assert_eq!(decoded.engine, "0.0.9-beta.1");
        let note = decoded.engine_note().unwrap();
        assert!(note.contains("0.0.9-beta.1") && note.contains(secrets_guard_core::VERSION));
        assert_eq!(decoded.state, seed_state());
    }

    #[test]
    fn hostile_fragments_are_clean_errors() {
        let good = encode(&seed_state());
        let engine = format!("engine={}", secrets_guard_core::VERSION);
        let cases: Vec<(String, &str)> = vec![
            ("".into(), "does not hold"),
            ("#top".into(), "does not hold"),
            ("share=".into(), "format (none)"),
            ("share=1".into(), "no engine"),
            (format!("share=1&{engine}"), "no data"),
            ("share=1&engine=<script>&data=AA".into(), "engine version"),
            (
                format!("share=1&engine={}&data=AA", "9".repeat(40)),
                "engine version",
            ),
            (format!("share=1&{engine}&data=!!!"), "base64"),
            (format!("share=1&{engine}&data=AAAA"), "damaged"),
            (format!("share=1&share=1&{engine}&data=AA"), "twice"),
            // Truncated in transit.
            (good[..good.len() - 20].to_string(), "damaged"),
            (format!("{}&data=x", "share=1&".repeat(10_000)), "too large"),
            (with_data(b"not json"), "not valid"),
            (with_data(b"[1,2]"), "not valid"),
            (with_data(br#"{"text": 3}"#), "not valid"),
            (with_data(br#"{"text": "a", "extra": 1}"#), "not valid"),
            (with_data(br#"{"text": "a", "tab": "nope"}"#), "unknown tab"),
            (
                with_data(br#"{"text": "a", "settings": {"reject_at": "severe"}}"#),
                "settings",
            ),
            (
                with_data(br#"{"text": "a", "settings": {"disable": ["RBAC-999"]}}"#),
                "RBAC-999",
            ),
            (
                with_data(
                    br#"{"text": "a", "settings": {"warn_at": "critical", "reject_at": "low"}}"#,
                ),
                "warn_at",
            ),
        ];
        for (fragment, expected) in cases {
            let err = decode(&fragment).expect_err(&fragment[..fragment.len().min(80)]);
            let msg = err.to_string();
            assert!(
                msg.contains(expected),
                "{}: `{msg}` lacks `{expected}`",
                &fragment[..fragment.len().min(80)]
            );
        }
        // Random bytes never panic.
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        for n in 0..300 {
            let len = n % 97;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let _ = decode(&format!(
                "share=1&{engine}&data={}",
                URL_SAFE_NO_PAD.encode(&bytes)
            ));
        }
    }

    #[test]
    fn decompression_is_bounded() {
        // 16 MiB of one byte deflates to about 16 KB: refused once it passes the limit.
        let bomb = vec![b' '; 16 * 1024 * 1024];
        let fragment = with_data(&bomb);
        assert!(fragment.len() < MAX_FRAGMENT_CHARS, "{}", fragment.len());
        let err = decode(&fragment).unwrap_err();
        assert!(matches!(err, ShareError::TooLarge(_)), "{err}");
        assert!(err.to_string().contains("4 MiB"), "{err}");
    }

    #[test]
    fn size_checks_and_urls() {
        assert_eq!(SizeCheck::of(100), SizeCheck::Fine);
        assert_eq!(SizeCheck::of(WARN_FRAGMENT_CHARS + 1), SizeCheck::Long);
        assert_eq!(SizeCheck::of(MAX_FRAGMENT_CHARS + 1), SizeCheck::TooLong);
        assert_eq!(
            share_url("http://127.0.0.1:8080/#old", "share=1&x"),
            "http://127.0.0.1:8080/#share=1&x"
        );
        assert_eq!(share_url("http://h/p", "s"), "http://h/p#s");
    }
}
