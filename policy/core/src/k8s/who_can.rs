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

use std::collections::HashMap;
use std::fmt;

use crate::engine::{ns_or_default, Inventory};
use crate::k8s::access::{self, Grant, ResolvedBinding, Scope, SubjectRef, WORKLOAD_RESOURCES};
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

/// An [`AccessEntry`] with the binding and subject mapping it starts from, for rules that report
/// at the subject (RBG-004, RBG-006).
#[derive(Debug, Clone)]
pub struct TracedEntry<'i> {
    pub entry: AccessEntry,
    /// The binding that grants the first step of the path.
    pub binding: &'i Object<'static>,
    /// The subject's mapping in that binding's `subjects`.
    pub subject_node: &'i Node<'static>,
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
/// the grants of one rule (same subject, binding, role).
fn what_of(grants: &[&Grant<'_>]) -> String {
    // Resources with the same verbs and names are listed together, in grant order.
    let mut parts: Vec<(Vec<&str>, Vec<String>, Vec<&str>)> = vec![];
    for g in grants {
        match parts
            .iter_mut()
            .find(|(v, n, _)| *v == g.verbs && *n == g.resource_names)
        {
            Some((_, _, res)) => res.push(g.resource),
            None => parts.push((g.verbs.clone(), g.resource_names.clone(), vec![g.resource])),
        }
    }
    parts
        .iter()
        .map(|(verbs, names, res)| {
            let mut s = format!("{} {}", verbs.join(", "), res.join(", "));
            if !names.is_empty() {
                s += " named ";
                s += &names.join(", ");
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Path of a grant up to its rule, with `what` at the end.
fn grant_path(g: &Grant<'_>, what: &str) -> String {
    format!(
        "{} → {} → {} → rules[{}] {what}",
        g.subject,
        binding_label(g.binding),
        g.role.display(),
        g.rule_index
    )
}

/// Grants grouped by (subject entry, binding, role, rule), in first-seen order.
fn by_rule<'g, 'i>(grants: &'g [Grant<'i>]) -> Vec<Vec<&'g Grant<'i>>> {
    let mut index: HashMap<(usize, usize, usize, usize), usize> = HashMap::new();
    let mut out: Vec<Vec<&'g Grant<'i>>> = vec![];
    for g in grants {
        let key = (
            g.subject_node as *const _ as usize,
            g.binding as *const _ as usize,
            g.role.role as *const _ as usize,
            g.rule_index,
        );
        match index.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(v) => v.push(g),
            None => {
                index.insert(key, out.len());
                out.push(vec![g]);
            }
        }
    }
    out
}

/// The first rule of `role` (or of the roles it aggregates) that reads Secrets without a
/// `resourceNames` limit: (display of the role, rule index, what).
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
            let bound = access::BoundRole {
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

/// The roles a `bind` grant lets its holder bind in `scope`: those named by `resourceNames`
/// (Roles of the namespace, ClusterRoles of the input or built in); when unrestricted, built-in
/// `cluster-admin` for `clusterroles` (it exists in every cluster) and every Role of the
/// namespace in the input for `roles`.
fn bindable_roles<'i>(
    inv: &'i Inventory,
    bind: &Grant<'i>,
    scope: &Scope,
) -> Vec<&'i Object<'static>> {
    if bind.resource_names.is_empty() {
        return match (bind.resource, scope) {
            ("clusterroles", _) => rbac::builtin_role("cluster-admin").into_iter().collect(),
            // Any Role of the namespace in the input.
            (_, Scope::Namespace(ns)) => inv
                .of_kind("Role")
                .filter(|r| ns_or_default(r) == ns)
                .collect(),
            (_, Scope::Cluster) => vec![],
        };
    }
    let mut out = vec![];
    for name in &bind.resource_names {
        let found = if bind.resource == "roles" {
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

/// Entries for the chain: create/update/patch bindings, plus `bind` on a role that reads
/// Secrets (`bind` granted where the binding would be written), for the pairs of binding
/// subjects `same` accepts as one identity (the write grant's subject names the entry).
fn binding_chains<'i>(
    inv: &'i Inventory,
    bindings: &[ResolvedBinding<'i>],
    same: &dyn Fn(&SubjectRef, &SubjectRef) -> bool,
    out: &mut Vec<TracedEntry<'i>>,
) {
    let writes = access::grants(
        bindings,
        &[(RBAC, "rolebindings"), (RBAC, "clusterrolebindings")],
        &["create", "update", "patch"],
    );
    let binds = access::grants(
        bindings,
        &[(RBAC, "roles"), (RBAC, "clusterroles")],
        &["bind"],
    );
    for w in &writes {
        if w.resource == "clusterrolebindings" && !w.scope.is_cluster() {
            continue;
        }
        for b in binds.iter().filter(|b| same(&w.subject, &b.subject)) {
            let covers = match (&b.scope, &w.scope) {
                (Scope::Cluster, _) => true,
                (Scope::Namespace(x), Scope::Namespace(y)) => x == y,
                _ => false,
            };
            // A ClusterRoleBinding can refer only to ClusterRoles.
            if !covers || (w.resource == "clusterrolebindings" && b.resource == "roles") {
                continue;
            }
            for role in bindable_roles(inv, b, &w.scope) {
                let Some(reads) = secret_read_rule(inv, role) else {
                    continue;
                };
                out.push(TracedEntry {
                    binding: w.binding,
                    subject_node: w.subject_node,
                    entry: AccessEntry {
                        subject: w.subject.clone(),
                        scope: w.scope.clone(),
                        how: How::Escalation,
                        path: format!(
                            "{} → {}{} → {} → rules[{}] {} → binds {reads}",
                            grant_path(w, &w.what()),
                            // The identity's other subject, when the bind comes through it.
                            if b.subject == w.subject {
                                String::new()
                            } else {
                                format!("{} → ", b.subject)
                            },
                            binding_label(b.binding),
                            b.role.display(),
                            b.rule_index,
                            b.what()
                        ),
                        what: format!("{} + {}", w.what(), b.what()),
                        secrets: vec![],
                    },
                });
            }
        }
    }
}

/// Every binding subject that can read Secrets, and how: sorted, unique.
pub fn who_can_read_secrets(inv: &Inventory) -> Vec<AccessEntry> {
    let bindings = access::resolve_bindings(inv);
    traced_entries(inv, &bindings)
        .into_iter()
        .map(|t| t.entry)
        .collect()
}

/// The entries of [`who_can_read_secrets`] over already resolved bindings (e.g.
/// [`access::Access::bindings`]), each with the binding subject it starts from: sorted by entry,
/// one per entry (the first binding subject in input order that gives it).
pub fn traced_entries<'i>(
    inv: &'i Inventory,
    bindings: &[ResolvedBinding<'i>],
) -> Vec<TracedEntry<'i>> {
    let mut out = vec![];
    for probe in PROBES {
        let grants: Vec<Grant<'_>> = access::grants(bindings, probe.resources, probe.verbs)
            .into_iter()
            .filter(|g| !probe.cluster_only || g.scope.is_cluster())
            .collect();
        for rule in by_rule(&grants) {
            let Some(first) = rule.first() else {
                continue;
            };
            let what = what_of(&rule);
            out.push(TracedEntry {
                binding: first.binding,
                subject_node: first.subject_node,
                entry: AccessEntry {
                    subject: first.subject.clone(),
                    scope: first.scope.clone(),
                    how: probe.how,
                    path: grant_path(first, &what),
                    what,
                    secrets: if probe.how == How::Direct {
                        first.resource_names.clone()
                    } else {
                        vec![]
                    },
                },
            });
        }
    }
    binding_chains(inv, bindings, &|a, b| a == b, &mut out);
    sort_unique(&mut out);
    out
}

/// Sorted by entry (stable: the first traced position of equal entries stays), one per entry.
fn sort_unique(v: &mut Vec<TracedEntry<'_>>) {
    v.sort_by(|a, b| a.entry.cmp(&b.entry));
    v.dedup_by(|a, b| a.entry == b.entry);
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

/// What one identity can reach: the entries of [`who_can_read_secrets`] whose subject applies
/// to it, plus the chains it completes through two of its subjects (e.g. `create rolebindings`
/// granted to its group and `bind` to itself).
pub fn reach_of(inv: &Inventory, who: &Identity) -> Vec<AccessEntry> {
    let bindings = access::resolve_bindings(inv);
    reach_traced(inv, &bindings, who)
        .into_iter()
        .map(|t| t.entry)
        .collect()
}

/// [`reach_of`] over already resolved bindings, each entry with the binding subject it starts
/// from.
pub fn reach_traced<'i>(
    inv: &'i Inventory,
    bindings: &[ResolvedBinding<'i>],
    who: &Identity,
) -> Vec<TracedEntry<'i>> {
    let graph = traced_entries(inv, bindings);
    reach_in_graph(inv, bindings, &graph, who)
}

/// [`reach_traced`] given the graph of [`traced_entries`] over the same bindings (computed once
/// for many identities).
pub fn reach_in_graph<'i>(
    inv: &'i Inventory,
    bindings: &[ResolvedBinding<'i>],
    graph: &[TracedEntry<'i>],
    who: &Identity,
) -> Vec<TracedEntry<'i>> {
    let mut out: Vec<TracedEntry<'i>> = graph
        .iter()
        .filter(|t| who.matches(&t.entry.subject))
        .cloned()
        .collect();
    binding_chains(
        inv,
        bindings,
        &|a, b| a != b && who.matches(a) && who.matches(b),
        &mut out,
    );
    sort_unique(&mut out);
    out
}
