//! Native side of the Wasm/native agreement check: `golden/seed-findings.json` must be exactly
//! what native code computes for the seed's examples, so the Wasm test (`wasm_core.rs`) that
//! compares against it cannot drift. `SG_UPDATE_GOLDEN=1 cargo test -p secrets-guard-web --test
//! seed_golden` rewrites the file after an intended change of the rules.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeSet;

#[test]
fn golden_is_what_native_evaluation_gives() {
    let computed = support::compute();
    if std::env::var_os("SG_UPDATE_GOLDEN").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/seed-findings.json"
        );
        std::fs::write(path, support::render(&computed)).expect("write the golden file");
        return;
    }
    assert_eq!(
        support::golden(),
        computed,
        "web/tests/golden/seed-findings.json is stale: run SG_UPDATE_GOLDEN=1 cargo test -p \
         secrets-guard-web --test seed_golden and review the diff"
    );
}

/// The golden file cannot silently become empty: the seed's documented flaws are all in it, on
/// the lines of the starting document where the article's YAML has them.
#[test]
fn golden_holds_the_seed_articles_flaws() {
    let golden = support::golden();
    let names: Vec<&str> = golden.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "seed-1-encryption-at-rest",
            "seed-2-access-control",
            "seed-3-audit-logging",
            support::DOCUMENT
        ]
    );
    let document = support::entry(&golden, support::DOCUMENT);
    let rules: BTreeSet<&str> = document.findings.iter().map(|f| f.rule.as_str()).collect();
    for rule in [
        "ENC-007", "ENC-008", "ENC-003", "RBAC-001", "RBAC-002", "AUD-015", "AUD-001",
    ] {
        assert!(
            rules.contains(rule),
            "{rule} missing from the golden document"
        );
    }
    // The starting document is the three examples joined by `---` lines, so each example's
    // findings reappear shifted by the lines before it.
    let mut offset = 0;
    let mut shifted = Vec::new();
    for example in secrets_guard_web::examples::SEED {
        for f in &support::entry(&golden, example.id).findings {
            shifted.push((f.rule.clone(), f.line + offset, f.column));
        }
        offset += example.text.trim_end().lines().count() as u32 + 1;
    }
    let mut in_document: Vec<_> = document
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.line, f.column))
        .collect();
    shifted.sort();
    in_document.sort();
    assert_eq!(shifted, in_document);
}
