//! Native cost of one `admission::validate` call, split into its parts (profiling aid).
use std::time::Instant;

use secrets_guard_core::admission::{validate, NoContext, PolicySettings};
use secrets_guard_core::Evaluator;

fn main() {
    let fixture = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            secrets_guard_tests::repo_root()
                .join("tests/fixtures/admission/rbac-role-seed-create.json")
        });
    let payload = std::fs::read(&fixture).expect("fixture");
    let wrapped = format!(
        r#"{{"request":{},"settings":{{}}}}"#,
        String::from_utf8_lossy(&payload)
    );
    // The first call pays for lazy statics (registry, built-in roles, patterns): the part a
    // fresh Wasm instance pays on every request.
    let t = Instant::now();
    std::hint::black_box(validate(wrapped.as_bytes(), &mut NoContext));
    println!("first validate: {:.1} µs", t.elapsed().as_secs_f64() * 1e6);
    let n = 20_000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(validate(wrapped.as_bytes(), &mut NoContext));
    }
    println!(
        "validate: {:.1} µs/call",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let s = PolicySettings::default().core_settings();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(Evaluator::new(&s));
    }
    println!(
        "Evaluator::new: {:.1} µs/call",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
