//! `secrets-guard`: scan Kubernetes manifests for Secrets security problems.

mod audit_log;
mod columns;
mod config;
mod envelope;
mod inputs;
mod who_can;

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrets_guard_core::render::{json, sarif, text};
use secrets_guard_core::{
    registry, Area, Evaluator, InputError, Report, RuleInput, Settings, Severity,
};

use config::{CliKeys, FailOn};
use inputs::Input;

const SCAN_AFTER_HELP: &str = "\
Inputs:
  PATH may be a file (read whatever its extension), a directory (its .yaml, .yml and .json files,
  recursively, in sorted order; hidden files and directories such as .git are skipped, symlinked
  directories are not followed) or `-` for stdin. With no PATH, stdin is read when it is not a
  terminal (and the current directory is scanned instead when stdin turns out to be empty);
  on a terminal the current directory is scanned.

Configuration:
  .secrets-guard.yaml (or .yml) is looked for in the current directory, then its parents up to
  the git root or the filesystem root, unless --config or --no-config is given. Keys: enable,
  disable, severity_overrides, exempt_namespaces, min_severity,
  honor_suppression_annotations, limits, and fail_on (CLI only). --select replaces `enable`
  (and re-enables what the file disables by the same name); --ignore adds to `disable`; the
  other flags override the file.

Exit status:
  0  no unsuppressed finding at or above --fail-on
  1  some unsuppressed finding at or above --fail-on
  2  usage error, bad configuration, or any input error (unreadable file, invalid UTF-8, YAML
     error, suppression annotation without a reason, ...). Input errors take precedence over
     findings: everything readable is still evaluated and reported, but the exit status is 2.";

#[derive(Parser)]
#[command(
    name = "secrets-guard",
    version,
    about = "Find Kubernetes Secrets security problems in YAML/JSON manifests",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan manifests and report findings.
    #[command(after_help = SCAN_AFTER_HELP)]
    Scan(ScanArgs),
    /// List every rule: id, severity, area, title.
    Rules(RulesArgs),
    /// Show a rule's documentation.
    Explain {
        /// A rule id, e.g. RBAC-001.
        #[arg(value_name = "RULE-ID")]
        id: String,
    },
    /// Decrypt, encrypt and inspect the values kube-apiserver stores in etcd.
    #[command(after_help = envelope::ENVELOPE_AFTER_HELP)]
    Envelope {
        #[command(subcommand)]
        command: envelope::EnvelopeCommand,
    },
    /// Who can read Secrets (`who-can read-secrets`), or what one identity can reach
    /// (`who-can --subject USER`).
    #[command(after_help = who_can::WHO_CAN_AFTER_HELP)]
    WhoCan(who_can::WhoCanArgs),
    /// Analyse audit.k8s.io/v1 Event logs: AEV findings and who accessed which Secrets.
    #[command(after_help = audit_log::AUDIT_LOG_AFTER_HELP)]
    AuditLog(audit_log::AuditLogArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct ScanArgs {
    /// Files, directories, or `-` for stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Drop findings below this severity (critical, high, medium, low, info).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    min_severity: Option<Severity>,
    /// Exit 1 when an unsuppressed finding reaches this severity; `none` never fails
    /// [default: high].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on)]
    fail_on: Option<FailOn>,
    /// Run only these rules: ids, areas or prefixes such as `RBAC-*` (comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules: ids, areas or prefixes (comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Config file (default: .secrets-guard.yaml, discovered).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Do not look for a config file.
    #[arg(long)]
    no_config: bool,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// List suppressed findings in text output (they are always in JSON and SARIF).
    #[arg(long)]
    show_suppressed: bool,
    /// Colors in text output (auto: only on a terminal, and never when NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Largest input (one file or stdin), in bytes [default: 67108864].
    #[arg(long, value_name = "BYTES")]
    max_input_bytes: Option<usize>,
    /// Longest line, in bytes [default: 4194304].
    #[arg(long, value_name = "BYTES")]
    max_line_bytes: Option<usize>,
    /// Largest single YAML/JSON document, in characters, alias expansion included
    /// [default: 16777216].
    #[arg(long, value_name = "CHARS")]
    max_document_chars: Option<usize>,
    /// Deepest nesting of mappings and sequences [default: 128].
    #[arg(long, value_name = "N")]
    max_depth: Option<usize>,
    /// Most nodes YAML alias expansion may add to one document; 0 refuses aliases
    /// [default: 100000].
    #[arg(long, value_name = "N")]
    max_alias_nodes: Option<usize>,
    /// Most documents in one input [default: 200000].
    #[arg(long, value_name = "N")]
    max_documents: Option<usize>,
}

#[derive(Args)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse()
}

/// A usage or configuration error: printed on stderr, exit status 2.
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules(args) => rules(&args),
        Command::Explain { id } => explain(&id),
        Command::Envelope { command } => envelope::run(command).map_err(UsageError),
        Command::WhoCan(args) => who_can::run(args),
        Command::AuditLog(args) => audit_log::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// The closest known rule id or area to `wanted`, if it is close enough.
///
/// An id with the right prefix and number but other zero padding (`RBAC-01`, `rbac-1`) names that
/// rule. Otherwise the most similar candidate wins; ties go to the first in registry order, so the
/// answer does not depend on how many similar ids happen to exist.
fn suggestion(wanted: &str) -> Option<String> {
    let wanted = wanted.trim().to_ascii_uppercase();
    let number = |id: &str| -> Option<(String, u32)> {
        let (prefix, digits) = id.rsplit_once('-')?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((prefix.to_string(), digits.parse().ok()?))
    };
    if let Some(n) = number(&wanted) {
        if let Some(m) = registry::all_metas()
            .iter()
            .find(|m| number(m.id).as_ref() == Some(&n))
        {
            return Some(m.id.to_string());
        }
    }
    let candidates = registry::all_metas()
        .iter()
        .map(|m| m.id.to_string())
        .chain(Area::ALL.iter().map(|a| a.as_str().to_string()));
    let mut best: Option<(f64, String)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(&wanted, &c.to_ascii_uppercase());
        if score >= 0.6 && best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

fn unknown(what: &str, id: &str) -> UsageError {
    let mut msg = format!("unknown {what} `{id}`");
    if let Some(s) = suggestion(id) {
        msg += &format!("; did you mean `{s}`?");
    }
    msg += " (see `secrets-guard rules`)";
    UsageError(msg)
}

fn explain(id: &str) -> Result<u8, UsageError> {
    let meta = registry::find_meta(id.trim()).ok_or_else(|| unknown("rule id", id))?;
    print!("{}", meta.explain());
    Ok(0)
}

fn rules(args: &RulesArgs) -> Result<u8, UsageError> {
    let all = registry::all_metas();
    let out = match args.format {
        ListFormat::Json => {
            let list: Vec<_> = all
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "name": m.name,
                        "title": m.title,
                        "severity": m.severity,
                        "area": m.area,
                        "cis": m.cis,
                        "peers": m.peers,
                        "remediation": m.remediation,
                        "kinds": m.kinds,
                        "cross_object": m.is_cross_object(),
                        "input": match m.input {
                            RuleInput::Manifests => "manifests",
                            RuleInput::AuditEvents => "audit-events",
                        },
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
        ListFormat::Text => {
            let header = ["ID", "SEVERITY", "AREA", "TITLE"];
            let rows: Vec<[String; 4]> = all
                .iter()
                .map(|m| {
                    [
                        m.id.to_string(),
                        m.severity.to_string(),
                        m.area.to_string(),
                        m.title.to_string(),
                    ]
                })
                .collect();
            let mut widths = header.map(str::len);
            for row in &rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.len());
                }
            }
            let line = |cells: [&str; 4]| {
                format!(
                    "{:w0$}  {:w1$}  {:w2$}  {}\n",
                    cells[0],
                    cells[1],
                    cells[2],
                    cells[3],
                    w0 = widths[0],
                    w1 = widths[1],
                    w2 = widths[2]
                )
            };
            let mut out = line(header);
            for row in &rows {
                out += &line([&row[0], &row[1], &row[2], &row[3]]);
            }
            let noun = if rows.len() == 1 { "rule" } else { "rules" };
            out += &format!("\n{} {noun}\n", rows.len());
            out
        }
    };
    write_stdout(&out);
    Ok(0)
}

fn write_stdout(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// Settings from the config file (if any) and the flags.
fn settings_for(args: &ScanArgs) -> Result<(Settings, CliKeys), UsageError> {
    let file = if args.no_config {
        None
    } else if let Some(f) = &args.config {
        Some(f.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d))
    };
    let (mut settings, keys) = match &file {
        Some(f) => {
            let text = std::fs::read_to_string(f)
                .map_err(|e| UsageError(format!("cannot read config file {}: {e}", f.display())))?;
            config::parse(&text)
                .map_err(|e| UsageError(format!("config file {}: {e}", f.display())))?
        }
        None => (Settings::default(), CliKeys::default()),
    };
    let clean = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let select = clean(&args.select);
    let ignore = clean(&args.ignore);
    for sel in select.iter().chain(&ignore) {
        let probe = Settings {
            enable: vec![sel.clone()],
            ..Settings::default()
        };
        if probe.validate().is_err() {
            return Err(unknown("rule id or area", sel));
        }
    }
    if !select.is_empty() {
        // The command line wins over the file: what is selected here is not disabled there.
        settings
            .disable
            .retain(|d| !select.iter().any(|s| s.eq_ignore_ascii_case(d)));
        settings.enable = select;
    }
    settings.disable.extend(ignore);
    if let Some(s) = args.min_severity {
        settings.min_severity = s;
    }
    let l = &mut settings.limits;
    if let Some(v) = args.max_input_bytes {
        l.max_input_bytes = v;
    }
    if let Some(v) = args.max_line_bytes {
        l.max_line_bytes = v;
    }
    if let Some(v) = args.max_document_chars {
        l.max_document_chars = v;
    }
    if let Some(v) = args.max_depth {
        l.max_depth = v;
    }
    if let Some(v) = args.max_alias_nodes {
        l.max_alias_nodes = v;
    }
    if let Some(v) = args.max_documents {
        l.max_documents = v;
    }
    settings.validate().map_err(UsageError)?;
    Ok((settings, keys))
}

fn over_limit(name: &str, len: u64, limit: usize) -> InputError {
    InputError {
        file: name.to_string(),
        line: 1,
        column: 1,
        message: format!(
            "input is {len} bytes, over the limit max_input_bytes={limit} (raise it with --max-input-bytes or the `limits` setting)"
        ),
    }
}

/// Read an input, at most `limit + 1` bytes of it.
fn read_input(input: &Input, limit: usize) -> Result<Vec<u8>, InputError> {
    let cap = (limit as u64).saturating_add(1);
    let mut buf = vec![];
    let name = input.display();
    let res = match input {
        Input::Stdin => std::io::stdin().lock().take(cap).read_to_end(&mut buf),
        Input::File(p) => {
            if let Ok(m) = std::fs::metadata(p) {
                if m.len() > limit as u64 {
                    return Err(over_limit(&name, m.len(), limit));
                }
            }
            std::fs::File::open(p).and_then(|f| f.take(cap).read_to_end(&mut buf))
        }
    };
    match res {
        Ok(_) if buf.len() > limit => Err(over_limit(&name, buf.len() as u64, limit)),
        Ok(_) => Ok(buf),
        Err(e) => Err(match input {
            Input::File(p) => inputs::io_error(p, &e),
            Input::Stdin => InputError {
                file: name,
                line: 0,
                column: 0,
                message: format!("cannot read stdin: {e}"),
            },
        }),
    }
}

fn progress_bar(len: usize, show: bool) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files  {wide_msg}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

fn scan(args: ScanArgs) -> Result<u8, UsageError> {
    let (settings, keys) = settings_for(&args)?;
    let fail_on = args
        .fail_on
        .or(keys.fail_on)
        .unwrap_or(FailOn::Severity(Severity::High));

    let stdin_piped = !std::io::stdin().is_terminal();
    let implicit_stdin = args.paths.is_empty() && stdin_piped;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(if stdin_piped { "-" } else { "." })]
    } else {
        args.paths.clone()
    };
    let (mut inputs, mut cli_errors) = inputs::collect(&paths);

    let keep_text = args.format == Format::Text;
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut ev = Evaluator::new(&settings);
    let limit = settings.limits.max_input_bytes;

    let to_stdout = args.output.is_none();
    let show_bar = inputs.len() > 20
        && std::io::stderr().is_terminal()
        && !(to_stdout && args.format != Format::Text);

    let mut i = 0;
    let mut bar = None;
    while i < inputs.len() {
        let input = inputs[i].clone();
        let name = input.display();
        let bytes = match read_input(&input, limit) {
            Ok(b) => b,
            Err(e) => {
                cli_errors.push(e);
                i += 1;
                continue;
            }
        };
        if implicit_stdin && input == Input::Stdin && bytes.is_empty() {
            // `secrets-guard scan` in CI, where stdin is not a terminal but empty.
            let (more, errs) = inputs::collect(&[PathBuf::from(".")]);
            inputs.extend(more);
            cli_errors.extend(errs);
            i += 1;
            continue;
        }
        if bar.is_none() && show_bar && inputs.len() > 20 {
            bar = progress_bar(inputs.len(), true);
        }
        if let Some(b) = &bar {
            b.set_position(i as u64);
            b.set_message(name.clone());
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                ev.add_source(&name, &text);
                if keep_text {
                    texts.insert(name, text);
                }
            }
            Err(e) => ev.add_bytes(&name, e.as_bytes()),
        }
        i += 1;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let mut report = ev.finish();
    merge_errors(&mut report, cli_errors, &inputs, &paths);

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let rendered = match args.format {
        Format::Text => text::render_with(
            &report,
            |f| texts.get(f).map(String::as_str),
            &text::TextOptions {
                color,
                show_suppressed: args.show_suppressed,
            },
        ),
        Format::Json => json::render(&report),
        Format::Sarif => sarif::render(
            &report,
            &sarif::SarifOptions {
                information_uri: Some(env!("CARGO_PKG_REPOSITORY")),
            },
        ),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => write_stdout(&rendered),
    }

    Ok(if !report.errors.is_empty() {
        2
    } else if matches!(fail_on, FailOn::Severity(s) if report.fails(s)) {
        1
    } else {
        0
    })
}

/// Add the errors of inputs that could not be read to the report, in input order.
fn merge_errors(
    report: &mut Report,
    cli_errors: Vec<InputError>,
    inputs: &[Input],
    paths: &[PathBuf],
) {
    if cli_errors.is_empty() {
        return;
    }
    let mut order: HashMap<String, usize> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        order.entry(inputs::display_path(p)).or_insert(i);
    }
    let base = paths.len();
    for (i, input) in inputs.iter().enumerate() {
        order.entry(input.display()).or_insert(base + i);
    }
    // Inputs that could not be read count as files: they were asked for.
    report.summary.files += cli_errors.len();
    report.errors.extend(cli_errors);
    report
        .errors
        .sort_by_key(|e| order.get(&e.file).copied().unwrap_or(usize::MAX));
    report.summary.errors = report.errors.len();
}
