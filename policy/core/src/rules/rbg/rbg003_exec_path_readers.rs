use crate::engine::Workload;
use std::collections::HashMap;

use crate::k8s::access::{self, Grant, Scope};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports each binding subject that can get into running Pods which consume Secrets:
    /// `create` or `get` (WebSocket clients) on `pods/exec` or `pods/attach` in a namespace
    /// where a Pod or workload of the input takes a Secret as an environment variable
    /// (`env`, `envFrom`) or a volume (`secret`, `projected`); or any of these verbs on
    /// `nodes/proxy` through a ClusterRoleBinding, which reaches the kubelet API of every node
    /// and so every such workload. A rule limited by `resourceNames` counts only for the Pods
    /// it names. `imagePullSecrets` are not counted (they are not exposed inside the
    /// container).
    ///
    /// ## Why is this bad?
    /// These subjects need no permission on Secrets: `kubectl exec … env` or `cat` of the
    /// mounted file shows the values. `nodes/proxy` is worse: it "bypasses audit logging and
    /// admission control", and even `get` on it "is not a read-only permission".
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// metadata: {name: debugger, namespace: app}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods/exec"]
    ///     verbs: ["create"]
    /// ---
    /// kind: RoleBinding
    /// metadata: {name: debuggers, namespace: app}
    /// subjects: [{kind: Group, name: developers}]
    /// roleRef: {kind: Role, name: debugger}
    /// # ... and a Deployment in app with env.valueFrom.secretKeyRef
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Debug with ephemeral access granted on demand, or keep Pods that consume
    /// # high-value Secrets in a namespace where few subjects can exec.
    /// kind: Role
    /// metadata: {name: debugger, namespace: app}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Access to proxy subresource of Nodes](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes)
    /// - [RBAC good practices: Workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - CIS Kubernetes Benchmark 5.1.10 "Minimize access to the proxy sub-resource of nodes"
    pub struct ExecPathReaders;
    id: "RBG-003",
    title: "Subject can exec into Pods that consume Secrets",
    severity: High,
    area: AccessControl,
    cis: ["5.1.10"],
    peers: ["POL rolebindingRolePodExecAttach", "POL rolebindingClusterRolePodExecAttach", "POL clusterrolebindingPodExecAttach", "KS C-0002"],
    remediation: "Grant `pods/exec`, `pods/attach` and `nodes/proxy` only temporarily, and not where Pods consume Secrets.",
    kinds: [],
    pass: [
        // exec in a namespace whose workloads consume no Secrets (only an image pull Secret).
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: app}
rules:
  - {apiGroups: [""], resources: ["pods/exec"], verbs: ["create"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: debuggers, namespace: app}
subjects: [{kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: debugger}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app}
spec:
  imagePullSecrets: [{name: registry}]
  containers: [{name: web, image: "web:1.0"}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: data}
spec:
  containers:
    - name: db
      image: "db:1.0"
      env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
"#,
        // exec limited to a Pod by name; pods/log is harmless; nodes/proxy via a RoleBinding grants nothing.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: narrow}
rules:
  - {apiGroups: [""], resources: ["pods/exec"], resourceNames: ["toolbox"], verbs: ["create"]}
  - {apiGroups: [""], resources: ["pods/log", "nodes/proxy"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: narrow, namespace: app}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: narrow}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app}
spec:
  volumes: [{name: creds, secret: {secretName: creds}}]
  containers: [{name: web, image: "web:1.0"}]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods/exec", "pods/attach"]
    verbs: ["get", "create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: debuggers, namespace: app}
subjects:
  - kind: Group # <-
    name: developers
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: debugger}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: "web:1.0"
          envFrom: [{secretRef: {name: web-env}}]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-proxy}
rules:
  - {apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
subjects:
  - {kind: ServiceAccount, name: scraper, namespace: monitoring} # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-proxy}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: data}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          volumes:
            - name: creds
              projected: {sources: [{secret: {name: s3-creds}}]}
          containers: [{name: backup, image: "backup:1.0"}]
"#,
    ],
}

fn consumes_secrets(w: &Workload) -> bool {
    w.secrets.iter().any(|s| s.how != "imagePullSecrets")
}

/// Whether `g` lets its subject reach the Pods of `w`.
fn reaches(g: &Grant<'_>, w: &Workload) -> bool {
    if g.resource == "nodes/proxy" {
        return g.scope.is_cluster();
    }
    if !g.scope.covers(&w.namespace) {
        return false;
    }
    g.is_unlimited()
        || (w.object.kind == "Pod"
            && w.object
                .name
                .as_deref()
                .is_some_and(|n| g.resource_names.iter().any(|r| r == n)))
}

impl Rule for ExecPathReaders {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        let targets: Vec<&Workload> = inv
            .workloads
            .iter()
            .filter(|w| consumes_secrets(w))
            .collect();
        if targets.is_empty() {
            return;
        }
        // Positions in `targets` by namespace: a grant that is not cluster-wide reaches only
        // the workloads of its namespace.
        let mut by_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, w) in targets.iter().enumerate() {
            by_namespace
                .entry(w.namespace.as_str())
                .or_default()
                .push(i);
        }
        let grants = access::grants(
            access.bindings(),
            &[("", "pods/exec"), ("", "pods/attach"), ("", "nodes/proxy")],
            &["create", "get"],
        );
        for group in access::by_subject(&grants) {
            let Some(first) = group.first() else {
                continue;
            };
            let candidates: Vec<&Workload> = if group.iter().any(|g| g.scope.is_cluster()) {
                targets.clone()
            } else {
                let mut namespaces: Vec<&str> = group
                    .iter()
                    .filter_map(|g| match &g.scope {
                        Scope::Namespace(ns) => Some(ns.as_str()),
                        Scope::Cluster => None,
                    })
                    .collect();
                namespaces.sort_unstable();
                namespaces.dedup();
                let mut positions: Vec<usize> = vec![];
                for ns in &namespaces {
                    positions.extend(by_namespace.get(ns).into_iter().flatten());
                }
                if namespaces.len() > 1 {
                    // Back to input order (each namespace's list already is).
                    positions.sort_unstable();
                }
                positions
                    .into_iter()
                    .filter_map(|i| targets.get(i).copied())
                    .collect()
            };
            let reached: Vec<&Workload> = candidates
                .into_iter()
                .filter(|w| group.iter().any(|g| reaches(g, w)))
                .collect();
            let Some(evidence) = group.iter().find(|g| reached.iter().any(|w| reaches(g, w)))
            else {
                continue;
            };
            let names: Vec<String> = reached
                .iter()
                .take(3)
                .map(|w| {
                    format!(
                        "{} {}/{}",
                        w.object.kind,
                        w.namespace,
                        w.object.name.as_deref().unwrap_or("")
                    )
                })
                .collect();
            let more = match reached.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            let how = if evidence.resource == "nodes/proxy" {
                "reach the kubelet API of every node"
            } else {
                "exec into or attach to Pods"
            };
            let msg = format!(
                "{} can {how} {}, where {} Secrets ({}{more}): {}",
                first.subject,
                evidence.scope,
                if reached.len() == 1 {
                    "1 workload consumes".to_string()
                } else {
                    format!("{} workloads consume", reached.len())
                },
                names.join(", "),
                evidence.evidence()
            );
            let loc = first.binding.locate(first.subject_node);
            cx.report_at(loc, &first.binding.oref, msg);
        }
    }
}
