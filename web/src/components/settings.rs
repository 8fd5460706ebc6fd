//! The settings form: exactly the Kubewarden policy's settings
//! ([`secrets_guard_core::admission::PolicySettings`]), validated by the same
//! [`PolicySettings::validate`] the policy's `validate_settings` runs. Valid settings apply at
//! once (the findings and the admission preview follow); invalid ones are not applied and the
//! policy's own message says why. The resulting `settings` block is shown as YAML (for a
//! `ClusterAdmissionPolicy`) or JSON (for `kwctl run --settings-json`), ready to copy.

use secrets_guard_core::admission::{ContextAction, PolicySettings};
use secrets_guard_core::yaml::{parse_documents, Limits, Node, Style, Value};
use secrets_guard_core::{registry, Area, Severity};
use yew::prelude::*;

use crate::state::{Action, AppState};

/// The form's fields as typed (lists as comma- or newline-separated text, numbers as text).
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsDraft {
    pub reject_at: Severity,
    pub warn_at: Severity,
    pub enable: String,
    pub disable: String,
    pub exempt_namespaces: String,
    pub exempt_users: String,
    pub exempt_groups: String,
    pub exempt_service_accounts: String,
    pub honor_suppression_annotations: bool,
    pub only_new_findings: bool,
    pub resolve_role_refs: bool,
    pub service_account_secret_access: ContextAction,
    /// `max_input_bytes`, `max_line_bytes`, `max_document_chars`, `max_depth`,
    /// `max_alias_nodes`, `max_documents`, as typed.
    pub limits: [String; 6],
}

/// The limits' setting names and labels, in [`SettingsDraft::limits`] order.
pub const LIMITS: [(&str, &str); 6] = [
    ("max_input_bytes", "Largest input (bytes)"),
    ("max_line_bytes", "Longest line (bytes)"),
    ("max_document_chars", "Largest document (characters)"),
    ("max_depth", "Deepest nesting"),
    ("max_alias_nodes", "Most nodes added by aliases"),
    ("max_documents", "Most documents"),
];

/// Entries of a list field: separated by commas or line breaks, trimmed, empty ones dropped.
pub fn parse_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn join(list: &[String]) -> String {
    list.join(", ")
}

impl SettingsDraft {
    pub fn from_settings(s: &PolicySettings) -> SettingsDraft {
        let l = &s.limits;
        SettingsDraft {
            reject_at: s.reject_at,
            warn_at: s.warn_at,
            enable: join(&s.enable),
            disable: join(&s.disable),
            exempt_namespaces: join(&s.exempt_namespaces),
            exempt_users: join(&s.exempt_users),
            exempt_groups: join(&s.exempt_groups),
            exempt_service_accounts: join(&s.exempt_service_accounts),
            honor_suppression_annotations: s.honor_suppression_annotations,
            only_new_findings: s.only_new_findings,
            resolve_role_refs: s.context_aware.resolve_role_refs,
            service_account_secret_access: s.context_aware.service_account_secret_access,
            limits: [
                l.max_input_bytes.to_string(),
                l.max_line_bytes.to_string(),
                l.max_document_chars.to_string(),
                l.max_depth.to_string(),
                l.max_alias_nodes.to_string(),
                l.max_documents.to_string(),
            ],
        }
    }

    /// The settings the form describes, validated as the policy validates them; the message of
    /// the first problem otherwise.
    pub fn to_settings(&self) -> Result<PolicySettings, String> {
        let mut limits = [0usize; 6];
        for (i, ((name, _), text)) in LIMITS.iter().zip(&self.limits).enumerate() {
            limits[i] = text
                .trim()
                .parse()
                .map_err(|_| format!("limits.{name}: `{}` is not a whole number", text.trim()))?;
        }
        let mut s = PolicySettings {
            reject_at: self.reject_at,
            warn_at: self.warn_at,
            enable: parse_list(&self.enable),
            disable: parse_list(&self.disable),
            exempt_namespaces: parse_list(&self.exempt_namespaces),
            exempt_users: parse_list(&self.exempt_users),
            exempt_groups: parse_list(&self.exempt_groups),
            exempt_service_accounts: parse_list(&self.exempt_service_accounts),
            honor_suppression_annotations: self.honor_suppression_annotations,
            only_new_findings: self.only_new_findings,
            ..PolicySettings::default()
        };
        s.context_aware.resolve_role_refs = self.resolve_role_refs;
        s.context_aware.service_account_secret_access = self.service_account_secret_access;
        s.limits.max_input_bytes = limits[0];
        s.limits.max_line_bytes = limits[1];
        s.limits.max_document_chars = limits[2];
        s.limits.max_depth = limits[3];
        s.limits.max_alias_nodes = limits[4];
        s.limits.max_documents = limits[5];
        s.validate()?;
        Ok(s)
    }
}

/// A scalar as YAML: strings double-quoted (a JSON string is a valid YAML double-quoted
/// scalar), everything else as written; empty collections inline.
fn yaml_scalar(n: &Node<'_>) -> Option<String> {
    Some(match &n.value {
        Value::Scalar(s) if s.style == Style::Quoted => {
            serde_json::to_string(s.text.as_ref()).unwrap_or_default()
        }
        Value::Scalar(s) => s.text.to_string(),
        Value::Seq(items) if items.is_empty() => "[]".into(),
        Value::Map(entries) if entries.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn write_yaml(out: &mut String, n: &Node<'_>, indent: usize) {
    let pad = " ".repeat(indent);
    match &n.value {
        Value::Map(entries) => {
            for e in entries {
                let key = e.key.as_scalar().unwrap_or_default();
                match yaml_scalar(&e.value) {
                    Some(s) => out.push_str(&format!("{pad}{key}: {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        write_yaml(out, &e.value, indent + 2);
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                match yaml_scalar(item) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}-\n"));
                        write_yaml(out, item, indent + 2);
                    }
                }
            }
        }
        Value::Scalar(_) => {
            if let Some(s) = yaml_scalar(n) {
                out.push_str(&format!("{pad}{s}\n"));
            }
        }
    }
}

/// The settings as the JSON `kwctl run --settings-json` and the policy-server take.
pub fn settings_json(s: &PolicySettings) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|_| "{}".into())
}

/// The settings as the `settings:` block of a `ClusterAdmissionPolicy` (every field, in the
/// struct's order).
pub fn settings_yaml(s: &PolicySettings) -> String {
    // The JSON, read back with the core's loader, which keeps the keys in the order written
    // (the struct's field order).
    let json = settings_json(s);
    let mut out = String::from("settings:\n");
    parse_documents(&json, &Limits::default(), |doc| {
        if let Ok(doc) = doc {
            write_yaml(&mut out, &doc.root, 2);
        }
    });
    out
}

/// What the rule picker offers: areas, id prefixes, then every rule with its title.
pub fn selector_options() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Area::ALL
        .iter()
        .map(|a| (a.as_str().to_string(), format!("Area: {a}")))
        .collect();
    let mut prefixes: Vec<&str> = registry::rules()
        .iter()
        .filter_map(|r| r.meta().id.split_once('-').map(|(p, _)| p))
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    out.extend(
        prefixes
            .into_iter()
            .map(|p| (format!("{p}-*"), format!("Prefix: every {p}-… rule"))),
    );
    out.extend(registry::rules().iter().map(|r| {
        let m = r.meta();
        (
            m.id.to_string(),
            format!("{} — {} ({})", m.id, m.title, m.severity),
        )
    }));
    out
}

/// `list` (comma-separated) with `entry` added at the end, unless it is already there.
pub fn add_to_list(list: &str, entry: &str) -> String {
    let mut items = parse_list(list);
    if !items.iter().any(|i| i.eq_ignore_ascii_case(entry)) {
        items.push(entry.to_string());
    }
    items.join(", ")
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: PolicySettings,
    pub dispatch: UseReducerDispatcher<AppState>,
}

fn severity_options(selected: Severity) -> Html {
    html! {
        { for Severity::ALL.iter().map(|s| html! {
            <option value={s.as_str()} selected={*s == selected}>{ s.as_str() }</option>
        }) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockFormat {
    Yaml,
    Json,
}

#[function_component(SettingsForm)]
pub fn settings_form(props: &SettingsProps) -> Html {
    let draft = use_state(|| SettingsDraft::from_settings(&props.settings));
    let error = use_state(|| None::<String>);
    let picked = use_state(|| "RBAC-001".to_string());
    let format = use_state(|| BlockFormat::Yaml);
    let copied = use_state(|| false);

    // Settings replaced from elsewhere (a share link, the reset button): show them.
    {
        let draft = draft.clone();
        let error = error.clone();
        use_effect_with(props.settings.clone(), move |settings| {
            if draft.to_settings().as_ref() != Ok(settings) {
                draft.set(SettingsDraft::from_settings(settings));
                error.set(None);
            }
        });
    }

    // Every edit: keep the draft, apply it when the policy would accept it.
    let update = {
        let draft = draft.clone();
        let error = error.clone();
        let dispatch = props.dispatch.clone();
        let current = props.settings.clone();
        Callback::from(move |next: SettingsDraft| {
            match next.to_settings() {
                Ok(s) => {
                    error.set(None);
                    if s != current {
                        dispatch.dispatch(Action::SetSettings(s));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            draft.set(next);
        })
    };

    let text_field = |testid: &'static str,
                      label: &'static str,
                      help: &'static str,
                      value: &str,
                      set: fn(&mut SettingsDraft, String)| {
        let oninput = {
            let draft = draft.clone();
            let update = update.clone();
            Callback::from(move |e: InputEvent| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                let mut next = (*draft).clone();
                set(&mut next, input.value());
                update.emit(next);
            })
        };
        let id = format!("{testid}-input");
        let help_id = format!("{testid}-help");
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <input id={id} type="text" data-testid={testid} value={value.to_string()}
                    spellcheck="false" autocomplete="off" aria-describedby={help_id.clone()} {oninput} />
                <p class="hint" id={help_id}>{ help }</p>
            </div>
        }
    };
    let check_field = |testid: &'static str,
                       label: &'static str,
                       help: &'static str,
                       checked: bool,
                       set: fn(&mut SettingsDraft, bool)| {
        let onchange = {
            let draft = draft.clone();
            let update = update.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                let mut next = (*draft).clone();
                set(&mut next, input.checked());
                update.emit(next);
            })
        };
        let id = format!("{testid}-input");
        html! {
            <div class="field check">
                <input id={id.clone()} type="checkbox" data-testid={testid} {checked} {onchange} />
                <label for={id}>{ label }</label>
                <p class="hint">{ help }</p>
            </div>
        }
    };
    let severity_select = |testid: &'static str,
                           label: &'static str,
                           help: &'static str,
                           selected: Severity,
                           set: fn(&mut SettingsDraft, Severity)| {
        let onchange = {
            let draft = draft.clone();
            let update = update.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                if let Ok(sev) = select.value().parse::<Severity>() {
                    let mut next = (*draft).clone();
                    set(&mut next, sev);
                    update.emit(next);
                }
            })
        };
        let id = format!("{testid}-input");
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <select id={id} data-testid={testid} {onchange}>{ severity_options(selected) }</select>
                <p class="hint">{ help }</p>
            </div>
        }
    };

    let d = &*draft;
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            picked.set(select.value());
        })
    };
    let add_to = |to_enable: bool| {
        let draft = draft.clone();
        let update = update.clone();
        let picked = picked.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            if to_enable {
                next.enable = add_to_list(&next.enable, &picked);
            } else {
                next.disable = add_to_list(&next.disable, &picked);
            }
            update.emit(next);
        })
    };
    let on_sa_access = {
        let draft = draft.clone();
        let update = update.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let action = match select.value().as_str() {
                "warn" => ContextAction::Warn,
                "reject" => ContextAction::Reject,
                _ => ContextAction::Off,
            };
            let mut next = (*draft).clone();
            next.service_account_secret_access = action;
            update.emit(next);
        })
    };
    let limit_fields = LIMITS.iter().enumerate().map(|(i, (name, label))| {
        let oninput = {
            let draft = draft.clone();
            let update = update.clone();
            Callback::from(move |e: InputEvent| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                let mut next = (*draft).clone();
                next.limits[i] = input.value();
                update.emit(next);
            })
        };
        let id = format!("setting-limit-{name}");
        html! {
            <div class="field">
                <label for={id.clone()}>{ *label }<code>{ format!(" {name}") }</code></label>
                <input id={id.clone()} data-testid={id} type="text" inputmode="numeric"
                    value={d.limits[i].clone()} {oninput} />
            </div>
        }
    });
    let reset = {
        let dispatch = props.dispatch.clone();
        let draft = draft.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let defaults = PolicySettings::default();
            draft.set(SettingsDraft::from_settings(&defaults));
            error.set(None);
            dispatch.dispatch(Action::SetSettings(defaults));
        })
    };

    let block = match *format {
        BlockFormat::Yaml => settings_yaml(&props.settings),
        BlockFormat::Json => settings_json(&props.settings),
    };
    let on_format = {
        let format = format.clone();
        let copied = copied.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            format.set(if select.value() == "json" {
                BlockFormat::Json
            } else {
                BlockFormat::Yaml
            });
            copied.set(false);
        })
    };
    let copy = {
        let block = block.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            crate::components::share::copy_text(&block);
            copied.set(true);
        })
    };

    html! {
        <form class="settings-form" data-testid="settings-form" aria-labelledby="settings-title"
            onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <h2 id="settings-title">{ "Policy settings" }</h2>
            <p class="intro">
                { "The Kubewarden policy's settings. Findings and the admission preview use them as you type; \
                   settings the policy would refuse are not applied." }
            </p>
            if let Some(e) = &*error {
                <p class="settings-error" role="alert" data-testid="settings-error">
                    <strong>{ "Not applied: " }</strong>{ e.clone() }
                </p>
            }

            <fieldset>
                <legend>{ "Verdict" }</legend>
                { severity_select("setting-reject-at", "Reject at", "Findings at or above this severity reject the request (code 403).", d.reject_at, |s, v| s.reject_at = v) }
                { severity_select("setting-warn-at", "Warn at", "Findings at or above this severity (and below Reject at) become admission warnings.", d.warn_at, |s, v| s.warn_at = v) }
            </fieldset>

            <fieldset>
                <legend>{ "Rules" }</legend>
                { text_field("setting-enable", "Enable only", "Rule ids, areas or prefixes such as RBAC-*; empty runs every rule.", &d.enable, |s, v| s.enable = v) }
                { text_field("setting-disable", "Disable", "Rule ids, areas or prefixes not to run.", &d.disable, |s, v| s.disable = v) }
                <div class="field picker">
                    <label for="rule-picker">{ "Pick a rule, area or prefix" }</label>
                    <select id="rule-picker" data-testid="rule-picker" onchange={on_pick}>
                        { for selector_options().into_iter().map(|(value, label)| {
                            let selected = value == *picked;
                            html! { <option {value} {selected}>{ label }</option> }
                        }) }
                    </select>
                    <div class="picker-actions">
                        <button type="button" data-testid="add-enable" onclick={add_to(true)}>{ "Add to Enable only" }</button>
                        <button type="button" data-testid="add-disable" onclick={add_to(false)}>{ "Add to Disable" }</button>
                    </div>
                </div>
            </fieldset>

            <fieldset>
                <legend>{ "Exemptions" }</legend>
                <p class="hint">{ "Requests matching any of these are accepted without evaluation. Separate entries with commas." }</p>
                { text_field("setting-exempt-namespaces", "Namespaces", "e.g. kube-system", &d.exempt_namespaces, |s, v| s.exempt_namespaces = v) }
                { text_field("setting-exempt-users", "Users", "e.g. system:admin", &d.exempt_users, |s, v| s.exempt_users = v) }
                { text_field("setting-exempt-groups", "Groups", "e.g. system:masters", &d.exempt_groups, |s, v| s.exempt_groups = v) }
                { text_field("setting-exempt-service-accounts", "Service accounts", "namespace:name or system:serviceaccount:namespace:name", &d.exempt_service_accounts, |s, v| s.exempt_service_accounts = v) }
            </fieldset>

            <fieldset>
                <legend>{ "Behaviour" }</legend>
                { check_field("setting-honor-suppression", "Honour secrets-guard.io/ignore annotations", "Off by default at admission: whoever creates an object must not be able to exempt it.", d.honor_suppression_annotations, |s, v| s.honor_suppression_annotations = v) }
                { check_field("setting-only-new-findings", "Only new findings on UPDATE", "On UPDATE, reject only for findings that the old object did not already have.", d.only_new_findings, |s, v| s.only_new_findings = v) }
            </fieldset>

            <fieldset class="not-applicable">
                <legend>{ "Context-aware checks" }</legend>
                <p class="hint" data-testid="context-aware-note">
                    { "Not applicable in the browser: there is no cluster to ask, so these checks cannot run here \
                       (the admission preview says so in its warnings). They stay editable so that the settings block below is complete." }
                </p>
                { check_field("setting-resolve-role-refs", "Resolve role references", "For bindings, fetch the Role or ClusterRole they name and apply the cross-object rules.", d.resolve_role_refs, |s, v| s.resolve_role_refs = v) }
                <div class="field">
                    <label for="setting-sa-secret-access-input">{ "ServiceAccount can list Secrets" }</label>
                    <select id="setting-sa-secret-access-input" data-testid="setting-sa-secret-access" onchange={on_sa_access}>
                        { for [("off", ContextAction::Off), ("warn", ContextAction::Warn), ("reject", ContextAction::Reject)].into_iter().map(|(name, a)| html! {
                            <option value={name} selected={d.service_account_secret_access == a}>{ name }</option>
                        }) }
                    </select>
                    <p class="hint">{ "For workloads, ask the cluster whether the Pod's ServiceAccount can list Secrets." }</p>
                </div>
            </fieldset>

            <fieldset>
                <legend>{ "Limits" }</legend>
                <p class="hint">{ "Bounds for hostile input." }</p>
                <div class="limits">{ for limit_fields }</div>
            </fieldset>

            <div class="form-actions">
                <button type="button" data-testid="settings-reset" onclick={reset}>{ "Reset to defaults" }</button>
            </div>

            <section class="settings-block" aria-labelledby="settings-block-title">
                <div class="block-head">
                    <h3 id="settings-block-title">{ "Kubewarden settings" }</h3>
                    <label class="format">
                        { "Format " }
                        <select data-testid="settings-format" onchange={on_format}>
                            <option value="yaml" selected={*format == BlockFormat::Yaml}>{ "YAML (ClusterAdmissionPolicy)" }</option>
                            <option value="json" selected={*format == BlockFormat::Json}>{ "JSON (kwctl --settings-json)" }</option>
                        </select>
                    </label>
                    <button type="button" data-testid="copy-settings" onclick={copy}>
                        { if *copied { "Copied" } else { "Copy" } }
                    </button>
                </div>
                <p class="hint">{ "The settings in force (the last valid ones)." }</p>
                <pre class="code" data-testid="settings-block" tabindex="0">{ block }</pre>
            </section>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_round_trips_and_validates_like_the_policy() {
        let defaults = PolicySettings::default();
        let draft = SettingsDraft::from_settings(&defaults);
        assert_eq!(draft.to_settings(), Ok(defaults.clone()));

        let mut d = draft.clone();
        d.disable = " RBAC-002 ,\nworkload,, ".into();
        d.exempt_namespaces = "kube-system, monitoring".into();
        d.reject_at = Severity::Critical;
        let s = d.to_settings().unwrap();
        assert_eq!(s.disable, ["RBAC-002", "workload"]);
        assert_eq!(s.exempt_namespaces, ["kube-system", "monitoring"]);
        assert_eq!(s.reject_at, Severity::Critical);
        assert_eq!(SettingsDraft::from_settings(&s).to_settings(), Ok(s));

        // The policy's own messages.
        let mut bad = draft.clone();
        bad.disable = "RBAC-999".into();
        assert_eq!(
            bad.to_settings().unwrap_err(),
            defaults_with(|s| s.disable = vec!["RBAC-999".into()])
        );
        let mut bad = draft.clone();
        bad.warn_at = Severity::Critical;
        bad.reject_at = Severity::Low;
        assert!(bad
            .to_settings()
            .unwrap_err()
            .contains("warn_at (critical) is above reject_at (low)"));
        let mut bad = draft.clone();
        bad.exempt_service_accounts = "just-a-name".into();
        assert!(bad.to_settings().unwrap_err().contains("just-a-name"));
        let mut bad = draft;
        bad.limits[3] = "deep".into();
        assert_eq!(
            bad.to_settings().unwrap_err(),
            "limits.max_depth: `deep` is not a whole number"
        );
        bad.limits[3] = "0".into();
        assert_eq!(
            bad.to_settings().unwrap_err(),
            "limits must be positive: max_depth is 0"
        );
    }

    /// The message `PolicySettings::validate` gives for defaults changed by `f`.
    fn defaults_with(f: impl FnOnce(&mut PolicySettings)) -> String {
        let mut s = PolicySettings::default();
        f(&mut s);
        s.validate().unwrap_err()
    }

    #[test]
    fn blocks_are_complete_and_parse_back() {
        let mut s = PolicySettings {
            disable: vec!["RBAC-002".into(), "say \"hi\": x".into()],
            exempt_users: vec!["system:admin".into()],
            ..PolicySettings::default()
        };
        s.context_aware.service_account_secret_access = ContextAction::Warn;
        let json = settings_json(&s);
        let back: PolicySettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let yaml = settings_yaml(&s);
        assert!(yaml.starts_with("settings:\n  reject_at: \"high\"\n  warn_at: \"medium\"\n  enable: []\n  disable:\n    - \"RBAC-002\"\n"), "{yaml}");
        assert!(yaml.contains("  context_aware:\n    resolve_role_refs: false\n    service_account_secret_access: \"warn\"\n"), "{yaml}");
        assert!(
            yaml.contains("  limits:\n    max_input_bytes: 8388608\n"),
            "{yaml}"
        );
        // The YAML reads back (with the core's own loader) to the same settings.
        let mut root = None;
        secrets_guard_core::yaml::parse_documents(&yaml, &Default::default(), |d| {
            root = d.ok().map(|d| d.root.to_json())
        });
        let from_yaml: PolicySettings =
            serde_json::from_value(root.unwrap()["settings"].clone()).unwrap();
        assert_eq!(from_yaml, s);
    }

    #[test]
    fn picker_offers_every_rule_area_and_prefix() {
        let opts = selector_options();
        assert!(opts.iter().any(|(v, _)| v == "access-control"));
        assert!(opts.iter().any(|(v, _)| v == "RBAC-*"));
        let rbac1 = opts.iter().find(|(v, _)| v == "RBAC-001").unwrap();
        assert_eq!(
            rbac1.1,
            "RBAC-001 — Role grants list or watch on Secrets (high)"
        );
        assert_eq!(
            opts.len(),
            Area::ALL.len() + 7 + registry::rules().len(),
            "areas, the 7 prefixes, every rule"
        );
        // Every option is a selector the policy accepts.
        for (v, _) in &opts {
            let s = PolicySettings {
                disable: vec![v.clone()],
                ..PolicySettings::default()
            };
            assert_eq!(s.validate(), Ok(()), "{v}");
        }
        assert_eq!(add_to_list("", "RBAC-001"), "RBAC-001");
        assert_eq!(add_to_list("RBAC-001", "rbac-001"), "RBAC-001");
        assert_eq!(add_to_list("a, b", "c"), "a, b, c");
    }
}
