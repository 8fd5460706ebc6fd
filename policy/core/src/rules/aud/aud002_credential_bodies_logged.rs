use crate::k8s::audit::{AuditPolicy, Level, RequestClass, VERBS};
use crate::rules::aud::common::BODY_VERBS;
use crate::rules::aud::common::{grouped, policy_label, CORE};
use crate::rules::prelude::*;

const CONFIGMAPS: RequestClass<'static> = RequestClass::new(CORE, "configmaps", true, &VERBS);
const CONFIGMAP_WRITES: RequestClass<'static> =
    RequestClass::new(CORE, "configmaps", true, &BODY_VERBS);
const TOKENREVIEWS: RequestClass<'static> =
    RequestClass::new("authentication.k8s.io", "tokenreviews", false, &["create"]);
const TOKEN_REQUESTS: RequestClass<'static> =
    RequestClass::sub(CORE, "serviceaccounts", "token", true, &["create"]);

declare_rule! {
    /// ## What it does
    /// Evaluates the audit policy (first match wins) and flags rules that log the bodies of
    /// requests that carry credentials:
    /// - `tokenreviews` (`authentication.k8s.io`) at `Request` or `RequestResponse`: the request
    ///   body is the bearer token being reviewed;
    /// - `serviceaccounts/token` at `RequestResponse`: the TokenRequest response is the issued
    ///   token (`Request` only logs the audience and expiry);
    /// - `configmaps` at `RequestResponse`, or `create`/`update`/`patch` of ConfigMaps at
    ///   `Request` through a rule that is not limited to named `namespaces`. A rule that deliberately logs ConfigMap changes in named namespaces,
    ///   as the official example policy does for `kube-system`, is not reported.
    ///
    /// ## Why is this bad?
    /// The audit log then holds live credentials (and whatever ended up in ConfigMaps), readable
    /// by everyone with access to the log pipeline. CIS 3.2.2: "Care should be taken to only log
    /// Metadata for requests to Secrets, ConfigMaps, and TokenReviews".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    ///   - level: RequestResponse
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
    ///         resources: ["secrets", "configmaps", "serviceaccounts/token"]
    ///       - group: authentication.k8s.io
    ///         resources: ["tokenreviews"]
    ///   - level: RequestResponse
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - [RBAC good practices: token request](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request)
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct CredentialBodiesLogged;
    id: "AUD-002",
    title: "Audit policy logs token or ConfigMap bodies",
    severity: High,
    area: Audit,
    cis: ["3.2.2"],
    peers: ["KS C-0161"],
    remediation: "Log `configmaps`, `tokenreviews` and `serviceaccounts/token` at `Metadata`, before broader rules.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Request
    namespaces: ["kube-system"]
    resources: [{group: "", resources: ["configmaps"]}]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps", "serviceaccounts/token"]
      - group: "authentication.k8s.io"
        resources: ["tokenreviews"]
  - level: RequestResponse
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets", "configmaps"]}]
  - level: Request
    resources: [{group: ""}]
  - level: Metadata
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
  - level: RequestResponse # <-
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets", "configmaps"]}]
  - level: Request # <-
    resources:
      - group: "authentication.k8s.io"
  - level: Metadata
"#,
        r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [
  {"level": "Metadata", "resources": [{"group": "", "resources": ["secrets"]}]},
  {"level": "Request", "resources": [{"group": "", "resources": ["configmaps"]}]},
  {"level": "None"}]}"#,
    ],
}

impl Rule for CredentialBodiesLogged {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        let classes = [TOKENREVIEWS, TOKEN_REQUESTS, CONFIGMAPS, CONFIGMAP_WRITES];
        let groups = grouped(&policy, &classes, |class, o| {
            let Some(level) = o.level else { return false };
            let rule = o.rule.and_then(|i| policy.rule(i));
            match class.resource {
                "tokenreviews" => level.logs_bodies(),
                "serviceaccounts" => level == Level::RequestResponse,
                _ => {
                    level == Level::RequestResponse
                        || (level == Level::Request
                            && class.verbs == BODY_VERBS.as_slice()
                            && rule.is_some_and(|r| r.namespaces.is_empty()))
                }
            }
        });
        for (index, hits) in groups {
            let Some(rule) = index.and_then(|i| policy.rule(i)) else {
                continue;
            };
            let level = rule.level.unwrap_or(Level::None);
            let mut seen: Vec<&str> = vec![];
            let what: Vec<String> = hits
                .iter()
                .filter(|(class, _)| {
                    let new = !seen.contains(&class.resource);
                    seen.push(class.resource);
                    new
                })
                .map(|(class, o)| {
                    let why = match class.resource {
                        "tokenreviews" => "the request body is the bearer token under review",
                        "serviceaccounts" => "the response is the issued service account token",
                        _ => "ConfigMap data is logged",
                    };
                    format!("{} ({why})", o.witness.describe(class))
                })
                .collect();
            cx.report(
                obj,
                rule.level_at(),
                format!(
                    "{} rule {} logs {} at `{}`: credentials end up in the audit log",
                    policy_label(obj),
                    rule.index,
                    what.join("; "),
                    level.as_str()
                ),
            );
        }
    }
}
