//! Audit policy (`audit.k8s.io` `Policy`, the file given to `--audit-policy-file`): a model of the
//! policy and the apiserver's first-match evaluator.
//!
//! [`effective_level`] decides one request exactly as the apiserver's policy checker does
//! (kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go`): rules are tried in
//! order and the first rule whose `users`, `userGroups`, `verbs` and then resources/namespaces or
//! non-resource URLs all match decides the level; no match gives `None`. Stages to omit are the
//! union of the policy's and the deciding rule's `omitStages`.
//!
//! [`outcomes`] answers "which rules can decide *some* request of this kind (any user, any group,
//! any namespace, any of these verbs), and does any such request match no rule at all?". It
//! enumerates, for each rule, the requests that rule could match, limited to the values the policy
//! names plus one value it does not name (an "other" user, namespace or object name). An unnamed
//! value matches a subset of the rules any named value matches, so it is the best candidate to get
//! past earlier rules; adding groups only makes more rules match, so a user with
//! `system:authenticated` plus at most one named group is enough. The result is exact up to the
//! bounds documented on [`MAX_VALUES`] and [`MATCH_BUDGET`], which only hostile policies reach.
//!
//! Matching details that differ from RBAC: `group` is compared literally (`"*"` is not a wildcard
//! and is rejected by validation as an invalid group name); `pods` does not match `pods/exec`
//! (`pods/*`, `*/exec` and `*` do); a rule with `namespaces` or `resources` matches only resource
//! requests; a rule with neither those nor `nonResourceURLs` matches every request.

use crate::object::Object;
use crate::yaml::Node;

/// The API group of `Policy` and `Event`.
pub const AUDIT_GROUP: &str = "audit.k8s.io";
/// The only version current apiservers accept (v1alpha1 and v1beta1 were removed in 1.24).
pub const AUDIT_API_VERSION: &str = "audit.k8s.io/v1";
/// Valid `omitStages` values, in the apiserver's order.
pub const STAGES: [&str; 4] = [
    "RequestReceived",
    "ResponseStarted",
    "ResponseComplete",
    "Panic",
];
/// Valid `level` values.
pub const LEVELS: [&str; 4] = ["None", "Metadata", "Request", "RequestResponse"];
/// The verbs of resource requests.
pub const VERBS: [&str; 8] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
pub const READ_VERBS: [&str; 3] = ["get", "list", "watch"];
pub const WRITE_VERBS: [&str; 5] = ["create", "update", "patch", "delete", "deletecollection"];

/// At most this many values of one list (users, groups, verbs, namespaces, resource names) of a
/// rule are tried by [`outcomes`].
pub const MAX_VALUES: usize = 16;
/// At most this many rule-match tests per [`outcomes`] call; past it the answer may be incomplete.
pub const MATCH_BUDGET: usize = 2_000_000;

/// The user name used for "a user the policy does not name".
const OTHER_USER: &str = "\u{0}other-user";
const OTHER_NAMESPACE: &str = "\u{0}other-namespace";
const OTHER_NAME: &str = "\u{0}other-name";
const ANONYMOUS: &str = "system:anonymous";
const AUTHENTICATED: &str = "system:authenticated";
const UNAUTHENTICATED: &str = "system:unauthenticated";

/// How much of a request is logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    None,
    Metadata,
    Request,
    RequestResponse,
}

impl Level {
    /// Parses a level as written (case-sensitive, as the apiserver compares it).
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "None" => Some(Level::None),
            "Metadata" => Some(Level::Metadata),
            "Request" => Some(Level::Request),
            "RequestResponse" => Some(Level::RequestResponse),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Metadata => "Metadata",
            Level::Request => "Request",
            Level::RequestResponse => "RequestResponse",
        }
    }

    /// `Request` or `RequestResponse`: bodies are logged.
    pub fn logs_bodies(self) -> bool {
        self >= Level::Request
    }
}

/// A string item of a list field, with its node.
pub type Item<'o, 'a> = (&'o str, &'o Node<'a>);

fn str_list<'o, 'a>(node: &'o Node<'a>, field: &str) -> Vec<Item<'o, 'a>> {
    node.get(field)
        .map(|n| n.str_items().collect())
        .unwrap_or_default()
}

fn has(list: &[Item<'_, '_>], value: &str) -> bool {
    list.iter().any(|(s, _)| *s == value)
}

/// One element of a rule's `resources`.
#[derive(Debug, Clone)]
pub struct GroupResources<'o, 'a> {
    pub node: &'o Node<'a>,
    /// The API group; `""` (the core group) when absent.
    pub group: &'o str,
    pub group_node: Option<&'o Node<'a>>,
    pub resources: Vec<Item<'o, 'a>>,
    pub resource_names: Vec<Item<'o, 'a>>,
}

impl<'o, 'a> GroupResources<'o, 'a> {
    fn new(node: &'o Node<'a>) -> Self {
        let group_node = node.get("group").filter(|n| !n.is_null());
        GroupResources {
            node,
            group: group_node.and_then(Node::as_str).unwrap_or(""),
            group_node,
            resources: str_list(node, "resources"),
            resource_names: str_list(node, "resourceNames"),
        }
    }

    /// The `resources` item that matches `resource` with `subresource` (`""` for none), or the
    /// entry itself when it has no `resources` (all resources of the group); ignores the group
    /// and `resourceNames`.
    pub fn resource_match(&self, resource: &str, subresource: &str) -> Option<&'o Node<'a>> {
        if self.resources.is_empty() {
            return Some(self.node);
        }
        self.resources
            .iter()
            .find(|(res, _)| resource_pattern_matches(res, resource, subresource))
            .map(|(_, n)| *n)
    }

    /// Whether this entry matches the request target (checker.go `ruleMatchesResource`).
    pub fn matches(&self, group: &str, resource: &str, subresource: &str, name: &str) -> bool {
        if self.group != group {
            return false;
        }
        if self.resources.is_empty() {
            return true;
        }
        if !self.resource_names.is_empty() && !has(&self.resource_names, name) {
            return false;
        }
        self.resource_match(resource, subresource).is_some()
    }
}

/// `res` (from a policy) against `resource[/subresource]`: exact, `*`, `*/sub` or `res/*`.
pub fn resource_pattern_matches(res: &str, resource: &str, subresource: &str) -> bool {
    if res == "*" {
        return true;
    }
    if subresource.is_empty() {
        return res == resource;
    }
    if res.strip_prefix("*/") == Some(subresource) || res.strip_suffix("/*") == Some(resource) {
        return true;
    }
    res.split_once('/') == Some((resource, subresource))
}

/// One element of the policy's `rules`.
#[derive(Debug, Clone)]
pub struct PolicyRule<'o, 'a> {
    pub index: usize,
    pub node: &'o Node<'a>,
    /// `None` when `level` is missing or not one of the four levels (the apiserver rejects that).
    pub level: Option<Level>,
    pub level_node: Option<&'o Node<'a>>,
    pub users: Vec<Item<'o, 'a>>,
    pub user_groups: Vec<Item<'o, 'a>>,
    pub verbs: Vec<Item<'o, 'a>>,
    pub namespaces: Vec<Item<'o, 'a>>,
    pub resources: Vec<GroupResources<'o, 'a>>,
    pub non_resource_urls: Vec<Item<'o, 'a>>,
    pub omit_stages: Vec<Item<'o, 'a>>,
}

impl<'o, 'a> PolicyRule<'o, 'a> {
    fn new(index: usize, node: &'o Node<'a>) -> Self {
        let level_node = node.get("level");
        PolicyRule {
            index,
            node,
            level: level_node.and_then(Node::as_str).and_then(Level::parse),
            level_node,
            users: str_list(node, "users"),
            user_groups: str_list(node, "userGroups"),
            verbs: str_list(node, "verbs"),
            namespaces: str_list(node, "namespaces"),
            resources: node
                .get("resources")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter(|n| n.is_map())
                .map(GroupResources::new)
                .collect(),
            non_resource_urls: str_list(node, "nonResourceURLs"),
            omit_stages: str_list(node, "omitStages"),
        }
    }

    /// The node findings about this rule's level point at: the `level` value, else the rule.
    pub fn level_at(&self) -> &'o Node<'a> {
        self.level_node.unwrap_or(self.node)
    }

    /// The key node of `field`, else the rule.
    pub fn key(&self, field: &str) -> &'o Node<'a> {
        self.node.key_node(field).unwrap_or(self.node)
    }

    /// A rule that matches every request: no users, groups, verbs, namespaces, resources or URLs.
    pub fn is_catch_all(&self) -> bool {
        self.users.is_empty()
            && self.user_groups.is_empty()
            && self.verbs.is_empty()
            && self.namespaces.is_empty()
            && self.resources.is_empty()
            && self.non_resource_urls.is_empty()
    }

    /// The request-independent part of matching: users, groups, verbs.
    fn matches_subject(&self, req: &AuditRequest<'_>) -> bool {
        if !self.users.is_empty() && !has(&self.users, req.user) {
            return false;
        }
        if !self.user_groups.is_empty() && !req.groups.iter().any(|g| has(&self.user_groups, g)) {
            return false;
        }
        self.verbs.is_empty() || has(&self.verbs, req.verb)
    }

    /// checker.go `ruleMatches`.
    pub fn matches(&self, req: &AuditRequest<'_>) -> bool {
        if !self.matches_subject(req) {
            return false;
        }
        if !self.namespaces.is_empty() || !self.resources.is_empty() {
            let Target::Resource {
                namespace,
                group,
                resource,
                subresource,
                name,
            } = req.target
            else {
                return false;
            };
            if !self.namespaces.is_empty() && !has(&self.namespaces, namespace) {
                return false;
            }
            if self.resources.is_empty() {
                return true;
            }
            return self
                .resources
                .iter()
                .any(|gr| gr.matches(group, resource, subresource, name));
        }
        if !self.non_resource_urls.is_empty() {
            let Target::NonResource { path } = req.target else {
                return false;
            };
            return self
                .non_resource_urls
                .iter()
                .any(|(spec, _)| path_matches(path, spec));
        }
        true
    }

    /// The entries of `resources` that match `group` and `resource[/subresource]`, ignoring
    /// `resourceNames`.
    pub fn entries_for(
        &self,
        group: &str,
        resource: &str,
        subresource: &str,
    ) -> Vec<&GroupResources<'o, 'a>> {
        self.resources
            .iter()
            .filter(|gr| gr.group == group && gr.resource_match(resource, subresource).is_some())
            .collect()
    }

    /// How this rule reaches `resource[/subresource]` of `group`, for messages: "lists `secrets`",
    /// "matches every resource through `*`", "is a catch-all rule (no `resources`)".
    pub fn how_it_matches(&self, group: &str, resource: &str, subresource: &str) -> String {
        if self.resources.is_empty() {
            return if self.namespaces.is_empty() {
                "has no `resources`, so it matches every resource".to_string()
            } else {
                "has `namespaces` but no `resources`, so it matches every resource there"
                    .to_string()
            };
        }
        let full = if subresource.is_empty() {
            resource.to_string()
        } else {
            format!("{resource}/{subresource}")
        };
        for gr in self.entries_for(group, resource, subresource) {
            if gr.resources.is_empty() {
                return format!(
                    "lists group `{}` without `resources`, so it matches every resource of it",
                    gr.group
                );
            }
            if let Some(res) = gr
                .resource_match(resource, subresource)
                .and_then(Node::as_str)
            {
                return if res == full {
                    format!("lists `{full}`")
                } else {
                    format!("matches `{full}` through `{res}`")
                };
            }
        }
        format!("matches `{full}`")
    }
}

/// checker.go `pathMatches`.
pub fn path_matches(path: &str, spec: &str) -> bool {
    spec == "*"
        || spec == path
        || spec
            .strip_suffix('*')
            .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
}

/// An audit policy.
#[derive(Debug, Clone)]
pub struct AuditPolicy<'o, 'a> {
    pub node: &'o Node<'a>,
    /// The `rules` key node, if present.
    pub rules_key: Option<&'o Node<'a>>,
    /// Rules in order (items of `rules` that are not mappings are skipped; indexes are positions in
    /// `rules`).
    pub rules: Vec<PolicyRule<'o, 'a>>,
    /// Policy-wide `omitStages`.
    pub omit_stages: Vec<Item<'o, 'a>>,
}

impl<'o, 'a> AuditPolicy<'o, 'a> {
    /// Reads a policy document leniently: wrong types read as empty (validation is separate).
    pub fn from_node(node: &'o Node<'a>) -> Self {
        AuditPolicy {
            node,
            rules_key: node.key_node("rules"),
            rules: node
                .get("rules")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(_, n)| n.is_map())
                .map(|(i, n)| PolicyRule::new(i, n))
                .collect(),
            omit_stages: str_list(node, "omitStages"),
        }
    }

    /// The policy of an `audit.k8s.io` `Policy` object (any version), else `None`.
    pub fn from_object(obj: &'o Object<'a>) -> Option<Self> {
        is_audit_policy(obj).then(|| AuditPolicy::from_node(&obj.root))
    }

    /// The rule at position `index` of `rules`.
    pub fn rule(&self, index: usize) -> Option<&PolicyRule<'o, 'a>> {
        self.rules.iter().find(|r| r.index == index)
    }

    /// Where findings about the policy as a whole point: the `rules` key, else the document.
    pub fn rules_at(&self) -> &'o Node<'a> {
        self.rules_key.unwrap_or(self.node)
    }
}

/// Whether `obj` is an `audit.k8s.io` `Policy`.
pub fn is_audit_policy(obj: &Object<'_>) -> bool {
    obj.kind() == "Policy" && obj.group() == AUDIT_GROUP
}

/// What a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'r> {
    /// A resource request. `namespace` is `""` for cluster-scoped resources and for requests
    /// across all namespaces; `group` is `""` for the core group; `subresource` and `name` are
    /// `""` when absent.
    Resource {
        namespace: &'r str,
        group: &'r str,
        resource: &'r str,
        subresource: &'r str,
        name: &'r str,
    },
    /// A non-resource request such as `/healthz`.
    NonResource { path: &'r str },
}

/// A request, as the audit policy checker sees it (the authorizer attributes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditRequest<'r> {
    pub user: &'r str,
    pub groups: &'r [&'r str],
    /// `get`, `list`, `create`, ... (for non-resource requests, the lower-case HTTP method).
    pub verb: &'r str,
    pub target: Target<'r>,
}

/// The decision for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The level; `None` also when no rule matches. A deciding rule whose `level` is missing or
    /// invalid gives `None` (such a policy does not load).
    pub level: Level,
    /// Position in `rules` of the deciding rule; `None` when no rule matches.
    pub rule: Option<usize>,
    /// Stages not logged: union of the policy's and the deciding rule's `omitStages`.
    pub omit_stages: Vec<String>,
}

/// The deciding rule for `req`, if any (first match wins).
pub fn deciding_rule<'p, 'o, 'a>(
    policy: &'p AuditPolicy<'o, 'a>,
    req: &AuditRequest<'_>,
) -> Option<&'p PolicyRule<'o, 'a>> {
    policy.rules.iter().find(|r| r.matches(req))
}

/// The level the apiserver records `req` at, and the position in `rules` of the rule that decided
/// it (`None` when no rule matched, which gives level `None`).
pub fn effective_level(
    policy: &AuditPolicy<'_, '_>,
    req: &AuditRequest<'_>,
) -> (Level, Option<usize>) {
    match deciding_rule(policy, req) {
        Some(rule) => (rule.level.unwrap_or(Level::None), Some(rule.index)),
        None => (Level::None, None),
    }
}

/// Level, deciding rule and stages to omit for `req` (checker.go `LevelAndStages`).
pub fn decide(policy: &AuditPolicy<'_, '_>, req: &AuditRequest<'_>) -> Decision {
    let rule = deciding_rule(policy, req);
    let mut omit: Vec<String> = vec![];
    let rule_stages = rule.map(|r| r.omit_stages.as_slice()).unwrap_or_default();
    for (s, _) in policy.omit_stages.iter().chain(rule_stages) {
        if !omit.iter().any(|o| o == s) {
            omit.push(s.to_string());
        }
    }
    Decision {
        level: rule.and_then(|r| r.level).unwrap_or(Level::None),
        rule: rule.map(|r| r.index),
        omit_stages: omit,
    }
}

/// A kind of resource request: one group/resource[/subresource] and a set of verbs, by anyone,
/// in any namespace, on any object.
#[derive(Debug, Clone, Copy)]
pub struct RequestClass<'c> {
    pub group: &'c str,
    pub resource: &'c str,
    /// `""` for none.
    pub subresource: &'c str,
    pub namespaced: bool,
    pub verbs: &'c [&'c str],
}

impl<'c> RequestClass<'c> {
    pub const fn new(
        group: &'c str,
        resource: &'c str,
        namespaced: bool,
        verbs: &'c [&'c str],
    ) -> Self {
        RequestClass {
            group,
            resource,
            subresource: "",
            namespaced,
            verbs,
        }
    }

    pub const fn sub(
        group: &'c str,
        resource: &'c str,
        subresource: &'c str,
        namespaced: bool,
        verbs: &'c [&'c str],
    ) -> Self {
        RequestClass {
            group,
            resource,
            subresource,
            namespaced,
            verbs,
        }
    }

    /// `secrets`, `pods/exec`, `roles.rbac.authorization.k8s.io`,
    /// `certificatesigningrequests.certificates.k8s.io/approval` (as `kubectl auth can-i` writes
    /// them).
    pub fn display(&self) -> String {
        let mut s = self.resource.to_string();
        if !self.group.is_empty() {
            s.push('.');
            s.push_str(self.group);
        }
        if !self.subresource.is_empty() {
            s.push('/');
            s.push_str(self.subresource);
        }
        s
    }
}

/// One concrete request of a [`RequestClass`], found by [`outcomes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    /// A user the policy names, or `None` for any other user.
    pub user: Option<String>,
    pub anonymous: bool,
    /// A group the policy names that the user is in (besides `system:authenticated`).
    pub group: Option<String>,
    pub verb: String,
    /// A namespace the policy names (`""`: cluster-wide / cluster-scoped), or `None` for any other.
    pub namespace: Option<String>,
    /// An object name the policy names, or `None` for any other.
    pub name: Option<String>,
}

impl Witness {
    /// "`get` by any authenticated user in any namespace".
    pub fn describe(&self, class: &RequestClass<'_>) -> String {
        let who = match (&self.user, &self.group, self.anonymous) {
            (_, _, true) => "anonymous requests".to_string(),
            (Some(u), Some(g), _) => format!("user `{u}` in group `{g}`"),
            (Some(u), None, _) => format!("user `{u}`"),
            (None, Some(g), _) => format!("group `{g}`"),
            (None, None, _) => "any authenticated user".to_string(),
        };
        let mut s = format!("`{}` on {} by {who}", self.verb, class.display());
        if let Some(n) = &self.name {
            s += &format!(" (name `{n}`)");
        }
        match (&self.namespace, class.namespaced) {
            (_, false) => {}
            (None, true) => s += " in any namespace",
            (Some(ns), true) if ns.is_empty() => s += " across all namespaces",
            (Some(ns), true) => s += &format!(" in namespace `{ns}`"),
        }
        s
    }
}

/// A way a request of a class can be decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Position in `rules` of the deciding rule; `None`: no rule matches (level `None`).
    pub rule: Option<usize>,
    /// The level; `None` (the Rust `Option`) when the deciding rule's `level` is missing/invalid.
    pub level: Option<Level>,
    pub witness: Witness,
}

struct Candidate<'p> {
    user: &'p str,
    named_user: bool,
    group: Option<&'p str>,
    verb: &'p str,
    namespace: &'p str,
    name: &'p str,
}

impl Candidate<'_> {
    fn witness(&self) -> Witness {
        Witness {
            user: (self.named_user && self.user != ANONYMOUS).then(|| self.user.to_string()),
            anonymous: self.user == ANONYMOUS,
            group: self
                .group
                .filter(|g| *g != AUTHENTICATED && *g != UNAUTHENTICATED)
                .map(str::to_string),
            verb: self.verb.to_string(),
            namespace: (self.namespace != OTHER_NAMESPACE).then(|| self.namespace.to_string()),
            name: (self.name != OTHER_NAME).then(|| self.name.to_string()),
        }
    }
}

fn first<'o>(list: &[Item<'o, '_>]) -> Vec<&'o str> {
    let mut out: Vec<&'o str> = vec![];
    for (s, _) in list {
        if out.len() == MAX_VALUES {
            break;
        }
        if !out.contains(s) {
            out.push(s);
        }
    }
    out
}

/// Subjects that can match `rule`: (user, named?, extra group).
fn subjects<'p>(rule: &PolicyRule<'p, '_>) -> Vec<(&'p str, bool, Option<&'p str>)> {
    let mut users: Vec<(&'p str, bool)> =
        first(&rule.users).into_iter().map(|u| (u, true)).collect();
    if rule.users.is_empty() {
        users = vec![(OTHER_USER, false), (ANONYMOUS, false)];
    }
    let mut out = vec![];
    for (user, named) in users {
        let anonymous = user == ANONYMOUS;
        if rule.user_groups.is_empty() {
            out.push((user, named, None));
            continue;
        }
        for g in first(&rule.user_groups) {
            let ok = if anonymous {
                g == UNAUTHENTICATED
            } else {
                g != UNAUTHENTICATED
            };
            if ok {
                out.push((user, named, Some(g)));
            }
        }
    }
    out
}

/// Every way a request of `class` can be decided: one [`Outcome`] per rule that decides some such
/// request (with one example request), plus one with `rule: None` when some such request matches
/// no rule. Ordered by rule position, the no-match outcome last.
pub fn outcomes(policy: &AuditPolicy<'_, '_>, class: &RequestClass<'_>) -> Vec<Outcome> {
    let mut budget = MATCH_BUDGET;
    let mut out = vec![];
    for (pos, rule) in policy.rules.iter().enumerate() {
        if budget == 0 {
            break;
        }
        if let Some(c) = reach(policy, pos, class, &mut budget) {
            out.push(Outcome {
                rule: Some(rule.index),
                level: rule.level,
                witness: c,
            });
        }
    }
    // No match: the least-matching request (other user, other namespace, other name) of each verb.
    'verbs: for verb in class.verbs {
        for user in [OTHER_USER, ANONYMOUS] {
            let ns = if class.namespaced {
                OTHER_NAMESPACE
            } else {
                ""
            };
            let c = Candidate {
                user,
                named_user: false,
                group: None,
                verb,
                namespace: ns,
                name: OTHER_NAME,
            };
            let groups = groups_of(&c);
            let req = request(&c, &groups, class);
            budget = budget.saturating_sub(policy.rules.len());
            if !policy.rules.iter().any(|r| r.matches(&req)) {
                out.push(Outcome {
                    rule: None,
                    level: Some(Level::None),
                    witness: c.witness(),
                });
                break 'verbs;
            }
        }
    }
    out
}

fn groups_of<'p>(c: &Candidate<'p>) -> Vec<&'p str> {
    let base = if c.user == ANONYMOUS {
        UNAUTHENTICATED
    } else {
        AUTHENTICATED
    };
    let mut g = vec![base];
    if let Some(extra) = c.group {
        if extra != base {
            g.push(extra);
        }
    }
    g
}

fn request<'r>(
    c: &Candidate<'r>,
    groups: &'r [&'r str],
    class: &RequestClass<'r>,
) -> AuditRequest<'r> {
    AuditRequest {
        user: c.user,
        groups,
        verb: c.verb,
        target: Target::Resource {
            namespace: c.namespace,
            group: class.group,
            resource: class.resource,
            subresource: class.subresource,
            name: c.name,
        },
    }
}

/// A request of `class` that rule `pos` matches and no earlier rule does.
fn reach(
    policy: &AuditPolicy<'_, '_>,
    pos: usize,
    class: &RequestClass<'_>,
    budget: &mut usize,
) -> Option<Witness> {
    let rule = policy.rules.get(pos)?;
    if !rule.non_resource_urls.is_empty() && rule.namespaces.is_empty() && rule.resources.is_empty()
    {
        return None;
    }
    let verbs: Vec<&str> = class
        .verbs
        .iter()
        .copied()
        .filter(|v| rule.verbs.is_empty() || has(&rule.verbs, v))
        .collect();
    if verbs.is_empty() {
        return None;
    }
    let namespaces: Vec<&str> = if !class.namespaced {
        if rule.namespaces.is_empty() || has(&rule.namespaces, "") {
            vec![""]
        } else {
            return None;
        }
    } else if rule.namespaces.is_empty() {
        vec![OTHER_NAMESPACE]
    } else {
        first(&rule.namespaces)
    };
    let mut names: Vec<&str> = vec![];
    if rule.resources.is_empty() {
        names.push(OTHER_NAME);
    } else {
        for gr in rule.entries_for(class.group, class.resource, class.subresource) {
            if gr.resources.is_empty() || gr.resource_names.is_empty() {
                if !names.contains(&OTHER_NAME) {
                    names.insert(0, OTHER_NAME);
                }
            } else {
                for n in first(&gr.resource_names) {
                    if !names.contains(&n) && names.len() < MAX_VALUES {
                        names.push(n);
                    }
                }
            }
        }
        if names.is_empty() {
            return None;
        }
    }
    for (user, named_user, group) in subjects(rule) {
        for verb in &verbs {
            for ns in &namespaces {
                // A request across all namespaces can only list or watch a namespaced resource.
                if class.namespaced && ns.is_empty() && !matches!(*verb, "list" | "watch") {
                    continue;
                }
                for name in &names {
                    let c = Candidate {
                        user,
                        named_user,
                        group,
                        verb,
                        namespace: ns,
                        name,
                    };
                    let groups = groups_of(&c);
                    let req = request(&c, &groups, class);
                    let cost = pos + 1;
                    if *budget < cost {
                        *budget = 0;
                        return None;
                    }
                    *budget -= cost;
                    if rule.matches(&req) && !policy.rules[..pos].iter().any(|r| r.matches(&req)) {
                        return Some(c.witness());
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_documents, Limits};

    fn with_policy(text: &str, f: impl FnOnce(&AuditPolicy<'_, '_>)) {
        let mut docs = vec![];
        parse_documents(text, &Limits::default(), |d| {
            docs.push(d.expect("valid yaml"))
        });
        let p = AuditPolicy::from_node(&docs[0].root);
        f(&p)
    }

    #[allow(clippy::too_many_arguments)]
    fn res<'r>(
        user: &'r str,
        groups: &'r [&'r str],
        verb: &'r str,
        ns: &'r str,
        group: &'r str,
        resource: &'r str,
        sub: &'r str,
        name: &'r str,
    ) -> AuditRequest<'r> {
        AuditRequest {
            user,
            groups,
            verb,
            target: Target::Resource {
                namespace: ns,
                group,
                resource,
                subresource: sub,
                name,
            },
        }
    }

    const SECRETS: RequestClass<'static> = RequestClass::new("", "secrets", true, &VERBS);

    #[test]
    fn first_match_wins_and_default_is_none() {
        let text = r#"
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  users: [system:kube-proxy]
  verbs: [watch]
  resources: [{group: "", resources: [endpoints]}]
- level: Metadata
  resources: [{group: "", resources: [secrets]}]
  omitStages: [Panic]
- level: RequestResponse
  resources: [{group: "", resources: ["pods/*"]}]
- level: Request
  nonResourceURLs: ["/api*"]
"#;
        with_policy(text, |p| {
            let g = [AUTHENTICATED];
            let r = res("alice", &g, "get", "a", "", "secrets", "", "x");
            assert_eq!(effective_level(p, &r), (Level::Metadata, Some(1)));
            let d = decide(p, &r);
            assert_eq!(d.omit_stages, vec!["RequestReceived", "Panic"]);
            let r = res(
                "system:kube-proxy",
                &g,
                "watch",
                "a",
                "",
                "endpoints",
                "",
                "",
            );
            assert_eq!(effective_level(p, &r), (Level::None, Some(0)));
            let r = res("bob", &g, "watch", "a", "", "endpoints", "", "");
            assert_eq!(effective_level(p, &r), (Level::None, None));
            let r = res("bob", &g, "create", "a", "", "pods", "exec", "p");
            assert_eq!(effective_level(p, &r), (Level::RequestResponse, Some(2)));
            // `pods/*` does not match `pods` itself.
            let r = res("bob", &g, "create", "a", "", "pods", "", "p");
            assert_eq!(effective_level(p, &r), (Level::None, None));
            let nr = AuditRequest {
                user: "bob",
                groups: &g,
                verb: "get",
                target: Target::NonResource { path: "/apis/x" },
            };
            assert_eq!(effective_level(p, &nr), (Level::Request, Some(3)));
            let nr = AuditRequest {
                target: Target::NonResource { path: "/healthz" },
                ..nr
            };
            assert_eq!(effective_level(p, &nr), (Level::None, None));
        });
    }

    #[test]
    fn resource_patterns() {
        assert!(resource_pattern_matches("*", "pods", "exec"));
        assert!(resource_pattern_matches("*/exec", "pods", "exec"));
        assert!(resource_pattern_matches("pods/*", "pods", "exec"));
        assert!(resource_pattern_matches("pods/exec", "pods", "exec"));
        assert!(!resource_pattern_matches("pods", "pods", "exec"));
        assert!(!resource_pattern_matches("*/exec", "pods", ""));
        assert!(!resource_pattern_matches("pods/*", "pods", ""));
        assert!(resource_pattern_matches("pods", "pods", ""));
    }

    #[test]
    fn group_star_is_literal_and_names_narrow() {
        let text = r#"
rules:
- level: RequestResponse
  resources: [{group: "*"}]
- level: Metadata
  resources:
  - resources: [secrets]
    resourceNames: [one]
"#;
        with_policy(text, |p| {
            let g = [AUTHENTICATED];
            let r = res("u", &g, "get", "a", "", "secrets", "", "one");
            assert_eq!(effective_level(p, &r), (Level::Metadata, Some(1)));
            let r = res("u", &g, "get", "a", "", "secrets", "", "two");
            assert_eq!(effective_level(p, &r), (Level::None, None));
            let o = outcomes(p, &SECRETS);
            assert_eq!(o.len(), 2, "{o:?}");
            assert_eq!(o[0].rule, Some(1));
            assert_eq!(o[0].witness.name.as_deref(), Some("one"));
            assert_eq!(o[1].rule, None);
        });
    }

    #[test]
    fn outcomes_see_shadowing_and_groups() {
        let text = r#"
rules:
- level: None
  userGroups: [system:authenticated]
  verbs: [get, list, watch]
  resources: [{group: "", resources: [secrets]}]
- level: RequestResponse
  userGroups: [admins]
  resources: [{group: "", resources: [secrets]}]
- level: Metadata
"#;
        with_policy(text, |p| {
            let o = outcomes(p, &SECRETS);
            let rules: Vec<_> = o.iter().map(|o| o.rule).collect();
            assert_eq!(rules, vec![Some(0), Some(1), Some(2)], "{o:?}");
            assert_eq!(o[1].witness.group.as_deref(), Some("admins"));
            assert_eq!(o[1].witness.verb, "create");
            // Anonymous requests are not in system:authenticated.
            assert!(o[2].witness.anonymous || o[2].witness.verb == "create");
        });
    }

    #[test]
    fn catch_all_first_shadows_everything() {
        let text = "rules:\n- level: RequestResponse\n- level: Metadata\n  resources: [{group: '', resources: [secrets]}]\n";
        with_policy(text, |p| {
            let o = outcomes(p, &SECRETS);
            assert_eq!(o.len(), 1);
            assert_eq!(o[0].rule, Some(0));
            assert_eq!(o[0].level, Some(Level::RequestResponse));
            assert!(p.rules[0].is_catch_all());
        });
    }

    #[test]
    fn namespaces_and_cluster_scope() {
        let text = r#"
rules:
- level: Request
  namespaces: [kube-system]
  resources: [{group: "", resources: [configmaps]}]
- level: None
  namespaces: [""]
- level: Metadata
"#;
        with_policy(text, |p| {
            let cm = RequestClass::new("", "configmaps", true, &VERBS);
            let o = outcomes(p, &cm);
            assert_eq!(o.len(), 3, "{o:?}");
            assert_eq!(o[0].witness.namespace.as_deref(), Some("kube-system"));
            assert_eq!(o[1].witness.namespace.as_deref(), Some(""));
            assert!(matches!(o[1].witness.verb.as_str(), "list" | "watch"));
            assert_eq!(o[2].witness.namespace, None);
            let tr = RequestClass::new("authentication.k8s.io", "tokenreviews", false, &["create"]);
            let o = outcomes(p, &tr);
            assert_eq!(o.len(), 1);
            assert_eq!(o[0].rule, Some(1));
        });
    }

    #[test]
    fn hostile_policy_is_bounded() {
        let mut text = String::from("rules:\n");
        for i in 0..300 {
            text += &format!(
                "- level: None\n  users: [{}]\n  userGroups: [{}]\n  namespaces: [{}]\n",
                (0..40)
                    .map(|j| format!("u{i}-{j}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                (0..40)
                    .map(|j| format!("g{i}-{j}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                (0..40)
                    .map(|j| format!("n{i}-{j}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        with_policy(&text, |p| {
            let o = outcomes(p, &SECRETS);
            assert!(!o.is_empty());
        });
    }
}
