//! Shared helpers for the end-to-end suites.

use std::path::PathBuf;

pub mod corpus;
pub mod host;
pub mod hostile;
pub mod synth;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The read-only `shared/` folder beside the clone (`SG_SHARED` overrides).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("SG_SHARED") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("..").join("shared"),
    }
}

/// Peak resident set size of this process in bytes (Linux `VmHWM`), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
