//! Pod specs inside every workload kind, and their containers.

use crate::object::Object;
use crate::yaml::Node;

/// Kinds that carry a Pod spec.
pub const WORKLOAD_KINDS: [&str; 9] = [
    "Pod",
    "PodTemplate",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

/// The Pod spec of a workload object: `spec` (Pod), `template.spec` (PodTemplate),
/// `spec.template.spec` (controllers), `spec.jobTemplate.spec.template.spec` (CronJob).
pub fn pod_spec<'o, 'a>(obj: &'o Object<'a>) -> Option<&'o Node<'a>> {
    let r = &obj.root;
    match obj.kind() {
        "Pod" => r.get("spec"),
        "PodTemplate" => r.at(&["template", "spec"]),
        "CronJob" => r.at(&["spec", "jobTemplate", "spec", "template", "spec"]),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => r.at(&["spec", "template", "spec"]),
        _ => None,
    }
    .filter(|n| n.is_map())
}

/// The Pod template's metadata (for Pod: the object's own metadata).
pub fn pod_metadata<'o, 'a>(obj: &'o Object<'a>) -> Option<&'o Node<'a>> {
    let r = &obj.root;
    match obj.kind() {
        "Pod" => r.get("metadata"),
        "PodTemplate" => r.at(&["template", "metadata"]),
        "CronJob" => r.at(&["spec", "jobTemplate", "spec", "template", "metadata"]),
        _ => r.at(&["spec", "template", "metadata"]),
    }
}

/// Which list a container came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerList {
    Containers,
    InitContainers,
    EphemeralContainers,
}

impl ContainerList {
    pub fn field(self) -> &'static str {
        match self {
            ContainerList::Containers => "containers",
            ContainerList::InitContainers => "initContainers",
            ContainerList::EphemeralContainers => "ephemeralContainers",
        }
    }
}

/// Every container of a Pod spec: `containers`, `initContainers` and `ephemeralContainers`.
pub fn containers<'o, 'a>(
    spec: &'o Node<'a>,
) -> impl Iterator<Item = (ContainerList, &'o Node<'a>)> {
    [
        ContainerList::Containers,
        ContainerList::InitContainers,
        ContainerList::EphemeralContainers,
    ]
    .into_iter()
    .flat_map(move |list| {
        spec.get(list.field())
            .map(|n| n.items())
            .unwrap_or_default()
            .iter()
            .filter(|c| c.is_map())
            .map(move |c| (list, c))
    })
}

/// A container's name, or `?`.
pub fn container_name<'o>(c: &'o Node<'_>) -> &'o str {
    c.get("name").and_then(Node::as_str).unwrap_or("?")
}

/// The effective service account name of a Pod spec (`serviceAccountName`, then the deprecated
/// `serviceAccount`, then `default`).
pub fn service_account_name<'o>(spec: &'o Node<'_>) -> &'o str {
    let named = |key: &str| {
        spec.get(key)
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
    };
    named("serviceAccountName")
        .or_else(|| named("serviceAccount"))
        .unwrap_or("default")
}

/// A Secret that a Pod spec refers to.
#[derive(Debug, Clone)]
pub struct SecretUse<'o, 'a> {
    pub name: &'o str,
    pub optional: bool,
    /// `volume`, `projected`, `env`, `envFrom`, `imagePullSecrets`.
    pub how: &'static str,
    /// The node naming the Secret.
    pub node: &'o Node<'a>,
    /// The container using it (none for volumes and imagePullSecrets).
    pub container: Option<&'o Node<'a>>,
}

/// Every Secret a Pod spec refers to.
pub fn secret_uses<'o, 'a>(spec: &'o Node<'a>) -> Vec<SecretUse<'o, 'a>> {
    let mut out = vec![];
    let opt = |n: Option<&Node<'_>>| n.and_then(Node::as_bool).unwrap_or(false);
    for v in spec.get("volumes").map(Node::items).unwrap_or_default() {
        if let Some(s) = v.get("secret") {
            if let Some(n) = s.get("secretName") {
                if let Some(name) = n.as_str() {
                    out.push(SecretUse {
                        name,
                        optional: opt(s.get("optional")),
                        how: "volume",
                        node: n,
                        container: None,
                    });
                }
            }
        }
        for src in v
            .at(&["projected", "sources"])
            .map(Node::items)
            .unwrap_or_default()
        {
            if let Some(s) = src.get("secret") {
                if let Some(n) = s.get("name") {
                    if let Some(name) = n.as_str() {
                        out.push(SecretUse {
                            name,
                            optional: opt(s.get("optional")),
                            how: "projected",
                            node: n,
                            container: None,
                        });
                    }
                }
            }
        }
    }
    for (_, c) in containers(spec) {
        for e in c.get("env").map(Node::items).unwrap_or_default() {
            if let Some(r) = e.at(&["valueFrom", "secretKeyRef"]) {
                if let Some(n) = r.get("name") {
                    if let Some(name) = n.as_str() {
                        out.push(SecretUse {
                            name,
                            optional: opt(r.get("optional")),
                            how: "env",
                            node: n,
                            container: Some(c),
                        });
                    }
                }
            }
        }
        for e in c.get("envFrom").map(Node::items).unwrap_or_default() {
            if let Some(r) = e.get("secretRef") {
                if let Some(n) = r.get("name") {
                    if let Some(name) = n.as_str() {
                        out.push(SecretUse {
                            name,
                            optional: opt(r.get("optional")),
                            how: "envFrom",
                            node: n,
                            container: Some(c),
                        });
                    }
                }
            }
        }
    }
    for p in spec
        .get("imagePullSecrets")
        .map(Node::items)
        .unwrap_or_default()
    {
        if let Some(n) = p.get("name") {
            if let Some(name) = n.as_str() {
                out.push(SecretUse {
                    name,
                    optional: false,
                    how: "imagePullSecrets",
                    node: n,
                    container: None,
                });
            }
        }
    }
    out
}
