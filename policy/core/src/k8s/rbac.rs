//! RBAC matching, as the apiserver's RBAC authorizer does it, and the built-in roles.
//!
//! A rule grants `verb` on `group/resource` when `apiGroups` holds the group or `*`, `resources`
//! holds the resource (`resource/subresource` for subresources), `*`, or `*/subresource`, and
//! `verbs` holds the verb or `*` (kubernetes `pkg/apis/rbac/v1/evaluation_helpers.go`).

use std::sync::OnceLock;

use crate::object::Object;
use crate::yaml::{self, Node};

pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";
pub const ROLE_KINDS: &[&str] = &["Role", "ClusterRole"];
pub const BINDING_KINDS: &[&str] = &["RoleBinding", "ClusterRoleBinding"];
pub const RBAC_KINDS: &[&str] = &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

/// Verbs that read Secret values.
pub const READ_VERBS: &[&str] = &["get", "list", "watch"];
/// Verbs that write.
pub const WRITE_VERBS: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];

/// One element of a role's `rules`.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRule<'o, 'a> {
    pub node: &'o Node<'a>,
    pub index: usize,
}

impl<'o, 'a> PolicyRule<'o, 'a> {
    fn list(&self, field: &str) -> impl Iterator<Item = (&'o str, &'o Node<'a>)> {
        self.node
            .get(field)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_str().map(|s| (s, n)))
    }

    pub fn api_groups(&self) -> impl Iterator<Item = (&'o str, &'o Node<'a>)> {
        self.list("apiGroups")
    }

    pub fn resources(&self) -> impl Iterator<Item = (&'o str, &'o Node<'a>)> {
        self.list("resources")
    }

    pub fn verbs(&self) -> impl Iterator<Item = (&'o str, &'o Node<'a>)> {
        self.list("verbs")
    }

    pub fn resource_names(&self) -> impl Iterator<Item = (&'o str, &'o Node<'a>)> {
        self.list("resourceNames")
    }

    pub fn has_resource_names(&self) -> bool {
        self.resource_names().next().is_some()
    }

    /// The `verbs`, `resources` or `apiGroups` key node (for findings about the whole list).
    pub fn key(&self, field: &str) -> &'o Node<'a> {
        self.node.key_node(field).unwrap_or(self.node)
    }

    pub fn matches_group(&self, group: &str) -> bool {
        self.api_groups().any(|(g, _)| g == "*" || g == group)
    }

    /// `resource` may be `pods/exec`.
    pub fn matches_resource(&self, resource: &str) -> bool {
        let sub = resource.split_once('/').map(|(_, s)| s);
        self.resources().any(|(r, _)| {
            r == "*" || r == resource || sub.is_some_and(|s| r.strip_prefix("*/") == Some(s))
        })
    }

    pub fn matches_verb(&self, verb: &str) -> bool {
        self.verbs().any(|(v, _)| v == "*" || v == verb)
    }

    /// Whether this rule grants `verb` on `group`/`resource` (ignoring `resourceNames`).
    pub fn grants(&self, group: &str, resource: &str, verb: &str) -> bool {
        self.matches_group(group) && self.matches_resource(resource) && self.matches_verb(verb)
    }

    /// The node to point at for `verb`: the exact verb, else `*`.
    pub fn verb_node(&self, verb: &str) -> Option<&'o Node<'a>> {
        self.verbs()
            .find(|(v, _)| *v == verb)
            .or_else(|| self.verbs().find(|(v, _)| *v == "*"))
            .map(|(_, n)| n)
    }

    /// The node to point at for `resource`: exact, `*/sub`, else `*`.
    pub fn resource_node(&self, resource: &str) -> Option<&'o Node<'a>> {
        let sub = resource.split_once('/').map(|(_, s)| s);
        self.resources()
            .find(|(r, _)| *r == resource)
            .or_else(|| {
                self.resources()
                    .find(|(r, _)| sub.is_some_and(|s| r.strip_prefix("*/") == Some(s)))
            })
            .or_else(|| self.resources().find(|(r, _)| *r == "*"))
            .map(|(_, n)| n)
    }

    /// Verbs of `wanted` that this rule grants on group/resource.
    pub fn granted_verbs(
        &self,
        group: &str,
        resource: &str,
        wanted: &[&'static str],
    ) -> Vec<&'static str> {
        if !(self.matches_group(group) && self.matches_resource(resource)) {
            return vec![];
        }
        wanted
            .iter()
            .copied()
            .filter(|v| self.matches_verb(v))
            .collect()
    }
}

/// The `rules` of a Role or ClusterRole.
pub fn policy_rules<'o, 'a>(obj: &'o Object<'a>) -> Vec<PolicyRule<'o, 'a>> {
    obj.root
        .get("rules")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.is_map())
        .map(|(index, node)| PolicyRule { node, index })
        .collect()
}

/// A binding's `roleRef`: (kind, name).
pub fn role_ref<'o>(binding: &'o Object<'_>) -> Option<(&'o str, &'o str)> {
    let r = binding.root.get("roleRef")?;
    Some((r.get("kind")?.as_str()?, r.get("name")?.as_str()?))
}

/// One subject of a binding.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'o, 'a> {
    pub kind: &'o str,
    pub name: &'o str,
    pub namespace: Option<&'o str>,
    pub node: &'o Node<'a>,
}

impl Subject<'_, '_> {
    /// `User alice`, `Group system:authenticated`, `ServiceAccount ns/name`.
    pub fn display(&self) -> String {
        match (self.kind, self.namespace) {
            ("ServiceAccount", Some(ns)) => format!("ServiceAccount {ns}/{}", self.name),
            (k, _) => format!("{k} {}", self.name),
        }
    }
}

pub fn subjects<'o, 'a>(binding: &'o Object<'a>) -> Vec<Subject<'o, 'a>> {
    binding
        .root
        .get("subjects")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| {
            Some(Subject {
                kind: n.get("kind")?.as_str()?,
                name: n.get("name")?.as_str()?,
                namespace: n.get("namespace").and_then(Node::as_str),
                node: n,
            })
        })
        .collect()
}

/// The default ClusterRoles whose rules are known, abridged to the rules that matter for
/// Secrets (from the apiserver's bootstrap policy), by name.
const BUILTIN_ROLES: [(&str, &str); 4] = [
    (
        "cluster-admin",
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
- nonResourceURLs: ["*"]
  verbs: ["*"]
"#,
    ),
    (
        "admin",
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: admin}
rules:
- apiGroups: [""]
  resources: [pods/attach, pods/exec, pods/portforward, pods/proxy, secrets, services/proxy]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [impersonate]
- apiGroups: [""]
  resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [""]
  resources: [configmaps, events, persistentvolumeclaims, replicationcontrollers, replicationcontrollers/scale, secrets, serviceaccounts, services, services/proxy]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [""]
  resources: [serviceaccounts/token]
  verbs: [create]
- apiGroups: [apps]
  resources: [daemonsets, deployments, deployments/rollback, deployments/scale, replicasets, replicasets/scale, statefulsets, statefulsets/scale]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [batch]
  resources: [cronjobs, jobs]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [""]
  resources: [configmaps, endpoints, persistentvolumeclaims, pods, replicationcontrollers, serviceaccounts, services]
  verbs: [get, list, watch]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [rolebindings, roles]
  verbs: [create, delete, deletecollection, get, list, patch, update, watch]
"#,
    ),
    (
        "edit",
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: edit}
rules:
- apiGroups: [""]
  resources: [pods/attach, pods/exec, pods/portforward, pods/proxy, secrets, services/proxy]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [impersonate]
- apiGroups: [""]
  resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [""]
  resources: [configmaps, events, persistentvolumeclaims, replicationcontrollers, replicationcontrollers/scale, secrets, serviceaccounts, services, services/proxy]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [""]
  resources: [serviceaccounts/token]
  verbs: [create]
- apiGroups: [apps]
  resources: [daemonsets, deployments, deployments/rollback, deployments/scale, replicasets, replicasets/scale, statefulsets, statefulsets/scale]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [batch]
  resources: [cronjobs, jobs]
  verbs: [create, delete, deletecollection, patch, update]
- apiGroups: [""]
  resources: [configmaps, endpoints, persistentvolumeclaims, pods, replicationcontrollers, serviceaccounts, services]
  verbs: [get, list, watch]
"#,
    ),
    (
        "view",
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view}
rules:
- apiGroups: [""]
  resources: [configmaps, endpoints, persistentvolumeclaims, pods, replicationcontrollers, serviceaccounts, services]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [daemonsets, deployments, replicasets, statefulsets]
  verbs: [get, list, watch]
"#,
    ),
];

/// The file name of built-in role objects.
pub const BUILTIN_FILE: &str = "<built-in>";

/// A default ClusterRole whose rules are known (`cluster-admin`, `admin`, `edit`, `view`),
/// parsed on first use: an admission request usually needs one of them, not all.
pub fn builtin_role(name: &str) -> Option<&'static Object<'static>> {
    static ROLES: [OnceLock<Option<Object<'static>>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let i = BUILTIN_ROLES.iter().position(|(n, _)| *n == name)?;
    let (_, text) = BUILTIN_ROLES.get(i)?;
    ROLES
        .get(i)?
        .get_or_init(|| {
            let mut out = None;
            let file: std::sync::Arc<str> = BUILTIN_FILE.into();
            yaml::parse_documents(text, &yaml::Limits::default(), |d| {
                if let Ok(d) = d {
                    out = Object::new(file.clone(), d.index, None, d.root.into_owned());
                }
            });
            out
        })
        .as_ref()
}

/// Every built-in role definition (those [`builtin_role`] knows), in a fixed order.
pub fn builtin_roles() -> impl Iterator<Item = &'static Object<'static>> {
    BUILTIN_ROLES
        .iter()
        .filter_map(|(name, _)| builtin_role(name))
}

/// Whether a ClusterRole of this name exists in every cluster (bootstrap roles).
pub fn is_builtin_cluster_role(name: &str) -> bool {
    matches!(name, "cluster-admin" | "admin" | "edit" | "view") || name.starts_with("system:")
}
