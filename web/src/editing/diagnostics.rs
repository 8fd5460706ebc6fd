//! The evaluation's findings and input errors, indexed by line for the editor: a gutter marker
//! per line, underline pieces per line, and the findings to list in a line's tooltip.

use std::collections::{BTreeMap, HashMap};

use secrets_guard_core::{Finding, Report, Severity};

/// The gutter marker of a line: the highest severity among the findings that start there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub severity: Severity,
    /// How many findings start on the line.
    pub count: usize,
}

/// The piece of one finding's span that lies on one line: characters `start..end` (0-based;
/// `end` is `usize::MAX` when the span goes on past the end of the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deco {
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    pub rule: &'static str,
    /// Index of the finding in `Report::findings`.
    pub finding: usize,
}

/// Findings and errors of one evaluation, by 1-based line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    markers: BTreeMap<u32, Marker>,
    decorations: HashMap<u32, Vec<Deco>>,
    /// Indices into `Report::errors`, by line.
    errors: BTreeMap<u32, Vec<usize>>,
}

impl Diagnostics {
    /// Index the unsuppressed findings and the errors of `report` that point into `file`.
    pub fn new(report: &Report, file: &str) -> Diagnostics {
        let mut d = Diagnostics::default();
        for (i, f) in report.findings.iter().enumerate() {
            if f.suppressed || f.file != file || f.line == 0 {
                continue;
            }
            d.markers
                .entry(f.line)
                .and_modify(|m| {
                    m.severity = m.severity.max(f.severity);
                    m.count += 1;
                })
                .or_insert(Marker {
                    severity: f.severity,
                    count: 1,
                });
            for (line, start, end) in pieces(f) {
                d.decorations.entry(line).or_default().push(Deco {
                    start,
                    end,
                    severity: f.severity,
                    rule: f.rule,
                    finding: i,
                });
            }
        }
        for (i, e) in report.errors.iter().enumerate() {
            if e.file == file {
                d.errors.entry(e.line.max(1)).or_default().push(i);
            }
        }
        d
    }

    /// The marker of 1-based `line`, if findings start there.
    pub fn marker(&self, line: u32) -> Option<Marker> {
        self.markers.get(&line).copied()
    }

    /// Every marker, by line.
    pub fn markers(&self) -> impl Iterator<Item = (u32, Marker)> + '_ {
        self.markers.iter().map(|(l, m)| (*l, *m))
    }

    /// The underline pieces on 1-based `line`.
    pub fn decorations(&self, line: u32) -> &[Deco] {
        self.decorations.get(&line).map_or(&[], Vec::as_slice)
    }

    /// Indices (into `Report::errors`) of the errors on 1-based `line`.
    pub fn errors_on(&self, line: u32) -> &[usize] {
        self.errors.get(&line).map_or(&[], Vec::as_slice)
    }

    /// Every line with an error, with the errors' indices.
    pub fn error_lines(&self) -> impl Iterator<Item = (u32, &[usize])> + '_ {
        self.errors.iter().map(|(l, e)| (*l, e.as_slice()))
    }

    /// The findings underlined on 1-based `line` (their spans start on it or run across it),
    /// most severe first, then by column.
    pub fn findings_on<'r>(&self, report: &'r Report, line: u32) -> Vec<&'r Finding> {
        let mut seen: Vec<usize> = self.decorations(line).iter().map(|d| d.finding).collect();
        seen.dedup();
        let mut out: Vec<&Finding> = seen.into_iter().map(|i| &report.findings[i]).collect();
        out.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.line.cmp(&b.line))
                .then(a.column.cmp(&b.column))
                .then(a.rule.cmp(b.rule))
        });
        out.dedup_by(|a, b| std::ptr::eq(*a, *b));
        out
    }
}

/// The per-line pieces `(line, start, end)` of a finding's span (0-based character columns,
/// `end` exclusive). A span that is empty is widened to one character, so that it shows.
fn pieces(f: &Finding) -> Vec<(u32, usize, usize)> {
    let col = |c: u32| c.saturating_sub(1) as usize;
    let (line, end_line) = (f.line, f.end_line.max(f.line));
    if end_line == line {
        let start = col(f.column);
        let end = col(f.end_column).max(start + 1);
        return vec![(line, start, end)];
    }
    let mut out = vec![(line, col(f.column), usize::MAX)];
    for l in line + 1..end_line {
        out.push((l, 0, usize::MAX));
    }
    // A span that ends at column 1 ends with the previous line's break: nothing on this line.
    if f.end_column > 1 {
        out.push((end_line, 0, col(f.end_column)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real finding from the core (so new fields need no change here), moved and renamed.
    fn finding(rule: &'static str, severity: Severity, span: (u32, u32, u32, u32)) -> Finding {
        let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: app\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"list\"]\n";
        let report = secrets_guard_core::evaluate(&[("f.yaml", role)], &Default::default());
        let mut f = report
            .findings
            .into_iter()
            .next()
            .expect("the Role raises a finding");
        f.rule = rule;
        f.severity = severity;
        (f.line, f.column, f.end_line, f.end_column) = span;
        f.suppressed = false;
        f
    }

    /// A report with `findings` and the core's own parse error on line 7.
    fn report(findings: Vec<Finding>) -> Report {
        let broken = "a: 1\n---\nb: 2\n---\nc: 3\n---\nkey: value: other\n";
        let mut r = secrets_guard_core::evaluate(&[("f.yaml", broken)], &Default::default());
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        r.findings = findings;
        r
    }

    #[test]
    fn markers_take_the_highest_severity_of_the_line() {
        let r = report(vec![
            finding("RBAC-002", Severity::Medium, (23, 13, 23, 18)),
            finding("RBAC-001", Severity::High, (23, 20, 23, 26)),
            finding("OBJ-007", Severity::Low, (18, 14, 18, 21)),
        ]);
        let d = Diagnostics::new(&r, "f.yaml");
        assert_eq!(
            d.marker(23),
            Some(Marker {
                severity: Severity::High,
                count: 2
            })
        );
        assert_eq!(d.marker(18).unwrap().severity, Severity::Low);
        assert_eq!(d.marker(19), None);
        assert_eq!(d.markers().map(|(l, _)| l).collect::<Vec<_>>(), [18, 23]);
    }

    #[test]
    fn decorations_use_zero_based_character_columns() {
        let r = report(vec![finding("RBAC-001", Severity::High, (23, 20, 23, 26))]);
        let d = Diagnostics::new(&r, "f.yaml");
        assert_eq!(
            d.decorations(23),
            [Deco {
                start: 19,
                end: 25,
                severity: Severity::High,
                rule: "RBAC-001",
                finding: 0
            }]
        );
        assert!(d.decorations(22).is_empty());
    }

    #[test]
    fn multi_line_spans_are_cut_per_line() {
        let r = report(vec![
            finding("A", Severity::Info, (3, 5, 5, 4)),
            finding("B", Severity::Info, (8, 2, 10, 1)),
        ]);
        let d = Diagnostics::new(&r, "f.yaml");
        let span = |l| {
            d.decorations(l)
                .iter()
                .map(|x| (x.start, x.end))
                .collect::<Vec<_>>()
        };
        assert_eq!(span(3), [(4, usize::MAX)]);
        assert_eq!(span(4), [(0, usize::MAX)]);
        assert_eq!(span(5), [(0, 3)]);
        assert_eq!(span(9), [(0, usize::MAX)]);
        assert!(span(10).is_empty(), "ends at column 1: nothing on line 10");
        assert_eq!(d.marker(4), None, "markers only where findings start");
    }

    #[test]
    fn empty_spans_still_show_one_character() {
        let r = report(vec![finding("A", Severity::Low, (2, 4, 2, 4))]);
        let d = Diagnostics::new(&r, "f.yaml");
        assert_eq!((d.decorations(2)[0].start, d.decorations(2)[0].end), (3, 4));
    }

    #[test]
    fn suppressed_and_other_files_are_left_out() {
        let mut suppressed = finding("A", Severity::High, (1, 1, 1, 3));
        suppressed.suppressed = true;
        let mut elsewhere = finding("B", Severity::High, (2, 1, 2, 3));
        elsewhere.file = "other.yaml".into();
        let d = Diagnostics::new(&report(vec![suppressed, elsewhere]), "f.yaml");
        assert_eq!(d.markers().count(), 0);
        assert!(d.decorations(1).is_empty() && d.decorations(2).is_empty());
    }

    #[test]
    fn errors_by_line() {
        let d = Diagnostics::new(&report(vec![]), "f.yaml");
        assert_eq!(d.errors_on(7), [0]);
        assert!(d.errors_on(6).is_empty());
        assert_eq!(d.error_lines().map(|(l, _)| l).collect::<Vec<_>>(), [7]);
    }

    #[test]
    fn tooltip_lists_findings_across_the_line_most_severe_first() {
        let r = report(vec![
            finding("LOW", Severity::Low, (4, 1, 4, 3)),
            finding("SPAN", Severity::Medium, (2, 1, 6, 2)),
            finding("HIGH", Severity::High, (4, 8, 4, 9)),
            finding("OTHER", Severity::Critical, (5, 1, 5, 2)),
        ]);
        let d = Diagnostics::new(&r, "f.yaml");
        let rules: Vec<_> = d.findings_on(&r, 4).iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["HIGH", "SPAN", "LOW"]);
        assert!(d.findings_on(&r, 9).is_empty());
    }
}
