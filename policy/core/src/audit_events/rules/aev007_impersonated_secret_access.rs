use super::{outcome, Hit};
use crate::audit_events::event::Event;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a request on core-group `secrets` made with impersonation (`impersonatedUser` set), naming
    /// the authenticated user, the impersonated user and groups. The access summary lists such requests
    /// as `<user> as <impersonated>`.
    ///
    /// ## Why is this bad?
    /// The authenticated user reached Secrets with someone else's rights, possibly rights it does not
    /// hold itself ("Impersonate verb" in the RBAC good practices).
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"get","user":{"username":"alice"},"impersonatedUser":{"username":"bob","groups":["ops"]},"objectRef":{"resource":"secrets","namespace":"app","name":"db"},"responseStatus":{"code":200}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Give alice the access she needs directly, and no `impersonate` verb.
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Impersonate verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb)
    pub struct ImpersonatedSecretAccess;
    id: "AEV-007",
    title: "Impersonation used to reach Secrets",
    severity: High,
    area: Audit,
    cis: ["5.1.8"],
    peers: [],
    remediation: "Restrict `impersonate` (RBAC-009) to the few identities that need it, and check this use.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"alice","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","impersonatedUser":{"username":"bob"}}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"alice","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"alice","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","impersonatedUser":{"username":"bob","groups":["ops"]}} # <-
"#,
    ],
}

/// **AEV-007** (high): a request on Secrets made with impersonation (`impersonatedUser`
/// set): the authenticated user reached Secrets as someone else.
pub fn aev_007(e: &Event) -> Hit {
    let imp = e.impersonated_user.as_ref()?;
    if !e.is_secrets() {
        return None;
    }
    let groups = if imp.groups.is_empty() {
        String::new()
    } else {
        format!(" (groups {})", imp.groups.join(", "))
    };
    Some((
        "AEV-007",
        format!(
            "{} impersonated {}{groups} to {} secret {} ({})",
            e.user.username,
            imp.username,
            e.verb,
            e.secret_label(),
            outcome(e)
        ),
    ))
}
