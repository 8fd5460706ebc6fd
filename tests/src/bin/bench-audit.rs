//! `make bench-audit`: audit event analysis throughput on a generated log.
//!
//! Writes a deterministic JSON-lines audit log (default 1 GB) to a temporary file, with
//! incidents planted at 25 %, 50 % and 75 % of it, then streams it through the core's
//! [`Analyzer`] in 1 MiB chunks as `secrets-guard audit-log` does, and reports MB/s, the peak
//! RSS after 0.1, 0.5 and 1 GB (flat memory: it must not grow with the log), and a baseline in
//! the same process (reading the file and splitting lines). Asserts that exactly the planted
//! incidents are found. The file is removed at the end.
//!
//! Options: `--mb N` (1000), `--keep` (keep the file), `--policy` (cross-check every event
//! against a CIS-style audit Policy too, AEV-010).

use std::io::{BufWriter, Read, Write};
use std::time::Instant;

use secrets_guard_core::audit_events::{Analyzer, AuditContext, AuditSettings};
use secrets_guard_tests::peak_rss_bytes;
use secrets_guard_tests::synth::Rng;

/// A CIS-style audit Policy (`--policy`).
const POLICY: &str = "apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: [system:kube-proxy]
    verbs: [watch]
  - level: Metadata
    resources: [{group: \"\", resources: [secrets, configmaps, tokenreviews]}]
  - level: Request
    verbs: [create, update, patch]
    resources: [{group: rbac.authorization.k8s.io}]
  - level: Metadata
";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn stamp(ms: u64) -> String {
    let s = ms / 1000;
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}.{:03}000Z",
        1 + (s / 86_400) % 28,
        (s / 3600) % 24,
        (s / 60) % 60,
        s % 60,
        ms % 1000
    )
}

fn event(i: u64, verb: &str, user: &str, obj: &str, code: u32, level: &str, extra: &str) -> String {
    format!(
        "{{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"{level}\",\"auditID\":\"00000000-0000-4000-8000-{i:012}\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/x\",\"verb\":\"{verb}\",\"user\":{{\"username\":\"{user}\",\"groups\":[\"system:authenticated\"]}},\"sourceIPs\":[\"10.0.{}.{}\"],\"userAgent\":\"kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef0\",\"objectRef\":{obj},\"responseStatus\":{{\"metadata\":{{}},\"code\":{code}}},\"requestReceivedTimestamp\":\"{t}\",\"stageTimestamp\":\"{t}\",\"annotations\":{{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC: allowed by RoleBinding\"}}{extra}}}\n",
        i % 250,
        (i / 250) % 250,
        t = stamp(i)
    )
}

/// One of the planted incidents (4 per site, 3 sites): AEV-002, AEV-004, AEV-001, AEV-009.
fn incidents(i: u64) -> [String; 4] {
    [
        event(i, "list", "mallory", "{\"resource\":\"secrets\",\"apiVersion\":\"v1\"}", 200, "Metadata", ""),
        event(i, "get", "system:anonymous", "{\"resource\":\"secrets\",\"namespace\":\"ns-1\",\"name\":\"db\",\"apiVersion\":\"v1\"}", 200, "Metadata", ""),
        event(i, "update", "jane", "{\"resource\":\"secrets\",\"namespace\":\"ns-2\",\"name\":\"db\",\"apiVersion\":\"v1\"}", 200, "Request", ",\"requestObject\":{\"kind\":\"Secret\",\"data\":{\"password\":\"czNjcjN0\"}}"),
        event(i, "create", "mallory", "{\"resource\":\"rolebindings\",\"namespace\":\"ns-3\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"apiVersion\":\"v1\"}", 201, "Request", ",\"requestObject\":{\"metadata\":{\"name\":\"m\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"edit\"}}"),
    ]
}

/// Write the log; returns its size.
fn generate(path: &std::path::Path, bytes: u64) -> u64 {
    let mut rng = Rng::new(0xA0D17);
    let mut out =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("create log"));
    let mut written = 0u64;
    let mut i = 0u64;
    let sites = [bytes / 4, bytes / 2, bytes / 4 * 3];
    let mut next_site = 0;
    while written < bytes {
        let line = if next_site < sites.len() && written >= sites[next_site] {
            next_site += 1;
            incidents(i).concat()
        } else {
            let ns = rng.below(500);
            match rng.below(20) {
                0..=11 => event(i, "get", &format!("user-{}", rng.below(300)), &format!("{{\"resource\":\"pods\",\"namespace\":\"ns-{ns}\",\"name\":\"pod-{}\",\"apiVersion\":\"v1\"}}", rng.below(1000)), 200, "Metadata", ""),
                12..=15 => event(i, "list", &format!("system:serviceaccount:ns-{ns}:app"), &format!("{{\"resource\":\"configmaps\",\"namespace\":\"ns-{ns}\",\"apiVersion\":\"v1\"}}"), 200, "Metadata", ""),
                16..=18 => event(i, "get", &format!("system:serviceaccount:ns-{ns}:app"), &format!("{{\"resource\":\"secrets\",\"namespace\":\"ns-{ns}\",\"name\":\"app-{}\",\"apiVersion\":\"v1\"}}", rng.below(3)), 200, "Metadata", ""),
                _ => event(i, "watch", "system:kube-proxy", "{\"resource\":\"endpointslices\",\"apiGroup\":\"discovery.k8s.io\",\"apiVersion\":\"v1\"}", 200, "Metadata", ""),
            }
        };
        out.write_all(line.as_bytes()).expect("write log");
        written += line.len() as u64;
        i += 1;
    }
    out.flush().expect("flush log");
    written
}

fn main() {
    let mb = arg("--mb", 1000) as u64;
    let keep = std::env::args().any(|a| a == "--keep");
    let path = std::env::temp_dir().join(format!("sg-bench-audit-{mb}mb.jsonl"));
    let t = Instant::now();
    let size = generate(&path, mb * 1_000_000);
    println!(
        "log: {:.1} MB at {} (generated in {:.1} s)",
        size as f64 / 1e6,
        path.display(),
        t.elapsed().as_secs_f64()
    );

    // Baseline: read and split lines.
    let t = Instant::now();
    let mut f = std::fs::File::open(&path).expect("open log");
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0u64;
    loop {
        let n = f.read(&mut buf).expect("read log");
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
    let base = t.elapsed().as_secs_f64();
    println!(
        "baseline (read + count lines): {:.0} MB/s, {lines} lines",
        size as f64 / 1e6 / base
    );

    let t = Instant::now();
    let mut f = std::fs::File::open(&path).expect("open log");
    let with_policy = std::env::args().any(|a| a == "--policy");
    let mut a = if with_policy {
        let cx = AuditContext::from_sources(&[("policy.yaml", POLICY)]);
        assert!(cx.policy().is_some());
        Analyzer::with_context(AuditSettings::default(), cx)
    } else {
        Analyzer::default()
    };
    a.begin_source("bench.log");
    let mut read = 0u64;
    let marks = [size / 10, size / 2, size];
    let mut rss = vec![];
    loop {
        let n = f.read(&mut buf).expect("read log");
        if n == 0 {
            break;
        }
        a.feed(&buf[..n]);
        read += n as u64;
        while rss.len() < marks.len() && read >= marks[rss.len()] {
            rss.push((read, peak_rss_bytes().unwrap_or(0)));
        }
    }
    let report = a.finish();
    let secs = t.elapsed().as_secs_f64();
    let mbs = size as f64 / 1e6 / secs;
    println!(
        "analysis: {:.0} MB/s ({:.2} s, {} events, {:.2}x baseline time), target >= 100 MB/s",
        mbs,
        secs,
        report.events,
        secs / base
    );
    for (at, peak) in &rss {
        println!(
            "  peak RSS after {:.2} GB: {:.1} MB",
            *at as f64 / 1e9,
            *peak as f64 / 1e6
        );
    }
    if let Some(check) = &report.policy_check {
        println!(
            "policy cross-check: {} events, levels {:?}, {} gap groups",
            check.events,
            check.levels,
            check.gaps.len()
        );
    }
    let mut found: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.rule)
        .filter(|r| *r != "AEV-010")
        .collect();
    found.sort_unstable();
    let mut want = ["AEV-001", "AEV-002", "AEV-004", "AEV-009"].repeat(3);
    want.sort_unstable();
    assert_eq!(found, want, "planted incidents");
    assert_eq!(report.events, lines);
    assert_eq!(report.malformed_total, 0);
    println!(
        "planted incidents found: {} (AEV-001, AEV-002, AEV-004, AEV-009 at 25/50/75 %)",
        found.len()
    );
    if !keep {
        let _ = std::fs::remove_file(&path);
    }
}
