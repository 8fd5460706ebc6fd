//! Where the full scan spends its time: per-object rules vs cross-object rules, rule by rule.
//! `cargo run --release -p secrets-guard-tests --example phases` (after `make bench` made the corpus).
use std::time::Instant;

use secrets_guard_core::{registry, Evaluator, Settings};

fn main() {
    let dir = secrets_guard_tests::repo_root().join("target/bench-corpus-20000");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("run make bench first")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let texts: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let run = |settings: &Settings| {
        let t = Instant::now();
        let mut ev = Evaluator::new(settings);
        for (f, b) in files.iter().zip(&texts) {
            ev.add_bytes(&f.display().to_string(), b);
        }
        let t_add = t.elapsed();
        let r = ev.finish();
        (t_add, t.elapsed() - t_add, r.findings.len())
    };
    if std::env::args().any(|a| a == "--all-only") {
        for _ in 0..5 {
            let (a, f, n) = run(&Settings::default());
            println!(
                "all rules: add {:.3}s finish {:.3}s findings {n}",
                a.as_secs_f64(),
                f.as_secs_f64()
            );
        }
        return;
    }
    let none = Settings {
        enable: vec!["NONE-000".into()],
        ..Default::default()
    };
    let (base, _, _) = run(&none);
    println!("no rules: {:.3}s", base.as_secs_f64());
    let (a, f, n) = run(&Settings::default());
    println!(
        "all rules: add {:.3}s finish {:.3}s findings {n}",
        a.as_secs_f64(),
        f.as_secs_f64()
    );
    let mut rows = vec![];
    for r in registry::rules() {
        let s = Settings {
            enable: vec![r.meta().id.to_string()],
            ..Default::default()
        };
        let (a, f, n) = run(&s);
        rows.push(((a + f).as_secs_f64() - base.as_secs_f64(), r.meta().id, n));
    }
    rows.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    for (t, id, n) in rows.iter().take(15) {
        println!("{id:10} +{:.3}s  {n} findings", t);
    }
}
