//! `make load-policy`: the Kubewarden policy under load (issue #7, item 5).
//!
//! 100,000 `validate` calls (`--calls N`) of policy.wasm in the waPC host the policy-server uses
//! (wapc + wasmtime, WASI), over a deterministic mix of real requests and fuzzed payloads:
//! - half are the admission fixtures (`tests/fixtures/admission/*.json`, each with default and
//!   strict settings);
//! - half are mutations of them, from a fixed-seed generator: byte flips, truncations, a string
//!   value replaced by 64 KiB of text, 5,000-deep nesting, binary junk, duplicate-key floods,
//!   wrong types and settings that do not validate; plus the files of `--corpus DIR` (e.g. the
//!   fuzzer's corpus `target/fuzz/corpus/validate`), if given.
//!
//! Two passes: `fresh` (a new instance per call, as the policy-server evaluates) and `warm` (one
//! instance for every call: anything the guest leaks would pile up in it). Every answer must be
//! a `ValidationResponse` (never a trap). Per window of 10% of the calls, it prints p50, p99 and
//! max latency and the process's resident memory, and checks there is no growth: the last
//! window's p99 within 2× the first's, and the peak RSS within 64 MiB of the RSS after the first
//! window. Exit code 1 on a trap or growth.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use secrets_guard_tests::host::{decode_validation, validation_payload, PolicyHost, ReplaySession};
use secrets_guard_tests::repo_root;
use serde_json::{json, Value};

/// xorshift64*: a fixed-seed generator, so every run sends the same payloads.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A payload and what kind it is (for the per-kind counts).
struct Payload {
    kind: &'static str,
    bytes: Vec<u8>,
}

fn fixtures() -> Result<Vec<Value>, String> {
    let dir = repo_root().join("tests/fixtures/admission");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut out = vec![];
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            out.push(v);
        }
    }
    Ok(out)
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Payload {
    let mut b = base.to_vec();
    match rng.below(9) {
        0 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            Payload {
                kind: "byte flips",
                bytes: b,
            }
        }
        1 => {
            b.truncate(rng.below(b.len()));
            Payload {
                kind: "truncated",
                bytes: b,
            }
        }
        2 => {
            // The first string value after a random point becomes 64 KiB of text.
            let text = String::from_utf8_lossy(&b).into_owned();
            let from = rng.below(text.len());
            let start = text[from..].find(": \"").map(|i| from + i + 3);
            let bytes = match start.and_then(|s| text[s..].find('"').map(|e| (s, s + e))) {
                Some((s, e)) => {
                    let filler = "sk_live_0123456789abcdef ".repeat(64 * 1024 / 25);
                    format!("{}{}{}", &text[..s], filler, &text[e..]).into_bytes()
                }
                None => b,
            };
            Payload {
                kind: "64 KiB string",
                bytes,
            }
        }
        3 => {
            let depth = 5_000;
            let bytes = format!(
                r#"{{"request": {}{}, "settings": {{}}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            )
            .into_bytes();
            Payload {
                kind: "5,000-deep nesting",
                bytes,
            }
        }
        4 => {
            let n = 1 + rng.below(4096);
            let bytes = (0..n).map(|_| rng.next() as u8).collect();
            Payload {
                kind: "binary junk",
                bytes,
            }
        }
        5 => {
            let mut s = String::from(r#"{"request": {"operation": "CREATE""#);
            for i in 0..10_000 {
                s.push_str(&format!(r#", "operation": "op{i}""#));
            }
            s.push_str(r#"}, "settings": {}}"#);
            Payload {
                kind: "duplicate keys",
                bytes: s.into_bytes(),
            }
        }
        6 => {
            // Numbers, nulls, arrays and booleans where the policy expects strings and objects.
            let wrong = [json!(null), json!(7), json!(-1e308), json!([]), json!(true)];
            let mut v: Value = serde_json::from_slice(base).unwrap_or(json!({}));
            if let Some(req) = v.get_mut("request").and_then(Value::as_object_mut) {
                let keys: Vec<String> = req.keys().cloned().collect();
                if !keys.is_empty() {
                    let k = keys[rng.below(keys.len())].clone();
                    req.insert(k, wrong[rng.below(wrong.len())].clone());
                }
            }
            Payload {
                kind: "wrong types",
                bytes: serde_json::to_vec(&v).unwrap_or_default(),
            }
        }
        7 => {
            let mut v: Value = serde_json::from_slice(base).unwrap_or(json!({}));
            v["settings"] = json!({"reject_at": "severe", "enable": 3, "unknown": true});
            Payload {
                kind: "invalid settings",
                bytes: serde_json::to_vec(&v).unwrap_or_default(),
            }
        }
        _ => {
            // A huge integer and a float in place of the uid and the dryRun flag.
            let text = String::from_utf8_lossy(&b)
                .replacen(
                    "\"uid\": \"",
                    "\"uid\": 123456789012345678901234567890, \"x\": \"",
                    1,
                )
                .replacen("\"dryRun\": false", "\"dryRun\": 1.5e999", 1);
            Payload {
                kind: "huge numbers",
                bytes: text.into_bytes(),
            }
        }
    }
}

fn payloads(calls: usize, corpus: Option<&PathBuf>) -> Result<Vec<Payload>, String> {
    let requests = fixtures()?;
    let strict = json!({"reject_at": "medium", "warn_at": "info"});
    let real: Vec<Vec<u8>> = requests
        .iter()
        .flat_map(|r| {
            [
                validation_payload(r, &json!({})),
                validation_payload(r, &strict),
            ]
        })
        .collect();
    let mut extra = vec![];
    if let Some(dir) = corpus {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for e in entries.flatten() {
            if let Ok(b) = std::fs::read(e.path()) {
                extra.push(b);
            }
        }
        extra.sort();
    }
    let mut rng = Rng(0x5ec2_e75f_0a2d_0001);
    let mut out = Vec::with_capacity(calls);
    for i in 0..calls {
        let base = &real[rng.below(real.len())];
        out.push(if i % 2 == 0 {
            Payload {
                kind: "fixture",
                bytes: base.clone(),
            }
        } else if !extra.is_empty() && rng.below(4) == 0 {
            Payload {
                kind: "fuzz corpus",
                bytes: extra[rng.below(extra.len())].clone(),
            }
        } else {
            mutate(&mut rng, base)
        });
    }
    Ok(out)
}

/// Resident and peak resident memory of this process, in KiB (Linux `/proc/self/status`).
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn us(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e6)
}

struct Window {
    p50: Duration,
    p99: Duration,
    max: Duration,
    rss: u64,
}

fn pass(name: &str, host: &PolicyHost, payloads: &[Payload], fresh: bool) -> Result<bool, String> {
    let warm = host.instance().map_err(|e| e.to_string())?;
    let window = (payloads.len() / 10).max(1);
    let mut all = Vec::with_capacity(payloads.len());
    let mut by_kind: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    let mut windows = vec![];
    let mut current = Vec::with_capacity(window);
    let (mut accepted, mut rejected, mut bad_request) = (0u64, 0u64, 0u64);
    let mut traps: Vec<String> = vec![];
    let started = Instant::now();
    for (i, p) in payloads.iter().enumerate() {
        let t = Instant::now();
        let out = if fresh {
            host.instance()
                .and_then(|inst| inst.call("validate", &p.bytes))
        } else {
            warm.call("validate", &p.bytes)
        };
        let took = t.elapsed();
        match out
            .map_err(|e| e.to_string())
            .and_then(|o| decode_validation(&o).map_err(|e| e.to_string()))
        {
            Ok(r) if r.accepted => accepted += 1,
            Ok(r) if r.code == Some(400) => bad_request += 1,
            Ok(_) => rejected += 1,
            Err(e) => {
                if traps.len() < 5 {
                    traps.push(format!("call {i} ({}): {e}", p.kind));
                }
            }
        }
        all.push(took);
        by_kind.entry(p.kind).or_default().push(took);
        current.push(took);
        if current.len() == window || i + 1 == payloads.len() {
            current.sort();
            windows.push(Window {
                p50: pct(&current, 0.5),
                p99: pct(&current, 0.99),
                max: *current.last().unwrap_or(&Duration::ZERO),
                rss: memory_kib().0,
            });
            current.clear();
        }
        if !fresh && !traps.is_empty() {
            // A trapped instance is unusable; the pass has failed already.
            break;
        }
    }
    let elapsed = started.elapsed();
    all.sort();
    let (_, peak) = memory_kib();
    println!(
        "\n## {name}: {} calls in {:.1} s ({:.0} calls/s)",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "answers: {accepted} accepted, {rejected} rejected by the rules, {bad_request} rejected as bad requests (400), {} traps or undecodable answers",
        payloads.len() as u64 - accepted - rejected - bad_request
    );
    println!(
        "latency over all calls: p50 {} µs, p99 {} µs, max {} µs; peak RSS {} MiB",
        us(pct(&all, 0.5)),
        us(pct(&all, 0.99)),
        us(*all.last().unwrap_or(&Duration::ZERO)),
        peak / 1024
    );
    println!("\n| payload | calls | p50 µs | p99 µs | max µs |\n|---|---:|---:|---:|---:|");
    for (kind, times) in &mut by_kind {
        times.sort();
        println!(
            "| {kind} | {} | {} | {} | {} |",
            times.len(),
            us(pct(times, 0.5)),
            us(pct(times, 0.99)),
            us(*times.last().unwrap_or(&Duration::ZERO))
        );
    }
    println!("\n| window | p50 µs | p99 µs | max µs | RSS MiB |\n|---:|---:|---:|---:|---:|");
    for (i, w) in windows.iter().enumerate() {
        println!(
            "| {} | {} | {} | {} | {:.1} |",
            i + 1,
            us(w.p50),
            us(w.p99),
            us(w.max),
            w.rss as f64 / 1024.0
        );
    }
    let mut ok = true;
    for t in &traps {
        println!("TRAP: {t}");
        ok = false;
    }
    if let (Some(first), Some(last)) = (windows.first(), windows.last()) {
        if last.p99 > first.p99 * 2 {
            println!(
                "GROWTH: p99 went from {} to {} µs",
                us(first.p99),
                us(last.p99)
            );
            ok = false;
        }
        if peak > first.rss + 64 * 1024 {
            println!(
                "GROWTH: peak RSS {} MiB, {} MiB after the first window",
                peak / 1024,
                first.rss / 1024
            );
            ok = false;
        }
    }
    Ok(ok)
}

fn run() -> Result<bool, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let calls: usize = match value("--calls") {
        Some(v) => v.parse().map_err(|_| "--calls needs a number")?,
        None => 100_000,
    };
    let policy = value("--policy").map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("POLICY_WASM")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo_root().join("policy.wasm"))
    });
    if !policy.exists() {
        return Err(format!("{} not found: run `make policy`", policy.display()));
    }
    let corpus = value("--corpus").map(PathBuf::from);
    let payloads = payloads(calls, corpus.as_ref())?;
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in &payloads {
        *kinds.entry(p.kind).or_default() += 1;
    }
    println!("# policy.wasm under load: {calls} validate calls per pass");
    println!(
        "payloads: {}",
        kinds
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let host = PolicyHost::load_path(&policy, ReplaySession::empty()).map_err(|e| e.to_string())?;
    let fresh = pass(
        "fresh instance per call (policy-server)",
        &host,
        &payloads,
        true,
    )?;
    let warm = pass("one warm instance for every call", &host, &payloads, false)?;
    Ok(fresh && warm)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("load-policy: {e}");
            ExitCode::from(2)
        }
    }
}
