//! The core's cluster questions, answered with Kubewarden host capabilities.
//!
//! Both calls go through waPC `host_call("kubewarden", "kubernetes", <operation>, <JSON>)`,
//! the same wire format as `kubewarden_policy_sdk::host_capabilities::kubernetes` 0.17.3
//! (which needs the SDK's `cluster-context` feature and k8s-openapi; we build the same JSON
//! ourselves, field for field and in the SDK's field order, `null`s included):
//!
//! - `get_resource` with a `GetResourceRequest`
//!   `{"api_version", "kind", "name", "namespace", "disable_cache", "field_masks"}`; the answer
//!   is the object's JSON. A missing object is a host *error*: the policy-evaluator's client
//!   calls `Api::get_opt` and turns `None` into
//!   `Cannot find <apiVersion>/<kind> named '<name>' inside of namespace '<ns>'` (sent back as
//!   `Callback evaluation failure: …`), which [`is_not_found`] recognises.
//! - `can_i` with a `CanIRequest`
//!   `{"subject_access_review": {"groups", "resource_attributes": {"group", "name", "namespace",
//!   "resource", "subresource", "verb", "version"}, "user"}, "disable_cache"}`; the answer is a
//!   `SubjectAccessReviewStatus` (`{"allowed": bool, "denied"?, "reason"?, "evaluationError"?}`).
//!
//! Only `Role` and `ClusterRole` are ever fetched, whatever the binding's `roleRef.kind` says:
//! the policy must never ask for Secrets (`contextAwareResources` lists only the RBAC kinds).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use secrets_guard_core::admission::ClusterContext;

/// waPC binding and namespace of Kubewarden's Kubernetes capabilities.
pub const BINDING: &str = "kubewarden";
pub const NAMESPACE: &str = "kubernetes";
pub const OP_GET_RESOURCE: &str = "get_resource";
pub const OP_CAN_I: &str = "can_i";
pub const RBAC_API_VERSION: &str = "rbac.authorization.k8s.io/v1";

/// Field order and `null`s exactly as the SDK serializes its `GetResourceRequest`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct GetResourceRequest {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub disable_cache: bool,
    pub field_masks: Option<Vec<String>>,
}

/// The SDK's `CanIRequest`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct CanIRequest {
    pub subject_access_review: SubjectAccessReview,
    pub disable_cache: bool,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct SubjectAccessReview {
    pub groups: Option<Vec<String>>,
    pub resource_attributes: ResourceAttributes,
    pub user: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ResourceAttributes {
    pub group: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub resource: String,
    pub subresource: Option<String>,
    pub verb: String,
    pub version: Option<String>,
}

/// The part of a `SubjectAccessReviewStatus` the policy reads.
#[derive(Debug, Deserialize)]
struct SubjectAccessReviewStatus {
    allowed: bool,
}

/// The `get_resource` request for a Role (namespaced) or ClusterRole; `None` for other kinds.
pub fn role_request(kind: &str, namespace: Option<&str>, name: &str) -> Option<GetResourceRequest> {
    let namespace = match kind {
        "Role" => Some(namespace.unwrap_or("default").to_string()),
        "ClusterRole" => None,
        _ => return None,
    };
    Some(GetResourceRequest {
        api_version: RBAC_API_VERSION.into(),
        kind: kind.into(),
        name: name.into(),
        namespace,
        // The host's 5-second cache is fine for roles.
        disable_cache: false,
        field_masks: None,
    })
}

/// The `can_i` request: may `user` (in `groups`) `verb` `resource` (core group) in
/// `namespace`?
pub fn can_i_request(
    user: &str,
    groups: &[String],
    verb: &str,
    resource: &str,
    namespace: &str,
) -> CanIRequest {
    CanIRequest {
        subject_access_review: SubjectAccessReview {
            groups: (!groups.is_empty()).then(|| groups.to_vec()),
            resource_attributes: ResourceAttributes {
                group: Some(String::new()),
                name: None,
                namespace: Some(namespace.into()),
                resource: resource.into(),
                subresource: None,
                verb: verb.into(),
                version: None,
            },
            user: user.into(),
        },
        disable_cache: false,
    }
}

/// Whether a `get_resource` host error means "no such object" (rather than "could not ask").
///
/// The policy-evaluator says `Cannot find <apiVersion>/<kind> named '<name>' inside of
/// namespace …`; an unknown *kind* is `Cannot find resource <apiVersion>/<kind>`, an error. A
/// Kubernetes `NotFound` status (other hosts, replayed sessions) counts too.
pub fn is_not_found(error: &str) -> bool {
    (error.contains("Cannot find ") && error.contains(" named '"))
        || error.contains("\"reason\":\"NotFound\"")
        || error.contains("reason: \"NotFound\"")
        || error.contains("(NotFound)")
}

/// Turn a `get_resource` answer into the object's JSON text (`None` for `null`), with `kind`
/// and `apiVersion` filled in when the host's answer lacks them.
pub fn role_from_response(kind: &str, body: &[u8]) -> Result<Option<String>, String> {
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|e| format!("get_resource answered with invalid JSON: {e}"))?;
    let Some(map) = value.as_object_mut() else {
        return if value.is_null() {
            Ok(None)
        } else {
            Err("get_resource answered with something other than an object".into())
        };
    };
    map.entry("kind").or_insert_with(|| Value::from(kind));
    map.entry("apiVersion")
        .or_insert_with(|| Value::from(RBAC_API_VERSION));
    serde_json::to_string(&value)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// A host call: (operation, request JSON) → response bytes or the host's error message.
pub type HostCall<'a> = dyn FnMut(&str, &[u8]) -> Result<Vec<u8>, String> + 'a;

/// [`ClusterContext`] over a host-call function: waPC in the policy, a recording in tests.
pub struct HostContext<'a> {
    call: &'a mut HostCall<'a>,
}

impl<'a> HostContext<'a> {
    pub fn new(call: &'a mut HostCall<'a>) -> Self {
        HostContext { call }
    }
}

impl ClusterContext for HostContext<'_> {
    fn get_role(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<String>, String> {
        let Some(req) = role_request(kind, namespace, name) else {
            return Err(format!(
                "roleRef.kind `{kind}` is neither Role nor ClusterRole: not fetched"
            ));
        };
        let body = serde_json::to_vec(&req).map_err(|e| e.to_string())?;
        match (self.call)(OP_GET_RESOURCE, &body) {
            Ok(bytes) => role_from_response(kind, &bytes),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
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
        let req = can_i_request(user, groups, verb, resource, namespace);
        let body = serde_json::to_vec(&req).map_err(|e| e.to_string())?;
        let bytes = (self.call)(OP_CAN_I, &body)?;
        serde_json::from_slice::<SubjectAccessReviewStatus>(&bytes)
            .map(|s| s.allowed)
            .map_err(|e| format!("can_i answered with an invalid SubjectAccessReviewStatus: {e}"))
    }
}

/// The waPC host call (`kubewarden`/`kubernetes`/`<operation>`). A host error arrives as
/// `Host error: <message>`.
#[cfg(target_arch = "wasm32")]
pub fn wapc_host_call(operation: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
    kubewarden_policy_sdk::wapc_guest::host_call(BINDING, NAMESPACE, operation, payload)
        .map_err(|e| e.to_string())
}

/// Off-Wasm there is no waPC host: every host capability fails.
#[cfg(not(target_arch = "wasm32"))]
pub fn wapc_host_call(operation: &str, _payload: &[u8]) -> Result<Vec<u8>, String> {
    Err(format!(
        "Host error: no waPC host (native build) for {BINDING}/{NAMESPACE}/{operation}"
    ))
}

/// [`ClusterContext`] through Kubewarden's host capabilities.
pub struct WapcContext {
    call: fn(&str, &[u8]) -> Result<Vec<u8>, String>,
}

impl WapcContext {
    pub fn new() -> Self {
        WapcContext {
            call: wapc_host_call,
        }
    }
}

impl Default for WapcContext {
    fn default() -> Self {
        Self::new()
    }
}

impl ClusterContext for WapcContext {
    fn get_role(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<String>, String> {
        HostContext::new(&mut self.call).get_role(kind, namespace, name)
    }

    fn can_i(
        &mut self,
        user: &str,
        groups: &[String],
        verb: &str,
        resource: &str,
        namespace: &str,
    ) -> Result<bool, String> {
        HostContext::new(&mut self.call).can_i(user, groups, verb, resource, namespace)
    }
}
