//! The findings panel: counts by severity, filters (text, severity, area), grouping (by
//! severity, area or object), each finding with its rule, message, object, line and fix, the
//! rule's documentation one click away, input errors, and suppressed findings apart.
//!
//! Clicking a finding (or an input error) dispatches [`Action::Select`] with its span, which
//! the editor selects.

use std::collections::HashMap;
use std::rc::Rc;

use secrets_guard_core::{Area, Finding, InputError, ObjectRef, Report, Severity};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::encryption::provider_for_rule;
use super::fix::FixButton;
use super::rule_docs::{inlines, render_inlines};
use crate::engine::Evaluation;
use crate::state::{Action, AppState, Filter, GroupBy, Span, Tab};

/// Capitalised severity, for headings.
pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// A reader's name for an area.
pub fn area_label(a: Area) -> &'static str {
    match a {
        Area::EncryptionAtRest => "Encryption at rest",
        Area::Apiserver => "kube-apiserver",
        Area::AccessControl => "Access control",
        Area::Audit => "Audit logging",
        Area::Workload => "Workloads",
        Area::SecretData => "Secret data",
    }
}

/// `Role default/secret-reader`; `document N` when the document has no kind.
pub fn object_label(o: &ObjectRef, document: usize) -> String {
    if o.kind.is_empty() {
        format!("document {}", document + 1)
    } else {
        o.to_string()
    }
}

/// Unsuppressed findings by severity, most severe first.
pub fn counts(report: &Report) -> [(Severity, usize); 5] {
    Severity::ALL.map(|s| (s, report.active().filter(|f| f.severity == s).count()))
}

/// Whether a finding passes the filter: its severity and area, and every word of the text
/// (case-insensitive) in its rule id, title, severity, area, message, object or fix.
pub fn matches(f: &Finding, filter: &Filter) -> bool {
    if filter.severity.is_some_and(|s| s != f.severity) || filter.area.is_some_and(|a| a != f.area)
    {
        return false;
    }
    let words: Vec<String> = filter
        .text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return true;
    }
    let haystack = [
        f.rule,
        f.title,
        f.severity.as_str(),
        f.area.as_str(),
        area_label(f.area),
        &f.message,
        &object_label(&f.object, f.document),
        &f.remediation,
    ]
    .join("\n")
    .to_lowercase();
    words.iter().all(|w| haystack.contains(w.as_str()))
}

/// A group of findings under one heading.
#[derive(Debug)]
pub struct Group<'a> {
    /// Stable key (`data-group`): the severity or area name, or the object's position.
    pub key: String,
    pub label: String,
    pub findings: Vec<&'a Finding>,
}

/// Group findings: by severity (most severe first), area (in the core's order) or object (in
/// input order). Inside a group, findings are in input order.
pub fn group<'a>(findings: impl IntoIterator<Item = &'a Finding>, by: GroupBy) -> Vec<Group<'a>> {
    let mut findings: Vec<&Finding> = findings.into_iter().collect();
    findings.sort_by(|a, b| {
        (a.line, a.column, a.rule, &a.message).cmp(&(b.line, b.column, b.rule, &b.message))
    });
    match by {
        GroupBy::Severity => Severity::ALL
            .iter()
            .map(|&s| Group {
                key: s.as_str().to_string(),
                label: severity_label(s).to_string(),
                findings: findings
                    .iter()
                    .copied()
                    .filter(|f| f.severity == s)
                    .collect(),
            })
            .filter(|g| !g.findings.is_empty())
            .collect(),
        GroupBy::Area => Area::ALL
            .iter()
            .map(|&a| Group {
                key: a.as_str().to_string(),
                label: area_label(a).to_string(),
                findings: findings.iter().copied().filter(|f| f.area == a).collect(),
            })
            .filter(|g| !g.findings.is_empty())
            .collect(),
        GroupBy::Object => {
            // Objects in the order their first finding appears in the input.
            let mut groups: Vec<Group> = vec![];
            let mut index: HashMap<(usize, Option<usize>, &ObjectRef), usize> = HashMap::new();
            for f in findings {
                let id = (f.document, f.item, &f.object);
                let i = *index.entry(id).or_insert_with(|| {
                    groups.push(Group {
                        key: format!(
                            "{}{}",
                            f.document + 1,
                            f.item.map(|i| format!(".{i}")).unwrap_or_default()
                        ),
                        label: object_label(&f.object, f.document),
                        findings: vec![],
                    });
                    groups.len() - 1
                });
                groups[i].findings.push(f);
            }
            groups
        }
    }
}

fn span_of(f: &Finding) -> Span {
    Span {
        line: f.line,
        column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
    }
}

fn error_span(e: &InputError) -> Span {
    Span {
        line: e.line,
        column: e.column,
        end_line: e.line,
        end_column: e.column,
    }
}

#[derive(Properties, Clone)]
pub struct FindingsProps {
    pub evaluation: Rc<Evaluation>,
    pub filter: Filter,
    pub dispatch: UseReducerDispatcher<AppState>,
}

impl PartialEq for FindingsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.filter == other.filter
            && self.dispatch == other.dispatch
    }
}

/// The findings panel.
#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let report = &props.evaluation.report;
    let filter = &props.filter;
    let dispatch = &props.dispatch;

    let set_filter = {
        let dispatch = dispatch.clone();
        let filter = filter.clone();
        move |change: &dyn Fn(&mut Filter)| {
            let mut next = filter.clone();
            change(&mut next);
            dispatch.dispatch(Action::SetFilter(next));
        }
    };
    let set_filter = Rc::new(set_filter);

    let on_text = {
        let set = set_filter.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            set(&|f: &mut Filter| f.text = value.clone());
        })
    };
    let on_severity = {
        let set = set_filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            set(&|f: &mut Filter| f.severity = value.parse().ok());
        })
    };
    let on_area = {
        let set = set_filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            set(&|f: &mut Filter| f.area = value.parse().ok());
        })
    };
    let on_group = {
        let set = set_filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            set(&|f: &mut Filter| f.group = GroupBy::from_name(&value).unwrap_or_default());
        })
    };
    let clear_filters = {
        let set = set_filter.clone();
        Callback::from(move |_: MouseEvent| {
            set(&|f: &mut Filter| {
                *f = Filter {
                    group: f.group,
                    ..Filter::default()
                }
            })
        })
    };

    // Select elements show what the filter holds, also after a change made elsewhere (a
    // count button, "Clear filters"): option `selected` attributes alone do not move a select
    // the user already changed.
    let severity_ref = use_node_ref();
    let area_ref = use_node_ref();
    let group_ref = use_node_ref();
    {
        let refs = (severity_ref.clone(), area_ref.clone(), group_ref.clone());
        use_effect_with(
            (filter.severity, filter.area, filter.group),
            move |&(severity, area, group)| {
                let set = |r: &NodeRef, v: &str| {
                    if let Some(select) = r.cast::<HtmlSelectElement>() {
                        if select.value() != v {
                            select.set_value(v);
                        }
                    }
                };
                set(&refs.0, severity.map_or("", Severity::as_str));
                set(&refs.1, area.map_or("", Area::as_str));
                set(&refs.2, group.name());
            },
        );
    }

    let total = report.active().count();
    let count_buttons = counts(report).map(|(severity, n)| {
        let pressed = filter.severity == Some(severity);
        let onclick = {
            let set = set_filter.clone();
            Callback::from(move |_: MouseEvent| {
                set(&|f: &mut Filter| f.severity = if pressed { None } else { Some(severity) })
            })
        };
        let label = format!(
            "{n} {severity}: {}",
            if pressed { "show every severity" } else { "show only these" }
        );
        html! {
            <button type="button" class={classes!("count", format!("sev-{severity}"), (n == 0).then_some("zero"))}
                aria-pressed={pressed.to_string()} aria-label={label} {onclick}>
                <span class="count-n" data-testid={format!("count-{severity}")}>{ n }</span>
                <span class="count-label">{ severity.as_str() }</span>
            </button>
        }
    });

    let shown: Vec<&Finding> = report.active().filter(|f| matches(f, filter)).collect();
    let suppressed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.suppressed && matches(f, filter))
        .collect();
    let filtering =
        filter.severity.is_some() || filter.area.is_some() || !filter.text.trim().is_empty();
    let groups = group(shown.iter().copied(), filter.group);

    let summary = if filtering {
        format!("Showing {} of {total} findings", shown.len())
    } else if total == 1 {
        "1 finding".to_string()
    } else {
        format!("{total} findings")
    };

    let severity_options = Severity::ALL.iter().map(|s| {
        html! { <option value={s.as_str()} selected={filter.severity == Some(*s)}>{ severity_label(*s) }</option> }
    });
    let area_options = Area::ALL.iter().map(|a| {
        html! { <option value={a.as_str()} selected={filter.area == Some(*a)}>{ area_label(*a) }</option> }
    });
    let group_options = GroupBy::ALL.iter().map(|g| {
        let label = match g {
            GroupBy::Severity => "Severity",
            GroupBy::Area => "Area",
            GroupBy::Object => "Object",
        };
        html! { <option value={g.name()} selected={filter.group == *g}>{ label }</option> }
    });

    let errors = (!report.errors.is_empty()).then(|| {
        html! {
            <section class="input-errors" aria-labelledby="input-errors-title">
                <h3 id="input-errors-title">{ format!("Input errors ({})", report.errors.len()) }</h3>
                <p class="hint">{ "These parts of the input could not be read; everything else was evaluated." }</p>
                <ul>
                    { for report.errors.iter().map(|e| {
                        let onclick = {
                            let dispatch = dispatch.clone();
                            let span = error_span(e);
                            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Select(span)))
                        };
                        html! {
                            <li class="input-error" data-testid="input-error" data-line={e.line.to_string()}>
                                <button type="button" class="error-select" {onclick}>
                                    <span class="loc">{ format!("{} line {}, column {}", e.file, e.line, e.column) }</span>
                                    <span class="reason">{ e.message.clone() }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </section>
        }
    });

    let body = if total == 0 {
        let to_gallery = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetTab(Tab::Gallery)))
        };
        let objects = report.summary.objects;
        html! {
            <div class="empty" data-testid="findings-empty">
                <p class="empty-title">{ "No findings" }</p>
                <p>{
                    if !report.findings.is_empty() {
                        "Every finding is suppressed on its object (listed below).".to_string()
                    } else if objects == 0 {
                        "Paste Kubernetes YAML or JSON in the editor: manifests, an EncryptionConfiguration, an audit Policy or the kube-apiserver static Pod.".to_string()
                    } else if objects == 1 {
                        "Nothing in this object puts Secrets at risk.".to_string()
                    } else {
                        format!("Nothing in these {objects} objects puts Secrets at risk.")
                    }
                }</p>
                <button type="button" class="link-button" onclick={to_gallery}>{ "Try an example" }</button>
            </div>
        }
    } else if groups.is_empty() && total > 0 {
        html! {
            <div class="empty" data-testid="findings-empty">
                <p class="empty-title">{ "No finding matches the filter" }</p>
                <button type="button" class="link-button" onclick={clear_filters.clone()}>{ "Clear filters" }</button>
            </div>
        }
    } else {
        html! {
            { for groups.iter().map(|g| html! {
                <section class="group" data-group={g.key.clone()}
                    aria-label={format!("{} ({})", g.label, g.findings.len())}>
                    <h3 class="group-title">
                        { g.label.clone() }
                        <span class="group-count">{ g.findings.len() }</span>
                    </h3>
                    <ul class="finding-list">
                        { for g.findings.iter().map(|f| finding_item(f, &props.evaluation, dispatch)) }
                    </ul>
                </section>
            }) }
        }
    };

    let suppressed_section = (!suppressed.is_empty()).then(|| {
        html! {
            <details class="suppressed" data-testid="suppressed">
                <summary>{ format!("Suppressed ({})", suppressed.len()) }</summary>
                <p class="hint">{ "Findings silenced on their object with a secrets-guard.io/ignore annotation and a reason." }</p>
                <ul class="finding-list">
                    { for suppressed.iter().map(|f| finding_item(f, &props.evaluation, dispatch)) }
                </ul>
            </details>
        }
    });

    html! {
        <div class="findings-panel" data-testid="findings">
            <div class="counts" role="group" aria-label="Findings by severity">
                { for count_buttons }
            </div>
            <div class="filters" role="search">
                <label class="filter-text">
                    <span class="visually-hidden">{ "Filter findings" }</span>
                    <input type="search" data-testid="filter-text" placeholder="Filter findings…"
                        value={filter.text.clone()} oninput={on_text} />
                </label>
                <label>
                    <span class="visually-hidden">{ "Severity" }</span>
                    <select ref={severity_ref} data-testid="filter-severity" onchange={on_severity}>
                        <option value="" selected={filter.severity.is_none()}>{ "All severities" }</option>
                        { for severity_options }
                    </select>
                </label>
                <label>
                    <span class="visually-hidden">{ "Area" }</span>
                    <select ref={area_ref} data-testid="filter-area" onchange={on_area}>
                        <option value="" selected={filter.area.is_none()}>{ "All areas" }</option>
                        { for area_options }
                    </select>
                </label>
                <label class="group-by">
                    <span class="group-by-label">{ "Group by" }</span>
                    <select ref={group_ref} data-testid="group-by" onchange={on_group}>{ for group_options }</select>
                </label>
            </div>
            <p class="summary" data-testid="findings-summary" aria-live="polite">
                { summary }
                if filtering {
                    { " · " }
                    <button type="button" class="link-button" onclick={clear_filters}>{ "Clear filters" }</button>
                }
            </p>
            { errors.unwrap_or_default() }
            { body }
            { suppressed_section.unwrap_or_default() }
        </div>
    }
}

/// One finding: clicking it selects its span in the editor.
fn finding_item(
    f: &Finding,
    evaluation: &Rc<Evaluation>,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let span = span_of(f);
    let select = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.dispatch(Action::Select(span));
        })
    };
    let show_docs = {
        let dispatch = dispatch.clone();
        let rule = f.rule;
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.dispatch(Action::ShowDocs(Some(rule)));
        })
    };
    // Rules about a provider choice open the Encryption tab with that provider.
    let see_stores = provider_for_rule(f.rule, &evaluation.source).map(|provider| {
        let dispatch = dispatch.clone();
        let rule = f.rule;
        let onclick = Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.dispatch(Action::SeeStores(rule));
        });
        html! {
            <button type="button" class="docs-button" data-testid="see-stores" {onclick}
                data-provider={provider.name()}
                aria-label={format!("See what {} stores in etcd", provider.label())}>
                { "See what this stores" }
            </button>
        }
    });
    let severity = f.severity.as_str();
    let testid = if f.suppressed {
        "suppressed-finding"
    } else {
        "finding"
    };
    html! {
        <li class={classes!("finding", format!("sev-{severity}"), f.suppressed.then_some("is-suppressed"))}
            data-testid={testid} data-rule={f.rule} data-line={f.line.to_string()}
            data-severity={severity} data-area={f.area.as_str()} onclick={select.clone()}>
            <button type="button" class="finding-head" onclick={select}
                aria-label={format!("{} {}: {}, line {}. Select in editor", severity, f.rule, f.title, f.line)}>
                <span class={classes!("badge", format!("sev-{severity}"))}>{ severity }</span>
                <span class="rule-id">{ f.rule }</span>
                <span class="finding-title">{ f.title }</span>
                <span class="loc" title={format!("line {}, column {}", f.line, f.column)}>{ format!("line {}", f.line) }</span>
            </button>
            <p class="message">{ render_inlines(&inlines(&f.message)) }</p>
            <p class="meta">
                <span class="object">{ object_label(&f.object, f.document) }</span>
                <span class="area">{ area_label(f.area) }</span>
            </p>
            if let Some(reason) = &f.suppression_reason {
                <p class="suppression"><span class="label">{ "Suppressed: " }</span>{ reason.clone() }</p>
            } else if f.suppressed {
                <p class="suppression"><span class="label">{ "Suppressed" }</span></p>
            }
            <p class="remediation"><span class="label">{ "Fix: " }</span>{ render_inlines(&inlines(&f.remediation)) }</p>
            <div class="finding-actions">
                <button type="button" class="docs-button" data-testid="docs-button" onclick={show_docs}
                    aria-label={format!("Documentation of {}", f.rule)}>{ "Rule docs" }</button>
                { see_stores.unwrap_or_default() }
                if f.fix.is_some() {
                    <FixButton finding={f.clone()} evaluation={evaluation.clone()}
                        dispatch={dispatch.clone()} />
                }
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use secrets_guard_core::admission::PolicySettings;

    use super::*;
    use crate::engine;
    use crate::examples;

    fn seed_report() -> Report {
        engine::evaluate(&examples::seed_document(), &PolicySettings::default()).report
    }

    fn ids(findings: &[&Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn counts_are_per_severity_of_active_findings() {
        let report = seed_report();
        let counts = counts(&report);
        assert_eq!(
            counts.map(|(s, _)| s),
            [
                Severity::Critical,
                Severity::High,
                Severity::Medium,
                Severity::Low,
                Severity::Info
            ]
        );
        for (s, n) in counts {
            assert_eq!(n, report.active().filter(|f| f.severity == s).count());
        }
        // The seed: AUD-001 is critical; ENC-007, ENC-008, RBAC-001 ×2 and AUD-015 ×3 high;
        // RBAC-002 medium; ENC-003 and OBJ-007 low.
        assert_eq!(counts.map(|(_, n)| n), [1, 7, 1, 2, 0]);
    }

    #[test]
    fn grouping_by_severity_orders_most_severe_first_and_lines_inside() {
        let report = seed_report();
        let groups = group(report.active(), GroupBy::Severity);
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["critical", "high", "medium", "low"]);
        assert_eq!(groups[0].label, "Critical");
        assert_eq!(ids(&groups[0].findings), ["AUD-001"]);
        let high_lines: Vec<u32> = groups[1].findings.iter().map(|f| f.line).collect();
        let mut sorted = high_lines.clone();
        sorted.sort_unstable();
        assert_eq!(high_lines, sorted);
        assert_eq!(ids(&groups[3].findings), ["ENC-003", "OBJ-007"]);
    }

    #[test]
    fn grouping_by_area_follows_the_cores_area_order() {
        let report = seed_report();
        let groups = group(report.active(), GroupBy::Area);
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "encryption-at-rest",
                "access-control",
                "audit",
                "secret-data"
            ]
        );
        assert_eq!(ids(&groups[0].findings), ["ENC-007", "ENC-008", "ENC-003"]);
        assert_eq!(groups[3].label, "Secret data");
        assert_eq!(ids(&groups[3].findings), ["OBJ-007"]);
    }

    #[test]
    fn grouping_by_object_keeps_input_order_and_names_objects() {
        let report = seed_report();
        let groups = group(report.active(), GroupBy::Object);
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "EncryptionConfiguration",
                "Role default/secret-reader",
                "AuditSink my-audit-sink"
            ]
        );
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["1", "2", "3"]);
        assert_eq!(groups[1].findings.len(), 4);
        let total: usize = groups.iter().map(|g| g.findings.len()).sum();
        assert_eq!(total, report.active().count());
    }

    #[test]
    fn filters_by_text_words_severity_and_area() {
        let report = seed_report();
        let only = |filter: Filter| -> Vec<&'static str> {
            let mut v: Vec<_> = report
                .active()
                .filter(|f| matches(f, &filter))
                .map(|f| f.rule)
                .collect();
            v.dedup();
            v
        };
        let text = |t: &str| Filter {
            text: t.into(),
            ..Filter::default()
        };
        assert_eq!(only(text("kms")), ["ENC-007", "ENC-008", "ENC-003"]);
        // Case-insensitive, every word must match, objects and ids are searched.
        assert_eq!(only(text("SECRET-READER watch")), ["RBAC-001"]);
        assert_eq!(only(text("rbac-002")), ["RBAC-002"]);
        assert!(report.active().all(|f| matches(f, &text("  "))));
        assert!(only(text("no-such-word")).is_empty());
        assert_eq!(
            only(Filter {
                severity: Some(Severity::Low),
                ..Filter::default()
            }),
            ["ENC-003", "OBJ-007"]
        );
        assert_eq!(
            only(Filter {
                area: Some(Area::Audit),
                ..Filter::default()
            }),
            ["AUD-015", "AUD-001", "AUD-015"]
        );
        assert_eq!(
            only(Filter {
                text: "audit".into(),
                severity: Some(Severity::Critical),
                area: Some(Area::Audit),
                group: GroupBy::Area,
            }),
            ["AUD-001"]
        );
    }

    #[test]
    fn suppressed_findings_are_not_counted() {
        let example = examples::find("wl-reviewed-exception").unwrap();
        let settings = PolicySettings {
            honor_suppression_annotations: true,
            ..PolicySettings::default()
        };
        let report = engine::evaluate(example.text, &settings).report;
        assert_eq!(report.findings.len(), 1);
        assert!(report.findings[0].suppressed);
        assert_eq!(counts(&report).map(|(_, n)| n), [0, 0, 0, 0, 0]);
        // With the default settings the annotation is not honoured.
        let report = engine::evaluate(example.text, &PolicySettings::default()).report;
        assert_eq!(counts(&report).map(|(_, n)| n), [0, 0, 0, 1, 0]);
    }

    #[test]
    fn object_labels() {
        let o = ObjectRef {
            api_version: "v1".into(),
            kind: "Secret".into(),
            namespace: Some("app".into()),
            name: Some("db".into()),
        };
        assert_eq!(object_label(&o, 0), "Secret app/db");
        assert_eq!(object_label(&ObjectRef::default(), 2), "document 3");
    }
}
