use std::collections::HashMap;

use serde_json::Value;

use super::{outcome, succeeded, Hit};
use crate::audit_events::context::AuditContext;
use crate::audit_events::event::Event;
use crate::declare_rule;
use crate::k8s::workload;
use crate::object::Object;
use crate::yaml::{self, Limits};

declare_rule! {
    /// ## What it does
    /// Reports a successful `create` (or `get`, as WebSocket clients send it) on the `exec` or
    /// `attach` subresource of a Pod that consumes Secrets through environment variables
    /// (`env`, `envFrom`) or volumes (`secret`, `projected`). What a Pod consumes comes from
    /// the manifests given with the log (`secrets-guard audit-log deploy.yaml audit.log`): a Pod
    /// by name, or a workload by the names its Pods get (`<deployment>-<hash>-<suffix>`,
    /// `<statefulset>-<ordinal>`, `<cronjob>-<time>-<suffix>`, `<controller>-<suffix>`); and
    /// from Pod `create` events of the log itself that carry the Pod (level `Request` or
    /// higher). Exec into a Pod not known to consume Secrets is not reported;
    /// `imagePullSecrets` do not count.
    ///
    /// ## Why is this bad?
    /// A shell in the container shows the Secret values (`env`, `cat` of the mounted files)
    /// without any permission on Secrets: a runtime exposure that RBAC reviews of Secret access
    /// miss (RBG-003 finds who could do it; this finds who did).
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"create","user":{"username":"jane"},"objectRef":{"resource":"pods","namespace":"app","name":"web-7d4b9c8f5-x2x9k","subresource":"exec"},"responseStatus":{"code":101}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Debug with ephemeral containers or logs, and keep pods/exec away from
    /// # namespaces whose Pods consume high-value Secrets.
    /// kind: Role
    /// rules:
    ///   - {apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"]}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - CIS Kubernetes Benchmark 3.2.2 (exec and port-forward are audit-worthy)
    pub struct ExecIntoSecretPod;
    id: "AEV-008",
    title: "Exec into a Pod that consumes Secrets",
    severity: Medium,
    area: Audit,
    cis: ["3.2.2"],
    peers: [],
    remediation: "Check why the user needed a shell in that Pod; rotate the Secrets it consumes if the access was not expected.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
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
          image: web:1.0
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
---
apiVersion: v1
kind: Pod
metadata: {name: toolbox, namespace: app}
spec:
  imagePullSecrets: [{name: registry}]
  containers: [{name: tools, image: tools:1.0}]
# events
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app","name":"toolbox","subresource":"exec","apiVersion":"v1"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app","name":"web-7d4b9c8f5-x2x9k","subresource":"exec","apiVersion":"v1"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"other","name":"web-7d4b9c8f5-x2x9k","subresource":"exec","apiVersion":"v1"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app","name":"web-7d4b9c8f5-x2x9k","subresource":"log"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
    fail: [
        r#"
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
          image: web:1.0
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
---
apiVersion: v1
kind: Pod
metadata: {name: toolbox, namespace: app}
spec:
  imagePullSecrets: [{name: registry}]
  containers: [{name: tools, image: tools:1.0}]
# events
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app","name":"web-7d4b9c8f5-x2x9k","subresource":"exec","apiVersion":"v1"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app","name":"web-7d4b9c8f5-x2x9k","subresource":"attach","apiVersion":"v1"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
"#,
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"ops-bot","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"ops","name":"debug","apiVersion":"v1"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","requestObject":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"debug","namespace":"ops"},"spec":{"containers":[{"name":"c","image":"i","volumeMounts":[{"name":"k","mountPath":"/k"}]}],"volumes":[{"name":"k","secret":{"secretName":"ops-key"}}]}}}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"ops","name":"debug","subresource":"exec","apiVersion":"v1"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
"#,
    ],
}

/// Pods learned from the log at most (older entries are not evicted; new ones are ignored).
const LEARNED_CAP: usize = 100_000;

/// AEV-008: exec/attach into Pods known to consume Secrets.
#[derive(Debug, Default)]
pub struct Aev008 {
    /// Pods created in the log whose spec consumes Secrets: (namespace, name) → (Secrets, line).
    learned: HashMap<(String, String), (Vec<String>, u64)>,
}

/// The Secrets a Pod (JSON, as in a request body) consumes: `name (how)`, imagePullSecrets left
/// out. The body goes through the manifest loader so the same rules apply as for manifests.
fn pod_secrets(pod: &Value) -> Vec<String> {
    let Ok(text) = serde_json::to_string(pod) else {
        return vec![];
    };
    let mut out = vec![];
    yaml::parse_documents(&text, &Limits::default(), |d| {
        let Ok(d) = d else { return };
        let Some(obj) = Object::new("audit".into(), 0, None, d.root) else {
            return;
        };
        if let Some(spec) = workload::pod_spec(&obj) {
            for u in workload::secret_uses(spec) {
                let s = format!("{} ({})", u.name, u.how);
                if u.how != "imagePullSecrets" && !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    });
    out
}

impl Aev008 {
    /// Remember a Pod created in the log (level Request or higher) that consumes Secrets.
    pub fn learn(&mut self, line: u64, e: &Event) {
        if e.verb != "create"
            || e.resource() != "pods"
            || !e.subresource().is_empty()
            || !succeeded(e)
            || self.learned.len() >= LEARNED_CAP
        {
            return;
        }
        let Some(body) = e.request_object.as_ref() else {
            return;
        };
        let name = [body, e.response_object.as_ref().unwrap_or(&Value::Null)]
            .iter()
            .find_map(|v| v.pointer("/metadata/name").and_then(Value::as_str))
            .unwrap_or(e.name());
        if name.is_empty() {
            return;
        }
        let secrets = pod_secrets(body);
        if !secrets.is_empty() {
            self.learned.insert(
                (e.namespace().to_string(), name.to_string()),
                (secrets, line),
            );
        }
    }

    /// Look at the next event.
    pub fn check(&self, e: &Event, cx: &AuditContext) -> Hit {
        let sub = e.subresource();
        if e.resource() != "pods"
            || !matches!(sub, "exec" | "attach")
            || !matches!(e.verb.as_str(), "create" | "get")
            || !e
                .object_ref
                .as_ref()
                .is_some_and(|o| o.api_group.is_empty())
            || !succeeded(e)
        {
            return None;
        }
        let (ns, pod) = (e.namespace(), e.name());
        let (secrets, from) =
            if let Some((s, line)) = self.learned.get(&(ns.to_string(), pod.to_string())) {
                (s.join(", "), format!("created in this log at line {line}"))
            } else {
                let w = cx.workload_of_pod(ns, pod)?;
                let mut names: Vec<String> = vec![];
                for s in w.secrets.iter().filter(|s| s.how != "imagePullSecrets") {
                    let n = format!("{} ({})", s.name, s.how);
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                (
                    names.join(", "),
                    format!("{} at {}:{}", w.object, w.location.file, w.location.line),
                )
            };
        Some((
            "AEV-008",
            format!(
                "{} ran {sub} in pod {ns}/{pod}, which consumes Secrets {secrets} ({from}) ({})",
                e.user.username,
                outcome(e)
            ),
        ))
    }
}
