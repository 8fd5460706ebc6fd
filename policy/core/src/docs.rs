//! Rule documentation generated from the registry (README table, docs/rules.md). The same
//! text backs `secrets-guard explain` and the playground, so docs cannot drift from the rules.

use crate::registry;

/// A markdown table of every rule: id, severity, area, title, CIS.
pub fn rules_table() -> String {
    let mut s = String::from("| Id | Severity | Area | Title | CIS |\n|---|---|---|---|---|\n");
    for m in registry::all_metas() {
        s += &format!(
            "| [{id}](docs/rules.md#{anchor}) | {sev} | {area} | {title} | {cis} |\n",
            id = m.id,
            anchor = m.id.to_ascii_lowercase(),
            sev = m.severity,
            area = m.area,
            title = m.title.replace('|', "\\|"),
            cis = m.cis.join(", "),
        );
    }
    s
}

/// The full reference: every rule's `explain` text (manifest and audit event rules), in id
/// order.
pub fn rules_reference() -> String {
    let mut s = format!(
        "# Rule reference\n\n<!-- Generated from the rule registry by `make docs`; do not edit. -->\n\n{} rules.\n\n",
        registry::all_metas().len()
    );
    for m in registry::all_metas() {
        // `explain` starts with `# ID Title`; nest it one level down, with a stable anchor.
        s += &format!("<a id=\"{}\"></a>\n\n#", m.id.to_ascii_lowercase());
        s += &m.explain();
        s += "\n";
    }
    s
}

/// Replace the text between `<!-- rules:start -->` and `<!-- rules:end -->` with the table.
pub fn splice_rules_table(readme: &str) -> Option<String> {
    const START: &str = "<!-- rules:start -->";
    const END: &str = "<!-- rules:end -->";
    let a = readme.find(START)? + START.len();
    let b = readme.find(END)?;
    if b < a {
        return None;
    }
    Some(format!(
        "{}\n{}{}",
        &readme[..a],
        rules_table(),
        &readme[b..]
    ))
}
