//! The hostile-input suite (`tests/src/hostile.rs`) against the `secrets-guard` binary.
//!
//! Each case is written to a file and scanned twice, as a user would: `--format json` (the
//! findings' rule ids and the input errors are checked against the case's expectation) and the
//! default text report (the same exit status). Each run must end within the suite's time limit
//! and peak RSS (its `VmHWM`, sampled), and never by a signal.
//!
//! The binary is `$SG_CLI` when set (`make test` sets it to the release build, the binary users
//! run), else the one Cargo built for this test run. A debug build is several times slower than
//! the release build: without `$SG_CLI`, the time limit is multiplied by `$SG_HOSTILE_TIME_SCALE`
//! (default 10) and the report says so.
#![cfg(unix)]

#[path = "../../../tests/src/hostile.rs"]
#[allow(dead_code)]
mod hostile;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hostile::{Case, Expect, MEMORY_LIMIT_BYTES, TIME_LIMIT_MS};
use serde_json::Value;

fn binary() -> (String, bool) {
    match std::env::var("SG_CLI") {
        Ok(p) if !p.is_empty() => (p, true),
        _ => (env!("CARGO_BIN_EXE_secrets-guard").to_string(), false),
    }
}

/// The time limit for this binary, in milliseconds.
fn time_limit_ms(given: bool) -> u64 {
    if given {
        return TIME_LIMIT_MS;
    }
    let scale = std::env::var("SG_HOSTILE_TIME_SCALE")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(10);
    TIME_LIMIT_MS * scale
}

/// How one run ended.
struct Run {
    status: i32,
    millis: u64,
    /// `None`: the process ended before it could be sampled.
    max_rss: Option<u64>,
    stdout: Vec<u8>,
    stderr: String,
}

/// The peak RSS of a running process (`VmHWM`, the high-water mark of its memory since `exec`).
fn vm_hwm(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Run the binary with stdout and stderr in files, sampling its peak RSS every millisecond until
/// `waitpid` gives its exit status; killed (and reported) after `limit_ms`.
///
/// `VmHWM` is sampled rather than taken from `wait4`'s `ru_maxrss`: Linux carries the spawning
/// process's own peak over into the child's `ru_maxrss` at `exec`, and this test process builds
/// 50 MB inputs. A sample is a high-water mark, so only growth in the last millisecond before exit
/// can go unseen; a run that ends before the first sample shows `n/a`.
fn run(bin: &str, args: &[String], dir: &Path, limit_ms: u64) -> Result<Run, String> {
    let out_path = dir.join("stdout");
    let err_path = dir.join("stderr");
    let out = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let err = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut killed = false;
    let mut peak = 0;
    loop {
        peak = peak.max(vm_hwm(pid).unwrap_or(0));
        // SAFETY: `pid` is our child, not yet reaped (the `Child` handle is never waited on).
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if r < 0 {
            return Err(format!("waitpid: {}", std::io::Error::last_os_error()));
        }
        if !killed && start.elapsed() > Duration::from_millis(limit_ms) {
            // SAFETY: sending a signal to our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let millis = start.elapsed().as_millis() as u64;
    if killed {
        return Err(format!("killed after {millis} ms (limit {limit_ms} ms)"));
    }
    if libc::WIFSIGNALED(status) {
        return Err(format!("ended by signal {}", libc::WTERMSIG(status)));
    }
    Ok(Run {
        status: libc::WEXITSTATUS(status),
        millis,
        max_rss: (peak > 0).then_some(peak),
        stdout: std::fs::read(&out_path).map_err(|e| e.to_string())?,
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    })
}

/// The rule ids and error messages of a JSON report.
fn outcome(report: &Value) -> (Vec<String>, Vec<String>) {
    let rules: BTreeSet<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["suppressed"] != Value::Bool(true))
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect();
    let errors = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["message"].as_str().map(str::to_string))
        .collect();
    (rules.into_iter().collect(), errors)
}

fn check(expect: &Expect, rules: &[String], errors: &[String]) -> Result<(), String> {
    if rules != expect.rules {
        return Err(format!("rules {rules:?}, expected {:?}", expect.rules));
    }
    match expect.error {
        None if !errors.is_empty() => Err(format!("unexpected errors {errors:?}")),
        Some(text) if !errors.iter().any(|e| e.contains(text)) => {
            Err(format!("no error contains {text:?}: {errors:?}"))
        }
        _ => Ok(()),
    }
}

fn run_case(case: &Case, bin: &str, limit_ms: u64) -> Result<(Run, Run), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let input = dir.path().join("input.yaml");
    std::fs::write(&input, (case.input)()).map_err(|e| e.to_string())?;
    let mut args: Vec<String> = ["scan", "--no-config", "--color", "never"]
        .map(String::from)
        .to_vec();
    args.extend(case.limit_flags());
    args.push("input.yaml".into());

    let mut json_args = args.clone();
    json_args.extend(["--format".to_string(), "json".to_string()]);
    let json = run(bin, &json_args, dir.path(), limit_ms)?;
    let report: Value = serde_json::from_slice(&json.stdout).map_err(|e| {
        format!(
            "JSON report does not parse ({e}); exit {}, stderr {}",
            json.status, json.stderr
        )
    })?;
    let (rules, errors) = outcome(&report);
    check(&case.cli, &rules, &errors)?;
    let high = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|f| {
            f["suppressed"] != Value::Bool(true)
                && matches!(f["severity"].as_str(), Some("high" | "critical"))
        });
    let expected_status = if !errors.is_empty() {
        2
    } else if high {
        1
    } else {
        0
    };
    if json.status != expected_status {
        return Err(format!(
            "exit status {}, expected {expected_status}",
            json.status
        ));
    }

    let text = run(bin, &args, dir.path(), limit_ms)?;
    if text.status != expected_status {
        return Err(format!(
            "text report: exit status {}, expected {expected_status}",
            text.status
        ));
    }
    let shown = String::from_utf8_lossy(&text.stdout);
    if let Some(e) = case.cli.error {
        if !shown.contains(e) {
            return Err(format!("the text report does not show the error {e:?}"));
        }
    }
    for id in case.cli.rules {
        if !shown.contains(&format!("[{id}]")) {
            return Err(format!("the text report does not show {id}"));
        }
    }
    Ok((json, text))
}

#[test]
fn every_hostile_case_gets_a_clear_answer_within_the_bounds() {
    let (bin, given) = binary();
    let limit_ms = time_limit_ms(given);
    let mut failures = vec![];
    let mut table = vec![];
    for case in hostile::cases() {
        match run_case(&case, &bin, limit_ms) {
            Ok((json, text)) => {
                for (format, r) in [("json", &json), ("text", &text)] {
                    let rss = match r.max_rss {
                        Some(b) => format!("{:>6.1} MB", b as f64 / 1e6),
                        None => "   n/a".to_string(),
                    };
                    table.push(format!(
                        "{:<32} {format:<4} exit {} {:>6} ms {rss}",
                        case.name, r.status, r.millis
                    ));
                    if r.millis > limit_ms {
                        failures.push(format!(
                            "{} ({format}): {} ms, over {limit_ms} ms",
                            case.name, r.millis
                        ));
                    }
                    if let Some(rss) = r.max_rss.filter(|&b| b > MEMORY_LIMIT_BYTES) {
                        failures.push(format!(
                            "{} ({format}): peak RSS {rss} bytes, over {MEMORY_LIMIT_BYTES}",
                            case.name
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
    }
    println!(
        "hostile suite, CLI {bin}{}",
        if given {
            String::new()
        } else {
            format!(" (not $SG_CLI: time limit {limit_ms} ms)")
        }
    );
    for row in &table {
        println!("{row}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        hostile::cases().len(),
        failures.join("\n")
    );
}

#[test]
fn case_names_are_unique_and_the_suite_is_large_enough() {
    let cases = hostile::cases();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len());
    assert!(cases.len() >= 30, "{} cases", cases.len());
}

/// The limits are settings of `.secrets-guard.yaml` too; a flag overrides the file.
#[test]
fn the_config_file_sets_the_limits_and_flags_override_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    std::fs::write(
        dir.path().join(".secrets-guard.yaml"),
        "limits:\n  max_line_bytes: 20\n",
    )
    .expect("write config");
    std::fs::write(
        dir.path().join("cm.yaml"),
        "kind: ConfigMap\nmetadata: {name: a-rather-long-name}\n",
    )
    .expect("write input");
    let (bin, _) = binary();
    let scan = |extra: &[&str]| {
        let out = Command::new(&bin)
            .args(["scan", "--format", "json"])
            .args(extra)
            .arg("cm.yaml")
            .current_dir(dir.path())
            .output()
            .expect("run the CLI");
        let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        (out.status.code(), outcome(&report).1)
    };
    let (status, errors) = scan(&[]);
    assert_eq!(status, Some(2));
    assert_eq!(
        errors,
        ["line 2 is 36 bytes long, over the limit max_line_bytes=20 (raise it with --max-line-bytes or the `limits` setting)"]
    );
    let (status, errors) = scan(&["--max-line-bytes", "100"]);
    assert_eq!((status, errors), (Some(0), vec![]));

    std::fs::write(
        dir.path().join(".secrets-guard.yaml"),
        "limits:\n  max_lines: 20\n",
    )
    .expect("write config");
    let out = Command::new(&bin)
        .args(["scan", "cm.yaml"])
        .current_dir(dir.path())
        .output()
        .expect("run the CLI");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown field `max_lines`"), "{stderr}");
}
