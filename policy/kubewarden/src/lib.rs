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

use kubewarden_policy_sdk::response::ValidationResponse as SdkValidationResponse;
use kubewarden_policy_sdk::settings::SettingsValidationResponse as SdkSettingsResponse;
use kubewarden_policy_sdk::wapc_guest::CallResult;
use secrets_guard_core::admission;

/// The waPC entry point: the host calls it once after instantiating the module.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub extern "C" fn wapc_init() {
    use kubewarden_policy_sdk::wapc_guest::register_function;
    register_function("validate", validate);
    register_function("validate_settings", validate_settings);
    register_function("protocol_version", protocol_version);
}

/// `validate`: a Kubewarden `ValidationRequest` (`{"request": …, "settings": …}`) in, a
/// `ValidationResponse` out. Host capabilities are only called when the settings opt in.
pub fn validate(payload: &[u8]) -> CallResult {
    Ok(validate_bytes(payload, &mut context::WapcContext::new()))
}

/// [`validate`] with any cluster context (the unit tests use a recorded one). The core's
/// response is written out as the SDK's `ValidationResponse`, the type the policy-server reads.
pub fn validate_bytes(payload: &[u8], ctx: &mut dyn admission::ClusterContext) -> Vec<u8> {
    let r = admission::validate(payload, ctx);
    let sdk = SdkValidationResponse {
        accepted: r.accepted,
        message: r.message,
        code: r.code,
        mutated_object: None,
        audit_annotations: r.audit_annotations.map(|a| a.into_iter().collect()),
        warnings: r.warnings,
    };
    serde_json::to_vec(&sdk)
        .unwrap_or_else(|_| br#"{"accepted":false,"message":"internal error","code":500}"#.to_vec())
}

/// `validate_settings`: the settings JSON in, a `SettingsValidationResponse` out. Unlike the
/// SDK's generic helper, undecodable settings are an answer (`valid: false` with the serde
/// message), not a waPC error.
pub fn validate_settings(payload: &[u8]) -> CallResult {
    let r = admission::validate_settings(payload);
    let sdk = SdkSettingsResponse {
        valid: r.valid,
        message: r.message,
    };
    Ok(serde_json::to_vec(&sdk)
        .unwrap_or_else(|_| br#"{"valid":false,"message":"internal error"}"#.to_vec()))
}

/// `protocol_version`: the SDK's answer (`"v1"`).
pub fn protocol_version(payload: &[u8]) -> CallResult {
    kubewarden_policy_sdk::protocol_version_guest(payload)
}

#[cfg(test)]
mod tests;
