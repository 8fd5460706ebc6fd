//! What the audit event analysis knows besides the events: an audit `Policy` to cross-check
//! the log against, and the Pods and workloads whose specs say which Secrets they consume
//! (for AEV-008). Read from ordinary manifests (YAML or JSON) with the scanner's own loader.

use std::sync::OnceLock;

use crate::engine::{Evaluator, Workload};
use crate::finding::InputError;
use crate::k8s::audit::{is_audit_policy, AuditPolicy};
use crate::object::Object;
use crate::settings::Settings;

/// Manifests given with the events.
#[derive(Debug, Default)]
pub struct AuditContext {
    /// Audit `Policy` objects, in input order; the first is the one cross-checked.
    policies: Vec<Object<'static>>,
    /// Pods and workloads with their Secret uses (`imagePullSecrets` left out).
    workloads: Vec<Workload>,
    errors: Vec<InputError>,
}

/// The Pod a workload's Pods are named after: `<name>-<hash>-<suffix>` for a Deployment,
/// `<name>-<ordinal>` for a StatefulSet, `<name>-<digits>-<suffix>` for a CronJob,
/// `<name>-<suffix>` for the other controllers; the name itself for a Pod.
pub fn pod_of_workload(kind: &str, workload: &str, pod: &str) -> bool {
    if kind == "Pod" {
        return pod == workload;
    }
    let Some(rest) = pod.strip_prefix(workload).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    let alnum = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = rest.split('-').collect();
    match (kind, parts.as_slice()) {
        ("Deployment", [hash, suffix]) => alnum(hash) && alnum(suffix),
        ("StatefulSet", [ordinal]) => digits(ordinal),
        ("CronJob", [time, suffix]) => digits(time) && alnum(suffix),
        ("ReplicaSet" | "DaemonSet" | "ReplicationController" | "Job", [suffix]) => alnum(suffix),
        _ => false,
    }
}

fn loader_settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| Settings {
        // Only the inventory is wanted; one cheap per-object rule keeps the evaluator busy
        // with as little as possible.
        enable: vec!["AUD-015".to_string()],
        ..Settings::default()
    })
}

impl AuditContext {
    /// Read manifests (each a named YAML or JSON text): audit `Policy` objects and workloads.
    /// Other objects are ignored; unreadable documents are kept as [`AuditContext::errors`].
    pub fn from_sources(inputs: &[(&str, &str)]) -> Self {
        let mut policies = vec![];
        let mut ev = Evaluator::new(loader_settings());
        ev.keep_inventory();
        for (name, text) in inputs {
            ev.add_source_inspect(name, text, &mut |o| {
                if is_audit_policy(o) {
                    policies.push(o.clone().into_owned());
                }
            });
        }
        let (inv, errors) = ev.into_inventory();
        AuditContext {
            policies,
            workloads: inv
                .workloads
                .into_iter()
                .filter(|w| w.secrets.iter().any(|s| s.how != "imagePullSecrets"))
                .collect(),
            errors,
        }
    }

    /// The audit Policy to cross-check against, if one was given.
    pub fn policy(&self) -> Option<AuditPolicy<'_, 'static>> {
        self.policies
            .first()
            .map(|o| AuditPolicy::from_node(&o.root))
    }

    /// The input the cross-checked Policy came from.
    pub fn policy_file(&self) -> Option<&str> {
        self.policies.first().map(|o| &*o.file)
    }

    /// How many audit Policies were given (only the first is used).
    pub fn policy_count(&self) -> usize {
        self.policies.len()
    }

    /// Documents that could not be read.
    pub fn errors(&self) -> &[InputError] {
        &self.errors
    }

    /// The workload of the input that Pod `ns/pod` belongs to, if it consumes Secrets.
    pub fn workload_of_pod(&self, ns: &str, pod: &str) -> Option<&Workload> {
        let ours = |w: &&Workload| w.namespace == ns;
        self.workloads
            .iter()
            .filter(ours)
            .find(|w| w.object.kind == "Pod" && w.object.name.as_deref() == Some(pod))
            .or_else(|| {
                self.workloads.iter().filter(ours).find(|w| {
                    w.object
                        .name
                        .as_deref()
                        .is_some_and(|n| pod_of_workload(&w.object.kind, n, pod))
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_names_of_controllers() {
        assert!(pod_of_workload("Deployment", "web", "web-7d4b9c8f5-x2x9k"));
        assert!(!pod_of_workload("Deployment", "web", "web-x2x9k"));
        assert!(!pod_of_workload(
            "Deployment",
            "web",
            "webhook-7d4b9c8f5-x2x9k"
        ));
        assert!(pod_of_workload("StatefulSet", "db", "db-0"));
        assert!(!pod_of_workload("StatefulSet", "db", "db-a"));
        assert!(pod_of_workload(
            "CronJob",
            "backup",
            "backup-29400000-abcde"
        ));
        assert!(pod_of_workload("DaemonSet", "agent", "agent-q8w2z"));
        assert!(pod_of_workload("Pod", "toolbox", "toolbox"));
        assert!(!pod_of_workload("Pod", "toolbox", "toolbox-1"));
    }

    #[test]
    fn reads_policies_and_workloads() {
        let cx = AuditContext::from_sources(&[(
            "m.yaml",
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\n---\n\
             apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\n\
             spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n          envFrom: [{secretRef: {name: web-env}}]\n---\n\
             apiVersion: v1\nkind: Pod\nmetadata: {name: plain, namespace: app}\n\
             spec: {imagePullSecrets: [{name: reg}], containers: [{name: c, image: i}]}\n---\na: [1, 2\n",
        )]);
        assert_eq!(cx.policy_count(), 1);
        assert_eq!(cx.policy().map(|p| p.rules.len()), Some(1));
        assert_eq!(cx.policy_file(), Some("m.yaml"));
        let w = cx.workload_of_pod("app", "web-5f6d7-abcde").expect("web");
        assert_eq!(w.object.name.as_deref(), Some("web"));
        assert!(cx.workload_of_pod("app", "plain").is_none());
        assert!(cx.workload_of_pod("other", "web-5f6d7-abcde").is_none());
        assert_eq!(cx.errors().len(), 1);
    }
}
