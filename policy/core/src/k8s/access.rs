//! Who can do what: bindings resolved to roles, and the grants they give to each subject.
//!
//! Pure functions over an [`Inventory`]; no findings are produced here. The RBG-* rules and the
//! `who-can` access graph build on this module.
//!
//! Semantics follow the apiserver's RBAC authorizer (`plugin/pkg/auth/authorizer/rbac`):
//! - a `RoleBinding` grants only in its own namespace, even when it refers to a ClusterRole; a
//!   `ClusterRoleBinding` grants cluster-wide;
//! - a `ServiceAccount` subject without `namespace` in a RoleBinding means the binding's namespace;
//! - a rule with `resourceNames` matches only requests that name one of those objects: `get` of
//!   that Secret, `list`/`watch` with a `metadata.name` field selector, and never `create` (a
//!   create request carries no name);
//! - a ClusterRole with `aggregationRule` gets the rules of every ClusterRole whose labels match
//!   one of its `clusterRoleSelectors` (resolved here against the ClusterRoles of the input,
//!   transitively, bounded).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt;

use crate::engine::{ns_or_default, Inventory};
use crate::k8s::rbac::{self, PolicyRule};
use crate::object::Object;
use crate::yaml::Node;

/// Workload resources whose `create` lets the holder run a Pod (group, resource).
pub const WORKLOAD_RESOURCES: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

/// Groups (and the anonymous user) that stand for very many identities.
pub const BROAD_GROUPS: &[&str] = &[
    "system:authenticated",
    "system:unauthenticated",
    "system:serviceaccounts",
];

/// Bound on the ClusterRoles gathered through aggregation for one role.
const MAX_AGGREGATED: usize = 256;

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every namespace (and cluster-scoped resources).
    Cluster,
    /// One namespace.
    Namespace(String),
}

impl Scope {
    /// Whether the grant applies in namespace `ns`.
    pub fn covers(&self, ns: &str) -> bool {
        match self {
            Scope::Cluster => true,
            Scope::Namespace(n) => n == ns,
        }
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self, Scope::Cluster)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Cluster => f.write_str("cluster-wide"),
            Scope::Namespace(ns) => write!(f, "in namespace {ns}"),
        }
    }
}

/// A binding subject, with the ServiceAccount namespace resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectRef {
    /// `User`, `Group` or `ServiceAccount` (as written).
    pub kind: String,
    pub name: String,
    /// ServiceAccounts only: the subject's namespace, or the RoleBinding's when omitted.
    /// `None` for a ServiceAccount of a ClusterRoleBinding without `namespace` (rejected by the
    /// apiserver) and for users and groups.
    pub namespace: Option<String>,
}

impl SubjectRef {
    pub fn is_service_account(&self) -> bool {
        self.kind == "ServiceAccount"
    }

    /// Whether the subject stands for very many identities: `system:authenticated`,
    /// `system:unauthenticated`, `system:serviceaccounts[:<ns>]`, user `system:anonymous`.
    pub fn is_broad(&self) -> bool {
        match self.kind.as_str() {
            "Group" => {
                BROAD_GROUPS.contains(&self.name.as_str())
                    || self.name.starts_with("system:serviceaccounts:")
            }
            "User" => self.name == "system:anonymous",
            _ => false,
        }
    }

    /// Whether a request made with the token of ServiceAccount `ns/name` matches this subject
    /// (the SA itself, its user name, or a group every SA token carries).
    pub fn includes_service_account(&self, ns: &str, name: &str) -> bool {
        match self.kind.as_str() {
            "ServiceAccount" => self.name == name && self.namespace.as_deref() == Some(ns),
            "User" => {
                self.name.strip_prefix("system:serviceaccount:") == Some(&format!("{ns}:{name}"))
            }
            "Group" => {
                matches!(
                    self.name.as_str(),
                    "system:authenticated" | "system:serviceaccounts"
                ) || self.name.strip_prefix("system:serviceaccounts:") == Some(ns)
            }
            _ => false,
        }
    }
}

impl fmt::Display for SubjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.is_service_account(), &self.namespace) {
            (true, Some(ns)) => write!(f, "ServiceAccount {ns}/{}", self.name),
            (true, None) => write!(f, "ServiceAccount {} (no namespace)", self.name),
            _ => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// One subject of a binding, with the node it is written at.
#[derive(Debug, Clone)]
pub struct BindingSubject<'i> {
    pub subject: SubjectRef,
    /// The subject's mapping in `subjects`.
    pub node: &'i Node<'static>,
    /// Index in `subjects`.
    pub index: usize,
}

/// A role whose rules a binding grants.
#[derive(Debug, Clone, Copy)]
pub struct BoundRole<'i> {
    /// The role holding the rules.
    pub role: &'i Object<'static>,
    /// The aggregating ClusterRole the binding refers to, when `role` was selected by its
    /// `aggregationRule`.
    pub aggregated_into: Option<&'i Object<'static>>,
}

impl BoundRole<'_> {
    /// `ClusterRole view (built-in)`, `ClusterRole monitoring → aggregated ClusterRole part`.
    pub fn display(&self) -> String {
        let one = |o: &Object<'_>| {
            if is_builtin_object(o) {
                format!("{} {} (built-in)", o.kind(), o.name())
            } else {
                format!("{} {}", o.kind(), o.name())
            }
        };
        match self.aggregated_into {
            Some(agg) => format!("{} → aggregated {}", one(agg), one(self.role)),
            None => one(self.role),
        }
    }
}

/// A binding with its subjects and the roles it grants.
#[derive(Debug, Clone)]
pub struct ResolvedBinding<'i> {
    pub binding: &'i Object<'static>,
    pub scope: Scope,
    pub subjects: Vec<BindingSubject<'i>>,
    /// Empty when the `roleRef` names a role that is neither in the input nor built in.
    pub roles: Vec<BoundRole<'i>>,
}

impl ResolvedBinding<'_> {
    /// `ClusterRoleBinding read-all`, `RoleBinding app/readers`.
    pub fn display(&self) -> String {
        match self.scope {
            Scope::Cluster => format!("{} {}", self.binding.kind(), self.binding.name()),
            Scope::Namespace(ref ns) => {
                format!("{} {ns}/{}", self.binding.kind(), self.binding.name())
            }
        }
    }
}

/// One permission a subject gets: subject → binding → role → rule, on one resource.
#[derive(Debug, Clone)]
pub struct Grant<'i> {
    pub subject: SubjectRef,
    /// The subject's mapping in the binding.
    pub subject_node: &'i Node<'static>,
    pub binding: &'i Object<'static>,
    pub role: BoundRole<'i>,
    /// Index of the rule in the role's `rules`.
    pub rule_index: usize,
    pub rule_node: &'i Node<'static>,
    /// API group and resource asked for (e.g. `""`, `secrets`).
    pub group: &'static str,
    pub resource: &'static str,
    /// The asked-for verbs this rule grants.
    pub verbs: Vec<&'static str>,
    /// `resourceNames` of the rule: when not empty, the grant is limited to those objects.
    pub resource_names: Vec<String>,
    pub scope: Scope,
}

impl Grant<'_> {
    /// Whether `resourceNames` limits the grant to some objects.
    pub fn is_limited(&self) -> bool {
        !self.resource_names.is_empty()
    }

    /// Whether the grant is the whole resource of a scope (not limited by name).
    pub fn is_unlimited(&self) -> bool {
        self.resource_names.is_empty()
    }

    /// The grant's verbs and resource, e.g. `get, list secrets` or
    /// `get secrets named db-password`.
    pub fn what(&self) -> String {
        what_text(&self.verbs, self.resource, &self.resource_names)
    }

    /// The evidence path: `Group system:authenticated → ClusterRoleBinding read-all →
    /// ClusterRole secret-reader → rules[0] list secrets`.
    pub fn evidence(&self) -> String {
        let binding = if self.binding.kind() == "RoleBinding" {
            format!(
                "RoleBinding {}/{}",
                ns_or_default(self.binding),
                self.binding.name()
            )
        } else {
            format!("{} {}", self.binding.kind(), self.binding.name())
        };
        format!(
            "{} → {binding} → {} → rules[{}] {}",
            self.subject,
            self.role.display(),
            self.rule_index,
            self.what()
        )
    }
}

/// Whether an object is one of the built-in role definitions (not from the input).
pub fn is_builtin_object(o: &Object<'_>) -> bool {
    &*o.file == rbac::BUILTIN_FILE
}

/// Whether a namespaced Role of this name exists in every cluster (the apiserver's bootstrap
/// Roles in `kube-system` and `kube-public`, e.g. `extension-apiserver-authentication-reader`).
pub fn is_builtin_role(namespace: &str, name: &str) -> bool {
    match namespace {
        "kube-system" => {
            name == "extension-apiserver-authentication-reader" || name.starts_with("system:")
        }
        "kube-public" => name.starts_with("system:"),
        _ => false,
    }
}

/// Where a binding grants: its namespace (RoleBinding) or the cluster (ClusterRoleBinding).
pub fn binding_scope(binding: &Object<'_>) -> Scope {
    if binding.kind() == "ClusterRoleBinding" {
        Scope::Cluster
    } else {
        Scope::Namespace(ns_or_default(binding).to_string())
    }
}

/// The subjects of a binding (kinds `User`, `Group`, `ServiceAccount`; others match nothing),
/// ServiceAccount namespaces resolved.
pub fn binding_subjects<'i>(binding: &'i Object<'static>) -> Vec<BindingSubject<'i>> {
    let default_ns = (binding.kind() == "RoleBinding").then(|| ns_or_default(binding));
    binding
        .root
        .get("subjects")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, n)| {
            let kind = n.get("kind")?.as_str()?;
            if !matches!(kind, "User" | "Group" | "ServiceAccount") {
                // The authorizer matches no other kind.
                return None;
            }
            let name = n.get("name")?.as_str()?;
            let namespace = if kind == "ServiceAccount" {
                n.get("namespace")
                    .and_then(Node::as_str)
                    .filter(|s| !s.is_empty())
                    .or(default_ns)
                    .map(str::to_string)
            } else {
                None
            };
            Some(BindingSubject {
                subject: SubjectRef {
                    kind: kind.to_string(),
                    name: name.to_string(),
                    namespace,
                },
                node: n,
                index,
            })
        })
        .collect()
}

/// Whether a label selector (`matchLabels`, `matchExpressions`) selects an object with these
/// labels. An empty selector selects everything; a malformed one selects nothing.
pub fn selector_matches(selector: &Node<'_>, labels: Option<&Node<'_>>) -> bool {
    if !selector.is_map() {
        return false;
    }
    let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Node::as_str);
    if let Some(ml) = selector.get("matchLabels") {
        if !ml.is_map() && !ml.is_null() {
            return false;
        }
        for e in ml.entries() {
            let (Some(k), Some(v)) = (e.key.as_str(), e.value.as_str()) else {
                return false;
            };
            if label(k) != Some(v) {
                return false;
            }
        }
    }
    if let Some(me) = selector.get("matchExpressions") {
        if !me.is_seq() && !me.is_null() {
            return false;
        }
        for expr in me.items() {
            let Some(key) = expr.get("key").and_then(Node::as_str) else {
                return false;
            };
            let values: Vec<&str> = expr
                .get("values")
                .map(|v| v.str_items().map(|(s, _)| s).collect())
                .unwrap_or_default();
            let have = label(key);
            let ok = match expr.get("operator").and_then(Node::as_str) {
                Some("In") => have.is_some_and(|h| values.contains(&h)),
                Some("NotIn") => !have.is_some_and(|h| values.contains(&h)),
                Some("Exists") => have.is_some(),
                Some("DoesNotExist") => have.is_none(),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

/// Whether a ClusterRole has an `aggregationRule` with at least one selector.
pub fn is_aggregated(role: &Object<'_>) -> bool {
    role.kind() == "ClusterRole"
        && role
            .root
            .at(&["aggregationRule", "clusterRoleSelectors"])
            .is_some_and(|s| !s.items().is_empty())
}

/// The ClusterRoles of the input whose rules `role` aggregates (transitively, each once, bounded),
/// in input order. Empty for roles without `aggregationRule`.
pub fn aggregated_roles<'i>(inv: &'i Inventory, role: &Object<'_>) -> Vec<&'i Object<'static>> {
    let mut out: Vec<&'i Object<'static>> = vec![];
    let mut seen: Vec<*const ()> = vec![role as *const Object<'_> as *const ()];
    let mut pending: Vec<&Object<'_>> = vec![role];
    while let Some(current) = pending.pop() {
        if !is_aggregated(current) {
            continue;
        }
        let selectors = current
            .root
            .at(&["aggregationRule", "clusterRoleSelectors"])
            .map(Node::items)
            .unwrap_or_default();
        for candidate in inv.of_kind("ClusterRole") {
            let ptr = candidate as *const Object<'static> as *const ();
            if seen.contains(&ptr) || out.len() >= MAX_AGGREGATED {
                continue;
            }
            let labels = candidate.root.at(&["metadata", "labels"]);
            if selectors.iter().any(|s| selector_matches(s, labels)) {
                seen.push(ptr);
                out.push(candidate);
                pending.push(candidate);
            }
        }
    }
    out
}

/// The roles a binding grants: the role its `roleRef` names (from the input, or built in) and,
/// for an aggregated ClusterRole, the ClusterRoles it selects.
pub fn bound_roles<'i>(inv: &'i Inventory, binding: &Object<'_>) -> Vec<BoundRole<'i>> {
    if binding.kind() == "ClusterRoleBinding"
        && rbac::role_ref(binding).is_some_and(|(k, _)| k != "ClusterRole")
    {
        // A ClusterRoleBinding can only refer to a ClusterRole (the apiserver rejects others).
        return vec![];
    }
    let Some(role) = inv.resolve_role_ref(binding) else {
        return vec![];
    };
    let mut out = vec![BoundRole {
        role,
        aggregated_into: None,
    }];
    out.extend(aggregated_roles(inv, role).into_iter().map(|r| BoundRole {
        role: r,
        aggregated_into: Some(role),
    }));
    out
}

/// Every binding of the input, resolved.
pub fn resolve_bindings(inv: &Inventory) -> Vec<ResolvedBinding<'_>> {
    inv.bindings()
        .map(|b| ResolvedBinding {
            binding: b,
            scope: binding_scope(b),
            subjects: binding_subjects(b),
            roles: bound_roles(inv, b),
        })
        .collect()
}

/// `get, list secrets`, or `get secrets named a, b` when `names` limits the grant.
pub(crate) fn what_text(verbs: &[&str], resource: &str, names: &[String]) -> String {
    let mut s = format!("{} {resource}", verbs.join(", "));
    if !names.is_empty() {
        s += " named ";
        s += &names.join(", ");
    }
    s
}

/// Every grant of `verbs` on the given (group, resource) pairs, over resolved bindings. One
/// grant per subject, role rule and resource. Rules limited by `resourceNames` give limited
/// grants, except for `create` and `deletecollection`, which they never allow.
pub fn grants<'i>(
    bindings: &[ResolvedBinding<'i>],
    resources: &[(&'static str, &'static str)],
    verbs: &[&'static str],
) -> Vec<Grant<'i>> {
    let mut out = vec![];
    for_each_role_grants(bindings, resources, verbs, |_, rb, bound, rule_grants| {
        for rg in rule_grants {
            for s in &rb.subjects {
                out.push(Grant {
                    subject: s.subject.clone(),
                    subject_node: s.node,
                    binding: rb.binding,
                    role: *bound,
                    rule_index: rg.rule_index,
                    rule_node: rg.rule_node,
                    group: rg.group,
                    resource: rg.resource,
                    verbs: rg.verbs.clone(),
                    resource_names: rg.resource_names.clone(),
                    scope: rb.scope.clone(),
                });
            }
        }
    });
    out
}

/// The walk behind [`grants`], without a grant per subject: calls `visit` for every binding (with
/// its position) and every role it grants, in order, with what that role's rules grant of `verbs` on the given
/// (group, resource) pairs (rule by rule, resources in the order given; possibly empty).
pub(crate) fn for_each_role_grants<'i>(
    bindings: &[ResolvedBinding<'i>],
    resources: &[(&'static str, &'static str)],
    verbs: &[&'static str],
    mut visit: impl FnMut(usize, &ResolvedBinding<'i>, &BoundRole<'i>, &[RuleGrant<'i>]),
) {
    // What each role grants, worked out once per role (many bindings share a role, e.g. the
    // built-in `admin` or `edit`), then handed out per binding.
    let mut by_role: HashMap<*const (), Vec<RuleGrant<'i>>> = HashMap::new();
    for (i, rb) in bindings.iter().enumerate() {
        for bound in &rb.roles {
            let key = bound.role as *const Object<'static> as *const ();
            let rule_grants = by_role
                .entry(key)
                .or_insert_with(|| role_grants(bound.role, resources, verbs));
            visit(i, rb, bound, rule_grants);
        }
    }
}

/// What one rule of a role grants on one resource (the binding-independent part of a [`Grant`]).
pub(crate) struct RuleGrant<'i> {
    pub(crate) rule_index: usize,
    pub(crate) rule_node: &'i Node<'static>,
    pub(crate) group: &'static str,
    pub(crate) resource: &'static str,
    pub(crate) verbs: Vec<&'static str>,
    pub(crate) resource_names: Vec<String>,
}

impl RuleGrant<'_> {
    /// As [`Grant::what`].
    pub(crate) fn what(&self) -> String {
        what_text(&self.verbs, self.resource, &self.resource_names)
    }
}

/// The grants of `verbs` on the given (group, resource) pairs in one role, rule by rule.
fn role_grants<'i>(
    role: &'i Object<'static>,
    resources: &[(&'static str, &'static str)],
    verbs: &[&'static str],
) -> Vec<RuleGrant<'i>> {
    let mut out = vec![];
    for rule in rbac::policy_rules(role) {
        for &(group, resource) in resources {
            let mut granted = rule.granted_verbs(group, resource, verbs);
            let names = resource_names(&rule);
            if !names.is_empty() {
                granted.retain(|v| !matches!(*v, "create" | "deletecollection"));
            }
            if granted.is_empty() {
                continue;
            }
            out.push(RuleGrant {
                rule_index: rule.index,
                rule_node: rule.node,
                group,
                resource,
                verbs: granted,
                resource_names: names,
            });
        }
    }
    out
}

fn resource_names(rule: &PolicyRule<'_, '_>) -> Vec<String> {
    rule.resource_names().map(|(s, _)| s.to_string()).collect()
}

/// Who can `get`/`list`/`watch` Secrets, and where.
pub fn secret_read_grants<'i>(bindings: &[ResolvedBinding<'i>]) -> Vec<Grant<'i>> {
    grants(bindings, &[("", "secrets")], rbac::READ_VERBS)
}

/// Who can `create` Pods or workload controllers, and where.
pub fn workload_create_grants<'i>(bindings: &[ResolvedBinding<'i>]) -> Vec<Grant<'i>> {
    grants(bindings, WORKLOAD_RESOURCES, &["create"])
}

/// The grants that apply to requests made with the token of ServiceAccount `ns/name`, in any
/// scope (see [`Grant::scope`]).
pub fn service_account_grants<'g, 'i>(
    grants: &'g [Grant<'i>],
    ns: &'g str,
    name: &'g str,
) -> impl Iterator<Item = &'g Grant<'i>> + 'g {
    grants
        .iter()
        .filter(move |g| g.subject.includes_service_account(ns, name))
}

/// Positions of grants by the ServiceAccount tokens they apply to, so that
/// [`service_account_grants`] over many workloads need not scan every grant each time.
#[derive(Debug, Default)]
pub struct ServiceAccountIndex {
    /// `ServiceAccount` subjects, by (namespace, name).
    accounts: HashMap<(String, String), Vec<usize>>,
    /// `User system:serviceaccount:<ns>:<name>` subjects, by `<ns>:<name>`.
    users: HashMap<String, Vec<usize>>,
    /// `Group system:serviceaccounts:<ns>` subjects, by namespace.
    namespace_groups: HashMap<String, Vec<usize>>,
    /// Groups every ServiceAccount token carries (`system:authenticated`, `system:serviceaccounts`).
    all: Vec<usize>,
}

impl ServiceAccountIndex {
    pub fn new(grants: &[Grant<'_>]) -> Self {
        let mut idx = ServiceAccountIndex::default();
        for (i, g) in grants.iter().enumerate() {
            let s = &g.subject;
            match s.kind.as_str() {
                "ServiceAccount" => {
                    if let Some(ns) = &s.namespace {
                        idx.accounts
                            .entry((ns.clone(), s.name.clone()))
                            .or_default()
                            .push(i);
                    }
                }
                "User" => {
                    if let Some(rest) = s.name.strip_prefix("system:serviceaccount:") {
                        idx.users.entry(rest.to_string()).or_default().push(i);
                    }
                }
                "Group" => {
                    if matches!(
                        s.name.as_str(),
                        "system:authenticated" | "system:serviceaccounts"
                    ) {
                        idx.all.push(i);
                    } else if let Some(ns) = s.name.strip_prefix("system:serviceaccounts:") {
                        idx.namespace_groups
                            .entry(ns.to_string())
                            .or_default()
                            .push(i);
                    }
                }
                _ => {}
            }
        }
        idx
    }

    /// The same grants as [`service_account_grants`] (in the same order), given the grants the
    /// index was built from.
    pub fn lookup<'g, 'i>(
        &self,
        grants: &'g [Grant<'i>],
        ns: &str,
        name: &str,
    ) -> Vec<&'g Grant<'i>> {
        let mut positions: Vec<usize> = vec![];
        if let Some(p) = self.accounts.get(&(ns.to_string(), name.to_string())) {
            positions.extend(p);
        }
        if let Some(p) = self.users.get(&format!("{ns}:{name}")) {
            positions.extend(p);
        }
        if let Some(p) = self.namespace_groups.get(ns) {
            positions.extend(p);
        }
        positions.extend(&self.all);
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .filter_map(|i| grants.get(i))
            .collect()
    }
}

/// Bindings and grants of one inventory, worked out on first use and shared by the
/// cross-object rules of one evaluation (so that each is computed once, not once per rule).
pub struct Access<'i> {
    inv: &'i Inventory,
    bindings: OnceCell<Vec<ResolvedBinding<'i>>>,
    secret_reads: OnceCell<Vec<Grant<'i>>>,
    secret_reads_by_sa: OnceCell<ServiceAccountIndex>,
    who_can: OnceCell<crate::k8s::who_can::Graph<'i>>,
}

impl<'i> Access<'i> {
    pub fn new(inv: &'i Inventory) -> Self {
        Access {
            inv,
            bindings: OnceCell::new(),
            secret_reads: OnceCell::new(),
            secret_reads_by_sa: OnceCell::new(),
            who_can: OnceCell::new(),
        }
    }

    /// [`resolve_bindings`] of the inventory.
    pub fn bindings(&self) -> &[ResolvedBinding<'i>] {
        self.bindings.get_or_init(|| resolve_bindings(self.inv))
    }

    /// [`secret_read_grants`] of every binding.
    pub fn secret_read_grants(&self) -> &[Grant<'i>] {
        self.secret_reads
            .get_or_init(|| secret_read_grants(self.bindings()))
    }

    /// The who-can access graph ([`crate::k8s::who_can::Graph`]) of every binding: each way a
    /// binding subject reaches Secret values, with its evidence path.
    pub fn who_can(&self) -> &crate::k8s::who_can::Graph<'i> {
        self.who_can
            .get_or_init(|| crate::k8s::who_can::Graph::build(self.inv, self.bindings()))
    }

    /// [`service_account_grants`] over [`Access::secret_read_grants`], looked up in an index.
    pub fn secret_read_grants_of_service_account(&self, ns: &str, name: &str) -> Vec<&Grant<'i>> {
        let grants = self.secret_read_grants();
        self.secret_reads_by_sa
            .get_or_init(|| ServiceAccountIndex::new(grants))
            .lookup(grants, ns, name)
    }
}

/// Whether a bound role is `cluster-admin` (built in, or redefined in the input).
pub fn is_cluster_admin(bound: &BoundRole<'_>) -> bool {
    bound.aggregated_into.is_none()
        && bound.role.kind() == "ClusterRole"
        && bound.role.name() == "cluster-admin"
}

/// Grants grouped by binding subject (the same subject entry of the same binding), in the order
/// of their first grant.
pub fn by_subject<'g, 'i>(grants: &'g [Grant<'i>]) -> Vec<Vec<&'g Grant<'i>>> {
    let mut index: HashMap<*const (), usize> = HashMap::new();
    let mut out: Vec<Vec<&'g Grant<'i>>> = vec![];
    for g in grants {
        let key = g.subject_node as *const Node<'static> as *const ();
        match index.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(group) => group.push(g),
            None => {
                index.insert(key, out.len());
                out.push(vec![g]);
            }
        }
    }
    out
}

/// The distinct verbs of some grants, in the order of `order`.
pub fn verbs_of(grants: &[&Grant<'_>], order: &[&'static str]) -> Vec<&'static str> {
    order
        .iter()
        .copied()
        .filter(|v| grants.iter().any(|g| g.verbs.contains(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{self, Limits};

    fn inventory(text: &str) -> Inventory {
        Inventory::of_text(text)
    }

    const INPUT: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {agg: "yes"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: part, labels: {agg: "yes"}}
aggregationRule:
  clusterRoleSelectors:
    - matchExpressions: [{key: tier, operator: In, values: [inner]}]
rules:
  - {apiGroups: [""], resources: ["secrets"], resourceNames: ["one"], verbs: ["get", "create"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: inner, labels: {tier: inner}}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["list"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: app}
subjects:
  - {kind: ServiceAccount, name: api}
  - {kind: Group, name: "system:serviceaccounts:app", apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: agg}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects:
  - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: missing}
"#;

    #[test]
    fn resolves_aggregation_transitively_and_scopes() {
        let inv = inventory(INPUT);
        let bindings = resolve_bindings(&inv);
        assert_eq!(bindings.len(), 2);
        let rb = &bindings[0];
        assert_eq!(rb.scope, Scope::Namespace("app".into()));
        let roles: Vec<&str> = rb.roles.iter().map(|r| r.role.name()).collect();
        assert_eq!(roles, ["agg", "part", "inner"]);
        assert!(bindings[1].roles.is_empty());
        assert_eq!(rb.subjects[0].subject.namespace.as_deref(), Some("app"));

        let grants = secret_read_grants(&bindings);
        // 2 rules (part: limited get; inner: list) × 2 subjects.
        assert_eq!(grants.len(), 4);
        let g = &grants[0];
        assert_eq!(g.verbs, ["get"]);
        assert!(g.is_limited());
        assert_eq!(
            g.evidence(),
            "ServiceAccount app/api → RoleBinding app/rb → ClusterRole agg → aggregated \
             ClusterRole part → rules[0] get secrets named one"
        );
        assert!(grants
            .iter()
            .all(|g| g.scope == Scope::Namespace("app".into())));
        // `create` with resourceNames never matches.
        assert!(super::grants(&bindings, &[("", "secrets")], &["create"]).is_empty());
        // The group covers the default ServiceAccount of app, not of other namespaces.
        assert_eq!(service_account_grants(&grants, "app", "default").count(), 2);
        assert_eq!(
            service_account_grants(&grants, "prod", "default").count(),
            0
        );
        assert_eq!(by_subject(&grants).len(), 2);
        let idx = ServiceAccountIndex::new(&grants);
        for (ns, name) in [("app", "default"), ("app", "api"), ("prod", "default")] {
            let want: Vec<*const Grant<'_>> = service_account_grants(&grants, ns, name)
                .map(|g| g as *const Grant<'_>)
                .collect();
            let got: Vec<*const Grant<'_>> = idx
                .lookup(&grants, ns, name)
                .into_iter()
                .map(|g| g as *const Grant<'_>)
                .collect();
            assert_eq!(got, want, "{ns}/{name}");
        }
    }

    #[test]
    fn service_account_index_matches_every_subject_form() {
        let inv = inventory(
            r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects:
  - {kind: User, name: "system:serviceaccount:app:api"}
  - {kind: Group, name: "system:authenticated"}
  - {kind: Group, name: "system:serviceaccounts"}
  - {kind: Group, name: "system:serviceaccounts:app"}
  - {kind: ServiceAccount, name: api, namespace: app}
  - {kind: ServiceAccount, name: "app:api", namespace: x}
  - {kind: User, name: jane}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
"#,
        );
        let bindings = resolve_bindings(&inv);
        let grants = secret_read_grants(&bindings);
        let idx = ServiceAccountIndex::new(&grants);
        for (ns, name) in [
            ("app", "api"),
            ("app", "other"),
            ("x", "app:api"),
            ("y", "z"),
        ] {
            let want: Vec<*const Grant<'_>> = service_account_grants(&grants, ns, name)
                .map(|g| g as *const Grant<'_>)
                .collect();
            let got: Vec<*const Grant<'_>> = idx
                .lookup(&grants, ns, name)
                .into_iter()
                .map(|g| g as *const Grant<'_>)
                .collect();
            assert!(!want.is_empty());
            assert_eq!(got, want, "{ns}/{name}");
        }
    }

    #[test]
    fn selectors() {
        let inv = inventory(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  labels: {a: b, c: d}\n",
        );
        let labels = inv.objects[0].root.at(&["metadata", "labels"]);
        let sel = |s: &str| {
            let mut out = None;
            yaml::parse_documents(s, &Limits::default(), |d| {
                out = d.ok().map(|d| d.root.into_owned())
            });
            out.expect("selector")
        };
        assert!(selector_matches(&sel("{}"), labels));
        assert!(selector_matches(&sel("matchLabels: {a: b}"), labels));
        assert!(!selector_matches(&sel("matchLabels: {a: c}"), labels));
        assert!(selector_matches(
            &sel("matchExpressions: [{key: c, operator: NotIn, values: [x]}]"),
            labels
        ));
        assert!(!selector_matches(
            &sel("matchExpressions: [{key: a, operator: DoesNotExist}]"),
            labels
        ));
        assert!(!selector_matches(&sel("matchLabels: [a]"), labels));
        assert!(!selector_matches(&sel("42"), labels));
    }
}
