//! Text output in the rustc/miette style:
//!
//! ```text
//! high[RBAC-001]: Role grants list or watch on Secrets
//!   --> role.yaml:7:10
//!    |
//!  7 |   verbs: [list]
//!    |           ^^^^ Role app/r grants `list` on secrets
//!    |
//!    = help: Grant only `get` on the Secrets the workload needs, named in `resourceNames`.
//! ```
//!
//! followed by input errors and a one-line summary. Pure: the caller supplies the source texts
//! through a lookup function (file name → text), so the playground can reuse it.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::finding::{Finding, InputError, Report, Severity};

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colors.
    pub color: bool,
    /// List suppressed findings too (marked as such); otherwise they are only counted.
    pub show_suppressed: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";
const CYAN: &str = "\x1b[1;36m";
const ERR: &str = "\x1b[1;31m";

fn severity_style(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;35m",
        Severity::High => "\x1b[1;31m",
        Severity::Medium => "\x1b[1;33m",
        Severity::Low => "\x1b[1;36m",
        Severity::Info => "\x1b[1;32m",
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Lines longer than this (in bytes) are not shown under a finding: a minified JSON file is one
/// line, and quoting megabytes of it for each of its findings would make the report quadratic.
/// The finding's position and message are still printed.
pub const MAX_SHOWN_LINE_BYTES: usize = 1000;

/// Line starts of each source text, computed once per file.
struct Sources<'s, F> {
    lookup: F,
    cache: HashMap<String, Option<(&'s str, Vec<usize>)>>,
}

impl<'s, F: Fn(&str) -> Option<&'s str>> Sources<'s, F> {
    /// Line `line` (1-based) of `file`, without its line break; `None` when it is longer than
    /// [`MAX_SHOWN_LINE_BYTES`].
    fn line(&mut self, file: &str, line: u32) -> Option<&'s str> {
        if line == 0 {
            return None;
        }
        let lookup = &self.lookup;
        let entry = self.cache.entry(file.to_string()).or_insert_with(|| {
            lookup(file).map(|text| {
                let mut starts = vec![0];
                starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
                (text, starts)
            })
        });
        let (text, starts) = entry.as_ref()?;
        let text: &'s str = text;
        let i = usize::try_from(line - 1).ok()?;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(text.len(), |e| e - 1);
        if end.saturating_sub(start) > MAX_SHOWN_LINE_BYTES {
            return None;
        }
        let s = text.get(start..end)?;
        Some(s.strip_suffix('\r').unwrap_or(s))
    }
}

/// Render the report with the given source lookup and color flag.
pub fn render<'s>(
    report: &Report,
    source: impl Fn(&str) -> Option<&'s str>,
    color: bool,
) -> String {
    render_with(
        report,
        source,
        &TextOptions {
            color,
            show_suppressed: false,
        },
    )
}

/// Render the report with explicit options.
pub fn render_with<'s>(
    report: &Report,
    source: impl Fn(&str) -> Option<&'s str>,
    opts: &TextOptions,
) -> String {
    let p = Painter { color: opts.color };
    let mut sources = Sources {
        lookup: source,
        cache: HashMap::new(),
    };
    let mut out = String::new();
    for f in &report.findings {
        if f.suppressed && !opts.show_suppressed {
            continue;
        }
        finding(&mut out, &p, &mut sources, f);
        out.push('\n');
    }
    for e in &report.errors {
        error(&mut out, &p, &mut sources, e);
        out.push('\n');
    }
    out.push_str(&summary_line(report, opts.color));
    out.push('\n');
    out
}

fn finding<'s, F: Fn(&str) -> Option<&'s str>>(
    out: &mut String,
    p: &Painter,
    sources: &mut Sources<'s, F>,
    f: &Finding,
) {
    let sev = severity_style(f.severity);
    let _ = write!(
        out,
        "{}{}",
        p.paint(sev, &format!("{}[{}]", f.severity, f.rule)),
        p.paint(BOLD, &format!(": {}", f.title)),
    );
    if f.suppressed {
        let reason = f.suppression_reason.as_deref().unwrap_or("");
        let _ = write!(out, " (suppressed: {reason})");
    }
    out.push('\n');
    let src = sources.line(&f.file, f.line);
    let gutter = if src.is_some() { digits(f.line) } else { 1 };
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {}",
        p.paint(BLUE, "-->"),
        position(&f.file, f.line, f.column)
    );
    let bar = p.paint(BLUE, "|");
    let _ = writeln!(out, "{pad} {bar}");
    match src {
        Some(text) => {
            let end = if f.end_line == f.line && f.end_column > f.column {
                Some(f.end_column)
            } else {
                None
            };
            snippet(out, p, gutter, f.line, text, f.column, end, sev, &f.message);
            let _ = writeln!(out, "{pad} {bar}");
        }
        None => {
            let _ = writeln!(out, "{pad} {} {}", p.paint(BLUE, "="), f.message);
        }
    }
    if !f.remediation.is_empty() {
        let _ = writeln!(
            out,
            "{pad} {} {}: {}",
            p.paint(BLUE, "="),
            p.paint(CYAN, "help"),
            f.remediation
        );
    }
}

fn error<'s, F: Fn(&str) -> Option<&'s str>>(
    out: &mut String,
    p: &Painter,
    sources: &mut Sources<'s, F>,
    e: &InputError,
) {
    let _ = writeln!(
        out,
        "{}{}",
        p.paint(ERR, "error"),
        p.paint(BOLD, &format!(": {}", e.message))
    );
    let src = sources.line(&e.file, e.line);
    let gutter = if src.is_some() { digits(e.line) } else { 1 };
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {}",
        p.paint(BLUE, "-->"),
        position(&e.file, e.line, e.column)
    );
    if let Some(text) = src {
        let bar = p.paint(BLUE, "|");
        let _ = writeln!(out, "{pad} {bar}");
        snippet(out, p, gutter, e.line, text, e.column, None, ERR, "");
        let _ = writeln!(out, "{pad} {bar}");
    }
}

fn position(file: &str, line: u32, column: u32) -> String {
    match (line, column) {
        (0, _) => file.to_string(),
        (l, 0) => format!("{file}:{l}"),
        (l, c) => format!("{file}:{l}:{c}"),
    }
}

fn digits(n: u32) -> usize {
    n.to_string().len()
}

/// The source line and a caret underline from `col` to `end` (exclusive; `None`: to the end of
/// the line), followed by `label`. Columns are 1-based and count characters.
#[allow(clippy::too_many_arguments)]
fn snippet(
    out: &mut String,
    p: &Painter,
    gutter: usize,
    line: u32,
    text: &str,
    col: u32,
    end: Option<u32>,
    style: &str,
    label: &str,
) {
    // Tabs are shown as one space so that the carets stay aligned with the characters.
    let shown: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let len = shown.chars().count();
    let start = (col.max(1) as usize - 1).min(len);
    let stop = match end {
        Some(e) => (e.max(1) as usize - 1).min(len),
        None => len,
    };
    let width = stop.saturating_sub(start).max(1);
    let _ = writeln!(
        out,
        "{} {} {}",
        p.paint(BLUE, &format!("{line:>gutter$}")),
        p.paint(BLUE, "|"),
        shown.trim_end()
    );
    let marks = p.paint(style, &"^".repeat(width));
    let _ = write!(
        out,
        "{} {} {}{marks}",
        " ".repeat(gutter),
        p.paint(BLUE, "|"),
        " ".repeat(start)
    );
    if !label.is_empty() {
        let _ = write!(out, " {}", p.paint(style, label));
    }
    out.push('\n');
}

/// The closing line: counts by severity, suppressed findings, errors, files and objects.
pub fn summary_line(report: &Report, color: bool) -> String {
    let p = Painter { color };
    let s = &report.summary;
    let mut out = String::new();
    if s.findings == 0 {
        out.push_str(&p.paint(BOLD, "No findings"));
    } else {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|sev| {
                let n = s.by_severity.get(sev).copied().unwrap_or(0);
                (n > 0).then(|| p.paint(severity_style(*sev), &format!("{n} {sev}")))
            })
            .collect();
        let noun = if s.findings == 1 {
            "finding"
        } else {
            "findings"
        };
        out.push_str(&p.paint(BOLD, &format!("Found {} {noun}", s.findings)));
        let _ = write!(out, " ({})", counts.join(", "));
    }
    if s.suppressed > 0 {
        let _ = write!(out, ", {} suppressed", s.suppressed);
    }
    if s.errors > 0 {
        let noun = if s.errors == 1 { "error" } else { "errors" };
        let _ = write!(
            out,
            ", {}",
            p.paint(ERR, &format!("{} input {noun}", s.errors))
        );
    }
    let files = if s.files == 1 { "file" } else { "files" };
    let objects = if s.objects == 1 { "object" } else { "objects" };
    let _ = write!(out, " in {} {files} ({} {objects})", s.files, s.objects);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Settings};

    fn only_rbac001() -> Settings {
        Settings {
            enable: vec!["RBAC-001".into()],
            ..Settings::default()
        }
    }

    const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: app}\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get, list]\n";

    #[test]
    fn caret_under_span() {
        let report = evaluate(&[("role.yaml", ROLE)], &only_rbac001());
        let out = render(&report, |f| (f == "role.yaml").then_some(ROLE), false);
        assert!(
            out.contains("high[RBAC-001]: Role grants list or watch on Secrets\n"),
            "{out}"
        );
        assert!(out.contains(" --> role.yaml:7:16\n"), "{out}");
        assert!(out.contains("7 |   verbs: [get, list]\n"), "{out}");
        assert!(out.contains("  |                ^^^^ Role"), "{out}");
        assert!(out.contains("  = help: "), "{out}");
        assert!(
            out.ends_with("Found 1 finding (1 high) in 1 file (1 object)\n"),
            "{out}"
        );
        assert!(!out.contains('\x1b'));
        let colored = render(&report, |_| Some(ROLE), true);
        assert!(colored.contains("\x1b[1;31mhigh[RBAC-001]"));
    }

    #[test]
    fn without_source_and_with_errors() {
        let bad = "a: [1\n";
        let report = evaluate(&[("role.yaml", ROLE), ("bad.yaml", bad)], &only_rbac001());
        let out = render(&report, |_| None, false);
        assert!(out.contains(" --> role.yaml:7:16\n"), "{out}");
        assert!(out.contains(" = Role"), "{out}");
        assert!(out.contains("error: "), "{out}");
        assert!(out.contains("1 input error"), "{out}");
        let with_src = render(&report, |f| (f == "bad.yaml").then_some(bad), false);
        assert!(with_src.contains(" --> bad.yaml:"), "{with_src}");
    }

    #[test]
    fn odd_positions_do_not_panic() {
        let mut report = evaluate(&[("role.yaml", ROLE)], &only_rbac001());
        let f = report.findings[0].clone();
        for (l, c, el, ec) in [
            (0, 0, 0, 0),
            (99, 1, 99, 5),
            (7, 500, 7, 600),
            (7, 5, 9, 1),
            (1, 0, 1, 0),
        ] {
            let mut g = f.clone();
            (g.line, g.column, g.end_line, g.end_column) = (l, c, el, ec);
            report.findings.push(g);
        }
        let out = render(&report, |_| Some(ROLE), false);
        assert!(out.contains("role.yaml\n"), "{out}");
    }

    #[test]
    fn long_lines_are_not_quoted() {
        // A minified Role: one line of more than MAX_SHOWN_LINE_BYTES.
        let pad = "x".repeat(MAX_SHOWN_LINE_BYTES);
        let text = format!(
            r#"{{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{{"name":"r","namespace":"app","labels":{{"pad":"{pad}"}}}},"rules":[{{"apiGroups":[""],"resources":["secrets"],"verbs":["list"]}}]}}"#
        );
        let report = evaluate(&[("role.json", &text)], &only_rbac001());
        assert!(!report.findings.is_empty());
        let out = render(&report, |_| Some(text.as_str()), false);
        assert!(!out.contains(&pad), "the line is not quoted");
        assert!(out.contains(" --> role.json:1:"), "{out}");
        assert!(out.contains(" = Role `r` rule 0 grants `list`"), "{out}");
    }

    #[test]
    fn suppressed_only_counted_unless_asked() {
        let text = ROLE.replace(
            "namespace: app}",
            "namespace: app, annotations: {secrets-guard.io/ignore: RBAC-001=operator needs it}}",
        );
        let report = evaluate(&[("role.yaml", &text)], &only_rbac001());
        let out = render(&report, |_| Some(text.as_str()), false);
        assert!(!out.contains("RBAC-001"), "{out}");
        assert!(out.contains("No findings, 1 suppressed"), "{out}");
        let opts = TextOptions {
            color: false,
            show_suppressed: true,
        };
        let out = render_with(&report, |_| Some(text.as_str()), &opts);
        assert!(out.contains("(suppressed: operator needs it)"), "{out}");
    }
}
