//! Admission: the Kubewarden `validate` contract, computed by the core so that the Wasm policy,
//! the native test host and the playground's admission preview share one code path.
//!
//! Input is Kubewarden's `ValidationRequest` (`{"request": …, "settings": …}`):
//! - **admission mode**: `request` is a Kubernetes `AdmissionRequest` (it has `operation`);
//!   `request.object` is evaluated (and `oldObject` for `only_new_findings` on UPDATE);
//! - **raw mode** (Kubewarden `policyType: raw`): `request` is the document itself (an
//!   `EncryptionConfiguration`, an audit `Policy`, a static Pod, a `kind: List` bundle), or a
//!   string holding YAML.
//!
//! The answer is Gatekeeper-style: every finding at or above `reject_at` is a violation
//! (`[RULE-ID] message`), and any violation rejects the request with code 403; findings at or
//! above `warn_at` become warnings. Bad payloads and bad settings are rejected with a message,
//! never a panic.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::finding::{Finding, Severity};
use crate::registry;
use crate::settings::Settings;
use crate::yaml::Limits;
use crate::Evaluator;

/// Longest warning, as Kubernetes recommends for admission warnings.
pub const MAX_WARNING_CHARS: usize = 120;
/// Longest rejection message (the API server truncates longer status messages anyway).
pub const MAX_MESSAGE_CHARS: usize = 4096;
/// The name given to the evaluated object in findings (it has no file).
pub const REQUEST_FILE: &str = "request";

/// What to do with a context-aware finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContextAction {
    #[default]
    Off,
    Warn,
    Reject,
}

/// Opt-in checks that ask the cluster (Kubewarden host capabilities).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContextSettings {
    /// For RoleBindings and ClusterRoleBindings, fetch the referenced Role/ClusterRole and apply
    /// the cross-object rules to it (declare `Role`/`ClusterRole` in `contextAwareResources`).
    pub resolve_role_refs: bool,
    /// For workloads, ask `can_i` whether the Pod's ServiceAccount can `list` Secrets in its
    /// namespace, and warn or reject.
    pub service_account_secret_access: ContextAction,
}

/// The policy's settings: the Kubewarden `settings` block, and the playground's settings form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicySettings {
    /// Reject when a finding is at or above this severity.
    pub reject_at: Severity,
    /// Warn (and accept) for findings at or above this severity and below `reject_at`.
    pub warn_at: Severity,
    /// Rule ids, areas or prefixes (`RBAC-*`) to run; empty means all.
    pub enable: Vec<String>,
    /// Rule ids, areas or prefixes not to run.
    pub disable: Vec<String>,
    /// Requests in these namespaces are accepted without evaluation.
    pub exempt_namespaces: Vec<String>,
    /// Requests by these users are accepted without evaluation.
    pub exempt_users: Vec<String>,
    /// Requests by members of these groups are accepted without evaluation.
    pub exempt_groups: Vec<String>,
    /// Requests by these ServiceAccounts (`namespace:name` or
    /// `system:serviceaccount:namespace:name`) are accepted without evaluation.
    pub exempt_service_accounts: Vec<String>,
    /// Whether `secrets-guard.io/ignore` annotations on the object suppress findings. Off by
    /// default: whoever creates an object must not be able to exempt it.
    pub honor_suppression_annotations: bool,
    /// On UPDATE, reject only for findings that `oldObject` did not already have.
    pub only_new_findings: bool,
    pub context_aware: ContextSettings,
    /// Bounds for hostile input. Limits left out keep the policy's defaults
    /// ([`admission_limits`]), not the CLI's.
    #[serde(deserialize_with = "admission_limits_with")]
    pub limits: Limits,
}

/// The `limits` setting: the limits it names, over [`admission_limits`].
fn admission_limits_with<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Limits, D::Error> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Given {
        max_input_bytes: Option<usize>,
        max_line_bytes: Option<usize>,
        max_document_chars: Option<usize>,
        max_depth: Option<usize>,
        max_alias_nodes: Option<usize>,
        max_documents: Option<usize>,
    }
    let g = Given::deserialize(d)?;
    let base = admission_limits();
    Ok(Limits {
        max_input_bytes: g.max_input_bytes.unwrap_or(base.max_input_bytes),
        max_line_bytes: g.max_line_bytes.unwrap_or(base.max_line_bytes),
        max_document_chars: g.max_document_chars.unwrap_or(base.max_document_chars),
        max_depth: g.max_depth.unwrap_or(base.max_depth),
        max_alias_nodes: g.max_alias_nodes.unwrap_or(base.max_alias_nodes),
        max_documents: g.max_documents.unwrap_or(base.max_documents),
    })
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            reject_at: Severity::High,
            warn_at: Severity::Medium,
            enable: vec![],
            disable: vec![],
            exempt_namespaces: vec![],
            exempt_users: vec![],
            exempt_groups: vec![],
            exempt_service_accounts: vec![],
            honor_suppression_annotations: false,
            only_new_findings: false,
            context_aware: ContextSettings::default(),
            limits: admission_limits(),
        }
    }
}

/// Tighter defaults than the CLI: an admission request is one object. The playground uses them
/// too (its settings are the policy's).
pub fn admission_limits() -> Limits {
    Limits {
        max_input_bytes: 8 * 1024 * 1024,
        // The API server sends the object as one line of JSON; it stores at most ~1.5 MiB.
        max_line_bytes: 4 * 1024 * 1024,
        max_document_chars: 8 * 1024 * 1024,
        max_depth: 64,
        max_alias_nodes: 10_000,
        max_documents: 10_000,
    }
}

impl PolicySettings {
    /// Parse settings JSON (an empty payload or `null` gives the defaults).
    pub fn from_json(bytes: &[u8]) -> Result<PolicySettings, String> {
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() || trimmed == b"null" {
            return Ok(PolicySettings::default());
        }
        let s: PolicySettings =
            serde_json::from_slice(trimmed).map_err(|e| format!("invalid settings: {e}"))?;
        s.validate()?;
        Ok(s)
    }

    /// Unknown rule ids, unknown areas, contradictions.
    pub fn validate(&self) -> Result<(), String> {
        let mut problems = vec![];
        if let Err(e) = self.core_settings().validate() {
            problems.push(e);
        }
        if self.warn_at > self.reject_at {
            problems.push(format!(
                "warn_at ({}) is above reject_at ({}): findings between them would be neither warned about nor rejected",
                self.warn_at, self.reject_at
            ));
        }
        for sa in &self.exempt_service_accounts {
            if service_account_username(sa).is_none() {
                problems.push(format!(
                    "exempt_service_accounts: `{sa}` is not `namespace:name` or `system:serviceaccount:namespace:name`"
                ));
            }
        }
        for (field, list) in [
            ("exempt_namespaces", &self.exempt_namespaces),
            ("exempt_users", &self.exempt_users),
            ("exempt_groups", &self.exempt_groups),
        ] {
            if list.iter().any(|s| s.trim().is_empty()) {
                problems.push(format!("{field}: empty entry"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// The evaluation settings these policy settings imply.
    pub fn core_settings(&self) -> Settings {
        Settings {
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            severity_overrides: BTreeMap::new(),
            exempt_namespaces: self.exempt_namespaces.clone(),
            // Everything is evaluated: findings below `warn_at` still count in the audit
            // annotations.
            min_severity: Severity::Info,
            honor_suppression_annotations: self.honor_suppression_annotations,
            limits: self.limits,
        }
    }
}

/// `namespace:name` or `system:serviceaccount:namespace:name` → the ServiceAccount's username.
fn service_account_username(s: &str) -> Option<String> {
    let rest = s.strip_prefix("system:serviceaccount:").unwrap_or(s);
    let (ns, name) = rest.split_once(':')?;
    (!ns.is_empty() && !name.is_empty() && !name.contains(':'))
        .then(|| format!("system:serviceaccount:{ns}:{name}"))
}

/// Kubewarden's `ValidationResponse`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ValidationResponse {
    pub accepted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutated_object: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_annotations: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

impl ValidationResponse {
    pub fn accept() -> Self {
        ValidationResponse {
            accepted: true,
            ..Default::default()
        }
    }

    pub fn reject(code: u16, message: impl Into<String>) -> Self {
        ValidationResponse {
            accepted: false,
            message: Some(message.into()),
            code: Some(code),
            ..Default::default()
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"accepted":false,"message":"internal error","code":500}"#.into()
        })
    }

    /// The `AdmissionReview` the API server would receive (what `kwctl run` prints).
    pub fn admission_review(&self, uid: &str) -> serde_json::Value {
        let mut response = serde_json::json!({ "uid": uid, "allowed": self.accepted });
        if !self.accepted {
            response["status"] = serde_json::json!({
                "code": self.code.unwrap_or(403),
                "message": self.message.clone().unwrap_or_default(),
            });
        }
        if let Some(w) = &self.warnings {
            response["warnings"] = serde_json::json!(w);
        }
        if let Some(a) = &self.audit_annotations {
            response["auditAnnotations"] = serde_json::json!(a);
        }
        serde_json::json!({
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "response": response,
        })
    }
}

/// Kubewarden's `SettingsValidationResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsValidationResponse {
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `validate_settings`: the settings JSON as the policy-server sends it at load time.
pub fn validate_settings(payload: &[u8]) -> SettingsValidationResponse {
    match PolicySettings::from_json(payload) {
        Ok(_) => SettingsValidationResponse {
            valid: true,
            message: None,
        },
        Err(message) => SettingsValidationResponse {
            valid: false,
            message: Some(message),
        },
    }
}

/// What the policy may ask the cluster (Kubewarden host capabilities). Implemented by the Wasm
/// adapter (waPC host calls), the test host (recorded fixtures) and the playground (the editor's
/// documents).
pub trait ClusterContext {
    /// The Role or ClusterRole as JSON text; `Ok(None)` when it does not exist.
    fn get_role(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<String>, String>;

    /// A SubjectAccessReview: may `user` (member of `groups`) do `verb` on `resource` (core
    /// group) in `namespace`?
    fn can_i(
        &mut self,
        user: &str,
        groups: &[String],
        verb: &str,
        resource: &str,
        namespace: &str,
    ) -> Result<bool, String>;
}

/// No cluster: context-aware checks report that they could not run.
pub struct NoContext;

impl ClusterContext for NoContext {
    fn get_role(&mut self, _: &str, _: Option<&str>, _: &str) -> Result<Option<String>, String> {
        Err("no cluster context available".into())
    }

    fn can_i(&mut self, _: &str, _: &[String], _: &str, _: &str, _: &str) -> Result<bool, String> {
        Err("no cluster context available".into())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UserInfo {
    username: String,
    groups: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupVersionKind {
    kind: String,
}

/// The parts of an `AdmissionRequest` the policy reads. The objects stay raw JSON text so the
/// core parses them once, with spans.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AdmissionRequest<'a> {
    operation: String,
    #[serde(default)]
    namespace: Option<String>,
    /// The object's kind (`{group, version, kind}`).
    #[serde(default)]
    kind: GroupVersionKind,
    #[serde(default, alias = "subresource")]
    sub_resource: Option<String>,
    #[serde(default)]
    user_info: UserInfo,
    #[serde(default, borrow)]
    object: Option<&'a RawValue>,
    #[serde(default, borrow)]
    old_object: Option<&'a RawValue>,
    #[serde(default)]
    dry_run: Option<bool>,
}

#[derive(Deserialize)]
struct ValidationRequest<'a> {
    #[serde(borrow)]
    request: &'a RawValue,
    #[serde(default, borrow)]
    settings: Option<&'a RawValue>,
}

/// Subresources whose requests carry an object the rules judge.
const EVALUATED_SUBRESOURCES: &[&str] = &["ephemeralcontainers"];

/// `validate`: the whole Kubewarden contract.
pub fn validate(payload: &[u8], ctx: &mut dyn ClusterContext) -> ValidationResponse {
    let req: ValidationRequest<'_> = match serde_json::from_slice(payload) {
        Ok(r) => r,
        Err(e) => {
            return ValidationResponse::reject(400, format!("invalid ValidationRequest: {e}"))
        }
    };
    let settings = match req.settings {
        Some(raw) => match PolicySettings::from_json(raw.get().as_bytes()) {
            Ok(s) => s,
            Err(e) => return ValidationResponse::reject(400, e),
        },
        None => PolicySettings::default(),
    };
    validate_with(req.request.get(), &settings, ctx)
}

/// `validate` with settings already parsed (the playground's preview).
pub fn validate_with(
    request_json: &str,
    settings: &PolicySettings,
    ctx: &mut dyn ClusterContext,
) -> ValidationResponse {
    let value_start = request_json.trim_start();
    if value_start.starts_with('"') {
        // Raw mode with YAML text.
        return match serde_json::from_str::<String>(request_json) {
            Ok(text) => evaluate_raw(&text, settings),
            Err(e) => ValidationResponse::reject(400, format!("invalid request string: {e}")),
        };
    }
    if !value_start.starts_with('{') {
        return ValidationResponse::reject(
            400,
            "invalid request: expected an object (AdmissionRequest or raw document)",
        );
    }
    // An AdmissionRequest has an `operation`; anything else is a raw document.
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        operation: Option<serde_json::Value>,
        #[serde(default)]
        uid: Option<serde_json::Value>,
    }
    let is_admission = match serde_json::from_str::<Probe>(request_json) {
        Ok(p) => p.operation.is_some() || p.uid.is_some(),
        Err(e) => return ValidationResponse::reject(400, format!("invalid request: {e}")),
    };
    if !is_admission {
        return evaluate_raw(request_json, settings);
    }
    let req: AdmissionRequest<'_> = match serde_json::from_str(request_json) {
        Ok(r) => r,
        Err(e) => return ValidationResponse::reject(400, format!("invalid AdmissionRequest: {e}")),
    };
    evaluate_admission(&req, settings, ctx)
}

fn evaluate_raw(text: &str, settings: &PolicySettings) -> ValidationResponse {
    let core = settings.core_settings();
    let mut ev = Evaluator::new(&core);
    ev.add_source(REQUEST_FILE, text);
    let report = ev.finish();
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| format!("line {}:{}: {}", e.line, e.column, e.message))
        .collect();
    if report.summary.objects == 0 && !errors.is_empty() {
        return ValidationResponse::reject(400, format!("invalid document: {}", errors.join("; ")));
    }
    let mut resp = verdict(&report.findings, &BTreeSet::new(), settings);
    if !errors.is_empty() {
        let w = resp.warnings.get_or_insert_with(Vec::new);
        for e in errors {
            w.push(truncate(&format!("input error: {e}"), MAX_WARNING_CHARS));
        }
    }
    resp
}

fn is_exempt(req: &AdmissionRequest<'_>, settings: &PolicySettings) -> Option<String> {
    let ns = req.namespace.as_deref().unwrap_or("");
    if !ns.is_empty() && settings.exempt_namespaces.iter().any(|e| e == ns) {
        return Some(format!("namespace {ns}"));
    }
    let user = &req.user_info.username;
    if settings.exempt_users.iter().any(|u| u == user) {
        return Some(format!("user {user}"));
    }
    if let Some(g) = req
        .user_info
        .groups
        .iter()
        .find(|g| settings.exempt_groups.contains(g))
    {
        return Some(format!("group {g}"));
    }
    if settings
        .exempt_service_accounts
        .iter()
        .filter_map(|s| service_account_username(s))
        .any(|u| &u == user)
    {
        return Some(format!("service account {user}"));
    }
    None
}

fn evaluate_admission(
    req: &AdmissionRequest<'_>,
    settings: &PolicySettings,
    ctx: &mut dyn ClusterContext,
) -> ValidationResponse {
    match req.operation.as_str() {
        "CREATE" | "UPDATE" => {}
        "DELETE" | "CONNECT" => return ValidationResponse::accept(),
        other => {
            return ValidationResponse::reject(
                400,
                format!("invalid AdmissionRequest: unknown operation `{other}`"),
            )
        }
    }
    if let Some(sub) = req.sub_resource.as_deref().filter(|s| !s.is_empty()) {
        if !EVALUATED_SUBRESOURCES.contains(&sub) {
            return ValidationResponse::accept();
        }
    }
    if let Some(why) = is_exempt(req, settings) {
        let mut r = ValidationResponse::accept();
        r.audit_annotations = Some(BTreeMap::from([(
            "secrets-guard.io/exempt".to_string(),
            why,
        )]));
        return r;
    }
    let Some(object) = req.object.filter(|o| o.get() != "null") else {
        return ValidationResponse::reject(400, "invalid AdmissionRequest: `object` is missing");
    };
    let mut core = settings.core_settings();
    let mut notes = vec![];

    // Context: the roles a binding refers to, fetched from the cluster.
    let mut extra_docs: Vec<String> = vec![];
    let is_binding = matches!(req.kind.kind.as_str(), "RoleBinding" | "ClusterRoleBinding");
    if is_binding {
        let mut role_known = false;
        if settings.context_aware.resolve_role_refs {
            if let Some((rkind, rname)) = role_ref(object.get()) {
                let ns = (rkind == "Role").then(|| req.namespace.as_deref().unwrap_or("default"));
                if crate::k8s::rbac::is_builtin_cluster_role(&rname) && rkind == "ClusterRole" {
                    role_known = true;
                } else {
                    match ctx.get_role(&rkind, ns, &rname) {
                        Ok(Some(doc)) => {
                            extra_docs.push(doc);
                            role_known = true;
                        }
                        Ok(None) => role_known = true, // really missing: RBG-007 may report it
                        Err(e) => notes.push(truncate(
                            &format!("context: could not fetch {rkind} {rname}: {e}"),
                            MAX_WARNING_CHARS,
                        )),
                    }
                }
            }
        }
        if !role_known {
            // Without the cluster's view, a role missing from this single object says nothing.
            core.disable.push("RBG-007".into());
        }
    }
    // Absence-based rules judge a repository, not one object; OBJ-001 ("Secret manifest with
    // values committed to version control") is a repository check too: at admission every
    // Secret carries its values, so it would reject every Secret.
    for id in ["RBG-008", "RBG-009", "WL-013", "OBJ-001"] {
        core.disable.push(id.into());
    }

    let (report, service_account) = evaluate_object(object.get(), &extra_docs, &core);
    if report.summary.objects == 0 {
        let why = report
            .errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_else(|| "not a Kubernetes object".into());
        return ValidationResponse::reject(400, format!("invalid object: {why}"));
    }
    let mut findings: Vec<Finding> = report
        .findings
        .into_iter()
        .filter(|f| f.file == REQUEST_FILE)
        .collect();

    // Context: can the workload's ServiceAccount list Secrets?
    if settings.context_aware.service_account_secret_access != ContextAction::Off {
        if let Some(sa) = service_account.as_deref() {
            let ns = req.namespace.as_deref().unwrap_or("default");
            let user = format!("system:serviceaccount:{ns}:{sa}");
            let groups = vec![
                "system:serviceaccounts".to_string(),
                format!("system:serviceaccounts:{ns}"),
                "system:authenticated".to_string(),
            ];
            match ctx.can_i(&user, &groups, "list", "secrets", ns) {
                Ok(true) => findings.push(context_finding(settings, &user, ns)),
                Ok(false) => {}
                Err(e) => notes.push(truncate(
                    &format!("context: can_i for {user} failed: {e}"),
                    MAX_WARNING_CHARS,
                )),
            }
        }
    }

    // only_new_findings: what oldObject already had does not reject.
    let mut known = BTreeSet::new();
    if settings.only_new_findings && req.operation == "UPDATE" {
        if let Some(old) = req.old_object.filter(|o| o.get() != "null") {
            let (old_report, _) = evaluate_object(old.get(), &extra_docs, &core);
            known = old_report
                .findings
                .iter()
                .filter(|f| f.file == REQUEST_FILE)
                .map(finding_key)
                .collect();
        }
    }
    let mut resp = verdict(&findings, &known, settings);
    if !notes.is_empty() {
        resp.warnings.get_or_insert_with(Vec::new).extend(notes);
    }
    if req.dry_run == Some(true) {
        // Same verdict; the audit trail says it was a dry run.
        resp.audit_annotations
            .get_or_insert_with(BTreeMap::new)
            .insert("secrets-guard.io/dry-run".into(), "true".into());
    }
    resp
}

/// Evaluate the request's object (with context documents), and return the ServiceAccount of its
/// Pod spec when it is a workload, read from the same parse.
fn evaluate_object(
    object_json: &str,
    extra_docs: &[String],
    core: &Settings,
) -> (crate::Report, Option<String>) {
    let mut ev = Evaluator::new(core);
    let mut service_account = None;
    ev.add_source_inspect(REQUEST_FILE, object_json, &mut |obj| {
        if let Some(spec) = crate::k8s::workload::pod_spec(obj) {
            service_account = Some(crate::k8s::workload::service_account_name(spec).to_string());
        }
    });
    for (i, doc) in extra_docs.iter().enumerate() {
        ev.add_source(&format!("<cluster:{i}>"), doc);
    }
    (ev.finish(), service_account)
}

fn context_finding(settings: &PolicySettings, user: &str, ns: &str) -> Finding {
    let meta = registry::find("RBG-005").map(|r| r.meta());
    let severity = match settings.context_aware.service_account_secret_access {
        ContextAction::Reject => settings.reject_at,
        _ => settings.warn_at,
    };
    Finding {
        rule: meta.map(|m| m.id).unwrap_or("RBG-005"),
        title: meta.map(|m| m.title).unwrap_or("ServiceAccount that can read Secrets"),
        severity,
        area: crate::Area::AccessControl,
        message: format!("the Pod's ServiceAccount {user} can list Secrets in namespace {ns} (SubjectAccessReview)"),
        file: REQUEST_FILE.into(),
        line: 0,
        column: 0,
        end_line: 0,
        end_column: 0,
        path: "/spec".into(),
        document: 0,
        object: Default::default(),
        remediation: meta.map(|m| m.remediation).unwrap_or("").into(),
        suppressed: false,
        suppression_reason: None,
        fix: None,
        item: None,
    }
}

/// A finding's identity across versions of an object (line numbers change, paths and messages
/// mostly do not).
fn finding_key(f: &Finding) -> (String, String, String) {
    (f.rule.to_string(), f.path.clone(), f.message.clone())
}

/// The Gatekeeper-style verdict for a set of findings.
pub fn verdict(
    findings: &[Finding],
    already_present: &BTreeSet<(String, String, String)>,
    settings: &PolicySettings,
) -> ValidationResponse {
    let mut violations: Vec<String> = vec![];
    let mut warnings: Vec<String> = vec![];
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut rules: BTreeSet<&str> = BTreeSet::new();
    for f in findings.iter().filter(|f| !f.suppressed) {
        *counts.entry(f.severity).or_default() += 1;
        rules.insert(f.rule);
        let line = format!("[{}] {}", f.rule, f.message);
        if f.severity >= settings.reject_at && !already_present.contains(&finding_key(f)) {
            if !violations.contains(&line) {
                violations.push(line);
            }
        } else if f.severity >= settings.warn_at {
            let w = truncate(&line, MAX_WARNING_CHARS);
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    }
    let mut annotations = BTreeMap::new();
    if !counts.is_empty() {
        let summary: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|s| counts.get(s).map(|n| format!("{s}={n}")))
            .collect();
        annotations.insert("secrets-guard.io/findings".to_string(), summary.join(","));
        annotations.insert(
            "secrets-guard.io/rules".to_string(),
            rules.into_iter().collect::<Vec<_>>().join(","),
        );
    }
    let suppressed = findings.iter().filter(|f| f.suppressed).count();
    if suppressed > 0 {
        annotations.insert(
            "secrets-guard.io/suppressed".to_string(),
            suppressed.to_string(),
        );
    }
    let mut resp = if violations.is_empty() {
        ValidationResponse::accept()
    } else {
        ValidationResponse::reject(403, truncate(&violations.join("; "), MAX_MESSAGE_CHARS))
    };
    if !warnings.is_empty() {
        resp.warnings = Some(warnings);
    }
    if !annotations.is_empty() {
        resp.audit_annotations = Some(annotations);
    }
    resp
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn role_ref(object_json: &str) -> Option<(String, String)> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct B {
        role_ref: Option<R>,
    }
    #[derive(Deserialize)]
    struct R {
        kind: Option<String>,
        name: Option<String>,
    }
    let r = serde_json::from_str::<B>(object_json).ok()?.role_ref?;
    Some((r.kind?, r.name?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_ROLE: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"namespace":"default","name":"secret-reader"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","list","watch"]}]}"#;

    fn request(op: &str, object: &str, extra: &str) -> String {
        format!(
            r#"{{"request":{{"uid":"1","kind":{{"group":"rbac.authorization.k8s.io","version":"v1","kind":"Role"}},"operation":"{op}","namespace":"default","userInfo":{{"username":"alice","groups":["dev"]}},"object":{object}{extra}}},"settings":{{}}}}"#
        )
    }

    #[test]
    fn seed_role_is_rejected_with_rule_ids() {
        let r = validate(request("CREATE", SEED_ROLE, "").as_bytes(), &mut NoContext);
        assert!(!r.accepted);
        assert_eq!(r.code, Some(403));
        let msg = r.message.unwrap();
        assert!(msg.starts_with("[RBAC-001] "), "{msg}");
        assert_eq!(msg.matches("[RBAC-001]").count(), 2, "{msg}");
        let warnings = r.warnings.unwrap();
        assert!(
            warnings.iter().any(|w| w.starts_with("[RBAC-002]")),
            "{warnings:?}"
        );
        assert!(warnings
            .iter()
            .all(|w| w.chars().count() <= MAX_WARNING_CHARS));
        let ann = r.audit_annotations.unwrap();
        assert_eq!(ann["secrets-guard.io/findings"], "high=2,medium=1,low=1");
    }

    #[test]
    fn delete_connect_and_exemptions_accept() {
        assert!(validate(request("DELETE", "null", "").as_bytes(), &mut NoContext).accepted);
        let exempt = request("CREATE", SEED_ROLE, "").replace(
            r#""settings":{}"#,
            r#""settings":{"exempt_users":["alice"]}"#,
        );
        let r = validate(exempt.as_bytes(), &mut NoContext);
        assert!(r.accepted);
        assert_eq!(
            r.audit_annotations.unwrap()["secrets-guard.io/exempt"],
            "user alice"
        );
    }

    #[test]
    fn only_new_findings_on_update() {
        let settings = r#""settings":{"only_new_findings":true}"#;
        let old = format!(r#","oldObject":{SEED_ROLE}"#);
        let req = request("UPDATE", SEED_ROLE, &old).replace(r#""settings":{}"#, settings);
        let r = validate(req.as_bytes(), &mut NoContext);
        assert!(r.accepted, "{r:?}");
    }

    #[test]
    fn raw_documents_and_yaml_strings() {
        let raw = r#"{"request":{"apiVersion":"apiserver.config.k8s.io/v1","kind":"EncryptionConfiguration","resources":[{"resources":["secrets"],"providers":[{"kms":{"name":"my-kms-provider","endpoint":"kms.example.com:12345","cachesize":100}},{"identity":{}}]}]}}"#;
        let r = validate(raw.as_bytes(), &mut NoContext);
        assert!(!r.accepted);
        let msg = r.message.unwrap();
        assert!(
            msg.contains("[ENC-007]") && msg.contains("[ENC-008]"),
            "{msg}"
        );
        let yaml = serde_json::json!({"request": "apiVersion: auditregistration.k8s.io/v1\nkind: AuditSink\nmetadata: {name: s}\n"}).to_string();
        let r = validate(yaml.as_bytes(), &mut NoContext);
        assert!(r.message.unwrap().contains("[AUD-015]"));
    }

    #[test]
    fn malformed_payloads_and_settings_are_clean_rejections() {
        for bad in [
            "",
            "not json",
            "[]",
            r#"{"request": 3}"#,
            r#"{"request": {"operation": "CREATE"}}"#,
            r#"{"request": {"operation": 7}}"#,
        ] {
            let r = validate(bad.as_bytes(), &mut NoContext);
            assert!(!r.accepted, "{bad}");
            assert_eq!(r.code, Some(400), "{bad}: {r:?}");
        }
        let v = validate_settings(br#"{"reject_at": "severe"}"#);
        assert!(!v.valid && v.message.unwrap().contains("severe"));
        let v = validate_settings(br#"{"warn_at": "critical", "reject_at": "medium"}"#);
        assert!(!v.valid && v.message.unwrap().contains("warn_at"));
        let v = validate_settings(br#"{"disable": ["RBAC-999"]}"#);
        assert!(!v.valid && v.message.unwrap().contains("RBAC-999"));
        assert!(validate_settings(b"{}").valid);
        assert!(validate_settings(b"").valid);
        let v = validate_settings(br#"{"limits": {"max_line_bytes": 0}}"#);
        assert_eq!(
            v.message.as_deref(),
            Some("limits must be positive: max_line_bytes is 0")
        );
        let v = validate_settings(br#"{"limits": {"max_lines": 3}}"#);
        assert!(!v.valid && v.message.unwrap().contains("max_lines"));
    }

    #[test]
    fn limits_left_out_keep_the_policy_defaults() {
        let s = PolicySettings::from_json(br#"{"limits": {"max_depth": 10}}"#).unwrap();
        assert_eq!(
            s.limits,
            Limits {
                max_depth: 10,
                ..admission_limits()
            }
        );
        assert_eq!(
            PolicySettings::from_json(b"{}").unwrap().limits,
            admission_limits()
        );
    }
}
