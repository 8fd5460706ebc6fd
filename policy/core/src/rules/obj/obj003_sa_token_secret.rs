use super::model::secret_type;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Secrets of type `kubernetes.io/service-account-token`.
    ///
    /// ## Why is this bad?
    /// The token controller fills such a Secret with a service-account token that never
    /// expires and is not bound to any Pod: it stays valid until the Secret is deleted, and
    /// anyone who can read Secrets in the namespace can use it. Kubernetes stopped generating
    /// these tokens automatically (LegacyServiceAccountTokenNoAutoGeneration, GA in 1.26) and
    /// cleans up unused ones (GA in 1.30). "You should only create a service account token
    /// Secret object if you can't use the TokenRequest API to obtain a token."
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: build-robot-token
    ///   annotations: {kubernetes.io/service-account.name: build-robot}
    /// type: kubernetes.io/service-account-token
    /// ```
    ///
    /// ## Use instead
    /// A projected, expiring token in the Pod (or `kubectl create token build-robot`):
    /// ```yaml
    /// volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///         - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: build}
    /// ```
    ///
    /// ## References
    /// - [Service account token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets)
    /// - [KEP-2799: Reduction of Secret-based Service Account Tokens](https://github.com/kubernetes/enhancements/issues/2799)
    /// - Kyverno policy `deny-secret-service-account-token-type`
    pub struct ServiceAccountTokenSecret;
    id: "OBJ-003",
    title: "Long-lived service-account token Secret",
    severity: Medium,
    area: SecretData,
    cis: [],
    peers: ["KY deny-secret-service-account-token-type"],
    remediation: "Use the TokenRequest API (projected `serviceAccountToken` volumes or `kubectl create token`) instead of a token Secret.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: good-secret, namespace: ci}
type: kubernetes.io/basic-auth
stringData:
  username: admin
  password: t0p-Secret
"#,
        r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "plain", "namespace": "ci"}, "type": "Opaque"}"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata:
  name: bad-secret
  namespace: ci
  annotations:
    kubernetes.io/service-account.name: build-robot
type: kubernetes.io/service-account-token # <-
"#,
        r#"{"apiVersion": "v1", "kind": "Secret",
 "metadata": {"name": "t", "namespace": "ci", "annotations": {"kubernetes.io/service-account.name": "deployer"}},
 "type": "kubernetes.io/service-account-token"} # <-
"#,
    ],
}

impl Rule for ServiceAccountTokenSecret {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if secret_type(obj) != "kubernetes.io/service-account-token" {
            return;
        }
        let Some(node) = obj.root.get("type") else {
            return;
        };
        let sa = obj
            .annotation("kubernetes.io/service-account.name")
            .unwrap_or("?");
        cx.report(
            obj,
            node,
            format!(
                "Secret `{}` is a legacy service-account token for `{sa}`: it never expires and is not bound to a Pod",
                obj.name()
            ),
        );
    }
}
