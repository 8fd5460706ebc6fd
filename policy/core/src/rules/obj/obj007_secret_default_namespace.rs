use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Secrets whose manifest explicitly sets `metadata.namespace: default`, and Roles in
    /// `default` that grant access to Secrets (they exist only because Secrets live there).
    ///
    /// ## Why is this bad?
    /// The `default` namespace is where everything lands that nobody scoped: workloads,
    /// RoleBindings and users with broad read access tend to accumulate there, so a Secret in it
    /// is shared with all of them. The good-practices guide says to avoid creating Secrets in the
    /// `default` namespace. (Manifests without a namespace are not flagged: where they land
    /// depends on how they are applied.)
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// metadata: {name: db-credentials, namespace: default}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// metadata: {name: db-credentials, namespace: shop}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - Kubescape C-0212; Checkov CKV_K8S_21
    pub struct SecretInDefaultNamespace;
    id: "OBJ-007",
    title: "Secret in the default namespace",
    severity: Low,
    area: SecretData,
    cis: [],
    peers: ["KS C-0212", "CKV_K8S_21"],
    remediation: "Create the Secret in the application's own namespace.",
    kinds: ["Secret", "Role"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: default # <-
"#,
        r#"{"apiVersion": "v1", "kind": "Secret",
 "metadata": {"name": "db", "namespace": "default"}} # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default # <-
  name: secret-reader
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get"]
"#,
    ],
}

impl Rule for SecretInDefaultNamespace {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if obj.namespace() != "default" {
            return;
        }
        let Some(node) = obj.root.at(&["metadata", "namespace"]) else {
            return;
        };
        if obj.kind() == "Role" {
            let grants_secrets = crate::k8s::rbac::policy_rules(obj)
                .iter()
                .any(|r| r.matches_group("") && r.matches_resource("secrets"));
            if grants_secrets {
                cx.report(
                    obj,
                    node,
                    format!(
                        "Role `{}` grants access to Secrets in the `default` namespace: Secrets there are shared with everything deployed without a namespace; keep them in the application's own namespace",
                        obj.name()
                    ),
                );
            }
            return;
        }
        cx.report(
            obj,
            node,
            format!(
                "Secret `{}` is in the `default` namespace, shared by everything that was not given a namespace",
                obj.name()
            ),
        );
    }
}
