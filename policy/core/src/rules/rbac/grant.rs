//! Shared helpers for the single-object RBAC rules: which node of a policy rule grants a
//! permission, grouped so that each rule reports a node once.

use crate::k8s::rbac::PolicyRule;
use crate::object::Object;
use crate::yaml::Node;

/// Which node of a policy rule a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum At {
    /// The verb (`create`, or the `*` that grants it).
    Verb,
    /// The resource (`nodes/proxy`, `*/proxy`, or `*`).
    Resource,
}

/// One node to report, with what it grants.
pub(super) struct Hit<'o, 'a> {
    pub node: &'o Node<'a>,
    pub verbs: Vec<&'static str>,
    pub resources: Vec<&'static str>,
    /// Some grant went through `*` in `verbs`.
    pub verb_star: bool,
    /// Some grant went through `*` (or `*/sub`) in `resources`.
    pub resource_star: bool,
    /// Some grant went through `*` in `apiGroups` only.
    pub group_star: bool,
}

impl Hit<'_, '_> {
    /// ` (through `*` in verbs)` and the like, or empty.
    pub fn via(&self) -> String {
        let mut parts = vec![];
        if self.verb_star {
            parts.push("verbs");
        }
        if self.resource_star {
            parts.push("resources");
        }
        if self.group_star {
            parts.push("apiGroups");
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" (through `*` in {})", parts.join(" and "))
        }
    }

    pub fn verb_list(&self) -> String {
        ticks(&self.verbs)
    }

    pub fn resource_list(&self) -> String {
        ticks(&self.resources)
    }
}

/// `` `a`, `b` ``.
pub(super) fn ticks(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn is_star(n: &Node<'_>) -> bool {
    n.as_str() == Some("*")
}

/// Whether the rule really grants `verb` on `group`/`resource`, taking `resourceNames` into
/// account where the apiserver does: a rule with `resourceNames` never authorizes a `create` of a
/// top-level resource (the name is unknown at authorization time) nor a `deletecollection`
/// (kubernetes `ResourceNameMatches` compares the request's empty name).
pub(super) fn effectively_grants(
    rule: &PolicyRule<'_, '_>,
    group: &str,
    resource: &str,
    verb: &str,
) -> bool {
    if !rule.grants(group, resource, verb) {
        return false;
    }
    if rule.has_resource_names()
        && ((verb == "create" && !resource.contains('/')) || verb == "deletecollection")
    {
        return false;
    }
    true
}

/// What `rule` grants of `verbs` on `targets` (group, resource), grouped by the node to point
/// at. With `skip_full_wildcard`, grants where both the verb and the resource come only from a
/// bare `*` are left out: RBAC-004 and RBAC-005 report those.
pub(super) fn hits<'o, 'a>(
    rule: &PolicyRule<'o, 'a>,
    targets: &[(&'static str, &'static str)],
    verbs: &[&'static str],
    at: At,
    skip_full_wildcard: bool,
) -> Vec<Hit<'o, 'a>> {
    let mut out: Vec<Hit<'o, 'a>> = vec![];
    // The verb and group/resource tests are independent: do each once, not per combination.
    let granted: Vec<&'static str> = verbs
        .iter()
        .copied()
        .filter(|v| rule.matches_verb(v))
        .collect();
    if granted.is_empty() {
        return out;
    }
    let named = rule.has_resource_names();
    for &(group, resource) in targets {
        if !(rule.matches_group(group) && rule.matches_resource(resource)) {
            continue;
        }
        for &verb in &granted {
            // `resourceNames` never authorizes a top-level `create` nor a `deletecollection`
            // (see `effectively_grants`).
            if named
                && ((verb == "create" && !resource.contains('/')) || verb == "deletecollection")
            {
                continue;
            }
            let verb_node = rule.verb_node(verb);
            let res_node = rule.resource_node(resource);
            let verb_star = verb_node.is_some_and(is_star);
            let res_exact = res_node.and_then(Node::as_str) == Some(resource);
            if skip_full_wildcard && verb_star && res_node.is_some_and(is_star) {
                continue;
            }
            let group_star = !rule.api_groups().any(|(g, _)| g == group);
            let node = match at {
                At::Verb => verb_node,
                At::Resource => res_node,
            }
            .unwrap_or(rule.node);
            let idx = match out.iter().position(|h| std::ptr::eq(h.node, node)) {
                Some(i) => i,
                None => {
                    out.push(Hit {
                        node,
                        verbs: vec![],
                        resources: vec![],
                        verb_star: false,
                        resource_star: false,
                        group_star: false,
                    });
                    out.len() - 1
                }
            };
            let hit = &mut out[idx];
            if !hit.verbs.contains(&verb) {
                hit.verbs.push(verb);
            }
            if !hit.resources.contains(&resource) {
                hit.resources.push(resource);
            }
            hit.verb_star |= verb_star;
            hit.resource_star |= !res_exact;
            hit.group_star |= group_star;
        }
    }
    out
}

/// `Role `x`` / `ClusterRole `x`` and the rule index, for messages.
pub(super) fn who(obj: &Object<'_>, rule: &PolicyRule<'_, '_>) -> String {
    format!("{} `{}` rule {}", obj.kind(), obj.name(), rule.index)
}

/// Where a Role's grants apply, for messages.
pub(super) fn scope(obj: &Object<'_>) -> String {
    if obj.kind() == "ClusterRole" {
        "the whole cluster when bound by a ClusterRoleBinding".to_string()
    } else if obj.namespace().is_empty() {
        "its namespace".to_string()
    } else {
        format!("namespace `{}`", obj.namespace())
    }
}

/// Default ClusterRoles that the apiserver binds to `system:authenticated`,
/// `system:unauthenticated` or `system:serviceaccounts` itself (bootstrap policy): bindings to
/// them are expected and harmless.
pub(super) const BOOTSTRAP_PUBLIC_ROLES: &[&str] = &[
    "system:basic-user",
    "system:discovery",
    "system:public-info-viewer",
    "system:service-account-issuer-discovery",
];

/// Whether the binding's roleRef is one of [`BOOTSTRAP_PUBLIC_ROLES`].
pub(super) fn binds_public_role(binding: &Object<'_>) -> bool {
    matches!(
        crate::k8s::rbac::role_ref(binding),
        Some(("ClusterRole", name)) if BOOTSTRAP_PUBLIC_ROLES.contains(&name)
    )
}

/// The subject's `name` value node (else the subject).
pub(super) fn name_node<'o, 'a>(subject: &crate::k8s::rbac::Subject<'o, 'a>) -> &'o Node<'a> {
    subject.node.get("name").unwrap_or(subject.node)
}

/// `RoleBinding `x` in namespace `y`` / `ClusterRoleBinding `x``.
pub(super) fn binding_who(obj: &Object<'_>) -> String {
    if obj.kind() == "RoleBinding" && !obj.namespace().is_empty() {
        format!("{} `{}` in `{}`", obj.kind(), obj.name(), obj.namespace())
    } else {
        format!("{} `{}`", obj.kind(), obj.name())
    }
}

/// What the binding gives: `ClusterRole `x``.
pub(super) fn role_desc(obj: &Object<'_>) -> String {
    match crate::k8s::rbac::role_ref(obj) {
        Some((kind, name)) => format!("{kind} `{name}`"),
        None => "its role".to_string(),
    }
}
