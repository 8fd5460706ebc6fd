//! The README rules table and docs/rules.md are generated from the registry; this test fails when
//! they drift (run `make docs` to regenerate).

use secrets_guard_core::docs;
use secrets_guard_tests::repo_root;

fn check_or_update(path: &std::path::Path, want: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("SG_UPDATE_DOCS").is_some() {
        std::fs::write(path, want).expect("write docs");
        eprintln!("updated {}", path.display());
    } else {
        panic!(
            "{} is out of date with the rule registry: run `make docs`",
            path.display()
        );
    }
}

#[test]
fn readme_rules_table_matches_registry() {
    let path = repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let want = docs::splice_rules_table(&readme)
        .expect("README has <!-- rules:start --> and <!-- rules:end --> markers");
    check_or_update(&path, &want);
}

#[test]
fn rules_reference_matches_registry() {
    let path = repo_root().join("docs").join("rules.md");
    std::fs::create_dir_all(path.parent().unwrap()).ok();
    check_or_update(&path, &docs::rules_reference());
}
