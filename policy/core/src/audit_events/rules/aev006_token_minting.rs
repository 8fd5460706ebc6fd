use super::{outcome, Hit};
use crate::audit_events::event::Event;
use crate::declare_rule;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Reports a `create` on the `token` subresource of `serviceaccounts` (TokenRequest), and a
    /// `create` of a Secret of type `kubernetes.io/service-account-token` (the type is visible only
    /// when the request body is logged, level `Request` or higher).
    ///
    /// ## Why is this bad?
    /// Minting a token for another ServiceAccount is the usual next step after gaining Secret or
    /// ServiceAccount rights: the token carries every permission of that account.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"create","user":{"username":"ci-bot"},"objectRef":{"resource":"serviceaccounts","namespace":"app","name":"builder","subresource":"token"},"responseStatus":{"code":201}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Let Pods get their own tokens through projected volumes; do not grant
    /// # `create` on serviceaccounts/token to people or CI.
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Token request](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request)
    /// - [Secrets: Service account token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets)
    pub struct TokenMinting;
    id: "AEV-006",
    title: "Token minting",
    severity: Medium,
    area: Audit,
    cis: ["5.1.13"],
    peers: [],
    remediation: "Check that the requester is expected to issue tokens for that ServiceAccount; restrict `create` on `serviceaccounts/token` and on Secrets (RBAC-010, RBAC-006).",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"ci","groups":["system:authenticated"]},"objectRef":{"resource":"serviceaccounts","namespace":"app","name":"b","subresource":"token"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"ci","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","requestObject":{"kind":"Secret","metadata":{"name":"o"},"type":"Opaque"}}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"ci","groups":["system:authenticated"]},"objectRef":{"resource":"serviceaccounts","namespace":"app","name":"b","subresource":"token"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"ci","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","requestObject":{"kind":"Secret","metadata":{"name":"t"},"type":"kubernetes.io/service-account-token"}} # <-
"#,
    ],
}

/// **AEV-006** (medium): token minting. A `create` on `serviceaccounts/token` (TokenRequest),
/// or a `create` of a Secret of type `kubernetes.io/service-account-token` (the type is visible
/// only when the request body is logged, level Request or higher).
pub fn aev_006(e: &Event) -> Hit {
    if e.verb != "create" {
        return None;
    }
    let obj = e.object_ref.as_ref()?;
    if obj.resource == "serviceaccounts" && obj.subresource == "token" && obj.api_group.is_empty() {
        return Some((
            "AEV-006",
            format!(
                "{} requested a token for service account {} ({})",
                e.user.username,
                e.secret_label(),
                outcome(e)
            ),
        ));
    }
    let token_type = e
        .request_object
        .as_ref()
        .and_then(|r| r.get("type"))
        .and_then(Value::as_str)
        == Some("kubernetes.io/service-account-token");
    if e.is_secrets() && token_type {
        let name = e
            .request_object
            .as_ref()
            .and_then(|r| r.pointer("/metadata/name"))
            .and_then(Value::as_str)
            .unwrap_or(obj.name.as_str());
        let label = if obj.namespace.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", obj.namespace)
        };
        return Some((
            "AEV-006",
            format!(
                "{} created service-account-token secret {label} ({})",
                e.user.username,
                outcome(e)
            ),
        ));
    }
    None
}
