//! `secrets-guard-host`: run a Kubewarden policy without a cluster, like `kwctl run`.
//!
//! ```text
//! secrets-guard-host run --request-path R.json [--settings-json '{...}' | --settings-path S.json]
//!     [--replay-host-capabilities-interactions session.yml] [--raw] [--verbose] policy.wasm
//! ```
//!
//! `R.json` is an `AdmissionRequest` (the `request` part of an `AdmissionReview`; a whole
//! `AdmissionReview` is unwrapped too) or, with `--raw`, any document to send as the raw
//! request. Settings may be JSON or YAML. The policy runs in the same engine as Kubewarden's
//! policy-server (wapc + wasmtime, WASI): `protocol_version`, then `validate_settings`, then
//! `validate`, each in a fresh instance. The output is the `AdmissionReview` response the API
//! server would receive. Exit status: 0 when the policy answered (accepted or not), 1 when the
//! settings are invalid, 2 on usage or host errors.

use std::path::PathBuf;
use std::process::ExitCode;

use secrets_guard_tests::host::{PolicyHost, ReplaySession};
use serde_json::Value;

const USAGE: &str = "usage: secrets-guard-host run --request-path R.json \
[--settings-json '{...}' | --settings-path S.json] \
[--replay-host-capabilities-interactions session.yml] [--raw] [--verbose] policy.wasm";

struct Args {
    request_path: PathBuf,
    settings: Option<String>,
    settings_path: Option<PathBuf>,
    session: Option<PathBuf>,
    raw: bool,
    verbose: bool,
    policy: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    match it.next().as_deref() {
        Some("run") => {}
        Some("-h" | "--help") | None => return Err(USAGE.into()),
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
    }
    let mut request_path = None;
    let mut settings = None;
    let mut settings_path = None;
    let mut session = None;
    let mut raw = false;
    let mut verbose = false;
    let mut policy = None;
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-r" | "--request-path" => request_path = Some(PathBuf::from(value(&a)?)),
            "--settings-json" => settings = Some(value(&a)?),
            "--settings-path" => settings_path = Some(PathBuf::from(value(&a)?)),
            "--replay-host-capabilities-interactions" => session = Some(PathBuf::from(value(&a)?)),
            "--raw" => raw = true,
            "-v" | "--verbose" => verbose = true,
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`\n{USAGE}")),
            s => {
                if policy.replace(PathBuf::from(s)).is_some() {
                    return Err(format!("only one policy file\n{USAGE}"));
                }
            }
        }
    }
    if settings.is_some() && settings_path.is_some() {
        return Err("--settings-json and --settings-path exclude each other".into());
    }
    Ok(Args {
        request_path: request_path.ok_or_else(|| format!("--request-path is required\n{USAGE}"))?,
        settings,
        settings_path,
        session,
        raw,
        verbose,
        policy: policy.ok_or_else(|| format!("the policy .wasm is required\n{USAGE}"))?,
    })
}

/// JSON, or YAML for files written by hand.
fn parse_doc(text: &str, what: &str) -> Result<Value, String> {
    match serde_json::from_str(text) {
        Ok(v) => Ok(v),
        Err(json_err) => serde_yaml::from_str::<Value>(text)
            .map_err(|_| format!("{what} is neither JSON nor YAML: {json_err}")),
    }
}

fn run(args: Args) -> Result<ExitCode, String> {
    let request_text = std::fs::read_to_string(&args.request_path)
        .map_err(|e| format!("{}: {e}", args.request_path.display()))?;
    let mut request = parse_doc(&request_text, "the request")?;
    if !args.raw && request.get("kind").and_then(Value::as_str) == Some("AdmissionReview") {
        if let Some(inner) = request.get("request").cloned() {
            request = inner;
        }
    }
    let settings_text = match (&args.settings, &args.settings_path) {
        (Some(s), _) => s.clone(),
        (None, Some(p)) => {
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?
        }
        (None, None) => "{}".into(),
    };
    let settings = parse_doc(&settings_text, "the settings")?;
    let session = match &args.session {
        Some(p) => ReplaySession::from_path(p).map_err(|e| e.to_string())?,
        None => ReplaySession::empty(),
    };
    let host = PolicyHost::load_path(&args.policy, session).map_err(|e| e.to_string())?;

    let version = host.protocol_version().map_err(|e| e.to_string())?;
    if version != "v1" {
        return Err(format!("unsupported policy protocol version `{version}`"));
    }
    let settings_bytes = serde_json::to_vec(&settings).unwrap_or_default();
    let sv = host
        .validate_settings(&settings_bytes)
        .map_err(|e| e.to_string())?;
    if !sv.valid {
        eprintln!(
            "invalid settings: {}",
            sv.message.unwrap_or_else(|| "(no message)".into())
        );
        return Ok(ExitCode::from(1));
    }
    let resp = host
        .validate(&request, &settings)
        .map_err(|e| e.to_string())?;
    let uid = if args.raw {
        ""
    } else {
        request.get("uid").and_then(Value::as_str).unwrap_or("")
    };
    let review = resp.admission_review(uid);
    println!(
        "{}",
        serde_json::to_string(&review).unwrap_or_else(|_| "{}".into())
    );
    if args.verbose {
        let log = host.take_log();
        for c in &log.calls {
            eprintln!(
                "host call {}/{}/{} {} -> {}",
                c.binding,
                c.namespace,
                c.operation,
                c.payload,
                match c.answered_by {
                    Some(i) => format!("exchange {i}"),
                    None => "error (not recorded)".into(),
                }
            );
        }
        for l in &log.logs {
            eprintln!("policy log: {l}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("secrets-guard-host: {e}");
            ExitCode::from(2)
        }
    }
}
