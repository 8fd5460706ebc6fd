//! The "Access" view's model: who can read Secrets in which namespace, and how, from the
//! editor's documents (`secrets-guard who-can read-secrets`, as a matrix).
//!
//! [`analyse`] runs in the background worker ([`crate::worker`], feature `worker`): it reads the
//! text into the core's inventory and asks [`who_can::who_can_read_secrets`], exactly as the
//! CLI does, then arranges the answer as a subject × namespace [`AccessView`], and renders it,
//! with the evidence graph of the selected cell ([`Graph::of`]), as markup ([`markup`]). The
//! page's main module links none of that: it renders the markup and turns clicks on a cell into
//! a selection.

use serde::{Deserialize, Serialize};

/// How a subject gets to Secret values (the core's `who_can::How`, as the view carries it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum How {
    /// `get`/`list`/`watch` on secrets.
    Direct,
    /// Through Pods: creating them, exec/attach, the kubelet API.
    Implicit,
    /// By acquiring another identity or more permissions first.
    Escalation,
}

impl How {
    /// `direct`, `implicit`, `escalation` (the CLI's words; also the CSS class suffix).
    pub fn as_str(self) -> &'static str {
        match self {
            How::Direct => "direct",
            How::Implicit => "implicit",
            How::Escalation => "escalation",
        }
    }
}

/// The kind of a node of an evidence path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeKind {
    /// `User jane`, `Group dev`, `ServiceAccount app/api`.
    Subject,
    /// `RoleBinding app/x`, `ClusterRoleBinding x`.
    Binding,
    /// `Role x`, `ClusterRole edit (built-in)`, `aggregated ClusterRole y`.
    Role,
    /// `rules[1] get, list secrets`.
    Rule,
    /// The role a `bind` chain reaches: `binds ClusterRole edit (built-in)`.
    Binds,
}

impl NodeKind {
    /// Classify a step of a `who-can` path by its first word.
    pub fn of(step: &str) -> NodeKind {
        let first = step.split(' ').next().unwrap_or("");
        match first {
            "User" | "Group" | "ServiceAccount" => NodeKind::Subject,
            "RoleBinding" | "ClusterRoleBinding" => NodeKind::Binding,
            "binds" => NodeKind::Binds,
            _ if first.starts_with("rules[") => NodeKind::Rule,
            _ => NodeKind::Role,
        }
    }

    /// `subject`, `binding`, `role`, `rule`, `binds` (CSS class suffix, `data-kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Subject => "subject",
            NodeKind::Binding => "binding",
            NodeKind::Role => "role",
            NodeKind::Rule => "rule",
            NodeKind::Binds => "binds",
        }
    }
}

/// One way one subject can read Secrets (one `who-can` row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Index into [`AccessView::subjects`].
    pub subject: usize,
    /// `cluster` or the namespace.
    pub scope: String,
    pub how: How,
    /// What the rule grants, e.g. `get, list secrets`.
    pub what: String,
    /// The Secrets a `resourceNames` limit names (empty: all of the scope).
    pub secrets: Vec<String>,
    /// The evidence path, step by step (the CLI's `PATH` split at its arrows).
    pub path: Vec<String>,
}

/// One cell of the matrix: what one subject can do in one namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cell {
    /// The ways, strongest first (direct, implicit, escalation), each once.
    pub hows: Vec<How>,
    /// Whether every direct way is limited by `resourceNames`.
    pub limited: bool,
    /// Indexes into [`AccessView::entries`]: the entries that apply here.
    pub entries: Vec<usize>,
}

impl Cell {
    /// The strongest way, if any (the cell's colour).
    pub fn strongest(&self) -> Option<How> {
        self.hows.first().copied()
    }

    /// The cell's text: `direct`, `direct (limited), escalation`, or `none`.
    pub fn label(&self) -> String {
        if self.hows.is_empty() {
            return "none".to_string();
        }
        self.hows
            .iter()
            .map(|h| {
                if *h == How::Direct && self.limited {
                    "direct (limited)".to_string()
                } else {
                    h.as_str().to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One row: a subject and its cells, one per column of [`AccessView::columns`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// `User jane`, `Group dev`, `ServiceAccount app/api`.
    pub subject: String,
    pub cells: Vec<Cell>,
}

/// An input error of the editor's text (what could be read is still answered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The column for namespaces the input does not name: only cluster-wide ways apply there.
pub const OTHER_NAMESPACES: &str = "*";

/// The whole view: a subject × namespace matrix and the entries behind its cells.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccessView {
    /// The namespaces of the input (sorted), then [`OTHER_NAMESPACES`] when some way is
    /// cluster-wide.
    pub columns: Vec<String>,
    /// The subjects that can read Secrets somewhere, sorted as the CLI sorts them.
    pub subjects: Vec<String>,
    /// One row per subject, in the order of `subjects`.
    pub rows: Vec<Row>,
    /// Every `who-can read-secrets` entry, in the CLI's order.
    pub entries: Vec<Entry>,
    pub errors: Vec<TextError>,
}

/// Split a `who-can` path into its steps.
pub fn steps(path: &str) -> Vec<String> {
    path.split(" → ").map(str::to_string).collect()
}

/// Read the editor's text like `secrets-guard who-can read-secrets` reads files, and arrange
/// the answer as a matrix. Only in the worker's build.
#[cfg(feature = "worker")]
pub fn analyse(text: &str) -> AccessView {
    use std::collections::{BTreeMap, BTreeSet};

    use secrets_guard_core::engine::ns_or_default;
    use secrets_guard_core::k8s::access::Scope;
    use secrets_guard_core::k8s::who_can;
    use secrets_guard_core::{Evaluator, Settings};

    let settings = Settings::default();
    let mut ev = Evaluator::new(&settings);
    ev.keep_inventory();
    ev.add_source(crate::engine::EDITOR_FILE, text);
    let (inv, errors) = ev.into_inventory();
    let found = who_can::who_can_read_secrets(&inv);

    let mut namespaces: BTreeSet<String> = BTreeSet::new();
    for o in &inv.objects {
        match o.kind() {
            "ClusterRole" | "ClusterRoleBinding" => {}
            "Namespace" => {
                if !o.name().is_empty() {
                    namespaces.insert(o.name().to_string());
                }
            }
            _ => {
                namespaces.insert(ns_or_default(o).to_string());
            }
        }
    }
    namespaces.extend(inv.workloads.iter().map(|w| w.namespace.clone()));
    namespaces.extend(inv.secrets.iter().map(|s| s.namespace.clone()));
    let mut cluster_wide = false;
    for e in &found {
        match &e.scope {
            Scope::Namespace(ns) => {
                namespaces.insert(ns.clone());
            }
            Scope::Cluster => cluster_wide = true,
        }
    }
    let mut columns: Vec<String> = namespaces.into_iter().collect();
    if cluster_wide {
        columns.push(OTHER_NAMESPACES.to_string());
    }

    let mut subjects: Vec<String> = vec![];
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let entries: Vec<Entry> = found
        .iter()
        .map(|e| {
            let label = e.subject_label();
            let subject = *index.entry(label.clone()).or_insert_with(|| {
                subjects.push(label);
                subjects.len() - 1
            });
            Entry {
                subject,
                scope: e.scope_label().to_string(),
                how: match e.how {
                    who_can::How::Direct => How::Direct,
                    who_can::How::Implicit => How::Implicit,
                    who_can::How::Escalation => How::Escalation,
                },
                what: e.what.clone(),
                secrets: e.secrets.clone(),
                path: steps(&e.path),
            }
        })
        .collect();

    let rows = subjects
        .iter()
        .enumerate()
        .map(|(s, subject)| Row {
            subject: subject.clone(),
            cells: columns
                .iter()
                .map(|column| {
                    let here: Vec<usize> = found
                        .iter()
                        .enumerate()
                        .filter(|(i, e)| {
                            entries[*i].subject == s
                                && if column == OTHER_NAMESPACES {
                                    e.scope.is_cluster()
                                } else {
                                    e.scope.covers(column)
                                }
                        })
                        .map(|(i, _)| i)
                        .collect();
                    cell(&entries, here)
                })
                .collect(),
        })
        .collect();

    AccessView {
        columns,
        subjects,
        rows,
        entries,
        errors: errors
            .into_iter()
            .map(|e| TextError {
                line: e.line,
                column: e.column,
                message: e.message,
            })
            .collect(),
    }
}

/// The cell of the entries `here`.
#[cfg(feature = "worker")]
fn cell(entries: &[Entry], here: Vec<usize>) -> Cell {
    let mut hows: Vec<How> = here.iter().map(|&i| entries[i].how).collect();
    hows.sort();
    hows.dedup();
    let mut direct = here
        .iter()
        .map(|&i| &entries[i])
        .filter(|e| e.how == How::Direct)
        .peekable();
    let limited = direct.peek().is_some() && direct.all(|e| !e.secrets.is_empty());
    Cell {
        hows,
        limited,
        entries: here,
    }
}

/// A node of the evidence graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNode {
    pub label: String,
    pub kind: NodeKind,
    /// The step of the path (0: the subject).
    pub depth: usize,
    /// The vertical slot: leaves take one each, a parent sits between its first and last
    /// child (in half slots, so that it may sit between two).
    pub half_slot: usize,
}

/// The evidence paths of a cell as a tree: the paths share their first steps (the subject,
/// then the bindings and roles they have in common), each leaf ends one path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    /// (parent, child) indexes into `nodes`.
    pub edges: Vec<(usize, usize)>,
    /// How many leaves (paths), i.e. slots from top to bottom.
    pub slots: usize,
    /// The number of steps of the longest path.
    pub depth: usize,
}

impl Graph {
    /// The tree of `paths`, in their order (each path's steps from the subject to the rule).
    pub fn of<'p>(paths: impl IntoIterator<Item = &'p [String]>) -> Graph {
        // A trie: a node is one prefix of a path.
        struct Trie<'p> {
            label: &'p str,
            children: Vec<Trie<'p>>,
        }
        let mut roots: Vec<Trie<'p>> = vec![];
        for path in paths {
            let mut level = &mut roots;
            for step in path {
                let i = match level.iter().position(|n| n.label == step.as_str()) {
                    Some(i) => i,
                    None => {
                        level.push(Trie {
                            label: step.as_str(),
                            children: vec![],
                        });
                        level.len() - 1
                    }
                };
                level = &mut level[i].children;
            }
        }
        fn place(
            t: &Trie<'_>,
            depth: usize,
            parent: Option<usize>,
            g: &mut Graph,
        ) -> (usize, usize) {
            let me = g.nodes.len();
            g.nodes.push(GraphNode {
                label: t.label.to_string(),
                kind: NodeKind::of(t.label),
                depth,
                half_slot: 0,
            });
            g.depth = g.depth.max(depth + 1);
            if let Some(p) = parent {
                g.edges.push((p, me));
            }
            let half = if t.children.is_empty() {
                g.slots += 1;
                (g.slots - 1) * 2
            } else {
                let mut first = None;
                let mut last = 0;
                for c in &t.children {
                    let (_, h) = place(c, depth + 1, Some(me), g);
                    first.get_or_insert(h);
                    last = h;
                }
                (first.unwrap_or(last) + last) / 2
            };
            g.nodes[me].half_slot = half;
            (me, half)
        }
        let mut g = Graph::default();
        for r in &roots {
            place(r, 0, None, &mut g);
        }
        g
    }
}

/// The column's header: a namespace, or "other namespaces".
pub fn column_label(column: &str) -> &str {
    if column == OTHER_NAMESPACES {
        "other namespaces"
    } else {
        column
    }
}

/// The view as markup the page renders ([`crate::markup::render`]): input errors, the matrix
/// (each coloured cell a button carrying its subject and namespace, which the page turns into
/// a selection), and the evidence of the `selected` (subject, column) cell. Only in the
/// worker's build.
#[cfg(feature = "worker")]
pub fn markup(view: &AccessView, selected: Option<(&str, &str)>) -> crate::markup::Node {
    use crate::markup::el;

    let mut out = el("div").class("access-result");
    if !view.errors.is_empty() {
        let items = view.errors.iter().map(|e| {
            el("li")
                .testid("access-error")
                .attr("data-line", e.line)
                .text(format!("line {}: {}", e.line, e.message))
        });
        out = out.child(
            el("div")
                .class("access-errors")
                .attr("role", "note")
                .child(el("p").text("Some documents could not be read; the others are answered:"))
                .child(el("ul").children(items)),
        );
    }
    if view.rows.is_empty() {
        return out
            .child(
                el("p")
                    .class("access-empty")
                    .testid("access-none")
                    .text("No subject can read Secrets in the editor's documents."),
            )
            .into();
    }
    let current = selected.filter(|(s, c)| {
        view.subjects.iter().any(|x| x == s) && view.columns.iter().any(|x| x == c)
    });
    let head = view.columns.iter().map(|c| {
        el("th")
            .attr("scope", "col")
            .attr("data-namespace", c)
            .text(column_label(c))
    });
    let rows = view.rows.iter().map(|row| {
        let cells = row.cells.iter().zip(&view.columns).map(|(cell, column)| {
            let is_selected = current == Some((row.subject.as_str(), column.as_str()));
            cell_markup(cell, &row.subject, column, is_selected)
        });
        el("tr")
            .child(
                el("th")
                    .attr("scope", "row")
                    .class("subject")
                    .text(&row.subject),
            )
            .children(cells)
    });
    out = out.child(
        el("div").class("access-scroll").child(
            el("table")
                .class("access-matrix")
                .testid("access-matrix")
                .child(
                    el("caption")
                        .text("Subjects (rows) that can read Secrets in each namespace (columns)"),
                )
                .child(
                    el("thead").child(
                        el("tr")
                            .child(el("th").attr("scope", "col").text("Subject"))
                            .children(head),
                    ),
                )
                .child(el("tbody").children(rows)),
        ),
    );
    let detail = current.and_then(|(subject, column)| {
        let r = view.subjects.iter().position(|s| s == subject)?;
        let c = view.columns.iter().position(|x| x == column)?;
        let cell = view.rows.get(r)?.cells.get(c)?;
        Some(evidence_markup(view, cell, subject, column))
    });
    out.child(detail.unwrap_or_else(|| {
        el("p")
            .class("access-hint")
            .text("Select a coloured cell to see how the subject gets there.")
    }))
    .into()
}

#[cfg(feature = "worker")]
fn cell_markup(cell: &Cell, subject: &str, column: &str, is_selected: bool) -> crate::markup::El {
    use crate::markup::el;

    let how = cell.strongest().map_or("none", How::as_str);
    let td = el("td")
        .testid("access-cell")
        .attr("data-subject", subject)
        .attr("data-namespace", column)
        .attr("data-how", how);
    if cell.entries.is_empty() {
        return td
            .class("how-none")
            .child(
                el("span")
                    .class("cell-label")
                    .attr("aria-hidden", "true")
                    .text("\u{2014}"),
            )
            .child(el("span").class("visually-hidden").text("none"));
    }
    let label = cell.label();
    td.class(if is_selected {
        format!("how-{how} selected")
    } else {
        format!("how-{how}")
    })
    .child(
        el("button")
            .attr("type", "button")
            .class("cell-button")
            .attr("aria-pressed", is_selected)
            .attr(
                "aria-label",
                format!("{subject} in {}: {label}", column_label(column)),
            )
            .text(label),
    )
}

/// Geometry of the evidence graph, in SVG user units.
#[cfg(feature = "worker")]
mod geometry {
    pub const CHAR_W: f64 = 7.0;
    pub const NODE_H: f64 = 24.0;
    pub const PAD_X: f64 = 8.0;
    pub const GAP_X: f64 = 28.0;
    pub const SLOT_H: f64 = 34.0;
    pub const MARGIN: f64 = 4.0;
}

/// The selected cell's evidence: the graph, then the same paths as text.
#[cfg(feature = "worker")]
fn evidence_markup(
    view: &AccessView,
    cell: &Cell,
    subject: &str,
    column: &str,
) -> crate::markup::El {
    use crate::markup::el;
    use geometry::*;

    let entries: Vec<&Entry> = cell
        .entries
        .iter()
        .filter_map(|&i| view.entries.get(i))
        .collect();
    let graph = Graph::of(entries.iter().map(|e| e.path.as_slice()));
    let label_w = |label: &str| label.chars().count() as f64 * CHAR_W + 2.0 * PAD_X;
    // Each step's column is as wide as its longest label.
    let mut widths = vec![0.0f64; graph.depth];
    for n in &graph.nodes {
        widths[n.depth] = widths[n.depth].max(label_w(&n.label));
    }
    let mut xs = vec![MARGIN; graph.depth];
    for d in 1..graph.depth {
        xs[d] = xs[d - 1] + widths[d - 1] + GAP_X;
    }
    let width = xs.last().copied().unwrap_or(0.0) + widths.last().copied().unwrap_or(0.0) + MARGIN;
    let height = graph.slots as f64 * SLOT_H + 2.0 * MARGIN;
    let y_of = |half: usize| MARGIN + half as f64 * SLOT_H / 2.0 + (SLOT_H - NODE_H) / 2.0;
    let edges = graph.edges.iter().map(|&(a, b)| {
        let (pa, pb) = (&graph.nodes[a], &graph.nodes[b]);
        let x1 = xs[pa.depth] + widths[pa.depth];
        let y1 = y_of(pa.half_slot) + NODE_H / 2.0;
        let x2 = xs[pb.depth];
        let y2 = y_of(pb.half_slot) + NODE_H / 2.0;
        let xm = (x1 + x2) / 2.0;
        el("path").class("edge").attr(
            "d",
            format!("M{x1:.1} {y1:.1} C{xm:.1} {y1:.1} {xm:.1} {y2:.1} {x2:.1} {y2:.1}"),
        )
    });
    let nodes = graph.nodes.iter().map(|n| {
        let (x, y) = (xs[n.depth], y_of(n.half_slot));
        el("g")
            .class(format!("node kind-{}", n.kind.as_str()))
            .testid("graph-node")
            .attr("data-kind", n.kind.as_str())
            .attr("data-depth", n.depth)
            .child(
                el("rect")
                    .attr("x", format!("{x:.1}"))
                    .attr("y", format!("{y:.1}"))
                    .attr("width", format!("{:.1}", label_w(&n.label)))
                    .attr("height", format!("{NODE_H:.1}"))
                    .attr("rx", "4"),
            )
            .child(
                el("text")
                    .attr("x", format!("{:.1}", x + PAD_X))
                    .attr("y", format!("{:.1}", y + NODE_H / 2.0 + 4.0))
                    .text(&n.label),
            )
    });
    let paths = entries.iter().map(|e| {
        el("li")
            .testid("access-path")
            .attr("data-how", e.how.as_str())
            .child(
                el("span")
                    .class(format!("how-tag how-{}", e.how.as_str()))
                    .text(e.how.as_str()),
            )
            .text(" ")
            .child(el("span").class("scope").text(format!("({})", e.scope)))
            .text(" ")
            .text(e.path.join(" \u{2192} "))
    });
    let title = format!("How {subject} reaches Secrets in {}", column_label(column));
    el("section")
        .class("access-evidence")
        .testid("access-evidence")
        .attr("aria-label", &title)
        .child(el("h3").text(&title))
        .child(
            el("div").class("access-graph-scroll").child(
                el("svg")
                    .class("access-graph")
                    .testid("access-graph")
                    .attr("role", "img")
                    .attr("aria-label", &title)
                    .attr("width", format!("{width:.0}"))
                    .attr("height", format!("{height:.0}"))
                    .attr("viewBox", format!("0 0 {width:.0} {height:.0}"))
                    .children(edges)
                    .children(nodes),
            ),
        )
        .child(el("ol").class("access-paths").children(paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<String> {
        steps(s)
    }

    #[test]
    fn steps_are_classified_by_their_first_word() {
        let p = path("User jane → RoleBinding app/w → Role binding-writer → rules[0] create rolebindings → ClusterRoleBinding b → ClusterRole edit-binder → rules[0] bind clusterroles named edit, view → binds ClusterRole edit (built-in) → rules[0] get, list, watch secrets");
        let kinds: Vec<&str> = p.iter().map(|s| NodeKind::of(s).as_str()).collect();
        assert_eq!(
            kinds,
            ["subject", "binding", "role", "rule", "binding", "role", "rule", "binds", "rule"]
        );
        assert_eq!(
            NodeKind::of("aggregated ClusterRole monitoring"),
            NodeKind::Role
        );
    }

    #[test]
    fn paths_share_their_first_steps() {
        let a = path("User a → RoleBinding x/b → Role r → rules[0] get secrets");
        let b = path("User a → RoleBinding x/b → Role r → rules[1] create pods");
        let c = path("User a → RoleBinding x/c → Role q → rules[0] get pods/exec");
        let g = Graph::of([a.as_slice(), b.as_slice(), c.as_slice()]);
        let labels: Vec<(&str, usize, usize)> = g
            .nodes
            .iter()
            .map(|n| (n.label.as_str(), n.depth, n.half_slot))
            .collect();
        assert_eq!(
            labels,
            [
                ("User a", 0, 2),
                ("RoleBinding x/b", 1, 1),
                ("Role r", 2, 1),
                ("rules[0] get secrets", 3, 0),
                ("rules[1] create pods", 3, 2),
                ("RoleBinding x/c", 1, 4),
                ("Role q", 2, 4),
                ("rules[0] get pods/exec", 3, 4),
            ]
        );
        assert_eq!(
            g.edges,
            [(0, 1), (1, 2), (2, 3), (2, 4), (0, 5), (5, 6), (6, 7)]
        );
        assert_eq!((g.slots, g.depth), (3, 4));
    }
}
