//! Helpers shared by the audit policy rules: the request classes they ask about and the grouping
//! of [`outcomes`] by deciding rule.

use crate::k8s::audit::{outcomes, AuditPolicy, Level, Outcome, RequestClass, READ_VERBS, VERBS};
use crate::object::Object;

pub const CORE: &str = "";
pub const SECRETS: RequestClass<'static> = RequestClass::new(CORE, "secrets", true, &VERBS);
pub const SECRET_READS: RequestClass<'static> =
    RequestClass::new(CORE, "secrets", true, &READ_VERBS);
/// Verbs whose request body carries the object (logged from level `Request` on).
pub const BODY_VERBS: [&str; 3] = ["create", "update", "patch"];
pub const SECRET_BODY_WRITES: RequestClass<'static> =
    RequestClass::new(CORE, "secrets", true, &BODY_VERBS);

/// Whether an outcome logs the object: `RequestResponse` for any verb, `Request` only for a
/// class of [`BODY_VERBS`] (a `get`, `list`, `watch` or `delete` request has no object body).
pub fn logs_object(class: &RequestClass<'_>, o: &Outcome) -> bool {
    match o.level {
        Some(Level::RequestResponse) => true,
        Some(Level::Request) => class.verbs.iter().all(|v| BODY_VERBS.contains(v)),
        _ => false,
    }
}

/// `audit Policy` or `audit Policy `name``.
pub fn policy_label(obj: &Object<'_>) -> String {
    if obj.name().is_empty() {
        "audit Policy".to_string()
    } else {
        format!("audit Policy `{}`", obj.name())
    }
}

/// The outcomes decided by one rule (`None`: by no rule), with their classes.
pub type Group<'c> = (Option<usize>, Vec<(RequestClass<'c>, Outcome)>);

/// Outcomes of several classes, grouped by deciding rule (`None`: no rule matches), in rule
/// order with the no-match group last. Only outcomes accepted by `keep` are returned.
pub fn grouped<'c>(
    policy: &AuditPolicy<'_, '_>,
    classes: &[RequestClass<'c>],
    keep: impl Fn(&RequestClass<'c>, &Outcome) -> bool,
) -> Vec<Group<'c>> {
    let mut groups: Vec<Group<'c>> = vec![];
    for class in classes {
        for o in outcomes(policy, class) {
            if !keep(class, &o) {
                continue;
            }
            match groups.iter_mut().find(|(r, _)| *r == o.rule) {
                Some((_, v)) => v.push((*class, o)),
                None => groups.push((o.rule, vec![(*class, o)])),
            }
        }
    }
    groups.sort_by_key(|(r, _)| r.map_or(usize::MAX, |i| i));
    groups
}

/// Whether the outcome is a valid `None` level (explicit or by default).
pub fn is_none_level(o: &Outcome) -> bool {
    o.level == Some(Level::None)
}

/// `pods/exec, pods/attach`.
pub fn class_list(hits: &[(RequestClass<'_>, Outcome)]) -> String {
    let mut names: Vec<String> = vec![];
    for (c, _) in hits {
        let d = c.display();
        if !names.contains(&d) {
            names.push(d);
        }
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report for classes whose requests get level `None`: one finding per `level: None` rule
/// (at its `level`) and one for requests that match no rule (at `rules`).
pub fn report_unaudited(
    rule_cx: &mut crate::rule::Ctx<'_>,
    obj: &Object<'_>,
    policy: &AuditPolicy<'_, '_>,
    classes: &[RequestClass<'_>],
    what: &str,
) {
    if policy.rules.is_empty() {
        return;
    }
    for (rule, hits) in grouped(policy, classes, |_, o| is_none_level(o)) {
        let Some((class, first)) = hits.first() else {
            continue;
        };
        let example = first.witness.describe(class);
        match rule.and_then(|i| policy.rule(i)) {
            Some(r) => {
                rule_cx.report(
                    obj,
                    r.level_at(),
                    format!(
                        "{} rule {} has `level: None` and decides {} ({}): {what} are not audited",
                        policy_label(obj),
                        r.index,
                        class_list(&hits),
                        example
                    ),
                );
            }
            None => {
                rule_cx.report(
                    obj,
                    policy.rules_at(),
                    format!(
                        "no rule of the {} matches some requests to {} (e.g. {}), so they get the default level None: {what} are not audited",
                        policy_label(obj),
                        class_list(&hits),
                        example
                    ),
                );
            }
        }
    }
}
