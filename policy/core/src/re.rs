//! The regular-expression engine behind the credential detector, chosen at build time.
//!
//! - feature `fast-regex` (the CLI, native tests): the `regex` crate on bytes with Unicode off
//!   (`(?-u)`): a lazy DFA and literal prefilters, fastest on large inputs;
//! - without it (the Kubewarden policy and the playground): `regex-lite`, made for binary size
//!   and compile time: it keeps the Wasm small (no DFA, no Unicode tables) and a fresh policy
//!   instance compiles the patterns faster.
//!
//! Both guarantee linear-time matching and accept the detector's patterns unchanged (ASCII
//! classes only); `(?-u)` is added for `regex` alone, which `regex-lite` does not know. The core
//! tests run against both (`cargo test -p secrets-guard-core` and `--no-default-features
//! --features rule-docs`).

use std::borrow::Cow;

/// A compiled pattern.
pub struct Re(Inner);

/// Several patterns matched at once: which of them match a text.
pub struct ReSet(SetInner);

#[cfg(feature = "fast-regex")]
type Inner = regex::bytes::Regex;
#[cfg(feature = "fast-regex")]
type SetInner = regex::bytes::RegexSet;
#[cfg(not(feature = "fast-regex"))]
type Inner = regex_lite::Regex;
#[cfg(not(feature = "fast-regex"))]
type SetInner = Vec<(regex_lite::Regex, &'static [&'static str])>;

#[cfg(feature = "fast-regex")]
fn source(p: &str) -> String {
    format!("(?-u){p}")
}
#[cfg(not(feature = "fast-regex"))]
fn source(p: &str) -> String {
    p.to_string()
}

#[cfg(feature = "fast-regex")]
fn haystack(t: &str) -> &[u8] {
    t.as_bytes()
}
#[cfg(not(feature = "fast-regex"))]
fn haystack(t: &str) -> &str {
    t
}

impl Re {
    /// Compile a built-in pattern (`None` only if the pattern is invalid, which the unit tests
    /// rule out for every built-in one).
    pub fn new(pattern: &str) -> Option<Re> {
        Inner::new(&source(pattern)).ok().map(Re)
    }

    pub fn is_match(&self, t: &str) -> bool {
        self.0.is_match(haystack(t))
    }

    /// The text of each match, left to right.
    pub fn matches<'t>(&'t self, t: &'t str) -> impl Iterator<Item = Cow<'t, str>> + 't {
        self.0.find_iter(haystack(t)).map(match_text)
    }

    /// For each match, the text of the capture groups `groups` (empty when a group did not
    /// take part).
    pub fn captures<'t>(
        &'t self,
        t: &'t str,
        groups: &'t [usize],
    ) -> impl Iterator<Item = Vec<Cow<'t, str>>> + 't {
        self.0.captures_iter(haystack(t)).map(move |c| {
            groups
                .iter()
                .map(|g| c.get(*g).map(match_text).unwrap_or_default())
                .collect()
        })
    }
}

impl ReSet {
    /// `needles[i]`: lower-case literals of which every match of `patterns[i]` contains one,
    /// in the lower-cased text (`regex-lite` skips the pattern when none occurs; `regex` finds
    /// its own literals).
    pub fn new(patterns: &[&str], needles: &'static [&'static [&'static str]]) -> Option<ReSet> {
        if patterns.len() != needles.len() {
            return None;
        }
        #[cfg(feature = "fast-regex")]
        {
            SetInner::new(patterns.iter().map(|p| source(p)))
                .ok()
                .map(ReSet)
        }
        #[cfg(not(feature = "fast-regex"))]
        {
            patterns
                .iter()
                .zip(needles)
                .map(|(p, n)| Inner::new(p).ok().map(|r| (r, *n)))
                .collect::<Option<Vec<_>>>()
                .map(ReSet)
        }
    }

    /// Indexes of the patterns that match `t`, ascending.
    pub fn matching(&self, t: &str) -> Vec<usize> {
        #[cfg(feature = "fast-regex")]
        {
            self.0.matches(haystack(t)).iter().collect()
        }
        #[cfg(not(feature = "fast-regex"))]
        {
            let lower = if t.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(t.to_ascii_lowercase())
            } else {
                Cow::Borrowed(t)
            };
            (0..self.0.len())
                .filter(|i| {
                    let (re, needles) = &self.0[*i];
                    needles.iter().any(|n| lower.contains(n)) && re.is_match(t)
                })
                .collect()
        }
    }
}

#[cfg(feature = "fast-regex")]
fn match_text(m: regex::bytes::Match<'_>) -> Cow<'_, str> {
    String::from_utf8_lossy(m.as_bytes())
}
#[cfg(not(feature = "fast-regex"))]
fn match_text(m: regex_lite::Match<'_>) -> Cow<'_, str> {
    Cow::Borrowed(m.as_str())
}
