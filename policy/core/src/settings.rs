//! Evaluation settings (shared by the CLI config file, the Kubewarden policy and the playground)
//! and the `secrets-guard.io/ignore` suppression annotation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Area, Severity};
use crate::registry;
use crate::rule::RuleMeta;
use crate::yaml::{self, Limits};

/// The annotation that suppresses findings on one object: `RULE-ID=reason[, RULE-ID=reason...]`.
pub const IGNORE_ANNOTATION: &str = "secrets-guard.io/ignore";

/// What to evaluate and how to grade it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct Settings {
    /// Rule ids or areas to run. Empty means every rule.
    pub enable: Vec<String>,
    /// Rule ids or areas not to run (applied after `enable`).
    pub disable: Vec<String>,
    /// Severity overrides by rule id.
    pub severity_overrides: BTreeMap<String, Severity>,
    /// Objects in these namespaces are not evaluated.
    pub exempt_namespaces: Vec<String>,
    /// Findings below this severity are dropped from the report.
    pub min_severity: Severity,
    /// Whether `secrets-guard.io/ignore` annotations suppress findings.
    pub honor_suppression_annotations: bool,
    /// Bounds for hostile input.
    pub limits: Limits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enable: vec![],
            disable: vec![],
            severity_overrides: BTreeMap::new(),
            exempt_namespaces: vec![],
            min_severity: Severity::Info,
            honor_suppression_annotations: true,
            limits: Limits::default(),
        }
    }
}

fn selector_matches(sel: &str, meta: &RuleMeta) -> bool {
    sel.eq_ignore_ascii_case(meta.id)
        || sel == meta.area.as_str()
        || sel.strip_suffix('*').is_some_and(|prefix| {
            meta.id
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        })
}

fn selector_known(sel: &str) -> bool {
    sel.parse::<Area>().is_ok()
        || registry::rules()
            .iter()
            .any(|r| selector_matches(sel, r.meta()))
}

impl Settings {
    /// Read settings from YAML or JSON text (the `.secrets-guard.yaml` file).
    pub fn from_yaml(text: &str) -> Result<Settings, String> {
        let mut result = None;
        let mut error = None;
        yaml::parse_documents(text, &Limits::default(), |d| match d {
            Ok(doc) if result.is_none() => result = Some(doc.root.to_json()),
            Ok(_) => {}
            Err(e) if error.is_none() => {
                error = Some(format!("{}:{}: {}", e.line, e.column, e.message))
            }
            Err(_) => {}
        });
        if let Some(e) = error {
            return Err(e);
        }
        let value = result.unwrap_or(serde_json::Value::Object(Default::default()));
        let settings: Settings = serde_json::from_value(value).map_err(|e| e.to_string())?;
        settings.validate()?;
        Ok(settings)
    }

    /// Reject unknown rule ids and areas, and contradictions.
    pub fn validate(&self) -> Result<(), String> {
        let mut problems = vec![];
        for sel in self.enable.iter().chain(&self.disable) {
            if !selector_known(sel) {
                problems.push(format!("unknown rule id or area `{sel}`"));
            }
        }
        for id in self.severity_overrides.keys() {
            if registry::find(id).is_none() {
                problems.push(format!("severity_overrides: unknown rule id `{id}`"));
            }
        }
        for sel in &self.enable {
            if self.disable.iter().any(|d| d.eq_ignore_ascii_case(sel)) {
                problems.push(format!("`{sel}` is both enabled and disabled"));
            }
        }
        if let Err(e) = self.limits.validate() {
            problems.push(e);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    pub fn rule_enabled(&self, meta: &RuleMeta) -> bool {
        let on = self.enable.is_empty() || self.enable.iter().any(|s| selector_matches(s, meta));
        on && !self.disable.iter().any(|s| selector_matches(s, meta))
    }

    pub fn severity_for(&self, id: &str, default: Severity) -> Severity {
        self.severity_overrides.get(id).copied().unwrap_or(default)
    }

    pub fn namespace_exempt(&self, ns: &str) -> bool {
        self.exempt_namespaces.iter().any(|e| e == ns)
    }
}

/// One entry of a suppression annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rule: String,
    pub reason: String,
}

/// Parse `RBAC-001=reason, WL-006=other reason`. Entries without a reason are errors: a
/// suppression must say why.
pub fn parse_suppressions(value: &str) -> (Vec<Suppression>, Vec<String>) {
    let mut out = vec![];
    let mut errors = vec![];
    // Split on commas that start a new `ID=` entry, so reasons may contain commas.
    let mut starts = vec![0usize];
    let bytes = value.as_bytes();
    for (i, _) in value.match_indices(',') {
        let rest = value[i + 1..].trim_start();
        if looks_like_entry(rest) {
            starts.push(i + 1);
        }
    }
    starts.push(bytes.len() + 1);
    for w in starts.windows(2) {
        let end = (w[1] - 1).min(value.len());
        let part = value[w[0]..end].trim().trim_end_matches(',').trim();
        if part.is_empty() {
            continue;
        }
        match part.split_once('=') {
            Some((id, reason)) if !reason.trim().is_empty() => {
                let id = id.trim().to_ascii_uppercase();
                if registry::find(&id).is_none() {
                    errors.push(format!("{IGNORE_ANNOTATION}: unknown rule id `{id}`"));
                } else {
                    out.push(Suppression {
                        rule: id,
                        reason: reason.trim().to_string(),
                    });
                }
            }
            _ => errors.push(format!(
                "{IGNORE_ANNOTATION}: `{part}` has no reason (write `RULE-ID=why it is acceptable`); not suppressed"
            )),
        }
    }
    (out, errors)
}

fn looks_like_entry(s: &str) -> bool {
    let id: String = s.chars().take_while(|c| *c != '=' && *c != ',').collect();
    let id = id.trim();
    let Some((area, num)) = id.split_once('-') else {
        return false;
    };
    !area.is_empty()
        && area.chars().all(|c| c.is_ascii_alphabetic())
        && num.len() == 3
        && num.chars().all(|c| c.is_ascii_digit())
}
