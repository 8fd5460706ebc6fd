use std::collections::HashMap;

use crate::k8s::access::Scope;
use crate::k8s::who_can::{How, Traced};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Follows the who-can access graph (the one `secrets-guard who-can` prints) and reports
    /// each binding subject that can *become* able to read Secrets, in a scope where it cannot
    /// read them already: by `escalate` on roles, `impersonate` (ServiceAccounts; users and
    /// groups cluster-wide), `create` on `serviceaccounts/token`, `create` on `secrets` (a
    /// `kubernetes.io/service-account-token` Secret receives the token of any ServiceAccount of
    /// the namespace), CSR approval or admission webhook configuration writes (cluster-wide),
    /// or the two-step chain *create/update bindings* + `bind` on a role that reads Secrets
    /// (the role named by `resourceNames`, or built-in `cluster-admin` when `bind` is
    /// unrestricted). The message gives the scope and the evidence path of the first way, and
    /// how many more there are.
    ///
    /// A subject that already reads every Secret of the scope directly (RBG-001) is not
    /// reported again for that scope. Creating bindings without `bind`, or `bind` alone, grants
    /// nothing new and is not reported. `nodes/proxy` is an exec path, reported by RBG-003.
    ///
    /// ## Why is this bad?
    /// Each of these permissions is one step away from reading Secrets: the apiserver's
    /// "cannot grant more than you hold" check is bypassed by `escalate` and `bind`,
    /// impersonation and minted tokens hand over another identity's rights, and an approved CSR
    /// or a webhook sees what the cluster's components see. Single roles look harmless; only the
    /// bindings show who holds the whole chain.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// metadata: {name: token-minter, namespace: app}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     verbs: ["create"]
    /// ---
    /// kind: RoleBinding
    /// metadata: {name: ci, namespace: app}
    /// subjects: [{kind: ServiceAccount, name: ci, namespace: ci}]
    /// roleRef: {kind: Role, name: token-minter}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Give CI its own ServiceAccount's token (projected, short-lived) and the exact
    /// # rights it needs, instead of the power to mint tokens for every account.
    /// kind: Role
    /// metadata: {name: deployer, namespace: app}
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "patch"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Privilege escalation risks](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks)
    /// - [Using RBAC authorization: Restrictions on role creation or update](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update)
    /// - CIS Kubernetes Benchmark 5.1.8, 5.1.11, 5.1.12, 5.1.13
    pub struct EscalationClosure;
    id: "RBG-004",
    title: "Subject can escalate to reading Secrets",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.8", "5.1.11", "5.1.12", "5.1.13"],
    peers: ["TRV KSV-0050", "TRV KSV-0051", "TRV KSV-0052", "CKV2_K8S_1", "CKV2_K8S_3"],
    remediation: "Remove escalation verbs (escalate, bind with binding writes, impersonate, token and Secret creation, CSR approval, webhook writes) from subjects that must not read Secrets.",
    kinds: [],
    pass: [
        // Dead ends: binding writes without `bind`; `bind` on a role that reads no Secrets.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-lister}
rules:
  - {apiGroups: [""], resources: [pods], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: binder, namespace: app}
rules:
  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create, update]}
  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [pod-lister], verbs: [bind]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-binder, namespace: app}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}
"#,
        // cluster-admin reads every Secret already: its escalation verbs add nothing (RBG-001);
        // impersonating users through a RoleBinding grants nothing (cluster-scoped resource).
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
subjects: [{kind: Group, name: platform-admins, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: user-impersonator}
rules:
  - {apiGroups: [""], resources: [users, groups], verbs: [impersonate]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: imp, namespace: app}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: user-impersonator}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci, namespace: app}
subjects:
  - kind: ServiceAccount # <-
    name: ci
    namespace: ci
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: token-minter}
"#,
        // The chain: create rolebindings + unrestricted bind on clusterroles (cluster-admin).
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules:
  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}
  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: team-binder, namespace: team}
subjects:
  - {kind: Group, name: team-leads, apiGroup: rbac.authorization.k8s.io} # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}
"#,
        // Reads Secrets in one namespace, escalates cluster-wide: reported for the wider scope.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonator}
rules:
  - {apiGroups: [""], resources: [users, groups, serviceaccounts], verbs: [impersonate]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: support}
subjects:
  - {kind: User, name: support-bot, apiGroup: rbac.authorization.k8s.io} # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: support-edit, namespace: tickets}
subjects:
  - {kind: User, name: support-bot, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
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

impl Rule for EscalationClosure {
    rule_meta!();

    fn check_inventory(&self, _inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        let graph = access.who_can();
        // Where each subject already reads every Secret.
        let mut direct: Vec<Vec<&Scope>> = vec![vec![]; graph.subjects().len()];
        for t in graph.entries() {
            if t.how() == How::Direct && !t.is_limited() {
                if let Some(held) = direct.get_mut(t.subject_id().index()) {
                    held.push(t.scope());
                }
            }
        }
        // Escalation entries not already covered, grouped by the binding subject they start
        // from, in graph order: the first way, the first cluster-wide way, how many.
        struct Group<'g, 'i> {
            first: Traced<'g, 'i>,
            first_cluster: Option<Traced<'g, 'i>>,
            ways: usize,
        }
        let mut groups: Vec<Group<'_, '_>> = vec![];
        let mut index: HashMap<*const Node<'static>, usize> = HashMap::new();
        for t in graph.entries() {
            if t.how() != How::Escalation
                || direct
                    .get(t.subject_id().index())
                    .is_some_and(|held| covered(t.scope(), held))
            {
                continue;
            }
            let cluster = t.scope().is_cluster().then_some(t);
            let key = t.subject_node() as *const Node<'static>;
            match index.get(&key).and_then(|&i| groups.get_mut(i)) {
                Some(g) => {
                    g.ways += 1;
                    g.first_cluster = g.first_cluster.or(cluster);
                }
                None => {
                    index.insert(key, groups.len());
                    groups.push(Group {
                        first: t,
                        first_cluster: cluster,
                        ways: 1,
                    });
                }
            }
        }
        for group in groups {
            // The widest scope first: a cluster-wide way, else the first one.
            let shown = group.first_cluster.unwrap_or(group.first);
            let more = match group.ways {
                1 => String::new(),
                n => format!(" (and {} more way(s))", n - 1),
            };
            let msg = format!(
                "{} can escalate to reading Secrets {}: {}{more}",
                shown.subject(),
                shown.scope(),
                shown.path()
            );
            let loc = shown.binding().locate(shown.subject_node());
            cx.report_at(loc, &shown.binding().oref, msg);
        }
    }
}
