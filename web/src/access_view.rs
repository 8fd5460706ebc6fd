//! The "Access" view's model: who can read Secrets in which namespace, and how, from the
//! editor's documents (`secrets-guard who-can read-secrets`, as a matrix).
//!
//! [`analyse`] runs in the background worker ([`crate::worker`], feature `worker`): it reads the
//! text into the core's inventory and asks [`who_can::who_can_read_secrets`], exactly as the
//! CLI does, then arranges the answer as a subject × namespace [`AccessView`]. The page's main
//! module links none of that: it only renders the view and lays out the evidence graph of a
//! selected cell ([`Graph::of`], pure layout).

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
