use super::model::{describe, pod_spec_key};
use crate::k8s::workload::pod_spec;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Pod specs that run as the namespace's `default` ServiceAccount: `serviceAccountName`
    /// (and the deprecated `serviceAccount`) absent, empty or `default`. Pod specs that set
    /// `automountServiceAccountToken: false` and project no `serviceAccountToken` volume are not
    /// reported: they get no credential of the `default` ServiceAccount at all.
    ///
    /// ## Why is this bad?
    /// Every Pod that names no ServiceAccount shares the `default` one, so any permission granted
    /// to it (for one workload that needed to read a Secret, say) is silently granted to all of
    /// them, and audit logs cannot tell the workloads apart. CIS 5.1.5 asks that default
    /// ServiceAccounts are not actively used.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers: [{name: app, image: registry.example/app:1.0}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   serviceAccountName: app
    ///   containers: [{name: app, image: registry.example/app:1.0}]
    /// ```
    ///
    /// ## References
    /// - [Configure Service Accounts for Pods](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/)
    /// - [Service accounts: default service accounts](https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts)
    /// - CIS Kubernetes Benchmark 5.1.5 "Ensure that default service accounts are not actively used"
    /// - kube-linter `default-service-account`
    pub struct DefaultServiceAccount;
    id: "WL-006",
    title: "Pod runs as the default ServiceAccount",
    severity: Low,
    area: Workload,
    cis: ["5.1.5"],
    peers: ["KL default-service-account", "CKV_K8S_41", "KS C-0189"],
    remediation: "Create a dedicated ServiceAccount for the workload and set `serviceAccountName`.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      serviceAccountName: db
      containers: [{name: db, image: postgres:16}]
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup, namespace: ops}
spec:
  schedule: "0 4 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          automountServiceAccountToken: false
          restartPolicy: Never
          containers: [{name: cleanup, image: busybox}]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: legacy-field, namespace: ops}
spec:
  serviceAccount: ops-runner
  containers: [{name: app, image: busybox}]
"#,
    ],
    fail: [
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: ops}
spec:
  schedule: "0 4 * * *"
  jobTemplate:
    spec:
      template:
        spec: # <-
          restartPolicy: Never
          containers: [{name: report, image: busybox}]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: explicit, namespace: ops}
spec:
  serviceAccountName: default # <-
  containers: [{name: app, image: busybox}]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: projected, namespace: ops}
spec:
  serviceAccountName: "" # <-
  automountServiceAccountToken: false
  containers: [{name: app, image: busybox}]
  volumes:
    - name: token
      projected:
        sources:
          - serviceAccountToken: {path: token, audience: vault}
"#,
    ],
}

impl Rule for DefaultServiceAccount {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        // `serviceAccountName` wins; the deprecated `serviceAccount` is used when it is empty.
        let field = |k: &str| spec.get(k).filter(|n| !n.is_null());
        let non_empty = |n: &&Node<'_>| n.as_scalar() != Some("");
        let named = field("serviceAccountName")
            .filter(non_empty)
            .or_else(|| field("serviceAccount").filter(non_empty))
            .or_else(|| field("serviceAccountName"))
            .or_else(|| field("serviceAccount"));
        let at = match named {
            Some(n) => match n.as_scalar() {
                Some("" | "default") => n,
                // Another name, or a non-string the apiserver rejects: not this rule's business.
                _ => return,
            },
            None => pod_spec_key(obj).unwrap_or(spec),
        };
        let no_automount = spec
            .get("automountServiceAccountToken")
            .and_then(Node::as_bool)
            == Some(false);
        if no_automount && !projects_token(spec) {
            return;
        }
        let how = if named.is_some() {
            "sets `serviceAccountName` to the `default` ServiceAccount"
        } else {
            "sets no `serviceAccountName`, so it runs as the `default` ServiceAccount"
        };
        cx.report(
            obj,
            at,
            format!(
                "{} {how}, an identity shared by every Pod of the namespace that names none",
                describe(obj)
            ),
        );
    }
}

fn projects_token(spec: &Node<'_>) -> bool {
    spec.get("volumes")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.at(&["projected", "sources"]))
        .flat_map(|s| s.items())
        .any(|src| src.get("serviceAccountToken").is_some())
}
