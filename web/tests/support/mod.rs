//! Shared by the web crate's test binaries: the golden findings of the seed's examples.
//!
//! `golden/seed-findings.json` holds, for each of the seed article's three examples and for the
//! playground's starting document (the three joined, `examples::seed_document()`), the findings
//! the playground's engine gives with its default settings. `seed_golden.rs` checks natively that
//! the file is what native code computes (`SG_UPDATE_GOLDEN=1` rewrites it); `wasm_core.rs` and
//! `wasm_app.rs` check in headless Chromium that the core compiled to Wasm, and the rendered app,
//! give exactly the same; the browser end-to-end suite (tests/browser) reads it too.

#![allow(dead_code)] // each test binary uses a different part

use serde::{Deserialize, Serialize};

use secrets_guard_web::{engine, examples};

/// The checked-in golden file.
pub const GOLDEN_JSON: &str = include_str!("../golden/seed-findings.json");

/// The name of the starting document's entry.
pub const DOCUMENT: &str = "document";

/// One finding, by the fields that locate and classify it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GoldenFinding {
    pub rule: String,
    pub severity: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub path: String,
    pub suppressed: bool,
}

/// The findings of one input (an example by its gallery id, or [`DOCUMENT`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldenEntry {
    pub name: String,
    pub findings: Vec<GoldenFinding>,
}

/// The findings of `text`, evaluated as the editor does, in report order.
pub fn findings_of(text: &str) -> Vec<GoldenFinding> {
    engine::evaluate(text, &Default::default())
        .report
        .findings
        .iter()
        .map(|f| GoldenFinding {
            rule: f.rule.to_string(),
            severity: f.severity.as_str().to_string(),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            path: f.path.clone(),
            suppressed: f.suppressed,
        })
        .collect()
}

/// Every entry, computed by this build (native or Wasm).
pub fn compute() -> Vec<GoldenEntry> {
    let mut entries: Vec<GoldenEntry> = examples::SEED
        .iter()
        .map(|e| GoldenEntry {
            name: e.id.to_string(),
            findings: findings_of(e.text),
        })
        .collect();
    entries.push(GoldenEntry {
        name: DOCUMENT.to_string(),
        findings: findings_of(&examples::seed_document()),
    });
    entries
}

/// The golden file's entries.
pub fn golden() -> Vec<GoldenEntry> {
    serde_json::from_str(GOLDEN_JSON).expect("web/tests/golden/seed-findings.json is valid JSON")
}

/// The golden file's text for `entries` (pretty JSON, trailing newline).
pub fn render(entries: &[GoldenEntry]) -> String {
    let mut text = serde_json::to_string_pretty(entries).expect("findings serialize");
    text.push('\n');
    text
}

/// The golden entry named `name`.
pub fn entry<'a>(entries: &'a [GoldenEntry], name: &str) -> &'a GoldenEntry {
    entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no golden entry {name}"))
}
