use super::model::{secret_entries, secret_type};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Secrets with data that do not set `immutable: true`. Empty Secrets (filled later by
    /// a controller) and service-account token Secrets (filled by the token controller) are not
    /// flagged.
    ///
    /// ## Why is this bad?
    /// An immutable Secret cannot be changed by accident or by a compromised client with
    /// `update` rights (it must be deleted and recreated), and the kubelet stops watching it,
    /// which cuts API-server load. It gives no confidentiality. Rotation then means creating a
    /// new Secret (e.g. `db-credentials-v2`) and rolling the workloads onto it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// metadata: {name: db-credentials-v1}
    /// data: {password: UzNjcjN0UGE1NQ==}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// metadata: {name: db-credentials-v1}
    /// immutable: true
    /// data: {password: UzNjcjN0UGE1NQ==}
    /// ```
    ///
    /// ## References
    /// - [Immutable Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#secret-immutable)
    pub struct SecretNotImmutable;
    id: "OBJ-008",
    title: "Secret is not immutable",
    severity: Info,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Set `immutable: true` and rotate by creating a new, versioned Secret.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db-v1, namespace: shop}
immutable: true
data: {password: UzNjcjN0UGE1NQ==}
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: filled-later, namespace: shop}
type: Opaque
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret # <-
metadata: {name: db, namespace: shop}
data: {password: UzNjcjN0UGE1NQ==}
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
immutable: false # <-
stringData: {password: t0p-Secret}
"#,
    ],
}

impl Rule for SecretNotImmutable {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if secret_type(obj) == "kubernetes.io/service-account-token"
            || secret_entries(obj).is_empty()
        {
            return;
        }
        let imm = obj.root.get("immutable");
        if imm.and_then(Node::as_bool) == Some(true) {
            return;
        }
        let Some(node) = imm.or_else(|| obj.root.get("kind")) else {
            return;
        };
        cx.report(
            obj,
            node,
            format!(
                "Secret `{}` is not `immutable: true`: it can be changed in place and every kubelet using it keeps a watch open",
                obj.name()
            ),
        )
        .with_fix(fix(obj));
    }
}

/// `immutable: false` becomes `true`; without the field, `immutable: true` is added before the
/// data (block mappings only).
fn fix(obj: &Object<'_>) -> Option<Fix> {
    let edit = match obj.root.get("immutable") {
        Some(imm) if imm.as_bool() == Some(false) => Edit::replace_scalar(imm, "true")?,
        Some(_) => return None,
        None => {
            let before = ["data", "stringData"]
                .iter()
                .find_map(|k| obj.root.key_node(k))?;
            insert_entry_before(&obj.root, before, "immutable: true")?
        }
    };
    Some(Fix::new(
        "Set `immutable: true` (rotate by creating a new, versioned Secret)",
        vec![edit],
    ))
}

#[cfg(test)]
mod tests {
    use crate::{apply_fixes, evaluate, Settings};

    fn fixed(text: &str) -> String {
        let settings = Settings {
            enable: vec!["OBJ-008".into()],
            ..Settings::default()
        };
        let report = evaluate(&[("s.yaml", text)], &settings);
        apply_fixes(text, &report.findings).text
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: UzNjcjN0UGE1NQ==}\n"),
            "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nimmutable: true\ndata: {password: UzNjcjN0UGE1NQ==}\n"
        );
        assert_eq!(
            fixed("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nimmutable: false\nstringData: {password: t0p-Secret}\n"),
            "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nimmutable: true\nstringData: {password: t0p-Secret}\n"
        );
        // JSON: the value is replaced, no key is inserted.
        let json = r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"k": "dg=="}}"#;
        assert_eq!(fixed(json), json);
        let json =
            r#"{"apiVersion": "v1", "kind": "Secret", "immutable": false, "data": {"k": "dg=="}}"#;
        assert_eq!(fixed(json), json.replace("false", "true"));
    }
}
