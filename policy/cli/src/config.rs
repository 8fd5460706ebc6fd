//! `.secrets-guard.yaml`: discovery and parsing.
//!
//! The file holds the core's [`Settings`] (shared with the admission policy and the playground)
//! plus keys that only the CLI reads (`fail_on`), which are taken out before the rest is parsed
//! with [`Settings::from_yaml`].

use std::path::{Path, PathBuf};

use secrets_guard_core::yaml::{self, Limits};
use secrets_guard_core::{Settings, Severity};

/// The config file names looked for, in order, in each directory.
pub const FILE_NAMES: &[&str] = &[".secrets-guard.yaml", ".secrets-guard.yml"];

/// Keys of the config file that only the CLI reads.
#[derive(Debug, Default, Clone, Copy)]
pub struct CliKeys {
    /// `fail_on: high` (or `none`).
    pub fail_on: Option<FailOn>,
}

/// The `--fail-on` threshold: a severity, or `none` (never fail on findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl std::str::FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "none" | "never" => Ok(FailOn::Never),
            other => other
                .parse::<Severity>()
                .map(FailOn::Severity)
                .map_err(|_| format!("unknown severity `{s}` (expected one of critical, high, medium, low, info, none)")),
        }
    }
}

/// The config file that applies in `start`: the first `.secrets-guard.yaml` found in `start` or
/// its parents, stopping after the git root (a directory that has `.git`) or the filesystem root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Parse a config file's text into the core settings and the CLI-only keys.
pub fn parse(text: &str) -> Result<(Settings, CliKeys), String> {
    let mut first = None;
    let mut syntax = None;
    yaml::parse_documents(text, &Limits::default(), |d| match d {
        Ok(doc) if first.is_none() => first = Some(doc.root.to_json()),
        Ok(_) => {}
        Err(e) if syntax.is_none() => {
            syntax = Some(format!("{}:{}: {}", e.line, e.column, e.message))
        }
        Err(_) => {}
    });
    if let Some(e) = syntax {
        return Err(e);
    }
    let mut keys = CliKeys::default();
    match first {
        Some(serde_json::Value::Object(mut map)) if map.contains_key("fail_on") => {
            if let Some(v) = map.remove("fail_on") {
                let s = v
                    .as_str()
                    .ok_or_else(|| format!("fail_on: expected a severity, found {v}"))?;
                keys.fail_on = Some(s.parse().map_err(|e| format!("fail_on: {e}"))?);
            }
            let rest = serde_json::Value::Object(map).to_string();
            Ok((Settings::from_yaml(&rest)?, keys))
        }
        _ => Ok((Settings::from_yaml(text)?, keys)),
    }
}
