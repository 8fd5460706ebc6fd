//! The admission preview: pick an object from the editor's documents, an operation and a user,
//! and see what the Kubewarden policy would answer. The `AdmissionRequest` is built here; the
//! answer comes from [`secrets_guard_core::admission::validate_with`], the very function the
//! policy's `validate` calls, with the settings of the settings form. There is no cluster in the
//! browser, so context-aware lookups get [`NoContext`] (and say so in the warnings).
//!
//! Documents that no webhook ever sees (an `EncryptionConfiguration`, an audit `Policy`) are
//! previewed in raw mode (Kubewarden `policyType: raw`): the document itself is the request.

use secrets_guard_core::admission::{validate_with, NoContext, PolicySettings, ValidationResponse};
use std::rc::Rc;

use crate::worker::{self, Request, Response};
use secrets_guard_core::yaml::{parse_documents, Limits, Node};
use serde_json::{json, Value};
use yew::prelude::*;

/// One object of the editor's text that can be previewed.
#[derive(Debug, Clone, PartialEq)]
pub struct DocObject {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// First line of the object in the editor.
    pub line: u32,
    /// The object as JSON (what the API server would put in `object`).
    pub json: Value,
}

impl DocObject {
    /// `Role default/secret-reader (line 2)`.
    pub fn label(&self) -> String {
        let mut s = self.kind.clone();
        match (&self.namespace, &self.name) {
            (Some(ns), Some(n)) => s += &format!(" {ns}/{n}"),
            (None, Some(n)) => s += &format!(" {n}"),
            _ => {}
        }
        s + &format!(" (line {})", self.line)
    }

    fn group_version(&self) -> (&str, &str) {
        match self.api_version.rsplit_once('/') {
            Some((g, v)) => (g, v),
            None => ("", self.api_version.as_str()),
        }
    }

    /// Configuration files that are not API objects: no webhook sees them, so they are
    /// previewed in raw mode.
    pub fn is_config_file(&self) -> bool {
        let (group, _) = self.group_version();
        matches!(
            (group, self.kind.as_str()),
            ("apiserver.config.k8s.io", _)
                | ("audit.k8s.io", "Policy")
                | ("kubelet.config.k8s.io", _)
                | ("kubeproxy.config.k8s.io", _)
                | ("", "EncryptionConfig")
        )
    }
}

/// Every object of `text` (documents, and the items of `kind: List` documents), in order.
pub fn objects_of(text: &str) -> Vec<DocObject> {
    let mut out = vec![];
    parse_documents(text, &Limits::default(), |doc| {
        let Ok(doc) = doc else { return };
        let root = &doc.root;
        if root.get("kind").and_then(Node::as_str) == Some("List") {
            for item in root.get("items").map(Node::items).unwrap_or_default() {
                push_object(item, &mut out);
            }
        } else {
            push_object(root, &mut out);
        }
    });
    out
}

fn push_object(node: &Node<'_>, out: &mut Vec<DocObject>) {
    let (Some(api_version), Some(kind)) = (
        node.get("apiVersion").and_then(Node::as_str),
        node.get("kind").and_then(Node::as_str),
    ) else {
        return;
    };
    let meta = node.get("metadata");
    let text = |key: &str| {
        meta.and_then(|m| m.get(key))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    out.push(DocObject {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace: text("namespace"),
        name: text("name"),
        line: node.span.line,
        json: node.to_json(),
    });
}

/// The admission operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operation {
    #[default]
    Create,
    Update,
    Delete,
    Connect,
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::Create,
        Operation::Update,
        Operation::Delete,
        Operation::Connect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }

    pub fn from_name(s: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.as_str() == s)
    }

    fn options_kind(self) -> &'static str {
        match self {
            Operation::Create => "CreateOptions",
            Operation::Update => "UpdateOptions",
            Operation::Delete => "DeleteOptions",
            Operation::Connect => "ConnectOptions",
        }
    }
}

/// Kinds that are not in a namespace.
const CLUSTER_SCOPED: &[&str] = &[
    "ClusterRole",
    "ClusterRoleBinding",
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "CustomResourceDefinition",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "CertificateSigningRequest",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "APIService",
    "AuditSink",
    "PodSecurityPolicy",
    "ClusterAdmissionPolicy",
];

/// The resource (plural, lower case) of a kind, as the API server names it.
pub fn resource_of(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower == "endpoints" {
        return lower;
    }
    let consonant_y = lower.ends_with('y')
        && !matches!(
            lower.as_bytes().get(lower.len().wrapping_sub(2)),
            Some(b'a' | b'e' | b'i' | b'o' | b'u')
        );
    if consonant_y {
        format!("{}ies", &lower[..lower.len() - 1])
    } else if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    }
}

/// What the preview sends.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestInput<'a> {
    pub object: &'a DocObject,
    /// For UPDATE: the object before the change (`None`: the same object).
    pub old_object: Option<&'a DocObject>,
    pub operation: Operation,
    pub user: String,
    pub groups: Vec<String>,
    pub dry_run: bool,
}

/// A stable, UUID-shaped id for a request (the same inputs give the same uid).
fn request_uid(seed: &str) -> String {
    let hash = |basis: u64| {
        let mut h = basis;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        h
    };
    let (a, b) = (hash(0xcbf29ce484222325), hash(0x84222325cbf29ce4));
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// The `AdmissionRequest` the API server would send for `input`.
pub fn admission_request(input: &RequestInput<'_>) -> Value {
    let obj = input.object;
    let (group, version) = obj.group_version();
    let kind = json!({"group": group, "version": version, "kind": obj.kind});
    let resource = json!({"group": group, "version": version, "resource": resource_of(&obj.kind)});
    let namespaced = !CLUSTER_SCOPED.contains(&obj.kind.as_str());
    let (object, old_object, sub_resource) = match input.operation {
        Operation::Create => (obj.json.clone(), Value::Null, None),
        Operation::Update => (
            obj.json.clone(),
            input.old_object.unwrap_or(obj).json.clone(),
            None,
        ),
        // The API server sends the object being deleted as `oldObject`.
        Operation::Delete => (Value::Null, obj.json.clone(), None),
        // `kubectl exec`: the object is the exec options.
        Operation::Connect if obj.kind == "Pod" => (
            json!({"apiVersion": "v1", "kind": "PodExecOptions", "command": ["sh"], "stdin": true, "tty": true}),
            Value::Null,
            Some("exec"),
        ),
        Operation::Connect => (Value::Null, Value::Null, None),
    };
    let mut req = json!({
        "uid": "",
        "kind": kind,
        "resource": resource,
        "requestKind": kind,
        "requestResource": resource,
        "operation": input.operation.as_str(),
        "userInfo": {"username": input.user, "groups": input.groups},
        "object": object,
        "oldObject": old_object,
        "dryRun": input.dry_run,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": input.operation.options_kind()},
    });
    if let Some(name) = &obj.name {
        req["name"] = json!(name);
    }
    if namespaced {
        req["namespace"] = json!(obj.namespace.as_deref().unwrap_or("default"));
    }
    if let Some(sub) = sub_resource {
        req["subResource"] = json!(sub);
        req["requestSubResource"] = json!(sub);
    }
    let uid = request_uid(&req.to_string());
    req["uid"] = json!(uid);
    req
}

/// The policy's answer to a request, in every form the preview shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    pub response: ValidationResponse,
    /// The `ValidationRequest` the policy-server would send (`{"request", "settings"}`).
    pub validation_request: String,
    /// The `ValidationResponse` JSON, pretty-printed.
    pub response_json: String,
    /// The `AdmissionReview` the API server would receive, pretty-printed.
    pub review_json: String,
}

/// Run the policy's `validate` on `request` (an `AdmissionRequest`, or a raw document) with
/// `settings`.
pub fn preview(request: &Value, settings: &PolicySettings) -> Preview {
    let request_text = request.to_string();
    let response = validate_with(&request_text, settings, &mut NoContext);
    let uid = request.get("uid").and_then(Value::as_str).unwrap_or("");
    let settings_value = serde_json::to_value(settings).unwrap_or(Value::Null);
    Preview {
        validation_request: serde_json::to_string_pretty(
            &json!({"request": request, "settings": settings_value}),
        )
        .unwrap_or_default(),
        response_json: serde_json::to_string_pretty(&response).unwrap_or_default(),
        review_json: serde_json::to_string_pretty(&response.admission_review(uid))
            .unwrap_or_default(),
        response,
    }
}

/// Whether to send an `AdmissionRequest` or the raw document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Raw for configuration files, admission for API objects.
    #[default]
    Auto,
    Admission,
    Raw,
}

#[derive(Properties, PartialEq)]
pub struct AdmissionProps {
    pub text: AttrValue,
    pub settings: PolicySettings,
}

fn pre_block(testid: &'static str, title: &'static str, body: String) -> Html {
    let copy = {
        let body = body.clone();
        Callback::from(move |_: MouseEvent| crate::components::share::copy_text(&body))
    };
    html! {
        <section class="json-block">
            <div class="block-head">
                <h3>{ title }</h3>
                <button type="button" class="small" onclick={copy}
                    aria-label={format!("Copy {title}")}>{ "Copy" }</button>
            </div>
            <pre class="code" data-testid={testid} tabindex="0">{ body }</pre>
        </section>
    }
}

#[function_component(AdmissionPreview)]
pub fn admission_preview(props: &AdmissionProps) -> Html {
    let objects = use_memo(props.text.clone(), |text| objects_of(text));
    // The first API object is previewed first (the seed's Role, say).
    let selected = use_state(|| None::<usize>);
    let old = use_state(|| None::<usize>);
    let operation = use_state(Operation::default);
    let mode = use_state(Mode::default);
    let user = use_state(|| "jane@example.com".to_string());
    let groups = use_state(|| "system:authenticated".to_string());
    let dry_run = use_state(|| false);

    if objects.is_empty() {
        return html! {
            <div class="admission" data-testid="admission-empty">
                <h2>{ "Admission preview" }</h2>
                <p>{ "The editor has no Kubernetes object (a document with apiVersion and kind) to send to the policy." }</p>
            </div>
        };
    }
    let default_index = objects
        .iter()
        .position(|o| !o.is_config_file())
        .unwrap_or(0);
    let index = selected
        .filter(|i| *i < objects.len())
        .unwrap_or(default_index);
    let object = &objects[index];
    let raw = match *mode {
        Mode::Auto => object.is_config_file(),
        Mode::Admission => false,
        Mode::Raw => true,
    };
    let group_list: Vec<String> = groups
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let old_object = old.and_then(|i| objects.get(i));
    let request = if raw {
        object.json.clone()
    } else {
        admission_request(&RequestInput {
            object,
            old_object,
            operation: *operation,
            user: (*user).clone(),
            groups: group_list,
            dry_run: *dry_run,
        })
    };
    // The policy runs in the background worker (crate::worker), which has `validate_with` and
    // the JSON printers; the answer shown is always the one for the current request.
    let key = (request.to_string(), props.settings.clone());
    let answer = use_state(|| None::<((String, PolicySettings), Rc<Preview>)>);
    {
        let answer = answer.clone();
        use_effect_with(key.clone(), move |key| {
            let key = key.clone();
            let ask = Request::Admission {
                request: key.0.clone(),
                settings: Box::new(key.1.clone()),
            };
            worker::request(ask, move |response| {
                if let Response::Admission(p) = response {
                    answer.set(Some((key, Rc::new(*p))));
                }
            });
        });
    }
    let pending = Rc::new(Preview {
        response: ValidationResponse::default(),
        validation_request: String::new(),
        response_json: String::new(),
        review_json: String::new(),
    });
    let (busy, result) = match &*answer {
        Some((k, p)) if *k == key => (false, p.clone()),
        _ => (true, pending),
    };
    let resp = &result.response;
    let verdict = if busy {
        "evaluating"
    } else if resp.accepted {
        "accepted"
    } else {
        "rejected"
    };

    let on_object = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            selected.set(s.value().parse().ok());
        })
    };
    let on_old = {
        let old = old.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            old.set(s.value().parse().ok());
        })
    };
    let on_operation = {
        let operation = operation.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(op) = Operation::from_name(&s.value()) {
                operation.set(op);
            }
        })
    };
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            mode.set(match s.value().as_str() {
                "admission" => Mode::Admission,
                "raw" => Mode::Raw,
                _ => Mode::Auto,
            });
        })
    };
    let on_user = {
        let user = user.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            user.set(i.value());
        })
    };
    let on_groups = {
        let groups = groups.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            groups.set(i.value());
        })
    };
    let on_dry_run = {
        let dry_run = dry_run.clone();
        Callback::from(move |e: Event| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            dry_run.set(i.checked());
        })
    };

    html! {
        <div class="admission" data-testid="admission">
            <h2>{ "Admission preview" }</h2>
            <p class="intro">
                { "What the Kubewarden policy answers for one object, computed by the policy's own validate function with the settings of the Settings tab. \
                   There is no cluster here: context-aware checks cannot run." }
            </p>
            <form class="admission-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="field wide">
                    <label for="admission-object">{ "Object" }</label>
                    <select id="admission-object" data-testid="admission-object" onchange={on_object}>
                        { for objects.iter().enumerate().map(|(i, o)| html! {
                            <option value={i.to_string()} selected={i == index}>{ o.label() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="admission-mode">{ "Mode" }</label>
                    <select id="admission-mode" data-testid="admission-mode" onchange={on_mode}>
                        <option value="auto" selected={*mode == Mode::Auto}>{ "Automatic" }</option>
                        <option value="admission" selected={*mode == Mode::Admission}>{ "Admission (AdmissionRequest)" }</option>
                        <option value="raw" selected={*mode == Mode::Raw}>{ "Raw (policyType: raw)" }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="admission-operation">{ "Operation" }</label>
                    <select id="admission-operation" data-testid="admission-operation" onchange={on_operation} disabled={raw}>
                        { for Operation::ALL.iter().map(|op| html! {
                            <option value={op.as_str()} selected={*op == *operation}>{ op.as_str() }</option>
                        }) }
                    </select>
                </div>
                if !raw && *operation == Operation::Update {
                    <div class="field wide">
                        <label for="admission-old-object">{ "Old object (oldObject)" }</label>
                        <select id="admission-old-object" data-testid="admission-old-object" onchange={on_old}>
                            <option value="" selected={old_object.is_none()}>{ "The same object (no change)" }</option>
                            { for objects.iter().enumerate().map(|(i, o)| html! {
                                <option value={i.to_string()} selected={*old == Some(i)}>{ o.label() }</option>
                            }) }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="admission-user">{ "User" }</label>
                    <input id="admission-user" type="text" data-testid="admission-user" value={(*user).clone()}
                        oninput={on_user} disabled={raw} spellcheck="false" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="admission-groups">{ "Groups" }</label>
                    <input id="admission-groups" type="text" data-testid="admission-groups" value={(*groups).clone()}
                        oninput={on_groups} disabled={raw} spellcheck="false" autocomplete="off" />
                </div>
                <div class="field check">
                    <input id="admission-dry-run" type="checkbox" data-testid="admission-dry-run"
                        checked={*dry_run} onchange={on_dry_run} disabled={raw} />
                    <label for="admission-dry-run">{ "dryRun (same verdict, noted in the audit annotations)" }</label>
                </div>
            </form>
            if raw {
                <p class="mode-note" data-testid="admission-raw-note">
                    { "Raw mode: no webhook ever sees this document, so it is sent to the policy as is (Kubewarden policyType: raw, as with kwctl run --raw)." }
                </p>
            }

            <section class={classes!("verdict", verdict)} aria-live="polite" aria-busy={busy.to_string()}>
                <p class="verdict-line">
                    <span class="verdict-badge" data-testid="admission-verdict">{ verdict }</span>
                    if let Some(code) = resp.code {
                        <span class="code-badge" data-testid="admission-code">{ format!("code {code}") }</span>
                    }
                </p>
                if let Some(message) = &resp.message {
                    <p class="violations" data-testid="admission-message">{ message.clone() }</p>
                }
                <div class="warnings">
                    <h3>{ "Warnings" }</h3>
                    <ul data-testid="admission-warnings">
                        { for resp.warnings.iter().flatten().map(|w| html! { <li>{ w.clone() }</li> }) }
                    </ul>
                    if resp.warnings.as_ref().is_none_or(|w| w.is_empty()) {
                        <p class="none">{ "None." }</p>
                    }
                </div>
            </section>

            { pre_block("admission-response", "ValidationResponse (what the policy returns)", result.response_json.clone()) }
            { pre_block("admission-review", "AdmissionReview response (what the API server receives)", result.review_json.clone()) }
            { pre_block("admission-request", "ValidationRequest (what the policy-server sends)", result.validation_request.clone()) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use secrets_guard_core::admission::validate;

    use super::*;
    use crate::examples;

    fn seed_role() -> DocObject {
        objects_of(&examples::seed_document())
            .into_iter()
            .find(|o| o.kind == "Role")
            .unwrap()
    }

    fn create(object: &DocObject) -> Value {
        admission_request(&RequestInput {
            object,
            old_object: None,
            operation: Operation::Create,
            user: "jane@example.com".into(),
            groups: vec!["system:authenticated".into()],
            dry_run: false,
        })
    }

    #[test]
    fn objects_of_the_seed() {
        let objects = objects_of(&examples::seed_document());
        let labels: Vec<String> = objects.iter().map(DocObject::label).collect();
        assert_eq!(
            labels,
            [
                "EncryptionConfiguration (line 2)",
                "Role default/secret-reader (line 15)",
                "AuditSink my-audit-sink (line 26)",
            ]
        );
        let raw: Vec<bool> = objects.iter().map(DocObject::is_config_file).collect();
        assert_eq!(raw, [true, false, false]);
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: a}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: x}}\n";
        let labels: Vec<String> = objects_of(list).iter().map(DocObject::label).collect();
        assert_eq!(labels, ["Secret a (line 4)", "ConfigMap x/b (line 7)"]);
    }

    #[test]
    fn request_building() {
        let role = seed_role();
        let req = create(&role);
        assert_eq!(
            req["kind"],
            json!({"group": "rbac.authorization.k8s.io", "version": "v1", "kind": "Role"})
        );
        assert_eq!(
            req["resource"],
            json!({"group": "rbac.authorization.k8s.io", "version": "v1", "resource": "roles"})
        );
        assert_eq!(req["requestKind"], req["kind"]);
        assert_eq!(req["namespace"], "default");
        assert_eq!(req["name"], "secret-reader");
        assert_eq!(req["operation"], "CREATE");
        assert_eq!(
            req["userInfo"],
            json!({"username": "jane@example.com", "groups": ["system:authenticated"]})
        );
        assert_eq!(req["object"], role.json);
        assert_eq!(req["oldObject"], Value::Null);
        assert_eq!(req["dryRun"], false);
        assert_eq!(req["options"]["kind"], "CreateOptions");
        let uid = req["uid"].as_str().unwrap();
        assert_eq!(uid.len(), 36);
        assert_eq!(uid, create(&role)["uid"], "stable");

        let delete = admission_request(&RequestInput {
            operation: Operation::Delete,
            ..RequestInput {
                object: &role,
                old_object: None,
                operation: Operation::Create,
                user: "u".into(),
                groups: vec![],
                dry_run: true,
            }
        });
        assert_eq!(delete["object"], Value::Null);
        assert_eq!(delete["oldObject"], role.json);
        assert_eq!(delete["dryRun"], true);
        assert_ne!(delete["uid"], req["uid"]);

        let crb = objects_of("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: []\n");
        let req = create(&crb[0]);
        assert!(req.get("namespace").is_none());
        assert_eq!(req["resource"]["resource"], "clusterrolebindings");

        for (kind, plural) in [
            ("Pod", "pods"),
            ("Policy", "policies"),
            ("Ingress", "ingresses"),
            ("Gateway", "gateways"),
            ("Endpoints", "endpoints"),
            ("NetworkPolicy", "networkpolicies"),
        ] {
            assert_eq!(resource_of(kind), plural);
        }
    }

    /// The acceptance check: the seed's Role, created under the default settings, is
    /// rejected, and the message names its rules.
    #[test]
    fn seed_role_is_rejected_naming_its_rules() {
        let role = seed_role();
        let request = create(&role);
        let p = preview(&request, &PolicySettings::default());
        assert!(!p.response.accepted);
        assert_eq!(p.response.code, Some(403));
        let message = p.response.message.clone().unwrap();
        assert!(message.starts_with("[RBAC-001] "), "{message}");
        assert_eq!(message.matches("[RBAC-001]").count(), 2, "{message}");
        assert!(p
            .response
            .warnings
            .as_ref()
            .unwrap()
            .iter()
            .any(|w| w.starts_with("[RBAC-002]")));
        // The same answer as the policy's own entry point given the ValidationRequest shown.
        let by_policy = validate(p.validation_request.as_bytes(), &mut NoContext);
        assert_eq!(by_policy, p.response);
        let response: Value = serde_json::from_str(&p.response_json).unwrap();
        assert_eq!(response, serde_json::to_value(&p.response).unwrap());
        assert_eq!(response["accepted"], false);
        let review: Value = serde_json::from_str(&p.review_json).unwrap();
        assert_eq!(review["kind"], "AdmissionReview");
        assert_eq!(review["response"]["uid"], request["uid"]);
        assert_eq!(review["response"]["allowed"], false);
        assert_eq!(review["response"]["status"]["code"], 403);
        assert_eq!(review["response"]["status"]["message"], message.as_str());

        // Settings apply: exempt the user, or raise the threshold.
        let exempt = PolicySettings {
            exempt_users: vec!["jane@example.com".into()],
            ..PolicySettings::default()
        };
        assert!(preview(&request, &exempt).response.accepted);
        let lenient = PolicySettings {
            reject_at: secrets_guard_core::Severity::Critical,
            ..PolicySettings::default()
        };
        let p = preview(&request, &lenient);
        assert!(p.response.accepted);
        assert!(p
            .response
            .warnings
            .unwrap()
            .iter()
            .any(|w| w.starts_with("[RBAC-001]")));
    }

    #[test]
    fn operations_and_raw_mode() {
        let role = seed_role();
        let settings = PolicySettings::default();
        for op in [Operation::Delete, Operation::Connect] {
            let req = admission_request(&RequestInput {
                object: &role,
                old_object: None,
                operation: op,
                user: "u".into(),
                groups: vec![],
                dry_run: false,
            });
            assert!(preview(&req, &settings).response.accepted, "{op:?}");
        }
        // UPDATE with only_new_findings: the same old object rejects nothing new.
        let update = admission_request(&RequestInput {
            object: &role,
            old_object: None,
            operation: Operation::Update,
            user: "u".into(),
            groups: vec![],
            dry_run: false,
        });
        assert_eq!(update["oldObject"], role.json);
        let only_new = PolicySettings {
            only_new_findings: true,
            ..PolicySettings::default()
        };
        assert!(preview(&update, &only_new).response.accepted);
        assert!(!preview(&update, &settings).response.accepted);

        // Raw mode: the seed's EncryptionConfiguration is the request itself.
        let enc = &objects_of(&examples::seed_document())[0];
        let p = preview(&enc.json, &settings);
        assert!(!p.response.accepted);
        let message = p.response.message.unwrap();
        assert!(
            message.contains("[ENC-007]") && message.contains("[ENC-008]"),
            "{message}"
        );
    }
}
