//! Accept-all Kubewarden policy: the baseline of `make bench-policy`.
//!
//! It pays what every waPC policy pays (the waPC round trip, decoding the whole
//! `ValidationRequest` JSON into a `serde_json::Value`, encoding a response) and nothing else,
//! so `secrets-guard-policy / accept-all` is the cost of the rules themselves.
//!
//! Built only for `wasm32` (`make accept-all`); natively the crate is empty.

#![cfg(target_arch = "wasm32")]

use kubewarden_policy_sdk::wapc_guest as guest;
use kubewarden_policy_sdk::{accept_request, protocol_version_guest, reject_request};

use guest::prelude::*;

/// Registers the three functions the policy-server calls.
#[unsafe(no_mangle)]
pub extern "C" fn wapc_init() {
    register_function("validate", validate);
    register_function("validate_settings", validate_settings);
    register_function("protocol_version", protocol_version_guest);
}

/// Decodes the request (same decode cost as a real policy) and accepts it.
fn validate(payload: &[u8]) -> CallResult {
    match serde_json::from_slice::<serde_json::Value>(payload) {
        Ok(v) if v.get("request").is_some() => accept_request(),
        Ok(_) => reject_request(
            Some("invalid ValidationRequest: missing `request`".into()),
            Some(400),
            None,
            None,
        ),
        Err(e) => reject_request(
            Some(format!("invalid ValidationRequest: {e}")),
            Some(400),
            None,
            None,
        ),
    }
}

/// Every JSON settings document is valid.
fn validate_settings(payload: &[u8]) -> CallResult {
    let valid = payload.is_empty() || serde_json::from_slice::<serde_json::Value>(payload).is_ok();
    let resp = if valid {
        serde_json::json!({ "valid": true })
    } else {
        serde_json::json!({ "valid": false, "message": "settings are not JSON" })
    };
    Ok(serde_json::to_vec(&resp)?)
}
