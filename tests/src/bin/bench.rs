//! `make bench`: scan throughput on a deterministic synthetic corpus.
//!
//! Generates 20,000 mixed objects (≈15 MB, fixed seed) once under `target/bench-corpus`, then in
//! one process measures a parse-only pass (the span-aware loader alone, building the same node
//! trees) and the full scan (loader + every rule + cross-object pass), reading one file at a time
//! as the CLI does, and the full scan once more without the rules that build the who-can access
//! graph (RBG-004, RBG-006). Reports objects/s, MB/s, the scan/parse ratio, peak RSS of each pass
//! and what the graph adds (time and peak RSS ratios).
//!
//! Options: `--objects N` (default 20000), `--iterations N` (default 3; the median is reported).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use secrets_guard_core::yaml::{parse_documents, Limits};
use secrets_guard_core::{Evaluator, Settings};
use secrets_guard_tests::{peak_rss_bytes, repo_root, synth};

/// Reference rates quoted in the issue (measured on this kind of machine), for context only.
const REGORUS_OBJECTS_PER_S: f64 = 5_000.0;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ensure_corpus(objects: usize) -> (PathBuf, Vec<PathBuf>, u64) {
    let dir = repo_root()
        .join("target")
        .join(format!("bench-corpus-{objects}"));
    let stamp = dir.join(".complete");
    if !stamp.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create corpus dir");
        for (name, text) in synth::corpus(synth::BENCH_SEED, objects, synth::BENCH_PER_FILE) {
            std::fs::write(dir.join(name), text).expect("write corpus file");
        }
        std::fs::write(&stamp, b"").expect("stamp");
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    (dir, files, bytes)
}

/// Reset the kernel's peak-RSS counter (Linux ≥ 4.0), so each pass reports its own peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn parse_only(files: &[PathBuf]) -> (usize, Duration) {
    let start = Instant::now();
    let mut docs = 0usize;
    let limits = Limits::default();
    for f in files {
        let bytes = std::fs::read(f).expect("read");
        let text = std::str::from_utf8(&bytes).expect("utf-8");
        parse_documents(text, &limits, |d| {
            if let Ok(d) = d {
                std::hint::black_box(&d.root);
                docs += 1;
            }
        });
    }
    (docs, start.elapsed())
}

/// The same bytes through serde_yaml into `serde_yaml::Value` (no spans), document by document.
fn serde_yaml_only(files: &[PathBuf]) -> (usize, Duration) {
    use serde::Deserialize;
    let start = Instant::now();
    let mut docs = 0usize;
    for f in files {
        let bytes = std::fs::read(f).expect("read");
        for doc in serde_yaml::Deserializer::from_slice(&bytes) {
            if let Ok(v) = serde_yaml::Value::deserialize(doc) {
                std::hint::black_box(&v);
                docs += 1;
            }
        }
    }
    (docs, start.elapsed())
}

/// The rules that follow the who-can access graph (the only users of `Access::who_can`).
const GRAPH_RULES: &[&str] = &["RBG-004", "RBG-006"];

fn full_scan(files: &[PathBuf], settings: &Settings) -> (usize, usize, Duration) {
    let start = Instant::now();
    let mut ev = Evaluator::new(settings);
    for f in files {
        let bytes = std::fs::read(f).expect("read");
        ev.add_bytes(&f.display().to_string(), &bytes);
    }
    let report = ev.finish();
    let elapsed = start.elapsed();
    (report.summary.objects, report.findings.len(), elapsed)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mib(b: u64) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn main() {
    let objects = arg("--objects", 20_000);
    let iterations = arg("--iterations", 3).max(1);
    let (dir, files, bytes) = ensure_corpus(objects);
    println!(
        "corpus: {} objects in {} files, {:.1} MB ({})",
        objects,
        files.len(),
        bytes as f64 / 1e6,
        short(&dir)
    );

    // Warm the page cache and the allocator once.
    let _ = parse_only(&files);

    let mut serde_times = vec![];
    let mut parse_times = vec![];
    let mut scan_times = vec![];
    let mut no_graph_times = vec![];
    let mut parse_peak = 0;
    let mut scan_peak = 0;
    let mut no_graph_peak = 0;
    let all_rules = Settings::default();
    let without_graph = Settings {
        disable: GRAPH_RULES.iter().map(|r| r.to_string()).collect(),
        ..Settings::default()
    };
    let mut docs = 0;
    let (mut objs, mut findings) = (0, 0);
    for _ in 0..iterations {
        let (_, t) = serde_yaml_only(&files);
        serde_times.push(t);
        reset_peak();
        let (d, t) = parse_only(&files);
        parse_peak = parse_peak.max(peak_rss_bytes().unwrap_or(0));
        docs = d;
        parse_times.push(t);
        reset_peak();
        let (o, n, t) = full_scan(&files, &all_rules);
        scan_peak = scan_peak.max(peak_rss_bytes().unwrap_or(0));
        objs = o;
        findings = n;
        scan_times.push(t);
        reset_peak();
        let (_, _, t) = full_scan(&files, &without_graph);
        no_graph_peak = no_graph_peak.max(peak_rss_bytes().unwrap_or(0));
        no_graph_times.push(t);
    }
    let ty = median(serde_times).as_secs_f64();
    let tp = median(parse_times).as_secs_f64();
    let ts = median(scan_times).as_secs_f64();
    let tn = median(no_graph_times).as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!();
    println!("| pass | objects | time (median of {iterations}) | objects/s | MB/s | peak RSS |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| parse only: serde_yaml::Value, no spans | {docs} | {ty:.3} s | {:.0} | {:.1} | |",
        docs as f64 / ty,
        mb / ty
    );
    println!(
        "| parse only: our span-aware loader | {docs} | {tp:.3} s | {:.0} | {:.1} | {:.1} MiB |",
        docs as f64 / tp,
        mb / tp,
        mib(parse_peak)
    );
    println!(
        "| full scan, {} rules ({findings} findings) | {objs} | {ts:.3} s | {:.0} | {:.1} | {:.1} MiB |",
        secrets_guard_core::registry::rules().len(),
        objs as f64 / ts,
        mb / ts,
        mib(scan_peak)
    );
    println!(
        "| full scan without {} (no who-can graph) | {objs} | {tn:.3} s | {:.0} | {:.1} | {:.1} MiB |",
        GRAPH_RULES.join(", "),
        objs as f64 / tn,
        mb / tn,
        mib(no_graph_peak)
    );
    println!();
    println!(
        "full scan / serde_yaml parse-only: {:.2}x (target <= 1.5x)",
        ts / ty
    );
    println!(
        "full scan / our span-aware parse-only: {:.2}x (what rules and the cross-object pass add to our own loader)",
        ts / tp
    );
    println!(
        "full scan rate vs the regorus reference ({REGORUS_OBJECTS_PER_S} objects/s, quoted in issue #2): {:.1}x (target >= 2.5x)",
        objs as f64 / ts / REGORUS_OBJECTS_PER_S
    );
    println!(
        "peak RSS of the full scan: {:.1} MiB (target <= 100 MiB)",
        mib(scan_peak)
    );
    println!(
        "who-can graph ({}): full scan / scan without them: time {:.2}x, peak RSS {:.2}x (target <= 1.3x each)",
        GRAPH_RULES.join(", "),
        ts / tn,
        scan_peak as f64 / no_graph_peak.max(1) as f64
    );
}

fn short(p: &Path) -> String {
    p.strip_prefix(repo_root())
        .unwrap_or(p)
        .display()
        .to_string()
}
