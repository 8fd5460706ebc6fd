//! secrets-guard as a Kubewarden admission policy (waPC protocol v1, `wasm32-wasip1`).
//!
//! A thin adapter: every decision is made by [`secrets_guard_core::admission`], the same code
//! the native test host and the playground call. This crate only
//! - registers the three waPC functions the policy-server calls (`validate`,
//!   `validate_settings`, `protocol_version`);
//! - answers the core's [`ClusterContext`](secrets_guard_core::admission::ClusterContext)
//!   questions with Kubewarden host capabilities ([`context::WapcContext`]).
//!
//! Nothing here returns a waPC error or panics on bad input: the core turns a malformed
//! payload into a rejection (`accepted: false`, code 400) and bad settings into
//! `{"valid": false, "message": …}`. The `policy` profile builds with `panic = "abort"`, where
//! a panic would be a Wasm trap (an evaluation error in the policy-server) instead of an answer.

pub mod context;

use secrets_guard_core::admission;

/// What a waPC guest function returns (`wapc_guest::CallResult`).
pub type CallResult = Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>>;

/// The waPC entry point: the host calls it once after instantiating the module.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub extern "C" fn wapc_init() {
    wapc_guest::register_function("validate", validate);
    wapc_guest::register_function("validate_settings", validate_settings);
    wapc_guest::register_function("protocol_version", protocol_version);
}

/// `validate`: a Kubewarden `ValidationRequest` (`{"request": …, "settings": …}`) in, a
/// `ValidationResponse` out. Host capabilities are only called when the settings opt in.
pub fn validate(payload: &[u8]) -> CallResult {
    Ok(validate_bytes(payload, &mut context::WapcContext::new()))
}

/// [`validate`] with any cluster context (the unit tests use a recorded one).
pub fn validate_bytes(payload: &[u8], ctx: &mut dyn admission::ClusterContext) -> Vec<u8> {
    admission::validate(payload, ctx).to_json().into_bytes()
}

/// `validate_settings`: the settings JSON in, a `SettingsValidationResponse` out. Unlike the
/// SDK's generic helper, undecodable settings are an answer (`valid: false` with the serde
/// message), not a waPC error.
pub fn validate_settings(payload: &[u8]) -> CallResult {
    Ok(serde_json::to_vec(&admission::validate_settings(payload))
        .unwrap_or_else(|_| br#"{"valid":false,"message":"internal error"}"#.to_vec()))
}

/// `protocol_version`: `"v1"` (the SDK's `ProtocolVersion::V1`).
pub fn protocol_version(_payload: &[u8]) -> CallResult {
    Ok(br#""v1""#.to_vec())
}

#[cfg(test)]
mod tests;
