//! Who can read Secrets: the access graph behind `secrets-guard who-can`.
//!
//! Built on [`crate::k8s::access`] (resolved bindings, aggregation, built-in roles, grants with
//! their rule). Every [`AccessEntry`] names a binding subject, where it applies, how it leads to
//! Secret values, and its evidence path
//! (`Group dev → RoleBinding app/dev → ClusterRole edit (built-in) → rules[0] get, list, watch secrets`).
//!
//! - **Direct**: `get`, `list`, `watch` on `secrets` (wildcards honoured). A rule limited by
//!   `resourceNames` gives a limited entry that names its Secrets.
//! - **Implicit**: `create` of Pods or workload controllers (the Pod can mount any Secret of the
//!   namespace), `create`/`get` on `pods/exec` or `pods/attach` (the values are in the running
//!   containers), `get`/`create` on `nodes/proxy` cluster-wide (the kubelet API of every node).
//!   Exec and attach are reported whether or not the input holds Pods that consume Secrets (a
//!   manifest set rarely shows every Pod of a cluster); rule RBG-003 is the one that checks the
//!   workloads.
//! - **Escalation**: `escalate` on roles, `impersonate` (service accounts; users and groups
//!   cluster-wide), `create` on `serviceaccounts/token`, `create` on `secrets` (a
//!   `kubernetes.io/service-account-token` Secret receives a token), CSR approval and webhook
//!   configuration writes (cluster-wide), and the two-step chain *create or update bindings +
//!   `bind`*: the apiserver lets a subject bind a role it does not hold only with `bind` on that
//!   role, so a subject with both can bind itself to a role that reads Secrets. The chain names
//!   the role reached (the roles named by `resourceNames`, or built-in `cluster-admin` when
//!   `bind` is unrestricted). Creating bindings without `bind` grants nothing new and is not
//!   reported; nor is `bind` alone.
//!
//! Cluster-scoped resources (`nodes/proxy`, users, groups, CSR approval, webhook
//! configurations, ClusterRoleBindings) count only through ClusterRoleBindings, as a
//! RoleBinding never grants them. Entries are sorted (subject, scope, how, path) and unique.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use crate::engine::{ns_or_default, Inventory};
use crate::k8s::access::{
    self, BoundRole, ResolvedBinding, RuleGrant, Scope, SubjectRef, WORKLOAD_RESOURCES,
};
use crate::k8s::rbac::{self, READ_VERBS};
use crate::object::Object;
use crate::yaml::Node;

/// How a subject gets to Secret values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum How {
    /// `get`/`list`/`watch` on secrets.
    Direct,
    /// Through Pods: creating them, exec/attach, the kubelet API.
    Implicit,
    /// By acquiring another identity or more permissions first.
    Escalation,
}

impl How {
    /// `direct`, `implicit`, `escalation`.
    pub fn as_str(self) -> &'static str {
        match self {
            How::Direct => "direct",
            How::Implicit => "implicit",
            How::Escalation => "escalation",
        }
    }
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One way one binding subject can read Secrets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AccessEntry {
    pub subject: SubjectRef,
    /// Where: one namespace, or every namespace.
    pub scope: Scope,
    pub how: How,
    /// The evidence path, from the subject to the rule (and, for chains, to the role reached).
    pub path: String,
    /// What the rule grants, e.g. `get, list secrets`, `create pods, replicationcontrollers`.
    pub what: String,
    /// Direct entries limited by `resourceNames`: the Secrets named. Empty means all Secrets
    /// of the scope.
    pub secrets: Vec<String>,
}

impl AccessEntry {
    /// Whether `resourceNames` limits the entry to some Secrets.
    pub fn is_limited(&self) -> bool {
        !self.secrets.is_empty()
    }

    /// `cluster` or the namespace.
    pub fn scope_label(&self) -> &str {
        match &self.scope {
            Scope::Cluster => "cluster",
            Scope::Namespace(ns) => ns,
        }
    }

    /// The subject as `User jane`, `Group dev`, `ServiceAccount app/api`.
    pub fn subject_label(&self) -> String {
        self.subject.to_string()
    }
}

/// One family of permissions that leads to Secrets.
struct Probe {
    how: How,
    resources: &'static [(&'static str, &'static str)],
    verbs: &'static [&'static str],
    /// Only ClusterRoleBindings grant these (cluster-scoped resources).
    cluster_only: bool,
}

const RBAC: &str = rbac::RBAC_GROUP;
const ADMISSION: &str = "admissionregistration.k8s.io";

const PROBES: &[Probe] = &[
    Probe {
        how: How::Direct,
        resources: &[("", "secrets")],
        verbs: READ_VERBS,
        cluster_only: false,
    },
    Probe {
        how: How::Implicit,
        resources: WORKLOAD_RESOURCES,
        verbs: &["create"],
        cluster_only: false,
    },
    Probe {
        how: How::Implicit,
        resources: &[("", "pods/exec"), ("", "pods/attach")],
        verbs: &["create", "get"],
        cluster_only: false,
    },
    Probe {
        how: How::Implicit,
        resources: &[("", "nodes/proxy")],
        verbs: &["get", "create"],
        cluster_only: true,
    },
    Probe {
        how: How::Escalation,
        resources: &[(RBAC, "roles"), (RBAC, "clusterroles")],
        verbs: &["escalate"],
        cluster_only: false,
    },
    Probe {
        how: How::Escalation,
        resources: &[("", "serviceaccounts")],
        verbs: &["impersonate"],
        cluster_only: false,
    },
    Probe {
        how: How::Escalation,
        resources: &[("", "users"), ("", "groups")],
        verbs: &["impersonate"],
        cluster_only: true,
    },
    Probe {
        how: How::Escalation,
        resources: &[("", "serviceaccounts/token")],
        verbs: &["create"],
        cluster_only: false,
    },
    Probe {
        how: How::Escalation,
        resources: &[("", "secrets")],
        verbs: &["create"],
        cluster_only: false,
    },
    Probe {
        how: How::Escalation,
        resources: &[("certificates.k8s.io", "certificatesigningrequests/approval")],
        verbs: &["update", "patch"],
        cluster_only: true,
    },
    Probe {
        how: How::Escalation,
        resources: &[
            (ADMISSION, "mutatingwebhookconfigurations"),
            (ADMISSION, "validatingwebhookconfigurations"),
        ],
        verbs: &["create", "update", "patch"],
        cluster_only: true,
    },
];

/// `RoleBinding app/x` or `ClusterRoleBinding x`.
fn binding_label(b: &Object<'_>) -> String {
    if b.kind() == "RoleBinding" {
        format!("RoleBinding {}/{}", ns_or_default(b), b.name())
    } else {
        format!("{} {}", b.kind(), b.name())
    }
}

/// `get, list secrets` / `create pods, replicationcontrollers` / `get secrets named a, b`, for
/// the grants of one rule.
fn what_of(grants: &[RuleGrant<'_>]) -> String {
    // Resources with the same verbs and names are listed together, in grant order.
    let mut parts: Vec<(&[&str], &[String], Vec<&str>)> = vec![];
    for g in grants {
        match parts
            .iter_mut()
            .find(|(v, n, _)| *v == g.verbs.as_slice() && *n == g.resource_names.as_slice())
        {
            Some((_, _, res)) => res.push(g.resource),
            None => parts.push((&g.verbs, &g.resource_names, vec![g.resource])),
        }
    }
    parts
        .iter()
        .map(|(verbs, names, res)| access::what_text(verbs, &res.join(", "), names))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The evidence path of a grant after its subject: ` → <binding> → <role> → rules[i] <what>`.
fn grant_tail(binding: &Object<'_>, role: &BoundRole<'_>, rule_index: usize, what: &str) -> String {
    format!(
        " → {} → {} → rules[{rule_index}] {what}",
        binding_label(binding),
        role.display()
    )
}

/// The first rule of `role` (or of the roles it aggregates) that reads Secrets without a
/// `resourceNames` limit: `<display of the role> → rules[i] <verbs> secrets`.
fn secret_read_rule<'i>(inv: &'i Inventory, role: &'i Object<'static>) -> Option<String> {
    let inv_roles: Vec<&'i Object<'static>> = std::iter::once(role)
        .chain(access::aggregated_roles(inv, role))
        .collect();
    for (i, r) in inv_roles.iter().enumerate() {
        for rule in rbac::policy_rules(r) {
            if rule.has_resource_names() {
                continue;
            }
            let verbs = rule.granted_verbs("", "secrets", READ_VERBS);
            if verbs.is_empty() {
                continue;
            }
            let bound = BoundRole {
                role: r,
                aggregated_into: (i > 0).then_some(role),
            };
            return Some(format!(
                "{} → rules[{}] {} secrets",
                bound.display(),
                rule.index,
                verbs.join(", ")
            ));
        }
    }
    None
}

/// The roles a `bind` grant (on `resource`, limited to `names` when not empty) lets its holder
/// bind in `scope`: those named (Roles of the namespace, ClusterRoles of the input or built in);
/// when unrestricted, built-in `cluster-admin` for `clusterroles` (it exists in every cluster)
/// and every Role of the namespace in the input for `roles`.
fn bindable_roles<'i>(
    inv: &'i Inventory,
    roles_by_namespace: &HashMap<&'i str, Vec<&'i Object<'static>>>,
    resource: &str,
    names: &[String],
    scope: &Scope,
) -> Vec<&'i Object<'static>> {
    if names.is_empty() {
        return match (resource, scope) {
            ("clusterroles", _) => rbac::builtin_role("cluster-admin").into_iter().collect(),
            // Any Role of the namespace in the input.
            (_, Scope::Namespace(ns)) => roles_by_namespace
                .get(ns.as_str())
                .cloned()
                .unwrap_or_default(),
            (_, Scope::Cluster) => vec![],
        };
    }
    let mut out = vec![];
    for name in names {
        let found = if resource == "roles" {
            match scope {
                Scope::Namespace(ns) => inv.find("Role", ns, name),
                Scope::Cluster => None,
            }
        } else {
            inv.find("ClusterRole", "", name)
                .or_else(|| rbac::builtin_role(name))
        };
        out.extend(found);
    }
    out
}

/// A binding subject of a [`Graph`], by position in [`Graph::subjects`] (sorted, so ids compare
/// as the subjects do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectId(u32);

impl SubjectId {
    /// Position in [`Graph::subjects`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A scope of a [`Graph`] (sorted like [`Scope`]: equal ids, equal scopes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(u32);

/// A piece of text stored once in a [`Graph`] (paths share most of their pieces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Text(u32);

/// The texts of a graph: one buffer, and where each piece lies in it.
#[derive(Debug, Default)]
struct Texts {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl Texts {
    fn add(&mut self, s: &str) -> Text {
        let start = self.buf.len();
        self.buf.push_str(s);
        self.spans.push((start, s.len()));
        Text(u32::try_from(self.spans.len() - 1).unwrap_or(u32::MAX))
    }

    fn get(&self, t: Text) -> &str {
        self.spans
            .get(t.0 as usize)
            .and_then(|&(start, len)| self.buf.get(start..start + len))
            .unwrap_or("")
    }
}

fn id(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// One grant of a binding write or `bind` (per subject), for the two-step chains.
#[derive(Debug)]
struct Step {
    subject: SubjectId,
    scope: ScopeId,
    resource: &'static str,
    /// `resourceNames` of the rule.
    names: Vec<String>,
    /// [`grant_tail`] with the grant's own `what`.
    tail: Text,
    what: Text,
    /// Position in `Graph::origins`.
    origin: u32,
}

/// A binding subject the graph's entries start from.
#[derive(Debug)]
struct Origin<'i> {
    scope: ScopeId,
    binding: &'i Object<'static>,
    /// The subject's mapping in the binding's `subjects`.
    node: &'i Node<'static>,
}

/// Per bind (by position in `Graph::binds`): the roles it reaches that read Secrets (their
/// [`secret_read_rule`]), by the scope where the binding would be written.
type Memo = Vec<(ScopeId, Vec<Text>)>;

/// How an entry's path and `what` are made of the graph's texts.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// One rule: path `<subject><tail>`; `secrets` is the position in `Graph::secret_lists`
    /// (0: none).
    Grant {
        tail: Text,
        what: Text,
        secrets: u32,
    },
    /// A binding write (`Graph::writes`) + a `bind` (`Graph::binds`) + the role reached:
    /// path `<subject><write tail>[ → <bind subject>]<bind tail> → binds <reads>` (7 pieces at
    /// most), what `<write what> + <bind what>`.
    Chain { write: u32, bind: u32, reads: Text },
}

/// An entry of the graph, in compact form (32 bytes; texts and binding subject by reference).
#[derive(Debug, Clone, Copy)]
struct Raw {
    subject: SubjectId,
    /// Position in `Graph::origins` (the binding subject the entry starts from; its scope).
    origin: u32,
    /// Position before sorting (equal entries keep the first).
    seq: u32,
    how: How,
    shape: Shape,
}

/// The most pieces of a path: a chain through two subjects (see [`Shape::Chain`]).
const MAX_PARTS: usize = 7;

/// Up to [`MAX_PARTS`] pieces of text that make one path or `what` when joined.
struct Parts<'a> {
    items: [&'a str; MAX_PARTS],
    len: usize,
}

impl<'a> Parts<'a> {
    fn new() -> Self {
        Parts {
            items: [""; MAX_PARTS],
            len: 0,
        }
    }

    fn push(&mut self, s: &'a str) {
        // Never full: no shape has more than MAX_PARTS pieces.
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = s;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[&'a str] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    fn joined(&self) -> String {
        let mut s = String::with_capacity(self.as_slice().iter().map(|p| p.len()).sum());
        for p in self.as_slice() {
            s.push_str(p);
        }
        s
    }
}

/// Compares the concatenations of two lists of pieces, byte by byte, without building them.
fn cmp_joined(a: &[&str], b: &[&str]) -> Ordering {
    let mut ia = a.iter().map(|s| s.as_bytes());
    let mut ib = b.iter().map(|s| s.as_bytes());
    let (mut sa, mut sb): (&[u8], &[u8]) = (&[], &[]);
    loop {
        while sa.is_empty() {
            match ia.next() {
                Some(s) => sa = s,
                None => break,
            }
        }
        while sb.is_empty() {
            match ib.next() {
                Some(s) => sb = s,
                None => break,
            }
        }
        match (sa.is_empty(), sb.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // The same stored piece on both sides (the common case) is skipped whole.
        let n = sa.len().min(sb.len());
        let (ha, ta) = sa.split_at(n);
        let (hb, tb) = sb.split_at(n);
        if !std::ptr::eq(ha, hb) {
            match ha.cmp(hb) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        sa = ta;
        sb = tb;
    }
}

/// The who-can access graph: every way a binding subject reaches Secret values, sorted
/// (subject, scope, how, path, what, secrets) and unique, each with the binding subject it
/// starts from (the first in input order that gives it).
///
/// Compact: evidence paths are kept as pieces shared between entries (a subject's binding,
/// role and rule; the role a chain reaches) and written out only when asked for
/// ([`Traced::path`], [`Traced::to_entry`]). [`who_can_read_secrets`] and [`reach_of`] are this
/// graph written out; the RBG-004 and RBG-006 rules read it through [`crate::k8s::access::Access`].
#[derive(Debug)]
pub struct Graph<'i> {
    inv: &'i Inventory,
    /// Every binding subject, sorted, once each ([`SubjectId`] is the position).
    subjects: Vec<SubjectRef>,
    /// `subjects` as displayed (`User jane`).
    labels: Vec<String>,
    /// Every binding scope, sorted, once each ([`ScopeId`] is the position).
    scopes: Vec<Scope>,
    texts: Texts,
    /// `resourceNames` of limited direct entries (the first list is empty).
    secret_lists: Vec<Vec<String>>,
    /// Binding writes and `bind` grants (for the chains of [`Graph::reach`] too).
    writes: Vec<Step>,
    binds: Vec<Step>,
    /// The Roles of the input by namespace, in input order (when there are chains to follow).
    roles_by_namespace: HashMap<&'i str, Vec<&'i Object<'static>>>,
    /// [`secret_read_rule`] of every role of the input and built in that has one.
    reads: HashMap<*const Object<'static>, Text>,
    /// Every binding subject, in binding order.
    origins: Vec<Origin<'i>>,
    entries: Vec<Raw>,
}

static NO_SUBJECT: SubjectRef = SubjectRef {
    kind: String::new(),
    name: String::new(),
    namespace: None,
};

impl<'i> Graph<'i> {
    /// The graph of already resolved bindings (e.g. [`access::Access::bindings`]) of `inv`.
    pub fn build(inv: &'i Inventory, bindings: &[ResolvedBinding<'i>]) -> Self {
        // Subjects and scopes once each, sorted: ids compare as the values do.
        let mut subjects: Vec<&SubjectRef> = bindings
            .iter()
            .flat_map(|b| b.subjects.iter().map(|s| &s.subject))
            .collect();
        subjects.sort_unstable();
        subjects.dedup();
        let mut scopes: Vec<&Scope> = bindings.iter().map(|b| &b.scope).collect();
        scopes.sort_unstable();
        scopes.dedup();
        let subject_ids: Vec<Vec<SubjectId>> = bindings
            .iter()
            .map(|b| {
                b.subjects
                    .iter()
                    .map(|s| {
                        SubjectId(id(subjects
                            .binary_search(&&s.subject)
                            .unwrap_or(usize::MAX)))
                    })
                    .collect()
            })
            .collect();
        let scope_ids: Vec<ScopeId> = bindings
            .iter()
            .map(|b| ScopeId(id(scopes.binary_search(&&b.scope).unwrap_or(usize::MAX))))
            .collect();
        let mut g = Graph {
            inv,
            labels: subjects.iter().map(|s| s.to_string()).collect(),
            subjects: subjects.into_iter().cloned().collect(),
            scopes: scopes.into_iter().cloned().collect(),
            texts: Texts::default(),
            secret_lists: vec![vec![]],
            writes: vec![],
            binds: vec![],
            roles_by_namespace: HashMap::new(),
            reads: HashMap::new(),
            origins: vec![],
            entries: vec![],
        };
        // Where each binding's subjects start in `origins`.
        let mut first_origin = Vec::with_capacity(bindings.len());
        for (bi, b) in bindings.iter().enumerate() {
            first_origin.push(g.origins.len());
            for s in &b.subjects {
                g.origins.push(Origin {
                    scope: scope_ids.get(bi).copied().unwrap_or(ScopeId(u32::MAX)),
                    binding: b.binding,
                    node: s.node,
                });
            }
        }
        let scope_of = |i: usize| scope_ids.get(i).copied().unwrap_or(ScopeId(u32::MAX));
        let no_ids: Vec<SubjectId> = vec![];
        // A binding's subjects: (subject id, origin).
        let subjects_of = |i: usize| {
            let base = first_origin.get(i).copied().unwrap_or(0);
            subject_ids
                .get(i)
                .unwrap_or(&no_ids)
                .iter()
                .enumerate()
                .map(move |(k, &s)| (s, id(base + k)))
        };

        for probe in PROBES {
            access::for_each_role_grants(
                bindings,
                probe.resources,
                probe.verbs,
                |bi, rb, bound, rule_grants| {
                    if (probe.cluster_only && !rb.scope.is_cluster()) || rb.subjects.is_empty() {
                        return;
                    }
                    // The grants of one rule are consecutive: one entry per rule and subject.
                    let mut rest = rule_grants;
                    while let Some(first) = rest.first() {
                        let n = rest
                            .iter()
                            .take_while(|g| g.rule_index == first.rule_index)
                            .count();
                        let (rule, after) = rest.split_at(n);
                        rest = after;
                        let what = what_of(rule);
                        let tail =
                            g.texts
                                .add(&grant_tail(rb.binding, bound, first.rule_index, &what));
                        let what = g.texts.add(&what);
                        let secrets =
                            if probe.how == How::Direct && !first.resource_names.is_empty() {
                                g.secret_lists.push(first.resource_names.clone());
                                id(g.secret_lists.len() - 1)
                            } else {
                                0
                            };
                        for (subject, origin) in subjects_of(bi) {
                            g.entries.push(Raw {
                                subject,
                                origin,
                                seq: 0,
                                how: probe.how,
                                shape: Shape::Grant {
                                    tail,
                                    what,
                                    secrets,
                                },
                            });
                        }
                    }
                },
            );
        }

        // The steps of the binding chains.
        let steps = |g: &mut Graph<'i>,
                     resources: &[(&'static str, &'static str)],
                     verbs: &[&'static str]| {
            let mut out = vec![];
            access::for_each_role_grants(bindings, resources, verbs, |bi, rb, bound, rgs| {
                for rg in rgs {
                    let what = rg.what();
                    let tail = g
                        .texts
                        .add(&grant_tail(rb.binding, bound, rg.rule_index, &what));
                    let what = g.texts.add(&what);
                    for (subject, origin) in subjects_of(bi) {
                        out.push(Step {
                            subject,
                            scope: scope_of(bi),
                            resource: rg.resource,
                            names: rg.resource_names.clone(),
                            tail,
                            what,
                            origin,
                        });
                    }
                }
            });
            out
        };
        g.writes = steps(
            &mut g,
            &[(RBAC, "rolebindings"), (RBAC, "clusterrolebindings")],
            &["create", "update", "patch"],
        );
        g.binds = steps(
            &mut g,
            &[(RBAC, "roles"), (RBAC, "clusterroles")],
            &["bind"],
        );
        if !g.writes.is_empty() && !g.binds.is_empty() {
            for r in inv.of_kind("Role") {
                g.roles_by_namespace
                    .entry(ns_or_default(r))
                    .or_default()
                    .push(r);
            }
            let builtin = rbac::builtin_roles().map(|r| -> &'i Object<'static> { r });
            for role in inv.roles().chain(builtin) {
                if let Some(reads) = secret_read_rule(inv, role) {
                    let t = g.texts.add(&reads);
                    g.reads.insert(role as *const Object<'static>, t);
                }
            }
            // Pairs of the same subject: binds by subject, in order.
            let mut binds_of: Vec<Vec<u32>> = vec![vec![]; g.subjects.len()];
            for (i, b) in g.binds.iter().enumerate() {
                if let Some(v) = binds_of.get_mut(b.subject.index()) {
                    v.push(id(i));
                }
            }
            // Into the entries directly (the chains are most of a large graph).
            let mut entries = std::mem::take(&mut g.entries);
            let mut memo = vec![vec![]; g.binds.len()];
            for (wi, w) in g.writes.iter().enumerate() {
                for &bi in binds_of.get(w.subject.index()).into_iter().flatten() {
                    g.chain(id(wi), bi, &mut memo, &mut entries);
                }
            }
            g.entries = entries;
        }
        let mut entries = std::mem::take(&mut g.entries);
        g.sort_unique(&mut entries);
        entries.shrink_to_fit();
        g.entries = entries;
        g
    }

    /// The chain entries of write `wi` with bind `bi` (none when the bind does not cover where
    /// the binding would be written, or reaches no role that reads Secrets). `memo` keeps the
    /// roles each bind reaches in each scope.
    fn chain(&self, wi: u32, bi: u32, memo: &mut [Memo], out: &mut Vec<Raw>) {
        let (Some(w), Some(b)) = (self.writes.get(wi as usize), self.binds.get(bi as usize)) else {
            return;
        };
        let w_cluster = self.scope(w.scope).is_cluster();
        if w.resource == "clusterrolebindings" && !w_cluster {
            return;
        }
        // `bind` granted where the binding would be written.
        let covers = self.scope(b.scope).is_cluster() || b.scope == w.scope;
        // A ClusterRoleBinding can refer only to ClusterRoles.
        if !covers || (w.resource == "clusterrolebindings" && b.resource == "roles") {
            return;
        }
        let Some(known) = memo.get_mut(bi as usize) else {
            return;
        };
        let at = match known.iter().position(|(s, _)| *s == w.scope) {
            Some(at) => at,
            None => {
                let reached = bindable_roles(
                    self.inv,
                    &self.roles_by_namespace,
                    b.resource,
                    &b.names,
                    self.scope(w.scope),
                )
                .into_iter()
                .filter_map(|r| self.reads.get(&(r as *const Object<'static>)).copied())
                .collect();
                known.push((w.scope, reached));
                known.len() - 1
            }
        };
        let Some((_, reached)) = known.get(at) else {
            return;
        };
        for &reads in reached {
            out.push(Raw {
                subject: w.subject,
                origin: w.origin,
                seq: 0,
                how: How::Escalation,
                shape: Shape::Chain {
                    write: wi,
                    bind: bi,
                    reads,
                },
            });
        }
    }

    fn scope(&self, id: ScopeId) -> &Scope {
        self.scopes.get(id.0 as usize).unwrap_or(&Scope::Cluster)
    }

    fn label(&self, id: SubjectId) -> &str {
        self.labels.get(id.index()).map_or("", String::as_str)
    }

    fn path_parts(&self, r: &Raw) -> Parts<'_> {
        let mut p = Parts::new();
        p.push(self.label(r.subject));
        match r.shape {
            Shape::Grant { tail, .. } => p.push(self.texts.get(tail)),
            Shape::Chain { write, bind, reads } => {
                let (Some(w), Some(b)) = (
                    self.writes.get(write as usize),
                    self.binds.get(bind as usize),
                ) else {
                    return p;
                };
                p.push(self.texts.get(w.tail));
                // The identity's other subject, when the bind comes through it.
                if b.subject != w.subject {
                    p.push(" → ");
                    p.push(self.label(b.subject));
                }
                p.push(self.texts.get(b.tail));
                p.push(" → binds ");
                p.push(self.texts.get(reads));
            }
        }
        p
    }

    /// The piece after the subject's label in the path: the grant's tail, or the write's.
    fn second_piece(&self, r: &Raw) -> &[u8] {
        let t = match r.shape {
            Shape::Grant { tail, .. } => tail,
            Shape::Chain { write, .. } => match self.writes.get(write as usize) {
                Some(w) => w.tail,
                None => return &[],
            },
        };
        self.texts.get(t).as_bytes()
    }

    fn what_parts(&self, r: &Raw) -> Parts<'_> {
        let mut p = Parts::new();
        match r.shape {
            Shape::Grant { what, .. } => p.push(self.texts.get(what)),
            Shape::Chain { write, bind, .. } => {
                if let (Some(w), Some(b)) = (
                    self.writes.get(write as usize),
                    self.binds.get(bind as usize),
                ) {
                    p.push(self.texts.get(w.what));
                    p.push(" + ");
                    p.push(self.texts.get(b.what));
                }
            }
        }
        p
    }

    fn secrets_of(&self, r: &Raw) -> &[String] {
        match r.shape {
            Shape::Grant { secrets, .. } => self
                .secret_lists
                .get(secrets as usize)
                .map_or(&[], Vec::as_slice),
            Shape::Chain { .. } => &[],
        }
    }

    fn scope_of(&self, r: &Raw) -> ScopeId {
        self.origins
            .get(r.origin as usize)
            .map_or(ScopeId(u32::MAX), |o| o.scope)
    }

    /// The order of the paths of two entries of the same subject (so the same first piece, its
    /// label), as [`cmp_joined`] of their pieces: the common shapes without joining.
    fn cmp_paths_of_subject(&self, a: &Raw, b: &Raw) -> Ordering {
        match (a.shape, b.shape) {
            // `<label><tail>`: the labels are equal.
            (Shape::Grant { tail: ta, .. }, Shape::Grant { tail: tb, .. }) => {
                self.texts.get(ta).cmp(self.texts.get(tb))
            }
            // One write and one bind: the same pieces up to the role reached.
            (
                Shape::Chain {
                    write: wa,
                    bind: ba,
                    reads: ra,
                },
                Shape::Chain {
                    write: wb,
                    bind: bb,
                    reads: rb,
                },
            ) if wa == wb && ba == bb => self.texts.get(ra).cmp(self.texts.get(rb)),
            _ => {
                // The second pieces (tail of the grant or of the write) decide when they differ
                // within the shorter one.
                let (sa, sb) = (self.second_piece(a), self.second_piece(b));
                let n = sa.len().min(sb.len());
                if let (Some(ha), Some(hb)) = (sa.get(..n), sb.get(..n)) {
                    if !std::ptr::eq(ha, hb) {
                        match ha.cmp(hb) {
                            Ordering::Equal => {}
                            other => return other,
                        }
                    }
                }
                // Past the label; past the write's tail too when it is the same write.
                let skip = match (a.shape, b.shape) {
                    (Shape::Chain { write: wa, .. }, Shape::Chain { write: wb, .. })
                        if wa == wb =>
                    {
                        2
                    }
                    _ => 1,
                };
                let (pa, pb) = (self.path_parts(a), self.path_parts(b));
                cmp_joined(
                    pa.as_slice().get(skip..).unwrap_or(&[]),
                    pb.as_slice().get(skip..).unwrap_or(&[]),
                )
            }
        }
    }

    /// The order of [`AccessEntry`] (subject, scope, how, path, what, secrets).
    fn cmp_raw(&self, a: &Raw, b: &Raw) -> Ordering {
        a.subject
            .cmp(&b.subject)
            .then_with(|| self.scope_of(a).cmp(&self.scope_of(b)))
            .then(a.how.cmp(&b.how))
            .then_with(|| self.cmp_paths_of_subject(a, b))
            .then_with(|| cmp_joined(self.what_parts(a).as_slice(), self.what_parts(b).as_slice()))
            .then_with(|| self.secrets_of(a).cmp(self.secrets_of(b)))
    }

    /// Sorted (equal entries in their order in `v`, so the first traced position stays), one
    /// per entry. In place (no sort buffer the size of a large graph).
    fn sort_unique(&self, v: &mut Vec<Raw>) {
        for (i, r) in v.iter_mut().enumerate() {
            r.seq = id(i);
        }
        v.sort_unstable_by(|a, b| self.cmp_raw(a, b).then(a.seq.cmp(&b.seq)));
        v.dedup_by(|a, b| self.cmp_raw(a, b) == Ordering::Equal);
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no subject can read Secrets.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = Traced<'_, 'i>> + '_ {
        self.entries.iter().filter_map(move |&raw| self.traced(raw))
    }

    fn traced(&self, raw: Raw) -> Option<Traced<'_, 'i>> {
        Some(Traced {
            graph: self,
            raw,
            origin: self.origins.get(raw.origin as usize)?,
        })
    }

    /// Every binding subject, sorted: [`SubjectId::index`] is the position.
    pub fn subjects(&self) -> &[SubjectRef] {
        &self.subjects
    }

    /// What one identity can reach: the entries whose subject applies to it, plus the chains it
    /// completes through two of its subjects (e.g. `create rolebindings` granted to its group
    /// and `bind` to itself); sorted, unique.
    pub fn reach(&self, who: &Identity) -> Vec<Traced<'_, 'i>> {
        let matches: Vec<bool> = self.subjects.iter().map(|s| who.matches(s)).collect();
        let applies = |s: SubjectId| matches.get(s.index()).copied().unwrap_or(false);
        let mut out: Vec<Raw> = self
            .entries
            .iter()
            .filter(|r| applies(r.subject))
            .copied()
            .collect();
        let of = |steps: &[Step]| -> Vec<u32> {
            (0..steps.len())
                .filter(|&i| steps.get(i).is_some_and(|s| applies(s.subject)))
                .map(id)
                .collect()
        };
        let (writes, binds) = (of(&self.writes), of(&self.binds));
        let mut memo = vec![vec![]; self.binds.len()];
        for &wi in &writes {
            for &bi in &binds {
                let distinct = match (self.writes.get(wi as usize), self.binds.get(bi as usize)) {
                    (Some(w), Some(b)) => w.subject != b.subject,
                    _ => false,
                };
                if distinct {
                    self.chain(wi, bi, &mut memo, &mut out);
                }
            }
        }
        self.sort_unique(&mut out);
        out.into_iter().filter_map(|raw| self.traced(raw)).collect()
    }
}

/// One entry of a [`Graph`]: an [`AccessEntry`] whose texts are written out on demand, with the
/// binding and subject mapping it starts from (for rules that report at the subject).
#[derive(Debug, Clone, Copy)]
pub struct Traced<'g, 'i> {
    graph: &'g Graph<'i>,
    raw: Raw,
    origin: &'g Origin<'i>,
}

impl<'g, 'i> Traced<'g, 'i> {
    /// The binding subject.
    pub fn subject(&self) -> &'g SubjectRef {
        self.graph
            .subjects
            .get(self.raw.subject.index())
            .unwrap_or(&NO_SUBJECT)
    }

    /// The subject's id in the graph (equal ids, equal subjects).
    pub fn subject_id(&self) -> SubjectId {
        self.raw.subject
    }

    /// Where: one namespace, or every namespace.
    pub fn scope(&self) -> &'g Scope {
        self.graph.scope(self.origin.scope)
    }

    /// The scope's id in the graph (equal ids, equal scopes).
    pub fn scope_id(&self) -> ScopeId {
        self.origin.scope
    }

    /// How the subject gets to Secret values.
    pub fn how(&self) -> How {
        self.raw.how
    }

    /// [`AccessEntry::path`].
    pub fn path(&self) -> String {
        self.graph.path_parts(&self.raw).joined()
    }

    /// [`AccessEntry::what`].
    pub fn what(&self) -> String {
        self.graph.what_parts(&self.raw).joined()
    }

    /// [`AccessEntry::secrets`].
    pub fn secrets(&self) -> &'g [String] {
        self.graph.secrets_of(&self.raw)
    }

    /// Whether `resourceNames` limits the entry to some Secrets.
    pub fn is_limited(&self) -> bool {
        !self.secrets().is_empty()
    }

    /// The binding that grants the first step of the path.
    pub fn binding(&self) -> &'i Object<'static> {
        self.origin.binding
    }

    /// The subject's mapping in that binding's `subjects`.
    pub fn subject_node(&self) -> &'i Node<'static> {
        self.origin.node
    }

    /// The entry written out.
    pub fn to_entry(&self) -> AccessEntry {
        AccessEntry {
            subject: self.subject().clone(),
            scope: self.scope().clone(),
            how: self.how(),
            path: self.path(),
            what: self.what(),
            secrets: self.secrets().to_vec(),
        }
    }
}

/// Every binding subject that can read Secrets, and how: sorted, unique.
pub fn who_can_read_secrets(inv: &Inventory) -> Vec<AccessEntry> {
    let bindings = access::resolve_bindings(inv);
    Graph::build(inv, &bindings)
        .entries()
        .map(|t| t.to_entry())
        .collect()
}

/// The entries that apply in namespace `ns` (its own and the cluster-wide ones).
pub fn in_namespace(entries: Vec<AccessEntry>, ns: &str) -> Vec<AccessEntry> {
    entries.into_iter().filter(|e| e.scope.covers(ns)).collect()
}

/// An authenticated identity: a user name (`jane`, `system:serviceaccount:app:api`) and
/// groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    /// Groups given beyond those every such identity carries.
    pub groups: Vec<String>,
}

impl Identity {
    /// The ServiceAccount (namespace, name) of a `system:serviceaccount:<ns>:<name>` user.
    pub fn service_account(&self) -> Option<(&str, &str)> {
        let rest = self.user.strip_prefix("system:serviceaccount:")?;
        let (ns, name) = rest.split_once(':')?;
        (!ns.is_empty() && !name.is_empty() && !name.contains(':')).then_some((ns, name))
    }

    /// Whether a binding subject applies to requests of this identity: the user itself (or its
    /// ServiceAccount), one of its groups, or a group the apiserver adds (`system:authenticated`;
    /// `system:serviceaccounts[:<ns>]` for ServiceAccounts; `system:unauthenticated` for
    /// `system:anonymous`).
    pub fn matches(&self, s: &SubjectRef) -> bool {
        if let Some((ns, name)) = self.service_account() {
            if s.includes_service_account(ns, name) {
                return true;
            }
        }
        match s.kind.as_str() {
            "User" => s.name == self.user,
            "Group" => {
                self.groups.contains(&s.name)
                    || if self.user == "system:anonymous" {
                        s.name == "system:unauthenticated"
                    } else {
                        s.name == "system:authenticated"
                    }
            }
            _ => false,
        }
    }
}

/// What one identity can reach ([`Graph::reach`]): the entries of [`who_can_read_secrets`]
/// whose subject applies to it, plus the chains it completes through two of its subjects.
pub fn reach_of(inv: &Inventory, who: &Identity) -> Vec<AccessEntry> {
    let bindings = access::resolve_bindings(inv);
    Graph::build(inv, &bindings)
        .reach(who)
        .iter()
        .map(Traced::to_entry)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(text: &str) -> Inventory {
        Inventory::of_text(text)
    }

    #[test]
    fn entries_stay_compact() {
        // 270,000 entries on `make bench`'s corpus: each byte here is 0.27 MB there.
        assert!(std::mem::size_of::<Raw>() <= 32);
    }

    #[test]
    fn joined_comparison_is_the_comparison_of_the_joined_strings() {
        let cases: &[(&[&str], &[&str])] = &[
            (&["ab", "c"], &["a", "bc"]),
            (&["ab", "c"], &["abc", ""]),
            (&["ab"], &["ab", "c"]),
            (&["a → b"], &["a", " → c"]),
            (&["x", "", "y"], &["xy"]),
            (&["rb", " → Role"], &["rb-2", " → Role"]),
            (&["rb → ", "z"], &["rb", " → Role"]),
            (&[], &[""]),
            (&["é"], &["e", "\u{301}"]),
        ];
        for (a, b) in cases {
            let want = a.concat().cmp(&b.concat());
            assert_eq!(cmp_joined(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(cmp_joined(b, a), want.reverse(), "{b:?} vs {a:?}");
            assert_eq!(cmp_joined(a, a), Ordering::Equal);
        }
    }

    /// Names chosen so that evidence pieces are prefixes of one another (`rb` / `rb → x`,
    /// `w` / `w-2`) and one subject holds several writes and binds: the graph's order and
    /// uniqueness must still be those of the written-out entries.
    const TRICKY: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: writer, namespace: app}
rules:
  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}
  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create], resourceNames: [x]}
  - {apiGroups: [""], resources: [secrets], verbs: [get]}
  - {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [a, b]}
  - {apiGroups: [rbac.authorization.k8s.io], resources: [roles, clusterroles], verbs: [bind]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: app}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader → x, namespace: app}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: app}
subjects:
  - {kind: User, name: jane}
  - {kind: User, name: jane}
  - {kind: Group, name: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: writer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb → x, namespace: app}
subjects: [{kind: User, name: jane}, {kind: Group, name: dev}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: writer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-2, namespace: app}
subjects: [{kind: User, name: jane}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: writer}
"#;

    #[test]
    fn graph_order_and_uniqueness_are_those_of_the_written_entries() {
        let inv = inventory(TRICKY);
        let bindings = access::resolve_bindings(&inv);
        let graph = Graph::build(&inv, &bindings);
        let written: Vec<AccessEntry> = graph.entries().map(|t| t.to_entry()).collect();
        let mut want = written.clone();
        want.sort();
        want.dedup();
        assert_eq!(written, want);
        // Chains through each bind of each write, to both Roles and to cluster-admin.
        let chains = written
            .iter()
            .filter(|e| e.path.contains(" → binds "))
            .count();
        assert!(chains > 20, "{chains} chains");
        assert!(written.iter().any(|e| e.path.starts_with(
            "User jane → RoleBinding app/rb → x → Role writer → rules[0] create rolebindings → \
             RoleBinding app/rb → Role writer → rules[4] bind roles → binds Role reader → x → \
             rules[0] list secrets"
        )));
        // The duplicate subject mapping gives no duplicate entry: the first mapping is traced.
        let jane_rb = graph
            .entries()
            .find(|t| {
                t.path()
                    .starts_with("User jane → RoleBinding app/rb → Role")
            })
            .expect("jane through rb");
        let first_subject = bindings
            .iter()
            .find(|b| b.binding.name() == "rb")
            .and_then(|b| b.subjects.first())
            .expect("rb's first subject");
        assert!(std::ptr::eq(jane_rb.subject_node(), first_subject.node));

        // The reach of an identity with both subjects: the same properties, plus the chains
        // across its two subjects.
        let who = Identity {
            user: "jane".into(),
            groups: vec!["dev".into()],
        };
        let reach: Vec<AccessEntry> = graph.reach(&who).iter().map(Traced::to_entry).collect();
        let mut want = reach.clone();
        want.sort();
        want.dedup();
        assert_eq!(reach, want);
        assert!(reach.iter().any(|e| e
            .path
            .contains("create rolebindings → Group dev → RoleBinding")));
        assert!(reach.len() > written.len());
    }
}
