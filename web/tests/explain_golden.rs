//! `golden/explain-ENC-008.md` is exactly what `secrets-guard explain ENC-008` prints
//! (`RuleMeta::explain`), so the browser end-to-end suite (tests/browser/panel.test.mjs), which
//! compares the rule documentation dialog against it, checks the real text.
//! `SG_UPDATE_GOLDEN=1 cargo test -p secrets-guard-web --test explain_golden` rewrites it after an
//! intended change of the rule's documentation.
#![cfg(not(target_arch = "wasm32"))]

use secrets_guard_core::registry;

const RULE: &str = "ENC-008";

#[test]
fn golden_is_the_explain_text() {
    let explain = registry::find(RULE)
        .expect("ENC-008 is registered")
        .meta()
        .explain();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/explain-ENC-008.md"
    );
    if std::env::var_os("SG_UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &explain).expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(path).expect("read the golden file");
    assert_eq!(
        golden, explain,
        "web/tests/golden/explain-ENC-008.md is stale: run SG_UPDATE_GOLDEN=1 cargo test -p \
         secrets-guard-web --test explain_golden and review the diff"
    );
}
