use crate::k8s::audit::{is_audit_policy, LEVELS, STAGES};
use crate::rules::aud::common::policy_label;
use crate::rules::prelude::*;
use crate::yaml::Value;

declare_rule! {
    /// ## What it does
    /// Validates an audit `Policy` as the apiserver does when it loads `--audit-policy-file`:
    /// - `level` missing, or not one of `None`, `Metadata`, `Request`, `RequestResponse`
    ///   (case-sensitive);
    /// - a rule with `nonResourceURLs` and also `resources` or `namespaces` ("rules cannot apply
    ///   to both regular resources and non-resource URLs");
    /// - a non-resource URL not starting with `/`, or with `*` anywhere but at the end;
    /// - `resourceNames` without `resources` ("using resourceNames requires at least one
    ///   resource");
    /// - a `group` that is not a lower-case DNS subdomain, e.g. `apps/v1` (no version allowed) or
    ///   `*` (unlike RBAC, audit policies have no group wildcard);
    /// - an `omitStages` value of a rule other than `RequestReceived`, `ResponseStarted`,
    ///   `ResponseComplete`, `Panic`;
    /// - wrong types (a string where a list is expected, a number where a string is expected),
    ///   which make decoding fail.
    ///
    /// ## Why is this bad?
    /// The apiserver refuses to start with an invalid audit policy. Removing the flag to get the
    /// control plane up leaves the cluster without any audit log.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: metadata
    ///     resources:
    ///       - group: apps/v1
    ///         resourceNames: ["web"]
    ///   - level: Request
    ///     nonResourceURLs: ["healthz"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: apps
    ///         resources: ["deployments"]
    ///         resourceNames: ["web"]
    ///   - level: Metadata
    ///     nonResourceURLs: ["/healthz"]
    /// ```
    ///
    /// ## References
    /// - [Audit Policy configuration (v1)](https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/apis/audit/validation/validation.go`
    pub struct PolicySchema;
    id: "AUD-009",
    title: "Audit policy is invalid",
    severity: High,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Fix the field so that the apiserver accepts the policy.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: ""
        resources: ["endpoints", "services", "pods/*", "*/scale"]
        resourceNames: ["a"]
  - level: Metadata
    nonResourceURLs: ["/healthz*", "*", "/version"]
  - level: Request
    namespaces: [""]
    resources: [{group: "rbac.authorization.k8s.io"}, {group: "apps"}]
    omitStages: [ResponseStarted, Panic]
    omitManagedFields: true
  - level: RequestResponse
"#,
        r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "Metadata", "users": null}]}"#,
        // Multi-byte characters before the final '*' (found by `make fuzz`: a byte slice panicked).
        r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "Metadata", "nonResourceURLs": ["/\u00fc\u00e9*"]}]}"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: metadata # <-
    resources:
      - group: apps/v1 # <-
        resourceNames: ["web"] # <-
  - level: Request
    nonResourceURLs: ["healthz", "/api/*/x"] # <-
  - users: ["alice"] # <-
    verbs: get # <-
  - level: Metadata
    omitStages: [ResponseCompleted] # <-
  - level: Metadata
    nonResourceURLs: ["/ü*é"] # <-
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources: [{group: "*"}] # <-
  - level: Metadata
    namespaces: ["kube-system"]
    nonResourceURLs: ["/metrics"] # <-
  - level: [Metadata] # <-
  - level: Metadata
    verbs: [get, 42] # <-
"#,
        r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy",
 "rules": {"level": "Metadata"}} # <-"#,
    ],
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b.first() != Some(&b'-')
                && b.last() != Some(&b'-')
        })
}

/// A value Go would decode into a string: any non-null scalar that is not a plain bool or number.
fn string_like(n: &Node<'_>) -> bool {
    matches!(n.value, Value::Scalar(_)) && n.as_bool().is_none() && n.as_i64().is_none()
}

struct Check<'c, 'x, 'o> {
    cx: &'c mut Ctx<'x>,
    obj: &'o Object<'o>,
    label: String,
}

impl Check<'_, '_, '_> {
    fn err(&mut self, at: &Node<'_>, msg: String) {
        let label = self.label.clone();
        self.cx.report(
            self.obj,
            at,
            format!("{label} {msg}: the apiserver refuses to load it"),
        );
    }

    /// A `[]string` field: reports wrong types, returns the string items.
    fn str_list<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        field: &str,
        what: &str,
    ) -> Vec<(&'n str, &'n Node<'a>)> {
        let Some(v) = node.get(field).filter(|v| !v.is_null()) else {
            return vec![];
        };
        if !v.is_seq() {
            self.err(v, format!("{what} `{field}` must be a list of strings"));
            return vec![];
        }
        let mut out = vec![];
        for item in v.items() {
            if item.is_null() {
                continue;
            }
            if !string_like(item) {
                self.err(item, format!("{what} `{field}` must hold strings only"));
                continue;
            }
            if let Some(s) = item.as_str() {
                out.push((s, item));
            }
        }
        out
    }

    fn bool_field(&mut self, node: &Node<'_>, field: &str, what: &str) {
        if let Some(v) = node.get(field).filter(|v| !v.is_null()) {
            if v.as_bool().is_none() {
                self.err(v, format!("{what} `{field}` must be `true` or `false`"));
            }
        }
    }

    fn rule(&mut self, i: usize, rule: &Node<'_>) {
        let what = format!("rule {i}");
        if !rule.is_map() {
            self.err(rule, format!("{what} must be a mapping"));
            return;
        }
        match rule.get("level").filter(|v| !v.is_null()) {
            None => self.err(rule, format!("{what} has no `level` (required)")),
            Some(l) if !string_like(l) => self.err(l, format!("{what} `level` must be a string")),
            Some(l) => {
                let s = l.as_str().unwrap_or("");
                if !LEVELS.contains(&s) {
                    let hint = LEVELS
                        .iter()
                        .find(|v| v.eq_ignore_ascii_case(s))
                        .map(|v| format!(" (levels are case-sensitive: `{v}`)"))
                        .unwrap_or_default();
                    self.err(
                        l,
                        format!(
                            "{what} has `level: {s}`, which is not one of None, Metadata, Request, RequestResponse{hint}"
                        ),
                    );
                }
            }
        }
        for f in ["users", "userGroups", "verbs", "namespaces"] {
            self.str_list(rule, f, &what);
        }
        let urls = self.str_list(rule, "nonResourceURLs", &what);
        for (u, n) in &urls {
            if *u == "*" {
                continue;
            }
            if !u.starts_with('/') {
                self.err(
                    n,
                    format!(
                        "{what} has non-resource URL `{u}`, which must begin with a '/' character"
                    ),
                );
            }
            if u.find('*').is_some_and(|i| i + 1 < u.len()) {
                self.err(n, format!("{what} has non-resource URL `{u}`: wildcards '*' must be the final character"));
            }
        }
        for (s, n) in self.str_list(rule, "omitStages", &what) {
            if !STAGES.contains(&s) {
                self.err(n, format!("{what} omits stage `{s}`; allowed stages are RequestReceived, ResponseStarted, ResponseComplete, Panic"));
            }
        }
        self.bool_field(rule, "omitManagedFields", &what);
        let mut has_resources = false;
        if let Some(res) = rule.get("resources").filter(|v| !v.is_null()) {
            if !res.is_seq() {
                self.err(
                    res,
                    format!(
                        "{what} `resources` must be a list of {{group, resources, resourceNames}}"
                    ),
                );
            } else {
                has_resources = !res.items().is_empty();
                for gr in res.items() {
                    self.group_resources(gr, &what);
                }
            }
        }
        let has_namespaces = rule
            .get("namespaces")
            .is_some_and(|n| !n.items().is_empty());
        if !urls.is_empty() && (has_resources || has_namespaces) {
            let at = rule.key_node("nonResourceURLs").unwrap_or(rule);
            self.err(at, format!("{what} has `nonResourceURLs` and `resources`/`namespaces`: rules cannot apply to both regular resources and non-resource URLs"));
        }
    }

    fn group_resources(&mut self, gr: &Node<'_>, what: &str) {
        if !gr.is_map() {
            self.err(
                gr,
                format!("{what} `resources` items must be mappings with `group` and `resources`"),
            );
            return;
        }
        if let Some(g) = gr.get("group").filter(|v| !v.is_null()) {
            if !string_like(g) {
                self.err(g, format!("{what} `group` must be a string"));
            } else if let Some(s) = g.as_str().filter(|s| !s.is_empty() && !is_dns_subdomain(s)) {
                let hint = if s == "*" {
                    " (audit policies have no group wildcard, unlike RBAC; list the groups, or omit `resources` to match every resource)"
                } else if s.contains('/') {
                    " (give the group without a version)"
                } else {
                    " (it must be a lower-case DNS subdomain)"
                };
                self.err(g, format!("{what} has invalid group `{s}`{hint}"));
            }
        }
        let resources = self.str_list(gr, "resources", what);
        let names = self.str_list(gr, "resourceNames", what);
        if !names.is_empty() && resources.is_empty() {
            let at = gr.key_node("resourceNames").unwrap_or(gr);
            self.err(at, format!("{what} uses `resourceNames` without `resources` (at least one resource is required)"));
        }
    }
}

impl Rule for PolicySchema {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if !is_audit_policy(obj) {
            return;
        }
        let mut c = Check {
            cx,
            obj,
            label: policy_label(obj),
        };
        c.str_list(&obj.root, "omitStages", "policy");
        c.bool_field(&obj.root, "omitManagedFields", "policy");
        let Some(rules) = obj.root.get("rules").filter(|v| !v.is_null()) else {
            return;
        };
        if !rules.is_seq() {
            c.err(rules, "`rules` must be a list".to_string());
            return;
        }
        for (i, rule) in rules.items().iter().enumerate() {
            c.rule(i, rule);
        }
    }
}
