//! The secrets-guard playground: paste manifests, see findings computed in the tab by the same
//! core as the CLI and the Kubewarden policy. Nothing the user types leaves the browser.
//!
//! Layout (after Yew's `function_todomvc`): `state` holds the reducer (one `AppState`, changed
//! only through `Action`s), `engine` runs the core, `components/` renders, `hooks/` wraps
//! browser APIs, `editing` is the editor's pure text logic, and `worker` holds what only some
//! visits need (the rule docs, the analyses behind the "Access" and "Audit log" views, whose
//! models are `access_view` and `audit_view`, and the "Encryption at rest" view's flows), in a
//! second module run in a Web Worker. That view's page side is `components::encryption`; it
//! talks to the worker with the messages of `envelope_msg`, answered by `envelope_worker` with
//! `envelope_demo`, `envelope_lab` and `webcrypto` (those three, but for the providers of
//! `envelope_demo`, are compiled with the `worker` feature only).

pub mod access_view;
pub mod audit_view;
pub mod components;
pub mod editing;
pub mod engine;
pub mod envelope_demo;
#[cfg(feature = "worker")]
pub mod envelope_lab;
pub mod envelope_msg;
#[cfg(feature = "worker")]
pub mod envelope_worker;
pub mod examples;
pub mod hooks;
pub mod markup;
pub mod share;
pub mod state;
#[cfg(feature = "worker")]
pub mod webcrypto;
pub mod worker;

/// Mount the app on `<body>`.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}

/// Evaluate `text` exactly as the editor does (the playground's default settings, through
/// [`engine::evaluate`]) and return the number of active findings.
///
/// Exported to JavaScript as `sgEvaluate` (on `window.wasmBindings`, see `web/boot.js`) for the
/// evaluation-time budget: the browser suite (`tests/browser/budgets.test.mjs`) times calls with
/// `performance.now()`. It reads nothing but its argument and changes no state.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = sgEvaluate)]
pub fn sg_evaluate(text: &str) -> u32 {
    let evaluation = engine::evaluate(text, &Default::default());
    u32::try_from(evaluation.report.active().count()).unwrap_or(u32::MAX)
}
