//! Inputs for `make compare` (scripts/compare.sh), the side-by-side run against peer tools.
//!
//! - `compare-prep synth DIR [--objects N]`: writes `make bench`'s synthetic corpus (same seed,
//!   same bytes, 100 objects per file) into DIR, so every tool scans the same files.
//! - `compare-prep json OUT.json PATH...`: every document of the YAML/JSON files under PATH (files
//!   or folders, recursively, in sorted order) as one JSON array, read with the core's loader: the
//!   input of the Rego policies regorus evaluates (`compare/rego/`).
//! - `compare-prep cases OUT.json`: the labelled cases of the shared corpus as JSON, one entry per
//!   case (one per folder for `checkov-graph`, as the agreement suite counts them): the files it is
//!   evaluated on, the object it is about, the expected outcome (upstream's label, or ours from
//!   `tests/corpus/map.yaml` for unlabeled cases) and our rule mapping (or why it is out of scope);
//!   plus, for every file a case reads, its documents' line ranges and `Kind`/namespace/name (to
//!   attribute a peer's line-based findings to objects).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use secrets_guard_core::yaml::{parse_documents, Limits};
use secrets_guard_tests::corpus::{case_files, load_cases, load_map};
use secrets_guard_tests::synth;
use serde_json::{json, Value};

fn usage() -> ! {
    eprintln!(
        "usage: compare-prep synth DIR [--objects N] | json OUT.json PATH... | cases OUT.json"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("synth") => {
            let dir = PathBuf::from(args.get(1).unwrap_or_else(|| usage()));
            let objects = match args.iter().position(|a| a == "--objects") {
                Some(i) => args
                    .get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage()),
                None => 20_000,
            };
            write_synth(&dir, objects);
        }
        Some("cases") => {
            let out = PathBuf::from(args.get(1).unwrap_or_else(|| usage()));
            let cases = cases();
            std::fs::write(
                &out,
                serde_json::to_string_pretty(&cases).expect("json") + "\n",
            )
            .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
            println!(
                "{} cases written to {}",
                cases["cases"].as_array().map_or(0, Vec::len),
                out.display()
            );
        }
        Some("json") => {
            let out = PathBuf::from(args.get(1).unwrap_or_else(|| usage()));
            if args.len() < 3 {
                usage();
            }
            let mut files = vec![];
            for p in &args[2..] {
                collect(Path::new(p), &mut files);
            }
            files.sort();
            let docs = to_json(&files);
            std::fs::write(&out, serde_json::to_vec(&docs).expect("json"))
                .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
            println!(
                "{} documents from {} files written to {}",
                docs.len(),
                files.len(),
                out.display()
            );
        }
        _ => usage(),
    }
}

/// YAML and JSON files under `path` (the CLI's rule for folders).
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .flatten()
        {
            collect(&e.path(), out);
        }
    } else if path
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
    {
        out.push(path.to_path_buf());
    }
}

/// Every document that parses, as JSON (documents that do not parse, or are empty, are left out).
fn to_json(files: &[PathBuf]) -> Vec<Value> {
    let limits = Limits::default();
    let mut docs = vec![];
    for f in files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let text = String::from_utf8_lossy(&bytes);
        parse_documents(&text, &limits, |d| {
            if let Ok(d) = d {
                let v = d.root.to_json();
                if !v.is_null() {
                    docs.push(v);
                }
            }
        });
    }
    docs
}

fn write_synth(dir: &Path, objects: usize) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let files = synth::corpus(synth::BENCH_SEED, objects, synth::BENCH_PER_FILE);
    let mut bytes = 0;
    for (name, text) in &files {
        bytes += text.len();
        std::fs::write(dir.join(name), text).expect("write corpus file");
    }
    println!(
        "{objects} objects in {} files, {bytes} bytes, written to {}",
        files.len(),
        dir.display()
    );
}

/// Line range and identity of each document of `file`.
fn documents(file: &Path) -> Value {
    let bytes = std::fs::read(file).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let mut docs = vec![];
    parse_documents(&text, &Limits::default(), |d| {
        if let Ok(d) = d {
            let meta = d.root.get("metadata");
            let field = |n: Option<&secrets_guard_core::yaml::Node>| {
                n.and_then(|n| n.as_str().map(str::to_owned))
            };
            docs.push(json!({
                "line": d.root.span.line,
                "end_line": d.root.span.end_line,
                "kind": field(d.root.get("kind")),
                "namespace": field(meta.and_then(|m| m.get("namespace"))),
                "name": field(meta.and_then(|m| m.get("name"))),
            }));
        }
    });
    Value::Array(docs)
}

fn cases() -> Value {
    let map = load_map();
    let mut seen_graph = BTreeSet::new();
    let mut out = vec![];
    let mut docs = serde_json::Map::new();
    for case in load_cases() {
        if case.source == "realworld" {
            continue;
        }
        let check = map
            .checks
            .get(&case.source)
            .and_then(|m| m.get(&case.check))
            .cloned()
            .unwrap_or_default();
        let expected = match case.expected.as_str() {
            "violation" | "pass" => case.expected.clone(),
            _ => match check.labels.get(&case.label_key()) {
                Some(l) => l.clone(),
                None => "unlabeled".into(),
            },
        };
        if case.source == "checkov-graph" {
            let folder = Path::new(&case.file).parent().map(Path::to_path_buf);
            if !seen_graph.insert(folder) {
                continue;
            }
        }
        let files: Vec<String> = case_files(&case)
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        for f in &files {
            if !docs.contains_key(f) {
                docs.insert(f.clone(), documents(Path::new(f)));
            }
        }
        out.push(json!({
            "key": case.key(),
            "source": case.source,
            "check": case.check,
            "file": case.file,
            "object": case.object,
            "files": files,
            "expected": expected,
            "ours": {
                "rules": check.rules,
                "contains": check.contains,
                "min_severity": check.min_severity,
                "na": check.na,
            },
            "disagreement": map.disagreements.get(&case.key()),
        }));
    }
    json!({"cases": out, "documents": docs})
}
