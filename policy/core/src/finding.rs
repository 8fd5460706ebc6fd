//! Findings, severities, areas and the report: the one result set that every output
//! (console, JSON, SARIF, playground, admission response) is rendered from.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::fix::Fix;
use crate::yaml::ParseError;

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// GitHub code scanning's numeric `security-severity` (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "1.0",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected one of critical, high, medium, low, info)"
            )),
        }
    }
}

/// The part of Secrets security a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    EncryptionAtRest,
    Apiserver,
    AccessControl,
    Audit,
    Workload,
    SecretData,
}

impl Area {
    pub const ALL: [Area; 6] = [
        Area::EncryptionAtRest,
        Area::Apiserver,
        Area::AccessControl,
        Area::Audit,
        Area::Workload,
        Area::SecretData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::EncryptionAtRest => "encryption-at-rest",
            Area::Apiserver => "apiserver",
            Area::AccessControl => "access-control",
            Area::Audit => "audit",
            Area::Workload => "workload",
            Area::SecretData => "secret-data",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Area {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Area::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown area `{s}`"))
    }
}

/// Which Kubernetes object a finding is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        match (&self.namespace, &self.name) {
            (Some(ns), Some(n)) => write!(f, " {ns}/{n}"),
            (None, Some(n)) => write!(f, " {n}"),
            _ => Ok(()),
        }
    }
}

/// Where in the input a finding points.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub document: usize,
    /// Index in a `kind: List`'s `items`, when the object came from one.
    pub item: Option<usize>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// JSON pointer from the document root.
    pub path: String,
}

/// One problem found by one rule. The field names are a contract (CLI JSON, playground, policy).
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub path: String,
    pub document: usize,
    pub object: ObjectRef,
    pub remediation: Cow<'static, str>,
    pub suppressed: bool,
    /// The reason given in the `secrets-guard.io/ignore` annotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression_reason: Option<String>,
    /// A suggested fix, when the rule knows a mechanical one (see [`crate::fix`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(skip)]
    pub item: Option<usize>,
}

impl Finding {
    pub fn with_severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    /// Attach a suggested fix (`None` leaves the finding without one).
    pub fn with_fix(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    pub fn with_remediation(&mut self, text: impl Into<Cow<'static, str>>) -> &mut Self {
        self.remediation = text.into();
        self
    }

    /// A stable fingerprint (rule, file, object, path): same finding, same value across runs.
    pub fn fingerprint(&self) -> String {
        // FNV-1a 64: tiny, deterministic, no dependency.
        let mut h: u64 = 0xcbf29ce484222325;
        for part in [
            self.rule,
            &self.file,
            &self.object.kind,
            self.object.namespace.as_deref().unwrap_or(""),
            self.object.name.as_deref().unwrap_or(""),
            &self.path,
        ] {
            for b in part.bytes().chain(std::iter::once(0u8)) {
                h ^= b as u64;
                h = h.wrapping_mul(0x100000001b3);
            }
        }
        format!("{h:016x}")
    }
}

/// An input that could not be (fully) read: file, 1-based line and column, reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl InputError {
    pub fn from_parse(file: &str, e: ParseError) -> Self {
        InputError {
            file: file.to_string(),
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    /// Unsuppressed findings.
    pub findings: usize,
    pub suppressed: usize,
    pub errors: usize,
    /// Unsuppressed findings by severity (every severity present, zero included).
    pub by_severity: BTreeMap<Severity, usize>,
    /// The highest severity among unsuppressed findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_severity: Option<Severity>,
}

/// Everything one evaluation produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    pub summary: Summary,
}

impl Report {
    /// Unsuppressed findings.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.suppressed)
    }

    /// Whether some unsuppressed finding is at or above `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.active().any(|f| f.severity >= threshold)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}
