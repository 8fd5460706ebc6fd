//! The one place the playground calls the core: every view reads the `Evaluation` made here,
//! so the editor markers, the findings panel and the JSON/SARIF exports come from one result set.

use std::rc::Rc;

use secrets_guard_core::admission::PolicySettings;
use secrets_guard_core::Report;

/// The file name findings carry (the editor's text has no file).
pub const EDITOR_FILE: &str = "playground.yaml";

/// One evaluation of the editor's text.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub report: Report,
    /// Wall time of the evaluation, in milliseconds (`performance.now()` in the browser).
    pub millis: f64,
    /// The text that was evaluated: the findings' positions (and their fixes' edits) refer to
    /// it, even when the editor has changed since.
    pub source: Rc<str>,
}

/// Evaluate `text` with the playground's settings (the policy's settings, mapped to the core's).
pub fn evaluate(text: &str, settings: &PolicySettings) -> Evaluation {
    let start = now();
    let core = settings.core_settings();
    let report = secrets_guard_core::evaluate(&[(EDITOR_FILE, text)], &core);
    Evaluation {
        report,
        millis: now() - start,
        source: Rc::from(text),
    }
}

/// Milliseconds from `performance.now()` of the global scope (the page's window or the
/// worker's `self`: the encryption tab's cost is timed in the worker); 0 elsewhere (native unit
/// tests).
pub fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
            .map(|p| p.now())
            .unwrap_or(0.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
