//! `secrets-guard audit-log FILE...`: the AEV analyses over `audit.k8s.io/v1` Event logs, and
//! a summary of who accessed which Secrets.
//!
//! Files are streamed in chunks through the core's [`Analyzer`], so memory stays flat however
//! large the log is.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use secrets_guard_core::audit_events::{
    looks_like_events, AccessRow, Analyzer, AuditContext, AuditReport, AuditSettings, PolicyCheck,
};
use secrets_guard_core::render::sarif;
use secrets_guard_core::Severity;
use serde_json::{json, Value};

use crate::config::FailOn;
use crate::{columns, inputs, parse_fail_on, write_stdout, UsageError};

pub const AUDIT_LOG_AFTER_HELP: &str = "\
Inputs:
  FILE holds audit.k8s.io/v1 Events as the log backend writes them (one JSON Event per line),
  or EventList JSON as the webhook backend sends it (compact on one line, or pretty-printed).
  `-` reads stdin. Lines that are not Events are reported with their line number and skipped.
  A FILE that does not start with Events is read as manifests (YAML or JSON): an audit
  Policy there (or given with --policy) is cross-checked against every event (AEV-010), and
  Pods and workloads tell which Pods consume Secrets (AEV-008).

Rules:
  AEV-001  critical  Secret data in requestObject/responseObject
  AEV-002  high      cluster-wide list/watch of Secrets by a non-system user
  AEV-003  medium    10 or more distinct Secrets read by one user within 60 s
  AEV-004  critical  anonymous Secret access that succeeded
  AEV-005  medium    5 or more 403s on Secrets by one principal within 60 s
  AEV-006  medium    token minting (serviceaccounts/token, service-account-token Secrets)
  AEV-007  high      Secret access with impersonation
  AEV-008  medium    exec/attach into Pods that consume Secrets
  AEV-009  high      RBAC writes granting Secret reads, bind, escalate or impersonate
  AEV-010  low       Secret events the audit Policy would not log, or log with their data
  `secrets-guard explain AEV-001` shows a rule's documentation.

Exit status:
  0  no finding at or above --fail-on
  1  some finding at or above --fail-on
  2  usage error or unreadable input (malformed lines alone are not an error)";

/// Output format of `audit-log`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
    Sarif,
}

/// `audit-log FILE...`.
#[derive(Args)]
pub struct AuditLogArgs {
    /// Audit log files (JSON lines or EventList JSON), or `-` for stdin.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Output format (SARIF 2.1.0 for code scanning, as `scan` writes it).
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    format: AuditFormat,
    /// Exit 1 when a finding reaches this severity; `none` never fails [default: high].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on)]
    fail_on: Option<FailOn>,
    /// The audit Policy (YAML or JSON) to cross-check every event against.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

/// Largest manifest input read whole (policies and workloads), in bytes.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// Whether `path` holds manifests rather than events (judged from its first 64 KiB).
fn is_manifest_file(path: &PathBuf) -> Result<bool, String> {
    let mut f = std::fs::File::open(path)
        .map_err(|e| format!("{}: cannot read: {e}", inputs::display_path(path)))?;
    let mut prefix = Vec::with_capacity(64 * 1024);
    (&mut f)
        .take(64 * 1024)
        .read_to_end(&mut prefix)
        .map_err(|e| format!("{}: cannot read: {e}", inputs::display_path(path)))?;
    Ok(!looks_like_events(&prefix))
}

/// Read a manifest input whole.
fn read_manifest(path: &PathBuf) -> Result<String, String> {
    let name = inputs::display_path(path);
    let f = std::fs::File::open(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let mut bytes = vec![];
    f.take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(format!(
            "{name}: manifests larger than {MAX_MANIFEST_BYTES} bytes"
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name}: not valid UTF-8"))
}

/// Stream one input into the analyzer.
fn read_into(analyzer: &mut Analyzer, path: &PathBuf) -> Result<(), String> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin {
        "-".to_string()
    } else {
        inputs::display_path(path)
    };
    let mut reader: Box<dyn Read> = if is_stdin {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => return Err(format!("{name}: cannot read: {e}")),
        }
    };
    analyzer.begin_source(&name);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => analyzer.feed(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("{name}: cannot read: {e}")),
        }
    }
}

fn code_label(code: Option<i64>) -> String {
    code.map_or_else(|| "-".to_string(), |c| c.to_string())
}

fn access_table(rows: &[AccessRow]) -> String {
    let header = ["USER", "VERB", "SECRET", "CODE", "COUNT", "FIRST", "LAST"].map(String::from);
    let body = rows.iter().map(|r| {
        [
            r.user.clone(),
            r.verb.clone(),
            r.secret.clone(),
            code_label(r.code),
            r.count.to_string(),
            r.first.clone().unwrap_or_else(|| "-".into()),
            r.last.clone().unwrap_or_else(|| "-".into()),
        ]
    });
    let all: Vec<[String; 7]> = std::iter::once(header).chain(body).collect();
    columns::aligned(&all)
}

fn text(report: &AuditReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out += &format!(
            "{}:{}: {} {} {}: {}\n",
            f.file, f.line, f.severity, f.rule, f.title, f.message
        );
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    if report.access.is_empty() {
        out += "No Secret access in the log.\n";
    } else {
        out += "Secret access:\n";
        out += &access_table(&report.access);
    }
    if let Some(check) = &report.policy_check {
        out += &policy_text(check);
    }
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let n = report.findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    out += &format!(
        "\n{}, {}{}, {}\n",
        plural(report.events, "event"),
        plural(report.findings.len() as u64, "finding"),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        plural(report.malformed_total, "malformed line")
    );
    out
}

/// The audit Policy cross-check: levels, then one row per gap.
fn policy_text(check: &PolicyCheck) -> String {
    let levels: Vec<String> = ["None", "Metadata", "Request", "RequestResponse"]
        .iter()
        .filter_map(|l| check.levels.get(l).map(|n| format!("{n} {l}")))
        .collect();
    let mut out = format!(
        "\nAudit policy {}: of {}, it logs {}\n",
        check.policy,
        plural(check.events, "event"),
        if levels.is_empty() {
            "none".to_string()
        } else {
            levels.join(", ")
        }
    );
    if check.gaps.is_empty() {
        out += "No gaps.\n";
        return out;
    }
    let mut rows = vec![[
        "GAP", "REQUEST", "RULE", "LEVEL", "LOGGED", "COUNT", "FIRST", "HIDES",
    ]
    .map(String::from)
    .to_vec()];
    for g in &check.gaps {
        rows.push(vec![
            g.kind.as_str().to_string(),
            g.request.clone(),
            g.policy_rule
                .map_or_else(|| "-".to_string(), |i| format!("rules[{i}]")),
            g.policy_level.to_string(),
            g.logged_level.clone(),
            g.count.to_string(),
            format!("{}:{}", g.file, g.line),
            if g.hides.is_empty() {
                "-".to_string()
            } else {
                g.hides.join(",")
            },
        ]);
    }
    out += &columns::aligned(&rows);
    if check.gaps_not_kept > 0 {
        out += &format!("({} more events in gaps not listed)\n", check.gaps_not_kept);
    }
    out
}

/// `1 event`, `2 events`.
fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn json_doc(report: &AuditReport, errors: &[String]) -> Value {
    json!({
        "version": secrets_guard_core::VERSION,
        "events": report.events,
        "findings": report.findings,
        "access": report.access,
        "malformed": report.malformed,
        "malformed_total": report.malformed_total,
        "policy_check": report.policy_check,
        "errors": errors,
    })
}

/// Run `audit-log`.
pub fn run(args: AuditLogArgs) -> Result<u8, UsageError> {
    let stdin_count = args.files.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err(UsageError("`-` (stdin) may be given only once".into()));
    }
    let mut errors = Vec::new();
    // Manifests first (--policy, then FILEs that are not event logs), so that the analysis of
    // the events knows them.
    let mut manifests: Vec<(String, String)> = vec![];
    let mut logs: Vec<&PathBuf> = vec![];
    if let Some(p) = &args.policy {
        match read_manifest(p) {
            Ok(text) => manifests.push((inputs::display_path(p), text)),
            Err(e) => return Err(UsageError(format!("--policy {e}"))),
        }
    }
    for path in &args.files {
        if path.as_os_str() == "-" {
            logs.push(path);
            continue;
        }
        match is_manifest_file(path).and_then(|m| {
            if m {
                read_manifest(path).map(Some)
            } else {
                Ok(None)
            }
        }) {
            Ok(Some(text)) => manifests.push((inputs::display_path(path), text)),
            Ok(None) => logs.push(path),
            Err(e) => errors.push(e),
        }
    }
    let sources: Vec<(&str, &str)> = manifests
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let context = AuditContext::from_sources(&sources);
    for e in context.errors() {
        errors.push(format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message));
    }
    if args.policy.is_some() && context.policy().is_none() {
        return Err(UsageError(
            "--policy: no audit.k8s.io Policy in that file".to_string(),
        ));
    }
    if context.policy_count() > 1 {
        eprintln!(
            "warning: {} audit Policies given; only the first ({}) is cross-checked",
            context.policy_count(),
            context.policy_file().unwrap_or("")
        );
    }
    let mut analyzer = Analyzer::with_context(AuditSettings::default(), context);
    for path in logs {
        if let Err(e) = read_into(&mut analyzer, path) {
            errors.push(e);
        }
    }
    let report = analyzer.finish();
    for e in &errors {
        eprintln!("error: {e}");
    }
    for m in &report.malformed {
        eprintln!("warning: {}:{}: skipped: {}", m.file, m.line, m.message);
    }
    let hidden = report.malformed_total - report.malformed.len() as u64;
    if hidden > 0 {
        eprintln!("warning: {hidden} more malformed lines skipped");
    }
    match args.format {
        AuditFormat::Text => write_stdout(&text(&report)),
        AuditFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&json_doc(&report, &errors)).unwrap_or_default();
            s.push('\n');
            write_stdout(&s);
        }
        AuditFormat::Sarif => write_stdout(&sarif::render_audit(&report, &errors)),
    }
    if !errors.is_empty() {
        return Ok(2);
    }
    let fails = match args.fail_on.unwrap_or(FailOn::Severity(Severity::High)) {
        FailOn::Never => false,
        FailOn::Severity(t) => report.max_severity().is_some_and(|s| s >= t),
    };
    Ok(u8::from(fails))
}
