//! Replays every input kept under `fuzz/regressions/<target>/` (crashes, hangs and
//! out-of-memory cases `make fuzz` once found, after their fix) through the same harness
//! functions as the libFuzzer binaries, on stable Rust.
//! Each input must be answered (no panic) within a generous time bound.

use std::path::Path;
use std::time::{Duration, Instant};

use secrets_guard_fuzz::TARGETS;

/// A regression input may not take longer than this (libFuzzer's `-timeout` in `make fuzz` is
/// 10 s; the fixed code answers each in milliseconds).
const BOUND: Duration = Duration::from_secs(2);

#[test]
fn every_kept_input_is_answered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let mut replayed = 0;
    for (target, run) in TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for path in files.iter().filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        }) {
            let data = std::fs::read(path).unwrap();
            let start = Instant::now();
            run(&data);
            let took = start.elapsed();
            assert!(took < BOUND, "{}: {took:?}", path.display());
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} kept inputs");
    assert!(
        replayed > 0,
        "fuzz/regressions/ holds the reproducers found so far"
    );
}

#[test]
fn every_target_has_a_regressions_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    for (target, _) in TARGETS {
        assert!(
            root.join(target).is_dir(),
            "fuzz/regressions/{target}/ exists"
        );
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "fuzz_targets/{target}.rs exists"
        );
    }
}
