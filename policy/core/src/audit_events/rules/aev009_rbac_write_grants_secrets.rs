use super::{outcome, succeeded, Hit};
use crate::audit_events::event::Event;
use crate::declare_rule;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Reports a successful `create`, `update` or `patch` of `roles`, `clusterroles`, `rolebindings` or
    /// `clusterrolebindings` whose request body (level `Request` or higher) grants `get`/`list`/`watch`
    /// on Secrets (core group or `*`, resource `secrets` or `*`), or the `bind`, `escalate` or
    /// `impersonate` verbs, or binds one of the built-in ClusterRoles that read Secrets
    /// (`cluster-admin`, `admin`, `edit`). At level `Metadata` the body is not logged and nothing can
    /// be said (the audit policy cross-check reports that gap).
    ///
    /// ## Why is this bad?
    /// A new or changed grant of Secret access is an escalation in progress, or at least a change that
    /// must be reviewed.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","stage":"ResponseComplete","verb":"create","user":{"username":"mallory"},"objectRef":{"resource":"rolebindings","namespace":"app","apiGroup":"rbac.authorization.k8s.io"},"requestObject":{"metadata":{"name":"mallory-edit"},"roleRef":{"kind":"ClusterRole","name":"edit"}},"responseStatus":{"code":201}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Manage RBAC through reviewed manifests (GitOps), and log RBAC writes at Request level:
    /// - level: Request
    ///   verbs: ["create", "update", "patch"]
    ///   resources: [{group: rbac.authorization.k8s.io}]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Privilege escalation risks](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks)
    pub struct RbacWriteGrantsSecrets;
    id: "AEV-009",
    title: "RBAC write granting Secret access",
    severity: High,
    area: Audit,
    cis: ["5.1.8"],
    peers: [],
    remediation: "Check who wrote the role or binding and why; revert it if it is not an approved change.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"roles","namespace":"a","apiGroup":"rbac.authorization.k8s.io"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","requestObject":{"kind":"Role","metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["*"]}]}}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"rolebindings","namespace":"a","apiGroup":"rbac.authorization.k8s.io"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"rolebindings","namespace":"a","apiGroup":"rbac.authorization.k8s.io"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","requestObject":{"metadata":{"name":"rb"},"roleRef":{"kind":"ClusterRole","name":"edit"}}} # <-
"#,
    ],
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// What one RBAC policy rule (JSON) grants that matters for Secrets.
fn rule_grants(rule: &Value) -> Vec<String> {
    let groups = strings(rule.get("apiGroups"));
    let resources = strings(rule.get("resources"));
    let verbs = strings(rule.get("verbs"));
    let mut out = Vec::new();
    let core = groups.iter().any(|g| g.is_empty() || *g == "*");
    let secrets = resources.iter().any(|r| *r == "secrets" || *r == "*");
    let reads: Vec<&str> = verbs
        .iter()
        .copied()
        .filter(|v| matches!(*v, "get" | "list" | "watch" | "*"))
        .collect();
    if core && secrets && !reads.is_empty() {
        out.push(format!("{} on secrets", reads.join(", ")));
    }
    for v in ["bind", "escalate", "impersonate"] {
        if verbs.contains(&v) {
            out.push(v.to_string());
        }
    }
    out
}

/// **AEV-009** (high): an RBAC write (`create`, `update`, `patch` of roles, clusterroles,
/// rolebindings or clusterrolebindings) whose request body (level Request or higher) grants
/// read access to Secrets or the `bind`, `escalate` or `impersonate` verbs, or binds one of the
/// built-in ClusterRoles that read Secrets (cluster-admin, admin, edit).
pub fn aev_009(e: &Event) -> Hit {
    let obj = e.object_ref.as_ref()?;
    if obj.api_group != "rbac.authorization.k8s.io"
        || !matches!(e.verb.as_str(), "create" | "update" | "patch")
        || !succeeded(e)
    {
        return None;
    }
    let body = e.request_object.as_ref()?;
    let mut grants = Vec::new();
    match obj.resource.as_str() {
        "roles" | "clusterroles" => {
            for (i, rule) in body
                .get("rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                for g in rule_grants(rule) {
                    grants.push(format!("rules[{i}] {g}"));
                }
            }
        }
        "rolebindings" | "clusterrolebindings" => {
            let kind = body.pointer("/roleRef/kind").and_then(Value::as_str);
            let name = body.pointer("/roleRef/name").and_then(Value::as_str);
            if let (Some("ClusterRole"), Some(n @ ("cluster-admin" | "admin" | "edit"))) =
                (kind, name)
            {
                grants.push(format!("binds ClusterRole {n}"));
            }
        }
        _ => return None,
    }
    if grants.is_empty() {
        return None;
    }
    let name = body
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or(obj.name.as_str());
    let label = if obj.namespace.is_empty() {
        name.to_string()
    } else {
        format!("{}/{name}", obj.namespace)
    };
    Some((
        "AEV-009",
        format!(
            "{} {} {} {label}: {} ({})",
            e.user.username,
            e.verb,
            obj.resource.trim_end_matches('s'),
            grants.join("; "),
            outcome(e)
        ),
    ))
}
