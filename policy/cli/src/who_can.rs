//! `secrets-guard who-can`: who can read Secrets, and what one identity can reach.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use secrets_guard_core::k8s::who_can::{self, AccessEntry, Identity};
use secrets_guard_core::{Evaluator, InputError, Settings};
use serde_json::{json, Value};

use crate::{inputs, read_input, write_stdout, ListFormat, UsageError};

pub const WHO_CAN_AFTER_HELP: &str = "\
How:
  direct      get, list or watch on secrets (\"limited: …\" when resourceNames names the Secrets)
  implicit    create Pods or workload controllers, pods/exec or pods/attach, nodes/proxy
  escalation  impersonate, serviceaccounts/token or secrets create, escalate, CSR approval,
              webhook configuration writes, and create/update bindings together with bind

Inputs:
  PATH may be a file, a directory (its .yaml, .yml and .json files, recursively) or `-` for
  stdin. With no PATH, stdin is read when it is not a terminal, else the current directory.
  Built-in ClusterRoles cluster-admin, admin, edit and view are known.

Exit status:
  0  the answer was printed
  2  usage error, or an input error (what could be read is still answered)";

/// `who-can read-secrets …` or `who-can --subject …`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WhoCanArgs {
    #[command(subcommand)]
    command: Option<WhoCanCommand>,
    /// The identity whose reach is shown: a user name, e.g. `jane` or
    /// `system:serviceaccount:app:api`.
    #[arg(long, value_name = "USER")]
    subject: Option<String>,
    /// A group of that identity (repeatable); `system:authenticated` and, for ServiceAccounts,
    /// `system:serviceaccounts[:<ns>]` are added as the apiserver does.
    #[arg(long = "group", value_name = "GROUP", requires = "subject")]
    groups: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    /// Files, directories, or `-` for stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum WhoCanCommand {
    /// Every subject that can read Secrets: directly, implicitly or by escalation.
    ReadSecrets {
        /// Only what applies in this namespace (its own grants and the cluster-wide ones).
        #[arg(short = 'n', long, value_name = "NS")]
        namespace: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Files, directories, or `-` for stdin.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// Read every input into an evaluator; return its inventory and all input errors.
fn load(paths: &[PathBuf]) -> (secrets_guard_core::Inventory, Vec<InputError>) {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(if std::io::stdin().is_terminal() {
            "."
        } else {
            "-"
        })]
    } else {
        paths.to_vec()
    };
    let settings = Settings::default();
    let (inputs, mut errors) = inputs::collect(&paths);
    let mut ev = Evaluator::new(&settings);
    ev.keep_inventory();
    for input in &inputs {
        match read_input(input, settings.limits.max_input_bytes) {
            Ok(bytes) => ev.add_bytes(&input.display(), &bytes),
            Err(e) => errors.push(e),
        }
    }
    let (inv, more) = ev.into_inventory();
    errors.extend(more);
    (inv, errors)
}

/// `direct`, `direct (limited: a, b)`, `implicit`, `escalation`.
fn how_label(e: &AccessEntry) -> String {
    if e.is_limited() {
        format!("{} (limited: {})", e.how, e.secrets.join(", "))
    } else {
        e.how.to_string()
    }
}

fn table(entries: &[AccessEntry]) -> String {
    let header = ["SUBJECT", "SCOPE", "HOW", "PATH"].map(String::from);
    let body = entries.iter().map(|e| {
        [
            e.subject_label(),
            e.scope_label().to_string(),
            how_label(e),
            e.path.clone(),
        ]
    });
    let all: Vec<[String; 4]> = std::iter::once(header).chain(body).collect();
    crate::columns::aligned(&all)
}

fn entry_json(e: &AccessEntry) -> Value {
    json!({
        "subject": {
            "kind": e.subject.kind,
            "name": e.subject.name,
            "namespace": e.subject.namespace,
        },
        "scope": e.scope_label(),
        "how": e.how.as_str(),
        "what": e.what,
        "limited": e.is_limited(),
        "secrets": e.secrets,
        "path": e.path,
    })
}

fn errors_json(errors: &[InputError]) -> Vec<Value> {
    errors
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.column, "message": e.message}))
        .collect()
}

fn print(
    entries: &[AccessEntry],
    errors: &[InputError],
    format: ListFormat,
    query: Value,
    empty: &str,
) {
    for e in errors {
        if e.line == 0 {
            eprintln!("error: {}: {}", e.file, e.message);
        } else {
            eprintln!("error: {}:{}:{}: {}", e.file, e.line, e.column, e.message);
        }
    }
    match format {
        ListFormat::Json => {
            let doc = json!({
                "query": query,
                "entries": entries.iter().map(entry_json).collect::<Vec<_>>(),
                "errors": errors_json(errors),
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            write_stdout(&s);
        }
        ListFormat::Text if entries.is_empty() => write_stdout(&format!("{empty}\n")),
        ListFormat::Text => write_stdout(&table(entries)),
    }
}

/// Run `who-can`.
pub fn run(args: WhoCanArgs) -> Result<u8, UsageError> {
    let (entries, errors, format, query, empty) = match (args.command, args.subject) {
        (
            Some(WhoCanCommand::ReadSecrets {
                namespace,
                format,
                paths,
            }),
            _,
        ) => {
            let (inv, errors) = load(&paths);
            let mut entries = who_can::who_can_read_secrets(&inv);
            if let Some(ns) = &namespace {
                entries = who_can::in_namespace(entries, ns);
            }
            let empty = match &namespace {
                Some(ns) => format!("No subject can read Secrets in namespace {ns}."),
                None => "No subject can read Secrets.".to_string(),
            };
            let query = json!({"read_secrets": true, "namespace": namespace});
            (entries, errors, format, query, empty)
        }
        (None, Some(user)) => {
            if user.is_empty() {
                return Err(UsageError("--subject must not be empty".into()));
            }
            let who = Identity {
                user,
                groups: args.groups,
            };
            let (inv, errors) = load(&args.paths);
            let entries = who_can::reach_of(&inv, &who);
            let empty = format!("{} cannot read Secrets.", who.user);
            let query = json!({"subject": who.user, "groups": who.groups});
            (entries, errors, args.format, query, empty)
        }
        (None, None) => return Err(UsageError(
            "who-can needs `read-secrets` or `--subject USER` (see `secrets-guard who-can --help`)"
                .into(),
        )),
    };
    print(&entries, &errors, format, query, &empty);
    Ok(if errors.is_empty() { 0 } else { 2 })
}
