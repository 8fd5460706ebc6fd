use crate::k8s::audit::{AuditPolicy, Level, PolicyRule};
use crate::rules::aud::common::{grouped, logs_object, policy_label, SECRETS, SECRET_BODY_WRITES};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Evaluates the audit policy as the apiserver does (rules in order, first match wins) and
    /// flags every rule that decides some request on `secrets` at `RequestResponse`, or some
    /// `create`/`update`/`patch` of a Secret at `Request` (those request bodies are the Secret):
    /// a rule listing `secrets`, but also a catch-all rule (no `resources`), a rule for the core
    /// group without `resources`, or `resources: ["*"]` placed before the rule meant for Secrets,
    /// for any user, group, verb or namespace. It also flags an `AuditSink` whose `spec.policy`
    /// level is `Request`/`RequestResponse`: that level applied to every request, Secrets included.
    ///
    /// ## Why is this bad?
    /// At `Request` the audit event carries the request body, at `RequestResponse` also the
    /// response body. For Secrets these bodies are the Secret `data`: every `create`/`update` and,
    /// at `RequestResponse`, every `get`/`list`/`watch` writes secret values to the audit log or
    /// webhook, which then needs the same protection as etcd. CIS 3.2.2: "Care should be taken to
    /// only log Metadata for requests to Secrets, ConfigMaps, and TokenReviews".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: RequestResponse        # catch-all: also matches secrets
    ///   - level: Metadata               # never reached
    ///     resources:
    ///       - group: ""
    ///         resources: ["secrets"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: ["secrets", "configmaps"]
    ///       - group: authentication.k8s.io
    ///         resources: ["tokenreviews"]
    ///   - level: RequestResponse
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go` (first match wins)
    /// - CIS Kubernetes Benchmark 3.2.2 "Ensure that the audit policy covers key security concerns"
    pub struct SecretBodiesLogged;
    id: "AUD-001",
    title: "Audit policy logs Secret bodies",
    severity: Critical,
    area: Audit,
    cis: ["3.2.2"],
    peers: ["KS C-0161"],
    remediation: "Put a `level: Metadata` rule for `secrets` before any rule that logs at Request or RequestResponse.",
    kinds: ["Policy", "AuditSink"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps"]
  - level: RequestResponse
    resources:
      - group: ""
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: "apps"
      - group: ""
        resources: ["pods", "secrets/status"]
  - level: Metadata
"#,
        r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy",
 "rules": [{"level": "Metadata", "resources": [{"group": "", "resources": ["secrets"]}]},
           {"level": "RequestResponse", "nonResourceURLs": ["/api*"]}]}"#,
        r#"
apiVersion: kyverno.io/v1
kind: Policy
metadata: {name: not-an-audit-policy}
spec:
  rules:
    - level: RequestResponse
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse # <-
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
    resources: [{group: "", resources: ["secrets"]}]
  - level: Request # <-
    resources: [{group: "", resources: ["*"]}]
"#,
        r#"
apiVersion: audit.k8s.io/v1beta1
kind: Policy
rules:
  - level: Metadata
    namespaces: ["kube-system"]
  - {level: RequestResponse, resources: [{group: ""}]} # <-
"#,
        r#"
apiVersion: auditregistration.k8s.io/v1alpha1
kind: AuditSink
metadata:
  name: my-audit-sink
spec:
  policy:
    level: RequestResponse # <-
    stages: [ResponseComplete]
  webhook:
    clientConfig:
      url: "https://audit.example.com/k8s"
"#,
    ],
}

impl Rule for SecretBodiesLogged {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if obj.kind() == "AuditSink" && obj.group() == "auditregistration.k8s.io" {
            let Some(level) = obj.root.at(&["spec", "policy", "level"]) else {
                return;
            };
            if let Some(l) = level
                .as_str()
                .and_then(Level::parse)
                .filter(|l| l.logs_bodies())
            {
                cx.report(
                    obj,
                    level,
                    format!(
                        "AuditSink `{}` sets `level: {}`, which applies to every request (AuditSink has no per-resource rules): Secret values would be sent to the audit webhook",
                        obj.name(),
                        l.as_str()
                    ),
                );
            }
            return;
        }
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        let groups = grouped(&policy, &[SECRETS, SECRET_BODY_WRITES], logs_object);
        for (index, hits) in groups {
            let Some(rule) = index.and_then(|i| policy.rule(i)) else {
                continue;
            };
            let Some((class, first)) = hits.first() else {
                continue;
            };
            let level = rule.level.unwrap_or(Level::None);
            let shadowed = policy
                .rules
                .iter()
                .filter(|r| r.index > rule.index && r.level.is_some_and(|l| l <= Level::Metadata))
                .find(|r| {
                    r.entries_for("", "secrets", "")
                        .iter()
                        .any(|gr| gr.resources.iter().any(|(s, _)| *s == "secrets"))
                });
            let note = match shadowed {
                Some(s) => format!(
                    " (it comes before rule {}, which logs secrets at `{}`: first match wins)",
                    s.index,
                    s.level.map_or("?", Level::as_str)
                ),
                None => String::new(),
            };
            cx.report(
                obj,
                rule.level_at(),
                format!(
                    "{} rule {} {} and logs {} at `{}`{note}: Secret values are written to the audit log",
                    policy_label(obj),
                    rule.index,
                    rule.how_it_matches("", "secrets", ""),
                    first.witness.describe(class),
                    level.as_str(),
                ),
            )
            .with_fix(fix(rule));
        }
    }
}

/// `level: Metadata` for a rule that matches only Secrets (core group `secrets`, no
/// subresources, no other resources or URLs): the change then affects nothing but Secrets. A rule
/// that also covers other resources is left alone (lowering its level would hide their bodies
/// too; the fix is a separate Secrets rule before it, which is a choice, not a mechanical edit).
fn fix(rule: &PolicyRule<'_, '_>) -> Option<Fix> {
    let listed = rule.node.get("resources")?.items();
    let only_secrets = !listed.is_empty()
        && listed.len() == rule.resources.len()
        && rule.non_resource_urls.is_empty()
        && rule.resources.iter().all(|gr| {
            gr.group.is_empty()
                && !gr.resources.is_empty()
                && gr.node.get("resources").map_or(0, |n| n.items().len()) == gr.resources.len()
                && gr.resources.iter().all(|(r, _)| *r == "secrets")
        });
    if !only_secrets {
        return None;
    }
    let edit = Edit::replace_scalar(rule.level_node?, "Metadata")?;
    Some(Fix::new(
        "Log Secrets at `level: Metadata` (who accessed which Secret, without its values)",
        vec![edit],
    ))
}

#[cfg(test)]
mod tests {
    use crate::{apply_fixes, evaluate, Settings};

    fn fixed(text: &str) -> String {
        let settings = Settings {
            enable: vec!["AUD-001".into()],
            ..Settings::default()
        };
        let report = evaluate(&[("p.yaml", text)], &settings);
        apply_fixes(text, &report.findings).text
    }

    #[test]
    fn fixes_only_rules_about_secrets_alone() {
        let only = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n    resources:\n      - group: \"\"\n        resources: [\"secrets\"]\n  - level: Metadata\n";
        assert_eq!(fixed(only), only.replace("RequestResponse", "Metadata"));
        let json = r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "Request", "resources": [{"group": "", "resources": ["secrets"]}]}]}"#;
        assert_eq!(fixed(json), json.replace("\"Request\"", "\"Metadata\""));
        for unchanged in [
            // Also configmaps: not only Secrets.
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n    resources: [{group: \"\", resources: [secrets, configmaps]}]\n",
            // A catch-all.
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n",
            // Every core resource.
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Request\n    resources: [{group: \"\"}]\n",
        ] {
            assert_eq!(fixed(unchanged), unchanged);
        }
    }
}
