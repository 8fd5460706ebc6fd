//! Helpers shared by the workload rules (catalog section A.7).

use crate::k8s::workload::ContainerList;
use crate::object::Object;
use crate::yaml::Node;

/// `Deployment `web``: how messages name the object.
pub fn describe(obj: &Object<'_>) -> String {
    format!("{} `{}`", obj.kind(), obj.name())
}

/// `container `app``, `init container `setup``, `ephemeral container `debug``.
pub fn describe_container(list: ContainerList, c: &Node<'_>) -> String {
    let what = match list {
        ContainerList::Containers => "container",
        ContainerList::InitContainers => "init container",
        ContainerList::EphemeralContainers => "ephemeral container",
    };
    format!("{what} `{}`", crate::k8s::workload::container_name(c))
}

/// The key node of the Pod spec (`spec` of a Pod, `spec` of a template): where findings about a
/// field missing from the Pod spec point.
pub fn pod_spec_key<'o, 'a>(obj: &'o Object<'a>) -> Option<&'o Node<'a>> {
    let r = &obj.root;
    let parent = match obj.kind() {
        "Pod" => Some(r),
        "PodTemplate" => r.get("template"),
        "CronJob" => r.at(&["spec", "jobTemplate", "spec", "template"]),
        _ => r.at(&["spec", "template"]),
    }?;
    parent.key_node("spec")
}

/// A volume of a Pod spec that exposes Secret data: a `secret` volume, or a `projected` volume
/// with at least one `secret` source.
#[derive(Debug, Clone)]
pub struct SecretVolume<'o, 'a> {
    /// The volume's `name` (`?` when missing).
    pub name: &'o str,
    /// The volume item.
    pub volume: &'o Node<'a>,
    /// The `secret` (or `projected`) key node.
    pub source_key: &'o Node<'a>,
    /// Names of the Secrets, with the nodes naming them.
    pub secrets: Vec<(&'o str, &'o Node<'a>)>,
}

impl SecretVolume<'_, '_> {
    /// `Secret `a`` or `Secrets `a`, `b``.
    pub fn secret_list(&self) -> String {
        let names: Vec<String> = self.secrets.iter().map(|(n, _)| format!("`{n}`")).collect();
        match names.len() {
            0 => "a Secret".to_string(),
            1 => format!("Secret {}", names[0]),
            _ => format!("Secrets {}", names.join(", ")),
        }
    }
}

/// Every volume of a Pod spec that exposes Secret data.
pub fn secret_volumes<'o, 'a>(spec: &'o Node<'a>) -> Vec<SecretVolume<'o, 'a>> {
    let mut out = vec![];
    for v in spec.get("volumes").map(Node::items).unwrap_or_default() {
        let name = v.get("name").and_then(Node::as_str).unwrap_or("?");
        if let (Some(key), Some(s)) = (v.key_node("secret"), v.get("secret")) {
            let secrets = s
                .get("secretName")
                .and_then(|n| n.as_str().map(|s| (s, n)))
                .into_iter()
                .collect();
            out.push(SecretVolume {
                name,
                volume: v,
                source_key: key,
                secrets,
            });
        }
        if let (Some(key), Some(p)) = (v.key_node("projected"), v.get("projected")) {
            let mut secrets = vec![];
            let mut any = false;
            for src in p.get("sources").map(Node::items).unwrap_or_default() {
                if let Some(s) = src.get("secret") {
                    any = true;
                    if let Some(n) = s.get("name") {
                        if let Some(name) = n.as_str() {
                            secrets.push((name, n));
                        }
                    }
                }
            }
            if any {
                out.push(SecretVolume {
                    name,
                    volume: v,
                    source_key: key,
                    secrets,
                });
            }
        }
    }
    out
}

/// The `volumeMounts` of a container that mount the volume named `volume`.
pub fn mounts_of<'o, 'a>(
    c: &'o Node<'a>,
    volume: &'o str,
) -> impl Iterator<Item = &'o Node<'a>> + 'o {
    c.get("volumeMounts")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(move |m| m.get("name").and_then(Node::as_str) == Some(volume))
}

/// Whether a Pod is a static Pod of the control plane, by a documented heuristic:
/// a `Pod` that carries the kubelet's mirror-pod annotations (`kubernetes.io/config.mirror`, or
/// `kubernetes.io/config.source` = `file`/`http`, as in a cluster dump), or a `Pod` in
/// `kube-system` labelled `tier: control-plane` (every kubeadm static Pod manifest:
/// kube-apiserver, kube-controller-manager, kube-scheduler, etcd).
pub fn is_static_pod(obj: &Object<'_>) -> bool {
    if obj.kind() != "Pod" {
        return false;
    }
    if obj.annotation("kubernetes.io/config.mirror").is_some()
        || matches!(
            obj.annotation("kubernetes.io/config.source"),
            Some("file" | "http")
        )
    {
        return true;
    }
    obj.namespace() == "kube-system" && obj.label("tier") == Some("control-plane")
}
