//! Native unit tests: the waPC functions on a few payloads (the SDK stubs the waPC imports off
//! Wasm), the host-call JSON, and the settings schema's sync with `PolicySettings`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use secrets_guard_core::admission::{ClusterContext, NoContext, PolicySettings};

use crate::context::{self, HostContext};
use crate::{protocol_version, validate, validate_bytes, validate_settings};

const SEED_ROLE: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"namespace":"default","name":"secret-reader"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","list","watch"]}]}"#;

fn admission(kind: &str, group: &str, op: &str, object: &Value, settings: Value) -> Vec<u8> {
    json!({
        "request": {
            "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
            "kind": {"group": group, "version": "v1", "kind": kind},
            "resource": {"group": group, "version": "v1", "resource": format!("{}s", kind.to_ascii_lowercase())},
            "operation": op,
            "namespace": "default",
            "name": object.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
            "userInfo": {"username": "alice", "groups": ["system:authenticated"]},
            "object": object,
            "oldObject": null,
            "dryRun": false,
        },
        "settings": settings,
    })
    .to_string()
    .into_bytes()
}

/// The response as the policy-server reads it: the SDK's `ValidationResponse`.
fn sdk_response(bytes: &[u8]) -> kubewarden_policy_sdk::response::ValidationResponse {
    serde_json::from_slice(bytes).expect("a ValidationResponse")
}

fn call_validate(payload: &[u8]) -> kubewarden_policy_sdk::response::ValidationResponse {
    sdk_response(&validate(payload).expect("validate never returns a waPC error"))
}

#[test]
fn seed_role_is_rejected_and_the_response_is_the_sdks_shape() {
    let role: Value = serde_json::from_str(SEED_ROLE).unwrap();
    let bytes = validate(&admission(
        "Role",
        "rbac.authorization.k8s.io",
        "CREATE",
        &role,
        json!({}),
    ))
    .unwrap();
    // Exactly the fields the policy-server knows, no others.
    let raw: Value = serde_json::from_slice(&bytes).unwrap();
    let known = [
        "accepted",
        "message",
        "code",
        "mutated_object",
        "audit_annotations",
        "warnings",
    ];
    for key in raw.as_object().unwrap().keys() {
        assert!(known.contains(&key.as_str()), "unexpected field {key}");
    }
    let r = sdk_response(&bytes);
    assert!(!r.accepted);
    assert_eq!(r.code, Some(403));
    let msg = r.message.unwrap();
    assert!(msg.starts_with("[RBAC-001] "), "{msg}");
    assert!(r.mutated_object.is_none());
    let warnings = r.warnings.unwrap();
    assert!(warnings.iter().all(|w| w.chars().count() <= 120));
    assert_eq!(
        r.audit_annotations.unwrap()["secrets-guard.io/findings"],
        "high=2,medium=1,low=1"
    );
}

#[test]
fn clean_objects_delete_and_exemptions_are_accepted() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "default"}, "data": {"color": "blue"}});
    let r = call_validate(&admission("ConfigMap", "", "CREATE", &cm, json!({})));
    assert!(r.accepted, "{r:?}");
    assert!(r.message.is_none() && r.code.is_none());

    let role: Value = serde_json::from_str(SEED_ROLE).unwrap();
    let del = call_validate(&admission(
        "Role",
        "rbac.authorization.k8s.io",
        "DELETE",
        &Value::Null,
        json!({}),
    ));
    assert!(del.accepted);
    let exempt = call_validate(&admission(
        "Role",
        "rbac.authorization.k8s.io",
        "CREATE",
        &role,
        json!({"exempt_users": ["alice"]}),
    ));
    assert!(exempt.accepted);
    assert_eq!(
        exempt.audit_annotations.unwrap()["secrets-guard.io/exempt"],
        "user alice"
    );
    // A higher threshold turns the rejection into warnings.
    let lenient = call_validate(&admission(
        "Role",
        "rbac.authorization.k8s.io",
        "CREATE",
        &role,
        json!({"reject_at": "critical", "warn_at": "low"}),
    ));
    assert!(lenient.accepted);
    assert!(lenient
        .warnings
        .unwrap()
        .iter()
        .any(|w| w.starts_with("[RBAC-001]")));
}

#[test]
fn workloads_and_raw_documents() {
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27",
            "env": [{"name": "DB_PASSWORD", "value": "hunter2-s3cr3t-Pa55word"}]}]}
    });
    let r = call_validate(&admission("Pod", "", "CREATE", &pod, json!({})));
    let all = format!("{:?} {:?}", r.message, r.warnings);
    assert!(all.contains("[WL-"), "{all}");

    let raw = br#"{"request":{"apiVersion":"apiserver.config.k8s.io/v1","kind":"EncryptionConfiguration","resources":[{"resources":["secrets"],"providers":[{"identity":{}},{"aescbc":{"keys":[{"name":"key1","secret":"c2VjcmV0IGlzIHNlY3VyZQ=="}]}}]}]},"settings":{}}"#;
    let r = call_validate(raw);
    assert!(!r.accepted);
    assert!(r.message.unwrap().contains("[ENC-002]"));
}

#[test]
fn malformed_payloads_are_clean_rejections_not_errors() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!(
        r#"{{"request":{{"operation":"CREATE","kind":{{"kind":"Pod"}},"object":{}}}}}"#,
        "{\"a\":".repeat(5_000) + "1" + &"}".repeat(5_000)
    );
    for bad in [
        &b""[..],
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"null",
        br#"{"request": 3}"#,
        br#"{"request": {"operation": "CREATE"}}"#,
        br#"{"request": {"operation": "CREATE", "object": "nope"}}"#,
        br#"{"request": {"operation": 7}}"#,
        br#"{"request": {}, "settings": {"reject_at": "severe"}}"#,
        deep.as_bytes(),
        deep_object.as_bytes(),
    ] {
        let r = call_validate(bad);
        assert!(!r.accepted, "{:?}", String::from_utf8_lossy(bad));
        assert_eq!(r.code, Some(400), "{r:?}");
        assert!(r.message.is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn validate_settings_answers_valid_or_a_message() {
    let answer = |s: &[u8]| -> kubewarden_policy_sdk::settings::SettingsValidationResponse {
        serde_json::from_slice(&validate_settings(s).expect("never a waPC error")).unwrap()
    };
    for good in [
        &b""[..],
        b"{}",
        b"null",
        br#"{"reject_at":"critical","warn_at":"low","disable":["RBAC-002","workload"]}"#,
        br#"{"context_aware":{"resolve_role_refs":true,"service_account_secret_access":"warn"}}"#,
        br#"{"exempt_service_accounts":["kube-system:replicaset-controller"]}"#,
        // The README's example settings block.
        br#"{"reject_at":"high","warn_at":"medium","disable":["OBJ-008"],"exempt_service_accounts":["kube-system:replicaset-controller"],"exempt_groups":["system:masters"],"honor_suppression_annotations":false,"only_new_findings":true,"context_aware":{"resolve_role_refs":true,"service_account_secret_access":"warn"}}"#,
    ] {
        let r = answer(good);
        assert!(
            r.valid,
            "{}: {:?}",
            String::from_utf8_lossy(good),
            r.message
        );
    }
    for (bad, needle) in [
        (&br#"{"reject_at":"severe"}"#[..], "severe"),
        (br#"{"warn_at":"critical","reject_at":"medium"}"#, "warn_at"),
        (br#"{"enable":["RBAC-999"]}"#, "RBAC-999"),
        (br#"{"rejectAt":"high"}"#, "rejectAt"),
        (br#"{"exempt_service_accounts":["nocolon"]}"#, "nocolon"),
        (
            br#"{"context_aware":{"service_account_secret_access":"deny"}}"#,
            "deny",
        ),
        (b"not json", "settings"),
        (b"[1]", "settings"),
    ] {
        let r = answer(bad);
        assert!(!r.valid, "{}", String::from_utf8_lossy(bad));
        let msg = r.message.unwrap_or_default();
        assert!(msg.contains(needle), "{needle} not in {msg}");
    }
}

#[test]
fn protocol_version_is_v1() {
    let v = protocol_version(b"").unwrap();
    assert_eq!(v, b"\"v1\"");
    let parsed = kubewarden_policy_sdk::metadata::ProtocolVersion::try_from(v).unwrap();
    assert_eq!(parsed, kubewarden_policy_sdk::metadata::ProtocolVersion::V1);
}

// ---------------------------------------------------------------------------------------------
// Host capabilities

#[test]
fn get_resource_request_json_is_the_sdks() {
    let role = context::role_request("Role", Some("team-a"), "reader").unwrap();
    assert_eq!(
        serde_json::to_string(&role).unwrap(),
        r#"{"api_version":"rbac.authorization.k8s.io/v1","kind":"Role","name":"reader","namespace":"team-a","disable_cache":false,"field_masks":null}"#
    );
    let cr = context::role_request("ClusterRole", Some("ignored"), "edit-secrets").unwrap();
    assert_eq!(
        serde_json::to_string(&cr).unwrap(),
        r#"{"api_version":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","name":"edit-secrets","namespace":null,"disable_cache":false,"field_masks":null}"#
    );
    assert!(context::role_request("Secret", Some("default"), "x").is_none());
    assert!(context::role_request("role", Some("default"), "x").is_none());
}

#[test]
fn can_i_request_json_is_the_sdks() {
    let groups = vec![
        "system:serviceaccounts".to_string(),
        "system:serviceaccounts:shop".to_string(),
    ];
    let req = context::can_i_request(
        "system:serviceaccount:shop:web",
        &groups,
        "list",
        "secrets",
        "shop",
    );
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"subject_access_review":{"groups":["system:serviceaccounts","system:serviceaccounts:shop"],"resource_attributes":{"group":"","name":null,"namespace":"shop","resource":"secrets","subresource":null,"verb":"list","version":null},"user":"system:serviceaccount:shop:web"},"disable_cache":false}"#
    );
    let none = context::can_i_request("u", &[], "get", "secrets", "ns");
    assert!(serde_json::to_string(&none)
        .unwrap()
        .contains(r#""groups":null"#));
}

#[test]
fn not_found_is_recognised_and_other_errors_are_not() {
    // What the policy-evaluator sends for a missing object.
    assert!(context::is_not_found(
        "Host error: Callback evaluation failure: Cannot find rbac.authorization.k8s.io/v1/Role named 'gone' inside of namespace 'Some(\"default\")'"
    ));
    assert!(context::is_not_found(
        r#"{"kind":"Status","status":"Failure","reason":"NotFound","code":404}"#
            .replace(' ', "")
            .as_str()
    ));
    for other in [
        "Host error: Callback evaluation failure: Cannot find resource rbac.authorization.k8s.io/v1/Role",
        "Host error: Policy has not been granted access to Kubernetes rbac.authorization.k8s.io/v1/Role resources. The violation has been reported.",
        "Host error: Error sending request over callback channel: Full(..)",
        "Host error: ",
    ] {
        assert!(!context::is_not_found(other), "{other}");
    }
}

#[test]
fn role_responses_are_normalised() {
    let r = context::role_from_response("ClusterRole", br#"{"metadata":{"name":"x"},"rules":[]}"#)
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_str(&r).unwrap();
    assert_eq!(v["kind"], "ClusterRole");
    assert_eq!(v["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(context::role_from_response("Role", b"null").unwrap(), None);
    assert!(context::role_from_response("Role", b"[]").is_err());
    assert!(context::role_from_response("Role", b"<html>").is_err());
}

/// A recorded host: (operation, exact request JSON) → answer.
struct Recorded {
    answers: BTreeMap<(String, String), Result<String, String>>,
    calls: Vec<(String, String)>,
}

impl Recorded {
    fn new(answers: &[(&str, String, Result<String, String>)]) -> Self {
        Recorded {
            answers: answers
                .iter()
                .map(|(op, req, ans)| ((op.to_string(), req.clone()), ans.clone()))
                .collect(),
            calls: vec![],
        }
    }

    fn run(&mut self, payload: &[u8]) -> kubewarden_policy_sdk::response::ValidationResponse {
        let answers = &self.answers;
        let calls = &mut self.calls;
        let mut call = |op: &str, req: &[u8]| -> Result<Vec<u8>, String> {
            let req = String::from_utf8_lossy(req).into_owned();
            calls.push((op.to_string(), req.clone()));
            match answers.get(&(op.to_string(), req.clone())) {
                Some(Ok(body)) => Ok(body.clone().into_bytes()),
                Some(Err(e)) => Err(e.clone()),
                None => Err(format!("unrecorded {op} {req}")),
            }
        };
        let mut ctx = HostContext::new(&mut call);
        sdk_response(&validate_bytes(payload, &mut ctx))
    }
}

fn binding(role_kind: &str, role_name: &str) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "everyone-reads"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:authenticated"}]
    })
}

const CONTEXT_ON: &str = r#"{"context_aware":{"resolve_role_refs":true}}"#;

#[test]
fn bindings_fetch_their_cluster_role() {
    let req = binding("ClusterRole", "secret-lister");
    let payload = admission(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "CREATE",
        &req,
        serde_json::from_str(CONTEXT_ON).unwrap(),
    );
    let get = r#"{"api_version":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","name":"secret-lister","namespace":null,"disable_cache":false,"field_masks":null}"#;
    let role = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"secret-lister"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["list"]}]}"#;
    let mut host = Recorded::new(&[("get_resource", get.into(), Ok(role.into()))]);
    let with_role = host.run(&payload);
    assert_eq!(host.calls, vec![("get_resource".into(), get.into())]);
    assert!(!with_role.accepted, "{with_role:?}");
    let msg = with_role.message.unwrap();
    // RBG-001 needs the role's rules: subject → binding → role → rule.
    assert!(
        msg.contains("[RBG-001] Group system:authenticated can list Secrets"),
        "{msg}"
    );

    // Without context only the roleRef is judged (RBAC-023: a broad group bound to a
    // non-built-in role).
    let no_ctx = sdk_response(&validate_bytes(
        &admission(
            "ClusterRoleBinding",
            "rbac.authorization.k8s.io",
            "CREATE",
            &req,
            json!({}),
        ),
        &mut NoContext,
    ));
    let msg = no_ctx.message.unwrap_or_default();
    assert!(
        msg.contains("[RBAC-023]") && !msg.contains("RBG-001"),
        "{msg}"
    );
}

#[test]
fn missing_roles_and_host_errors() {
    let req = binding("ClusterRole", "gone");
    let payload = admission(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "CREATE",
        &req,
        serde_json::from_str(CONTEXT_ON).unwrap(),
    );
    let get = r#"{"api_version":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","name":"gone","namespace":null,"disable_cache":false,"field_masks":null}"#;
    let not_found = "Host error: Callback evaluation failure: Cannot find rbac.authorization.k8s.io/v1/ClusterRole named 'gone' inside of namespace 'None'";
    let mut host = Recorded::new(&[("get_resource", get.into(), Err(not_found.into()))]);
    let r = host.run(&payload);
    // A role really missing from the cluster is RBG-007 (below warn_at: only counted).
    let rules = r.audit_annotations.unwrap()["secrets-guard.io/rules"].clone();
    assert!(rules.contains("RBG-007"), "{rules}");

    let mut failing = Recorded::new(&[(
        "get_resource",
        get.into(),
        Err("Host error: Policy has not been granted access to Kubernetes rbac.authorization.k8s.io/v1/ClusterRole resources.".into()),
    )]);
    let r = failing.run(&payload);
    // Same verdict as without context (RBAC-023), plus a warning that says why.
    assert!(r.message.unwrap().starts_with("[RBAC-023]"));
    let rules = r.audit_annotations.unwrap()["secrets-guard.io/rules"].clone();
    assert!(!rules.contains("RBG-007"), "{rules}");
    let warnings = r.warnings.unwrap_or_default();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("context: could not fetch ClusterRole gone")),
        "{warnings:?}"
    );

    // The real waPC context off-Wasm: the SDK's stubs report a host error.
    let r = call_validate(&payload);
    assert!(r
        .warnings
        .unwrap()
        .iter()
        .any(|w| w.starts_with("context:")));
}

#[test]
fn never_fetches_anything_but_roles() {
    let mut calls = vec![];
    let mut call = |op: &str, req: &[u8]| -> Result<Vec<u8>, String> {
        calls.push((op.to_string(), String::from_utf8_lossy(req).into_owned()));
        Ok(b"{}".to_vec())
    };
    let mut ctx = HostContext::new(&mut call);
    assert!(ctx.get_role("Secret", Some("default"), "db").is_err());
    assert!(ctx.get_role("ConfigMap", None, "x").is_err());
    assert!(calls.is_empty());
}

#[test]
fn workloads_ask_can_i_for_their_service_account() {
    let deploy = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"serviceAccountName": "web", "automountServiceAccountToken": false,
                "containers": [{"name": "app", "image": "nginx:1.27"}]}}}
    });
    let payload = admission(
        "Deployment",
        "apps",
        "CREATE",
        &deploy,
        json!({"context_aware": {"service_account_secret_access": "reject"}}),
    );
    let can_i = r#"{"subject_access_review":{"groups":["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"],"resource_attributes":{"group":"","name":null,"namespace":"default","resource":"secrets","subresource":null,"verb":"list","version":null},"user":"system:serviceaccount:default:web"},"disable_cache":false}"#;
    let mut allowed = Recorded::new(&[(
        "can_i",
        can_i.into(),
        Ok(r#"{"allowed":true,"reason":"RBAC: allowed by ClusterRoleBinding"}"#.into()),
    )]);
    let r = allowed.run(&payload);
    assert_eq!(allowed.calls, vec![("can_i".into(), can_i.into())]);
    assert!(!r.accepted, "{r:?}");
    assert!(r
        .message
        .unwrap()
        .contains("system:serviceaccount:default:web"));

    let mut denied = Recorded::new(&[("can_i", can_i.into(), Ok(r#"{"allowed":false}"#.into()))]);
    assert!(denied.run(&payload).accepted);

    let mut garbage = Recorded::new(&[("can_i", can_i.into(), Ok("yes".into()))]);
    let r = garbage.run(&payload);
    assert!(r.accepted);
    assert!(r.warnings.unwrap().iter().any(|w| w.contains("can_i")));
}

// ---------------------------------------------------------------------------------------------
// settings.schema.json ⇔ PolicySettings

const SCHEMA: &str = include_str!("../settings.schema.json");

/// Every field of the default settings is in the schema, every schema property is a field, and
/// the schema's `default`s are the struct's defaults, recursively.
fn check_object(path: &str, value: &Value, schema: &Value, problems: &mut Vec<String>) {
    let Some(fields) = value.as_object() else {
        return;
    };
    let props = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if schema["additionalProperties"] != Value::Bool(false) {
        problems.push(format!(
            "{path}: additionalProperties must be false (deny_unknown_fields)"
        ));
    }
    for (k, v) in fields {
        let Some(p) = props.get(k) else {
            problems.push(format!("{path}.{k}: field missing from the schema"));
            continue;
        };
        if v.is_object() {
            check_object(&format!("{path}.{k}"), v, p, problems);
        } else if p.get("default") != Some(v) {
            problems.push(format!(
                "{path}.{k}: schema default {:?} != struct default {v}",
                p.get("default")
            ));
        }
        if p.get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            problems.push(format!("{path}.{k}: no description"));
        }
    }
    for k in props.keys() {
        if !fields.contains_key(k) {
            problems.push(format!(
                "{path}.{k}: in the schema but not a settings field"
            ));
        }
    }
}

#[test]
fn settings_schema_matches_policy_settings() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("settings.schema.json is JSON");
    let defaults = serde_json::to_value(PolicySettings::default()).unwrap();
    let mut problems = vec![];
    check_object("settings", &defaults, &schema, &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The schema's own defaults, as a settings block, are valid settings.
    assert_eq!(
        schema["$defs"]["severity"]["enum"],
        json!(["info", "low", "medium", "high", "critical"])
    );
    for field in ["reject_at", "warn_at"] {
        assert_eq!(schema["properties"][field]["$ref"], "#/$defs/severity");
    }
    assert_eq!(
        schema["properties"]["context_aware"]["properties"]["service_account_secret_access"]
            ["enum"],
        json!(["off", "warn", "reject"])
    );
    let from_schema = PolicySettings::from_json(defaults.to_string().as_bytes()).unwrap();
    assert_eq!(from_schema, PolicySettings::default());
}

/// Every `questions-ui.yml` variable is a settings field (dotted for nested ones).
#[test]
fn questions_cover_every_setting() {
    let questions = include_str!("../questions-ui.yml");
    let vars: Vec<&str> = questions
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("variable: "))
        .map(str::trim)
        .collect();
    let defaults = serde_json::to_value(PolicySettings::default()).unwrap();
    let mut expected = vec![];
    for (k, v) in defaults.as_object().unwrap() {
        expected.push(k.clone());
        if let Some(inner) = v.as_object() {
            expected.extend(inner.keys().map(|i| format!("{k}.{i}")));
        }
    }
    // `description` is the form's read-only introduction, not a setting.
    let mut got: Vec<String> = vars
        .iter()
        .filter(|v| **v != "description")
        .map(|s| s.to_string())
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn context_is_only_used_when_asked() {
    struct Panicky;
    impl ClusterContext for Panicky {
        fn get_role(
            &mut self,
            _: &str,
            _: Option<&str>,
            _: &str,
        ) -> Result<Option<String>, String> {
            Err("asked".into())
        }
        fn can_i(
            &mut self,
            _: &str,
            _: &[String],
            _: &str,
            _: &str,
            _: &str,
        ) -> Result<bool, String> {
            Err("asked".into())
        }
    }
    let payload = admission(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "CREATE",
        &binding("ClusterRole", "x"),
        json!({}),
    );
    let r = sdk_response(&validate_bytes(&payload, &mut Panicky));
    assert!(!format!("{r:?}").contains("asked"));
}

/// artifacthub-pkg.yml embeds questions-ui.yml (indented by 4) and metadata.yml's rules.
#[test]
fn artifacthub_package_embeds_the_current_questions_and_rules() {
    let pkg = include_str!("../artifacthub-pkg.yml");
    let indent = |text: &str, n: usize| -> String {
        text.lines()
            .map(|l| {
                if l.trim().is_empty() {
                    "\n".to_string()
                } else {
                    format!("{}{l}\n", " ".repeat(n))
                }
            })
            .collect()
    };
    let questions = indent(include_str!("../questions-ui.yml"), 4);
    assert!(
        pkg.contains(&format!("kubewarden/questions-ui: |\n{questions}")),
        "regenerate artifacthub-pkg.yml"
    );
    let metadata = include_str!("../metadata.yml");
    let rules = metadata
        .split_once("rules:\n")
        .and_then(|(_, rest)| rest.split_once("mutating:"))
        .map(|(rules, _)| rules)
        .unwrap();
    assert!(
        pkg.contains(&format!("kubewarden/rules: |\n{}", indent(rules, 2))),
        "regenerate artifacthub-pkg.yml"
    );
}
