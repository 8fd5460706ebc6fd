//! The third-party corpus (`../shared/corpus`): its cases (`cases.json`), our mapping of each
//! upstream check to rule ids (`tests/corpus/map.yaml`), and the files each case is evaluated on.
//!
//! Shared by the agreement suite (`tests/tests/corpus.rs`) and the peer comparison
//! (`compare-prep cases`, used by `scripts/compare.sh`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{repo_root, shared_dir};

/// One row of `cases.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Case {
    /// Path below the corpus folder.
    pub file: String,
    /// `Kind/name` (or `Kind/namespace/name`) of the object the expectation is about, if any.
    #[serde(default)]
    pub object: Option<String>,
    /// `checkov`, `checkov-graph`, `kyverno-policies`, `kube-linter`, `kubernetes-upstream`, `realworld`.
    pub source: String,
    /// The upstream check name.
    pub check: String,
    /// `violation`, `pass` or `unlabeled`.
    pub expected: String,
}

/// How one upstream check maps to our rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckMap {
    /// Our rule ids that cover the same concern.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Why the check is outside our scope, when it is.
    #[serde(default)]
    pub na: Option<String>,
    /// Only findings whose message contains one of these texts count (for rules that cover
    /// several upstream checks, e.g. one finding per missing flag).
    #[serde(default)]
    pub contains: Vec<String>,
    /// Only findings at or above this severity count (e.g. to leave out `info` context).
    #[serde(default)]
    pub min_severity: Option<secrets_guard_core::Severity>,
    /// Labels we derive for unlabeled upstream cases, by object (`Kind/name`) or file name.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// `tests/corpus/map.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// Source → upstream check → mapping.
    pub checks: BTreeMap<String, BTreeMap<String, CheckMap>>,
    /// Known disagreements: `file[#object]` → reason.
    #[serde(default)]
    pub disagreements: BTreeMap<String, String>,
}

impl Case {
    /// `file#object`, or `file` when the case names no object: the key of `disagreements`.
    pub fn key(&self) -> String {
        match &self.object {
            Some(o) => format!("{}#{o}", self.file),
            None => self.file.clone(),
        }
    }

    /// The key of a check's `labels`: the object, or the file name.
    pub fn label_key(&self) -> String {
        self.object.clone().unwrap_or_else(|| {
            Path::new(&self.file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }
}

/// The corpus folder.
pub fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus")
}

/// Every case of `cases.json`.
pub fn load_cases() -> Vec<Case> {
    let path = corpus_dir().join("cases.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (set SG_SHARED)", path.display()));
    serde_json::from_str(&text).expect("cases.json shape")
}

/// `tests/corpus/map.yaml`, read with the core's own YAML loader.
pub fn load_map() -> Map {
    let text = std::fs::read_to_string(repo_root().join("tests/corpus/map.yaml"))
        .expect("tests/corpus/map.yaml");
    let mut root = None;
    secrets_guard_core::yaml::parse_documents(&text, &Default::default(), |d| {
        if let Ok(d) = d {
            root.get_or_insert(d.root.to_json());
        }
    });
    serde_json::from_value(root.expect("map.yaml has a document")).expect("map.yaml shape")
}

/// The files a case is evaluated on: the file itself; every YAML file of its folder for
/// `checkov-graph` (each numbered folder is one case); the resources a Kyverno test names.
pub fn case_files(case: &Case) -> Vec<PathBuf> {
    let path = corpus_dir().join(&case.file);
    match case.source.as_str() {
        "checkov-graph" => {
            let dir = path.parent().expect("graph case in a folder");
            let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
                .expect("graph case dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                        && !p.ends_with("expected.yaml")
                })
                .collect();
            v.sort();
            v
        }
        "kyverno-policies" => {
            let text = std::fs::read_to_string(&path).expect("kyverno-test.yaml");
            let mut files = vec![];
            secrets_guard_core::yaml::parse_documents(&text, &Default::default(), |d| {
                if let Ok(d) = d {
                    for r in d
                        .root
                        .get("resources")
                        .map(|n| n.items())
                        .unwrap_or_default()
                    {
                        if let Some(s) = r.as_str() {
                            files.push(path.parent().expect("dir").join(s));
                        }
                    }
                }
            });
            files
        }
        _ => vec![path],
    }
}
