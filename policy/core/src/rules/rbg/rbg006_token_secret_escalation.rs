use crate::k8s::access::Scope;
use crate::k8s::who_can::{How, Identity, Traced};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// For each legacy `kubernetes.io/service-account-token` Secret of the input (the
    /// ServiceAccount named by its `kubernetes.io/service-account.name` annotation), compares
    /// two sets from the who-can access graph: where that ServiceAccount can reach Secret
    /// values (directly, through Pods, or by escalation; bindings to the account itself, its
    /// user name and the `system:serviceaccounts[:<ns>]` groups all count), and where each
    /// subject that can read the token Secret (`get`/`list`/`watch` on Secrets of its
    /// namespace, or on that Secret by name) already reaches Secrets. It reports the token
    /// Secret when some reader would gain a scope through the token, naming the first such
    /// reader, the ServiceAccount's wider scope and both evidence paths.
    ///
    /// ## Why is this bad?
    /// A legacy token Secret holds a long-lived bearer token. Whoever can read Secrets in its
    /// namespace can read the token and then act as the ServiceAccount, so read access to
    /// Secrets of one namespace becomes everything that account can do: "viewing secrets at
    /// the namespace scope can lead to escalation".
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// type: kubernetes.io/service-account-token
    /// metadata:
    ///   name: deployer-token
    ///   namespace: app
    ///   annotations: {kubernetes.io/service-account.name: deployer}
    /// # deployer is bound to cluster-admin; group developers can read Secrets in app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Delete the token Secret and let Pods use projected, short-lived tokens
    /// # (the default since 1.22), or keep powerful ServiceAccounts in a namespace
    /// # where nobody else can read Secrets.
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: deployer, namespace: app}
    /// ```
    ///
    /// ## References
    /// - [Secrets: Service account token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets)
    /// - [RBAC good practices: Listing secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    /// - Trivy KSV-0041 / KSV-0113 descriptions
    pub struct TokenSecretEscalation;
    id: "RBG-006",
    title: "Secret readers can take a more powerful ServiceAccount's token",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: [],
    remediation: "Delete legacy service-account-token Secrets (use projected tokens), or keep them away from namespaces whose Secrets others can read.",
    kinds: [],
    pass: [
        // The account reaches nothing beyond what the readers of its namespace already have.
        r#"
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: builder-token
  namespace: app
  annotations: {kubernetes.io/service-account.name: builder}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: app}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: app}
subjects:
  - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}
  - {kind: ServiceAccount, name: builder}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
"#,
        // A powerful account, but nobody else can read the token Secret (limited to another name).
        r#"
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: deployer-token
  namespace: app
  annotations: {kubernetes.io/service-account.name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer}
subjects: [{kind: ServiceAccount, name: deployer, namespace: app}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-secret, namespace: app}
rules:
  - {apiGroups: [""], resources: [secrets], resourceNames: [app-config], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: one-secret, namespace: app}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-secret}
"#,
    ],
    fail: [
        r#"
apiVersion: v1 # <-
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: deployer-token
  namespace: app
  annotations: {kubernetes.io/service-account.name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer}
subjects: [{kind: ServiceAccount, name: deployer, namespace: app}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: developers, namespace: app}
subjects: [{kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
"#,
        // The account can create Pods in another namespace (implicit reach of its Secrets);
        // the reader may get the token Secret by name.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-reader, namespace: ci}
rules:
  - {apiGroups: [""], resources: [secrets], resourceNames: [runner-token], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: token-reader, namespace: ci}
subjects: [{kind: User, name: intern, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: token-reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: runner-deploys, namespace: prod}
subjects: [{kind: ServiceAccount, name: runner, namespace: ci}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
---
{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token", # <-
 "metadata": {"name": "runner-token", "namespace": "ci",
              "annotations": {"kubernetes.io/service-account.name": "runner"}}}
"#,
    ],
}

/// Whether `scope` is inside one of `held`.
fn covered(scope: &Scope, held: &[&Scope]) -> bool {
    held.iter().any(|h| match (h, scope) {
        (Scope::Cluster, _) => true,
        (Scope::Namespace(a), Scope::Namespace(b)) => a == b,
        (Scope::Namespace(_), Scope::Cluster) => false,
    })
}

/// Whether a direct entry lets its subject read Secret `name` of namespace `ns`.
fn reads(t: &Traced<'_, '_>, ns: &str, name: &str) -> bool {
    t.how() == How::Direct
        && t.scope().covers(ns)
        && (!t.is_limited() || t.secrets().iter().any(|s| s == name))
}

impl Rule for TokenSecretEscalation {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        let tokens: Vec<_> = inv
            .secrets
            .iter()
            .filter(|s| s.secret_type == "kubernetes.io/service-account-token")
            .filter_map(|s| Some((s, s.service_account.as_deref()?)))
            .filter(|(_, sa)| !sa.is_empty())
            .collect();
        if tokens.is_empty() {
            return;
        }
        let graph = access.who_can();
        // Where each subject reaches every Secret (any way), built on first need.
        let mut held_by: Option<Vec<Vec<&Scope>>> = None;
        for (secret, sa) in tokens {
            let ns = secret.namespace.as_str();
            let name = secret.object.name.as_deref().unwrap_or("");
            let account = Identity {
                user: format!("system:serviceaccount:{ns}:{sa}"),
                groups: vec![],
            };
            let reach: Vec<Traced<'_, '_>> = graph
                .reach(&account)
                .into_iter()
                .filter(|t| !t.is_limited())
                .collect();
            if reach.is_empty() {
                continue;
            }
            let is_account: Vec<bool> = graph
                .subjects()
                .iter()
                .map(|s| account.matches(s))
                .collect();
            // Readers of the token other than the account itself, in graph order.
            let mut readers: Vec<Traced<'_, '_>> = graph
                .entries()
                .filter(|t| {
                    reads(t, ns, name)
                        && !is_account
                            .get(t.subject_id().index())
                            .copied()
                            .unwrap_or(false)
                })
                .collect();
            readers.dedup_by(|a, b| a.subject_id() == b.subject_id());
            let held_by = held_by.get_or_insert_with(|| {
                let mut m: Vec<Vec<&Scope>> = vec![vec![]; graph.subjects().len()];
                for t in graph.entries().filter(|t| !t.is_limited()) {
                    if let Some(held) = m.get_mut(t.subject_id().index()) {
                        held.push(t.scope());
                    }
                }
                m
            });
            let mut gains: Vec<(Traced<'_, '_>, Traced<'_, '_>)> = vec![];
            for reader in readers {
                let held = held_by
                    .get(reader.subject_id().index())
                    .map_or(&[][..], Vec::as_slice);
                let wider = reach
                    .iter()
                    .filter(|t| !covered(t.scope(), held))
                    .min_by_key(|t| !t.scope().is_cluster());
                if let Some(w) = wider {
                    if !gains
                        .iter()
                        .any(|(r, _)| r.subject_id() == reader.subject_id())
                    {
                        gains.push((reader, *w));
                    }
                }
            }
            let Some((reader, wider)) = gains.first() else {
                continue;
            };
            let more = match gains.len() {
                1 => String::new(),
                n => format!(" (and {} more reader(s))", n - 1),
            };
            let msg = format!(
                "Secret {ns}/{name} holds the token of ServiceAccount {ns}/{sa}, which can reach \
                 Secrets {} ({}: {}); {} can read this Secret and so act as it: {}{more}",
                wider.scope(),
                wider.how(),
                wider.path(),
                reader.subject(),
                reader.path()
            );
            cx.report_at(secret.location.clone(), &secret.object, msg);
        }
    }
}
