//! A native waPC host for Kubewarden policies: the engine the policy-server uses (`wapc` +
//! `wasmtime-provider`, WASI enabled), with host capabilities answered from a recorded session.
//!
//! What the policy-server does, and how this host mirrors it:
//! - it compiles the module once and keeps a `WasmtimeEngineProviderPre` (an `InstancePre`);
//!   **every evaluation runs in a fresh instance** rehydrated from it. [`PolicyHost::call`] does
//!   the same (a new `WapcHost` per call, which also runs `wapc_init`), so state cannot leak
//!   between evaluations. [`PolicyHost::instance`] keeps one instance for repeated calls (the
//!   benchmark measures both);
//! - `protocol_version` is called with an empty payload and must answer `"v1"`;
//! - `validate_settings` receives the raw settings JSON and answers
//!   `{"valid": bool, "message": …}`;
//! - `validate` receives `{"request": <AdmissionRequest | raw document>, "settings": {…}}` and
//!   answers a `ValidationResponse`;
//! - host capabilities arrive at the host callback as `(binding, namespace, operation, payload)`,
//!   e.g. `("kubewarden", "kubernetes", "get_resource", GetResourceRequest JSON)` or
//!   `("kubewarden", "kubernetes", "can_i", CanIRequest JSON)`. They are answered from a
//!   [`ReplaySession`] (kwctl's `--replay-host-capabilities-interactions` format); anything not
//!   recorded is a host error, as it would be on a cluster that refuses the call. Policy logs
//!   (`kubewarden`/`tracing`/`log`) are accepted and kept.
//!
//! Errors never panic: a trap, a guest error or an undecodable answer is a [`HostError`].

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use secrets_guard_core::admission::{
    ClusterContext, SettingsValidationResponse, ValidationResponse,
};
use serde::Deserialize;
use serde_json::Value;
use wapc::{WapcHost, WasiParams};
use wasmtime_provider::{ResourceLimits, WasmtimeEngineProviderBuilder, WasmtimeEngineProviderPre};

/// Anything that went wrong between the host and the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostError {
    /// The module could not be read, compiled or instantiated.
    Load(String),
    /// The guest call failed: a trap (e.g. a panic under `panic = "abort"`) or a guest error.
    Guest(String),
    /// The guest answered something that is not the expected JSON.
    Decode(String),
    /// The replay session file is invalid.
    Session(String),
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Load(m) => write!(f, "cannot load the policy: {m}"),
            HostError::Guest(m) => write!(f, "policy call failed: {m}"),
            HostError::Decode(m) => write!(f, "cannot decode the policy's answer: {m}"),
            HostError::Session(m) => write!(f, "invalid replay session: {m}"),
        }
    }
}

impl std::error::Error for HostError {}

/// One recorded host-capability interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// kwctl's request type tag: `KubernetesGetResource`, `KubernetesCanI`,
    /// `KubernetesListResourceNamespace`, `KubernetesListResourceAll`.
    pub request_type: String,
    /// The recorded request fields. A call matches when every recorded field equals the
    /// call's (fields the recording leaves out, e.g. `field_masks`, match anything).
    pub request: Value,
    pub response: ExchangeResponse,
}

/// What the host answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ExchangeResponse {
    /// The payload handed to the guest (JSON text).
    Success(String),
    /// A host error: the guest's `host_call` fails with this message. This is also how the
    /// policy-server reports a missing object (the Kubernetes API's 404).
    Error(String),
}

/// The host capability call a guest made, as seen by the host callback.
#[derive(Debug, Clone, PartialEq)]
pub struct HostCall {
    pub binding: String,
    pub namespace: String,
    pub operation: String,
    pub payload: String,
    /// Index of the exchange that answered, if any.
    pub answered_by: Option<usize>,
}

/// A kwctl-style replay session: a YAML (or JSON) list of
/// `{type: Exchange, request: <tagged YAML string or map>, response: {type: Success, payload}
/// | {type: Error, message}}`.
///
/// ```yaml
/// - type: Exchange
///   request: |
///     !KubernetesGetResource
///     api_version: rbac.authorization.k8s.io/v1
///     kind: Role
///     name: secret-reader
///     namespace: default
///     disable_cache: false
///   response:
///     type: Success
///     payload: '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role",…}'
/// ```
///
/// Unlike kwctl, which replays strictly in order, an exchange here answers every call that
/// matches it, in any order (one evaluation may look the same object up more than once).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplaySession {
    pub exchanges: Vec<Exchange>,
}

#[derive(Deserialize)]
struct RawExchange {
    #[serde(rename = "type")]
    kind: String,
    request: serde_yaml::Value,
    response: RawResponse,
}

#[derive(Deserialize)]
struct RawResponse {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl ReplaySession {
    pub fn empty() -> Self {
        ReplaySession::default()
    }

    pub fn from_path(path: &Path) -> Result<Self, HostError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| HostError::Session(format!("{}: {e}", path.display())))?;
        Self::parse(&text).map_err(|e| HostError::Session(format!("{}: {e}", path.display())))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: Option<Vec<RawExchange>> =
            serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut exchanges = vec![];
        for (i, x) in raw.unwrap_or_default().into_iter().enumerate() {
            if x.kind != "Exchange" {
                return Err(format!("item {i}: type `{}` is not `Exchange`", x.kind));
            }
            // kwctl writes the request as a string holding tagged YAML; accept a tagged map too.
            let request = match x.request {
                serde_yaml::Value::String(s) => serde_yaml::from_str::<serde_yaml::Value>(&s)
                    .map_err(|e| format!("item {i}: {e}"))?,
                other => other,
            };
            let serde_yaml::Value::Tagged(tagged) = request else {
                return Err(format!(
                    "item {i}: the request needs a type tag such as `!KubernetesGetResource`"
                ));
            };
            let request_type = tagged.tag.to_string().trim_start_matches('!').to_string();
            let request: Value = serde_json::to_value(&tagged.value)
                .map_err(|e| format!("item {i}: request is not JSON-compatible: {e}"))?;
            let response = match (x.response.kind.as_str(), x.response.payload, x.response.message)
            {
                ("Success", Some(p), _) => ExchangeResponse::Success(p),
                ("Error", _, Some(m)) => ExchangeResponse::Error(m),
                (k, _, _) => {
                    return Err(format!(
                        "item {i}: response must be `type: Success` with `payload` or `type: Error` with `message` (got `{k}`)"
                    ))
                }
            };
            exchanges.push(Exchange {
                request_type,
                request,
                response,
            });
        }
        Ok(ReplaySession { exchanges })
    }

    /// The answer to a host call, and the index of the exchange that gave it.
    fn answer(
        &self,
        binding: &str,
        namespace: &str,
        operation: &str,
        payload: &[u8],
    ) -> (Result<Vec<u8>, String>, Option<usize>) {
        let request_type = match (binding, namespace, operation) {
            ("kubewarden", "kubernetes", "get_resource") => "KubernetesGetResource",
            ("kubewarden", "kubernetes", "can_i") => "KubernetesCanI",
            ("kubewarden", "kubernetes", "list_resources_by_namespace") => {
                "KubernetesListResourceNamespace"
            }
            ("kubewarden", "kubernetes", "list_resources_all") => "KubernetesListResourceAll",
            _ => {
                return (
                    Err(format!(
                        "unknown host capability {binding}/{namespace}/{operation}"
                    )),
                    None,
                )
            }
        };
        let actual: Value = match serde_json::from_slice(payload) {
            Ok(v) => v,
            Err(e) => return (Err(format!("{operation}: request is not JSON: {e}")), None),
        };
        for (i, x) in self.exchanges.iter().enumerate() {
            if x.request_type == request_type && subset(&x.request, &actual) {
                let answer = match &x.response {
                    ExchangeResponse::Success(p) => Ok(p.as_bytes().to_vec()),
                    ExchangeResponse::Error(m) => Err(m.clone()),
                };
                return (answer, Some(i));
            }
        }
        (
            Err(format!(
                "no recorded exchange for {request_type} {}",
                String::from_utf8_lossy(payload)
            )),
            None,
        )
    }
}

/// Every field of `recorded` is in `actual` with an equal value (recursively for maps; a
/// recorded `null` also matches an absent field).
fn subset(recorded: &Value, actual: &Value) -> bool {
    match (recorded, actual) {
        (Value::Object(r), Value::Object(a)) => r.iter().all(|(k, rv)| match a.get(k) {
            Some(av) => subset(rv, av),
            None => rv.is_null(),
        }),
        _ => recorded == actual,
    }
}

/// What the host callback saw: host-capability calls and policy log lines.
#[derive(Debug, Default)]
pub struct CallLog {
    pub calls: Vec<HostCall>,
    pub logs: Vec<String>,
}

/// A compiled policy, ready to be instantiated for each evaluation.
pub struct PolicyHost {
    pre: WasmtimeEngineProviderPre,
    session: Arc<ReplaySession>,
    log: Arc<Mutex<CallLog>>,
}

/// One instantiated policy (one `wapc_init`); calls on it share the guest's memory.
pub struct PolicyInstance {
    host: WapcHost,
}

impl PolicyInstance {
    /// A raw waPC call.
    pub fn call(&self, operation: &str, payload: &[u8]) -> Result<Vec<u8>, HostError> {
        self.host
            .call(operation, payload)
            .map_err(|e| HostError::Guest(e.to_string()))
    }
}

impl PolicyHost {
    /// Compiles a module (the policy-server does this once per policy).
    pub fn load(wasm: &[u8], session: ReplaySession) -> Result<Self, HostError> {
        Self::load_with_memory_limit(wasm, session, None)
    }

    /// [`PolicyHost::load`], with the guest's linear memory bounded to `max_memory_bytes`: an
    /// allocation past it fails inside the guest (a trap for a Rust policy).
    pub fn load_with_memory_limit(
        wasm: &[u8],
        session: ReplaySession,
        max_memory_bytes: Option<usize>,
    ) -> Result<Self, HostError> {
        let mut builder = WasmtimeEngineProviderBuilder::new()
            .module_bytes(wasm)
            .wasi_params(WasiParams::default());
        if let Some(max) = max_memory_bytes {
            builder = builder.enable_resource_limits(ResourceLimits {
                max_memory_size: Some(max),
                max_table_elements: None,
            });
        }
        let pre = builder
            .build_pre()
            .map_err(|e| HostError::Load(e.to_string()))?;
        Ok(PolicyHost {
            pre,
            session: Arc::new(session),
            log: Arc::new(Mutex::new(CallLog::default())),
        })
    }

    pub fn load_path(path: &Path, session: ReplaySession) -> Result<Self, HostError> {
        let wasm =
            std::fs::read(path).map_err(|e| HostError::Load(format!("{}: {e}", path.display())))?;
        Self::load(&wasm, session)
    }

    /// The same compiled module with another replay session (compilation is the slow part).
    pub fn with_session(&self, session: ReplaySession) -> PolicyHost {
        PolicyHost {
            pre: self.pre.clone(),
            session: Arc::new(session),
            log: Arc::new(Mutex::new(CallLog::default())),
        }
    }

    /// A fresh instance (what the policy-server creates for each evaluation).
    pub fn instance(&self) -> Result<PolicyInstance, HostError> {
        let engine = self
            .pre
            .rehydrate(None)
            .map_err(|e| HostError::Load(e.to_string()))?;
        let session = Arc::clone(&self.session);
        let log = Arc::clone(&self.log);
        let callback = move |_id: u64,
                             binding: &str,
                             namespace: &str,
                             operation: &str,
                             payload: &[u8]|
              -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
            if (binding, namespace, operation) == ("kubewarden", "tracing", "log") {
                if let Ok(mut l) = log.lock() {
                    l.logs.push(String::from_utf8_lossy(payload).into_owned());
                }
                return Ok(vec![]);
            }
            let (answer, answered_by) = session.answer(binding, namespace, operation, payload);
            if let Ok(mut l) = log.lock() {
                l.calls.push(HostCall {
                    binding: binding.into(),
                    namespace: namespace.into(),
                    operation: operation.into(),
                    payload: String::from_utf8_lossy(payload).into_owned(),
                    answered_by,
                });
            }
            answer.map_err(|m| m.into())
        };
        let host = WapcHost::new(Box::new(engine), Some(Box::new(callback)))
            .map_err(|e| HostError::Load(e.to_string()))?;
        Ok(PolicyInstance { host })
    }

    /// A raw waPC call in a fresh instance.
    pub fn call(&self, operation: &str, payload: &[u8]) -> Result<Vec<u8>, HostError> {
        self.instance()?.call(operation, payload)
    }

    /// `protocol_version` with an empty payload; Kubewarden policies answer `"v1"`.
    pub fn protocol_version(&self) -> Result<String, HostError> {
        let out = self.call("protocol_version", b"")?;
        serde_json::from_slice::<String>(&out).map_err(|e| decode_error(e, &out))
    }

    /// `validate_settings` with the raw settings JSON.
    pub fn validate_settings(
        &self,
        settings: &[u8],
    ) -> Result<SettingsValidationResponse, HostError> {
        let out = self.call("validate_settings", settings)?;
        serde_json::from_slice(&out).map_err(|e| decode_error(e, &out))
    }

    /// `validate` with `{"request": …, "settings": …}`.
    pub fn validate(
        &self,
        request: &Value,
        settings: &Value,
    ) -> Result<ValidationResponse, HostError> {
        self.validate_payload(&validation_payload(request, settings))
    }

    /// `validate` with a payload given as is (malformed payloads included).
    pub fn validate_payload(&self, payload: &[u8]) -> Result<ValidationResponse, HostError> {
        let out = self.call("validate", payload)?;
        decode_validation(&out)
    }

    /// The host calls and log lines seen so far (and clears them).
    pub fn take_log(&self) -> CallLog {
        match self.log.lock() {
            Ok(mut l) => std::mem::take(&mut *l),
            Err(_) => CallLog::default(),
        }
    }
}

/// `{"request": …, "settings": …}` as the policy-server builds it.
pub fn validation_payload(request: &Value, settings: &Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "request": request, "settings": settings }))
        .unwrap_or_default()
}

/// Decodes a guest's `ValidationResponse`.
pub fn decode_validation(out: &[u8]) -> Result<ValidationResponse, HostError> {
    serde_json::from_slice(out).map_err(|e| decode_error(e, out))
}

fn decode_error(e: serde_json::Error, out: &[u8]) -> HostError {
    let text = String::from_utf8_lossy(out);
    let shown: String = text.chars().take(200).collect();
    HostError::Decode(format!("{e}: {shown}"))
}

/// The core's [`ClusterContext`] answered from the same replay session, with the request shapes
/// of kubewarden-policy-sdk 0.17 (`GetResourceRequest`, `CanIRequest`): the native reference
/// the e2e suite compares the Wasm policy with. A host error whose message says `NotFound` is
/// a missing object (the policy-server forwards the Kubernetes API's 404 as a host error).
pub struct NativeReplay {
    pub session: ReplaySession,
    pub calls: Vec<HostCall>,
}

impl NativeReplay {
    pub fn new(session: ReplaySession) -> Self {
        NativeReplay {
            session,
            calls: vec![],
        }
    }

    fn call(&mut self, operation: &str, payload: &Value) -> Result<Vec<u8>, String> {
        let bytes = serde_json::to_vec(payload).unwrap_or_default();
        let (answer, answered_by) =
            self.session
                .answer("kubewarden", "kubernetes", operation, &bytes);
        self.calls.push(HostCall {
            binding: "kubewarden".into(),
            namespace: "kubernetes".into(),
            operation: operation.into(),
            payload: String::from_utf8_lossy(&bytes).into_owned(),
            answered_by,
        });
        // What the guest sees: wapc-guest's `host_call` error reads `Host error: <message>`.
        answer.map_err(|m| format!("Host error: {m}"))
    }
}

/// Whether a host error means "the object does not exist": the policy-evaluator's
/// `Cannot find <apiVersion>/<kind> named '<name>' …`, or a Kubernetes `NotFound` status (the
/// same test as the policy's `context::is_not_found`).
pub fn is_not_found(error: &str) -> bool {
    (error.contains("Cannot find ") && error.contains(" named '"))
        || error.contains("\"reason\":\"NotFound\"")
        || error.contains("reason: \"NotFound\"")
        || error.contains("(NotFound)")
}

impl ClusterContext for NativeReplay {
    fn get_role(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<String>, String> {
        let namespace = (kind == "Role").then(|| namespace.unwrap_or("default"));
        let req = serde_json::json!({
            "api_version": "rbac.authorization.k8s.io/v1",
            "kind": kind,
            "name": name,
            "namespace": namespace,
            "disable_cache": false,
            "field_masks": null,
        });
        match self.call("get_resource", &req) {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(m) if is_not_found(&m) => Ok(None),
            Err(m) => Err(m),
        }
    }

    fn can_i(
        &mut self,
        user: &str,
        groups: &[String],
        verb: &str,
        resource: &str,
        namespace: &str,
    ) -> Result<bool, String> {
        let req = serde_json::json!({
            "subject_access_review": {
                "groups": (!groups.is_empty()).then_some(groups),
                "resource_attributes": {
                    "group": "",
                    "name": null,
                    "namespace": namespace,
                    "resource": resource,
                    "subresource": null,
                    "verb": verb,
                    "version": null,
                },
                "user": user,
            },
            "disable_cache": false,
        });
        let bytes = self.call("can_i", &req)?;
        #[derive(Deserialize)]
        struct Status {
            allowed: bool,
        }
        serde_json::from_slice::<Status>(&bytes)
            .map(|s| s.allowed)
            .map_err(|e| format!("can_i response: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kwctl_sessions_and_matches_subsets() {
        let s = ReplaySession::parse(
            r#"
- type: Exchange
  request: |
    !KubernetesGetResource
    api_version: rbac.authorization.k8s.io/v1
    kind: Role
    name: r
    namespace: default
    disable_cache: false
  response:
    type: Success
    payload: '{"kind":"Role"}'
- type: Exchange
  request: !KubernetesCanI
    subject_access_review:
      user: u
  response:
    type: Error
    message: boom
"#,
        )
        .unwrap();
        assert_eq!(s.exchanges.len(), 2);
        let (a, i) = s.answer(
            "kubewarden",
            "kubernetes",
            "get_resource",
            br#"{"api_version":"rbac.authorization.k8s.io/v1","kind":"Role","name":"r","namespace":"default","disable_cache":false,"field_masks":null}"#,
        );
        assert_eq!(a.unwrap(), br#"{"kind":"Role"}"#);
        assert_eq!(i, Some(0));
        let (a, _) = s.answer(
            "kubewarden",
            "kubernetes",
            "can_i",
            br#"{"subject_access_review":{"user":"u","groups":[]},"disable_cache":false}"#,
        );
        assert_eq!(a.unwrap_err(), "boom");
        let (a, i) = s.answer("kubewarden", "oci", "v1/manifest_digest", b"{}");
        assert!(a.unwrap_err().contains("unknown host capability"));
        assert_eq!(i, None);
        assert!(
            ReplaySession::parse("- type: Foo\n  request: x\n  response: {type: Success}").is_err()
        );
        assert!(ReplaySession::parse("").unwrap().exchanges.is_empty());
    }
}
