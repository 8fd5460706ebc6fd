use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Notes each ClusterRole with an `aggregationRule`. Its effective rules are not the ones
    /// written in the manifest: the controller manager replaces them with the union of the rules
    /// of every ClusterRole whose labels match one of `clusterRoleSelectors`. The message lists
    /// the selectors. The cross-object rules (RBG-001, RBG-002, RBG-005, RBG-010) resolve the
    /// aggregation against the ClusterRoles of the input.
    ///
    /// ## Why is this bad?
    /// It is not bad in itself (the built-in `admin`, `edit` and `view` are aggregated), but a
    /// review of the manifest alone sees an empty or stale `rules` list. Any ClusterRole created
    /// later with a matching label, for example by a CRD's chart, silently adds its rights,
    /// Secret access included, to every subject bound to the aggregated role.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// metadata: {name: monitoring}
    /// aggregationRule:
    ///   clusterRoleSelectors:
    ///     - matchLabels:
    ///         rbac.example.com/aggregate-to-monitoring: "true"
    /// rules: []   # filled in by the controller manager
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Review the ClusterRoles carrying the label (and who may create such ClusterRoles),
    /// # or write the rules out in a plain ClusterRole.
    /// kind: ClusterRole
    /// metadata: {name: monitoring}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "services", "endpoints"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [Using RBAC authorization: Aggregated ClusterRoles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles)
    /// - kube-linter `findAggregatedAccesses` (resolves aggregation)
    pub struct AggregatedClusterRole;
    id: "RBAC-027",
    title: "ClusterRole gets its rules by aggregation",
    severity: Info,
    area: AccessControl,
    cis: [],
    peers: ["KL findAggregatedAccesses"],
    remediation: "Review every ClusterRole matching the selectors, and who may create such ClusterRoles.",
    kinds: ["ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-pods
  labels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
  - {apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"]}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: odd, namespace: app}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {a: b}}]
rules: []
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule: # <-
  clusterRoleSelectors:
    - matchLabels:
        rbac.example.com/aggregate-to-monitoring: "true"
rules: []
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "ops"},
 "aggregationRule": {"clusterRoleSelectors": [ # <-
   {"matchExpressions": [{"key": "team", "operator": "In", "values": ["ops", "sre"]}]}]}}
"#,
    ],
}

/// `a=b, c=d` / `team In (ops, sre)` for one label selector.
fn describe(selector: &Node<'_>) -> String {
    let labels_ok = selector.get("matchLabels").is_none_or(|n| n.is_map());
    let exprs_ok = selector.get("matchExpressions").is_none_or(|n| n.is_seq());
    if !selector.is_map() || !labels_ok || !exprs_ok {
        return "an invalid selector".to_string();
    }
    let mut parts = vec![];
    for e in selector
        .get("matchLabels")
        .map(Node::entries)
        .unwrap_or_default()
    {
        parts.push(format!(
            "{}={}",
            e.key.as_str().unwrap_or("?"),
            e.value.as_str().unwrap_or("?")
        ));
    }
    for x in selector
        .get("matchExpressions")
        .map(Node::items)
        .unwrap_or_default()
    {
        let key = x.get("key").and_then(Node::as_str).unwrap_or("?");
        let op = x.get("operator").and_then(Node::as_str).unwrap_or("?");
        let values: Vec<&str> = x
            .get("values")
            .map(|v| v.str_items().map(|(s, _)| s).collect())
            .unwrap_or_default();
        if values.is_empty() {
            parts.push(format!("{key} {op}"));
        } else {
            parts.push(format!("{key} {op} ({})", values.join(", ")));
        }
    }
    if parts.is_empty() {
        "everything".to_string()
    } else {
        parts.join(", ")
    }
}

impl Rule for AggregatedClusterRole {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(key) = obj.root.key_node("aggregationRule") else {
            return;
        };
        let selectors: Vec<String> = obj
            .root
            .at(&["aggregationRule", "clusterRoleSelectors"])
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .take(8)
            .map(|s| format!("[{}]", describe(s)))
            .collect();
        let msg = if selectors.is_empty() {
            format!(
                "ClusterRole {} has an aggregationRule without clusterRoleSelectors: the controller manager sets its rules to nothing",
                obj.name()
            )
        } else {
            format!(
                "ClusterRole {} gets its rules at runtime from every ClusterRole labelled {}: its written rules are not what it grants",
                obj.name(),
                selectors.join(" or ")
            )
        };
        cx.report(obj, key, msg);
    }
}
