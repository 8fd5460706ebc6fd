//! Third-party corpus (`../shared/corpus`): other tools' own test fixtures with their expected
//! outcomes. Each upstream check is mapped to our rule ids (or marked not applicable, with a
//! reason) in `tests/corpus/map.yaml`; this suite measures agreement per source and fails when
//! it drops below the figures recorded in `tests/corpus/baseline.json`.
//!
//! Also runs over the 248 unlabeled real-world manifests and compares the per-rule finding counts
//! with `tests/corpus/realworld.json`, so every change in what we say about ordinary YAML is
//! reviewed (`SG_UPDATE_CORPUS=1` rewrites both baselines).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use secrets_guard_core::{Evaluator, Finding, Settings};
use secrets_guard_tests::corpus::{case_files, corpus_dir, load_cases, load_map};
use secrets_guard_tests::repo_root;
use serde_json::Value;

fn scan(files: &[PathBuf]) -> (Vec<Finding>, usize) {
    let settings = Settings::default();
    let mut ev = Evaluator::new(&settings);
    for f in files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        ev.add_bytes(&f.display().to_string(), &bytes);
    }
    let report = ev.finish();
    (report.findings, report.errors.len())
}

/// `Kind/name` or `Kind/namespace/name`.
fn object_matches(f: &Finding, object: &str) -> bool {
    let parts: Vec<&str> = object.split('/').collect();
    let (kind, ns, name) = match parts.as_slice() {
        [k, n] => (*k, None, *n),
        [k, ns, n] => (*k, Some(*ns), *n),
        _ => return false,
    };
    f.object.kind == kind
        && f.object.name.as_deref() == Some(name)
        && ns.is_none_or(|ns| f.object.namespace.as_deref().unwrap_or("default") == ns)
}

#[derive(Default, Debug)]
struct Tally {
    mapped: usize,
    agree: usize,
    na: usize,
    unlabeled: usize,
}

#[test]
fn corpus_agreement() {
    let cases = load_cases();
    let map = load_map();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut report = vec![];
    let mut unexplained = vec![];
    let mut seen_graph_cases = BTreeSet::new();
    for case in &cases {
        if case.source == "realworld" {
            continue;
        }
        let tally = tallies.entry(case.source.clone()).or_default();
        let Some(check) = map
            .checks
            .get(&case.source)
            .and_then(|m| m.get(&case.check))
        else {
            panic!(
                "tests/corpus/map.yaml has no entry for {} / {}",
                case.source, case.check
            );
        };
        if check.na.is_some() {
            tally.na += 1;
            continue;
        }
        let key = case.key();
        let label_key = case.label_key();
        let expected = match case.expected.as_str() {
            "violation" | "pass" => case.expected.clone(),
            _ => match check.labels.get(&label_key) {
                Some(l) if l == "na" => {
                    tally.na += 1;
                    continue;
                }
                Some(l) => l.clone(),
                None => {
                    tally.unlabeled += 1;
                    continue;
                }
            },
        };
        if case.source == "checkov-graph" {
            let folder = Path::new(&case.file).parent().unwrap().to_path_buf();
            if !seen_graph_cases.insert(folder) {
                continue; // one case per folder
            }
        }
        let files = case_files(case);
        let (findings, _) = scan(&files);
        let fired: BTreeSet<&str> = findings
            .iter()
            .filter(|f| check.rules.iter().any(|r| r == f.rule))
            .filter(|f| {
                check.contains.is_empty()
                    || check
                        .contains
                        .iter()
                        .any(|c| f.message.contains(c.as_str()))
            })
            .filter(|f| check.min_severity.is_none_or(|s| f.severity >= s))
            .filter(|f| case.object.as_deref().is_none_or(|o| object_matches(f, o)))
            .map(|f| f.rule)
            .collect();
        let ours = if fired.is_empty() {
            "pass"
        } else {
            "violation"
        };
        tally.mapped += 1;
        if ours == expected {
            tally.agree += 1;
        } else {
            let reason = map.disagreements.get(&key).cloned();
            report.push(format!(
                "  {key}: upstream {expected}, ours {ours} {:?} — {}",
                fired,
                reason.as_deref().unwrap_or("UNEXPLAINED")
            ));
            if reason.is_none() {
                unexplained.push(key);
            }
        }
    }
    println!("\nCorpus agreement (mapped cases only):");
    println!("| source | mapped | agree | agreement | not applicable | unlabeled |");
    println!("|---|---|---|---|---|---|");
    let mut figures = BTreeMap::new();
    let (mut all_m, mut all_a) = (0, 0);
    for (source, t) in &tallies {
        let pct = if t.mapped == 0 {
            100.0
        } else {
            100.0 * t.agree as f64 / t.mapped as f64
        };
        println!(
            "| {source} | {} | {} | {pct:.1}% | {} | {} |",
            t.mapped, t.agree, t.na, t.unlabeled
        );
        figures.insert(source.clone(), (pct * 10.0).floor() / 10.0);
        all_m += t.mapped;
        all_a += t.agree;
    }
    println!(
        "| all | {all_m} | {all_a} | {:.1}% | | |",
        100.0 * all_a as f64 / all_m.max(1) as f64
    );
    if !report.is_empty() {
        println!("\nDisagreements:\n{}", report.join("\n"));
    }
    let baseline_path = repo_root().join("tests/corpus/baseline.json");
    if std::env::var_os("SG_UPDATE_CORPUS").is_some() {
        std::fs::write(
            &baseline_path,
            serde_json::to_string_pretty(&figures).unwrap() + "\n",
        )
        .unwrap();
    }
    let baseline: BTreeMap<String, f64> = serde_json::from_str(
        &std::fs::read_to_string(&baseline_path).expect("tests/corpus/baseline.json"),
    )
    .unwrap();
    let mut drops = vec![];
    for (source, min) in &baseline {
        let got = figures.get(source).copied().unwrap_or(0.0);
        if got + 1e-9 < *min {
            drops.push(format!("{source}: {got:.1}% < recorded {min:.1}%"));
        }
    }
    assert!(drops.is_empty(), "corpus agreement dropped: {drops:?}");
    assert!(unexplained.is_empty(), "unexplained disagreements (add a reason to tests/corpus/map.yaml or fix the rule): {unexplained:?}");
}

/// Every real-world manifest parses without a crash; per-rule counts are pinned for review.
#[test]
fn realworld_review() {
    let dir = corpus_dir().join("realworld/kubernetes-examples");
    let mut files = vec![];
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("realworld dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 200,
        "expected the 248 real-world files, found {}",
        files.len()
    );
    let (findings, errors) = scan(&files);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in &findings {
        *counts.entry(f.rule.to_string()).or_default() += 1;
    }
    let mut summary = serde_json::Map::new();
    summary.insert("files".into(), Value::from(files.len()));
    summary.insert("input_errors".into(), Value::from(errors));
    summary.insert(
        "findings_by_rule".into(),
        serde_json::to_value(&counts).unwrap(),
    );
    let got = Value::Object(summary);
    println!(
        "real-world manifests: {}",
        serde_json::to_string_pretty(&got).unwrap()
    );
    let path = repo_root().join("tests/corpus/realworld.json");
    if std::env::var_os("SG_UPDATE_CORPUS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("tests/corpus/realworld.json"))
            .unwrap();
    assert_eq!(
        got, want,
        "findings on the real-world manifests changed: review them, then SG_UPDATE_CORPUS=1"
    );
}
