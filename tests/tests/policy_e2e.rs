//! End-to-end tests of the Kubewarden policy (`policy.wasm`) through the waPC host, the engine
//! Kubewarden's policy-server uses (wapc + wasmtime, WASI).
//!
//! The cases are in `tests/fixtures/admission/cases.yaml` (AdmissionRequest fixtures, raw
//! documents, malformed payloads, settings and replay sessions); their expected answers are in
//! `expected.yaml` next to it. The same cases also run through the core natively
//! (`native_core_gives_the_expected_answers`), so a difference between the Wasm policy and the
//! core is caught too. `SG_UPDATE_EXPECTATIONS=1` rewrites `expected.yaml` from the native run
//! (review the diff!).
//!
//! The policy is `$POLICY_WASM` or `<repo>/policy.wasm` (`make policy`), the baseline
//! `$ACCEPT_ALL_WASM` or `<repo>/accept-all.wasm` (`make accept-all`); `make test` builds both.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use secrets_guard_core::admission::{self, ValidationResponse, MAX_WARNING_CHARS};
use secrets_guard_tests::host::{HostError, NativeReplay, PolicyHost, ReplaySession};
use secrets_guard_tests::repo_root;
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

fn wasm_path(var: &str, file: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) => PathBuf::from(p),
        None => repo_root().join(file),
    }
}

fn load(var: &str, file: &str, make_target: &str) -> PolicyHost {
    let path = wasm_path(var, file);
    if !path.exists() {
        panic!(
            "{} not found: run `make {make_target}` first (or set {var}); `make test` builds it",
            path.display()
        );
    }
    PolicyHost::load_path(&path, ReplaySession::empty())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The policy, compiled once for the whole test binary (each call still gets a fresh instance).
fn policy() -> &'static PolicyHost {
    static HOST: OnceLock<PolicyHost> = OnceLock::new();
    HOST.get_or_init(|| load("POLICY_WASM", "policy.wasm", "policy"))
}

fn accept_all() -> &'static PolicyHost {
    static HOST: OnceLock<PolicyHost> = OnceLock::new();
    HOST.get_or_init(|| load("ACCEPT_ALL_WASM", "accept-all.wasm", "accept-all"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    fixture: Option<String>,
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    generated: Option<String>,
    #[serde(default)]
    raw: bool,
    #[serde(default)]
    settings: Option<Value>,
    #[serde(default)]
    session: Option<String>,
}

/// What a case must answer. Rule ids are those of `[RULE-ID]` entries, in order; warnings that
/// are not rule findings (context notes, input errors) are kept verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Expect {
    accepted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<u16>,
    /// Rule ids named in the rejection message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    message_rules: Vec<String>,
    /// The message itself when it is not a list of violations (bad payloads, bad settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    /// The exemption, dry-run and rule-list audit annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<String, String>,
    /// Host-capability calls: `operation -> answered|unanswered`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    host_calls: Vec<String>,
}

fn rule_id(entry: &str) -> Option<&str> {
    let rest = entry.strip_prefix('[')?;
    let (id, _) = rest.split_once(']')?;
    (!id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'))
    .then_some(id)
}

fn summarize(resp: &ValidationResponse, host_calls: Vec<String>) -> Expect {
    let message = resp.message.clone().unwrap_or_default();
    let message_rules: Vec<String> = message
        .split("; [")
        .enumerate()
        .filter_map(|(i, part)| {
            let part = if i == 0 {
                part.to_string()
            } else {
                format!("[{part}")
            };
            rule_id(&part).map(str::to_string)
        })
        .collect();
    let verbatim = !resp.accepted && message_rules.is_empty();
    Expect {
        accepted: resp.accepted,
        code: resp.code,
        message_rules,
        message: verbatim.then(|| message.chars().take(160).collect()),
        warnings: resp
            .warnings
            .iter()
            .flatten()
            .map(|w| rule_id(w).map(str::to_string).unwrap_or_else(|| w.clone()))
            .collect(),
        annotations: resp
            .audit_annotations
            .iter()
            .flatten()
            .filter(|(k, _)| {
                k.ends_with("/exempt") || k.ends_with("/dry-run") || k.ends_with("/rules")
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        host_calls,
    }
}

fn load_cases() -> Vec<Case> {
    let path = fixtures().join("admission/cases.yaml");
    let text = std::fs::read_to_string(&path).expect("cases.yaml");
    serde_yaml::from_str(&text).expect("cases.yaml is valid")
}

fn expected_path() -> PathBuf {
    fixtures().join("admission/expected.yaml")
}

fn load_expected() -> BTreeMap<String, Expect> {
    match std::fs::read_to_string(expected_path()) {
        Ok(text) => serde_yaml::from_str(&text).expect("expected.yaml is valid"),
        Err(_) => BTreeMap::new(),
    }
}

fn session(case: &Case) -> ReplaySession {
    match &case.session {
        Some(name) => ReplaySession::from_path(&fixtures().join("sessions").join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name)),
        None => ReplaySession::empty(),
    }
}

/// The exact bytes the policy-server would send to `validate`.
fn payload(case: &Case) -> Vec<u8> {
    if let Some(p) = &case.payload {
        return p.as_bytes().to_vec();
    }
    let settings = case
        .settings
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    let request = match case.generated.as_deref() {
        Some("10mb-object") => {
            let big = "A".repeat(10 * 1024 * 1024);
            serde_json::json!({
                "uid": "big", "operation": "CREATE", "namespace": "team-a",
                "kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
                "userInfo": {"username": "alice"},
                "object": {"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": "big", "namespace": "team-a"},
                           "data": {"blob": big}}
            })
        }
        Some("deep-nesting") => {
            // 100,000 nested arrays inside the object: far past every depth limit.
            let depth = 100_000;
            let object = format!(
                r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"deep"}},"data":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let text = format!(
                r#"{{"request":{{"uid":"deep","operation":"CREATE","kind":{{"kind":"ConfigMap"}},"userInfo":{{"username":"alice"}},"object":{object}}},"settings":{settings}}}"#
            );
            return text.into_bytes();
        }
        Some(other) => panic!("{}: unknown generator {other}", case.name),
        None => {
            let file = case
                .fixture
                .clone()
                .unwrap_or_else(|| format!("{}.json", case.name));
            let text = std::fs::read_to_string(fixtures().join("admission").join(&file))
                .unwrap_or_else(|e| panic!("{}: {file}: {e}", case.name));
            serde_json::from_str::<Value>(&text)
                .unwrap_or_else(|e| panic!("{}: {file}: {e}", case.name))
        }
    };
    secrets_guard_tests::host::validation_payload(&request, &settings)
}

fn call_summary(calls: &[secrets_guard_tests::host::HostCall]) -> Vec<String> {
    calls
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.operation,
                if c.answered_by.is_some() {
                    "answered"
                } else {
                    "unanswered"
                }
            )
        })
        .collect()
}

fn run_wasm(host: &PolicyHost, case: &Case) -> Result<Expect, HostError> {
    let h = host.with_session(session(case));
    let resp = h.validate_payload(&payload(case))?;
    check_shape(&case.name, &resp);
    Ok(summarize(&resp, call_summary(&h.take_log().calls)))
}

fn run_native(case: &Case) -> Expect {
    let mut ctx = NativeReplay::new(session(case));
    let resp = admission::validate(&payload(case), &mut ctx);
    if std::env::var("SG_SHOW_CASE").is_ok_and(|n| n == case.name) {
        eprintln!("{}: {}", case.name, resp.to_json());
    }
    check_shape(&case.name, &resp);
    summarize(&resp, call_summary(&ctx.calls))
}

/// Invariants of every answer: rejections carry a code and a message, warnings are short.
fn check_shape(name: &str, resp: &ValidationResponse) {
    if !resp.accepted {
        assert!(resp.code.is_some(), "{name}: rejection without a code");
        assert!(
            resp.message.as_deref().is_some_and(|m| !m.is_empty()),
            "{name}: rejection without a message"
        );
    }
    for w in resp.warnings.iter().flatten() {
        assert!(
            w.chars().count() <= MAX_WARNING_CHARS,
            "{name}: warning longer than {MAX_WARNING_CHARS} chars: {w}"
        );
    }
}

fn compare(kind: &str, results: &[(String, Expect)], expected: &BTreeMap<String, Expect>) {
    let mut failures = vec![];
    for (name, got) in results {
        match expected.get(name) {
            None => failures.push(format!("{name}: no entry in expected.yaml (got {got:?})")),
            Some(want) if want != got => failures.push(format!(
                "{name}:\n  want {}\n  got  {}",
                serde_json::to_string(want).unwrap_or_default(),
                serde_json::to_string(got).unwrap_or_default()
            )),
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{kind}: {} of {} cases differ from expected.yaml:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}

#[test]
fn fixture_set_is_complete() {
    let cases = load_cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let dir = fixtures().join("admission");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".json"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "only {} fixture files", files.len());
    // Every fixture file is used by some case.
    for f in &files {
        let used = cases.iter().any(|c| {
            c.fixture.as_deref() == Some(f.as_str())
                || (c.fixture.is_none() && format!("{}.json", c.name) == *f)
        });
        assert!(used, "{f} is not used by any case");
    }
    // Raw cases send the document itself; admission cases an AdmissionRequest.
    for c in cases
        .iter()
        .filter(|c| c.payload.is_none() && c.generated.is_none())
    {
        let request: Value =
            serde_json::from_slice::<Value>(&payload(c)).expect("payload")["request"].clone();
        let is_admission = request.get("operation").is_some();
        assert_eq!(
            is_admission, !c.raw,
            "{}: `raw: {}` but the fixture says otherwise",
            c.name, c.raw
        );
    }
    let expected = load_expected();
    for c in &cases {
        assert!(
            expected.contains_key(&c.name) || std::env::var_os("SG_UPDATE_EXPECTATIONS").is_some(),
            "{}: missing from expected.yaml",
            c.name
        );
    }
}

#[test]
fn native_core_gives_the_expected_answers() {
    let cases = load_cases();
    let results: Vec<(String, Expect)> = cases
        .iter()
        .map(|c| (c.name.clone(), run_native(c)))
        .collect();
    if std::env::var_os("SG_UPDATE_EXPECTATIONS").is_some() {
        let map: BTreeMap<String, Expect> = results.iter().cloned().collect();
        let mut text = String::from(
            "# Expected answers of tests/fixtures/admission/cases.yaml (written by\n\
             # SG_UPDATE_EXPECTATIONS=1 cargo test -p secrets-guard-tests --test policy_e2e, then reviewed).\n",
        );
        text.push_str(&serde_yaml::to_string(&map).expect("yaml"));
        std::fs::write(expected_path(), text).expect("write expected.yaml");
        return;
    }
    compare("native core", &results, &load_expected());
}

#[test]
fn wasm_policy_gives_the_expected_answers() {
    let host = policy();
    let cases = load_cases();
    let mut results = vec![];
    let mut errors = vec![];
    for c in &cases {
        match run_wasm(host, c) {
            Ok(e) => results.push((c.name.clone(), e)),
            Err(e) => errors.push(format!("{}: {e}", c.name)),
        }
    }
    assert!(
        errors.is_empty(),
        "the policy trapped or failed (it must answer every payload):\n{}",
        errors.join("\n")
    );
    compare("wasm policy", &results, &load_expected());
}

#[test]
fn protocol_version_is_v1() {
    assert_eq!(policy().protocol_version().expect("protocol_version"), "v1");
    assert_eq!(
        accept_all().protocol_version().expect("protocol_version"),
        "v1"
    );
}

#[test]
fn seed_role_is_rejected_naming_rbac_001() {
    let text = std::fs::read_to_string(fixtures().join("admission/rbac-role-seed-create.json"))
        .expect("fixture");
    let request: Value = serde_json::from_str(&text).expect("json");
    let resp = policy()
        .validate(&request, &serde_json::json!({}))
        .expect("validate");
    assert!(!resp.accepted);
    assert_eq!(resp.code, Some(403));
    let message = resp.message.unwrap_or_default();
    assert!(message.starts_with("[RBAC-001] "), "{message}");
}

#[test]
fn good_and_bad_settings_through_validate_settings() {
    let host = policy();
    for good in [
        "{}",
        r#"{"reject_at":"critical","warn_at":"low"}"#,
        r#"{"disable":["RBAC-002","workload"],"exempt_service_accounts":["argocd:controller"]}"#,
        r#"{"context_aware":{"resolve_role_refs":true,"service_account_secret_access":"warn"}}"#,
    ] {
        let v = host
            .validate_settings(good.as_bytes())
            .unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(v.valid, "{good}: {:?}", v.message);
    }
    for (bad, needle) in [
        (r#"{"reject_at":"severe"}"#, "severe"),
        (r#"{"reject_at":5}"#, "invalid settings"),
        (r#"{"warn_at":"critical","reject_at":"medium"}"#, "warn_at"),
        (r#"{"disable":["RBAC-999"]}"#, "RBAC-999"),
        (r#"{"enable":["no-such-area"]}"#, "no-such-area"),
        (r#"{"exempt_service_accounts":["argocd"]}"#, "argocd"),
        (r#"{"exempt_users":[""]}"#, "exempt_users"),
        (r#"{"no_such_setting":true}"#, "no_such_setting"),
        (
            r#"{"context_aware":{"service_account_secret_access":"maybe"}}"#,
            "maybe",
        ),
        (r#"{"limits":{"max_depth":0}}"#, "limits"),
        ("[1,2]", "settings"),
        ("not json", "settings"),
    ] {
        let v = host
            .validate_settings(bad.as_bytes())
            .unwrap_or_else(|e| panic!("{bad}: must answer valid:false, not fail: {e}"));
        assert!(!v.valid, "{bad} was accepted");
        let m = v.message.unwrap_or_default();
        assert!(m.contains(needle), "{bad}: message `{m}` lacks `{needle}`");
        // The native contract says the same.
        let native = admission::validate_settings(bad.as_bytes());
        assert_eq!(native.valid, v.valid, "{bad}");
    }
}

#[test]
fn one_instance_answers_like_fresh_instances() {
    // The policy-server uses a fresh instance per evaluation; a reused instance must not
    // carry state from one evaluation to the next either.
    let host = policy();
    let instance = host.instance().expect("instance");
    let cases = load_cases();
    for c in cases.iter().filter(|c| c.session.is_none()).take(30) {
        let fresh = host.validate_payload(&payload(c)).expect("fresh");
        let out = instance.call("validate", &payload(c)).expect("reused");
        let reused = secrets_guard_tests::host::decode_validation(&out).expect("decode");
        assert_eq!(fresh, reused, "{}", c.name);
    }
}

#[test]
fn accept_all_baseline_accepts_every_valid_request() {
    let host = accept_all();
    // (Deep nesting is past serde_json's recursion limit: the baseline rejects it.)
    for c in load_cases()
        .iter()
        .filter(|c| c.payload.is_none() && c.generated.is_none())
    {
        let resp = host.validate_payload(&payload(c)).expect("validate");
        assert!(resp.accepted, "{}", c.name);
    }
}

#[test]
fn secrets_guard_host_binary_prints_an_admission_review() {
    let policy_path = wasm_path("POLICY_WASM", "policy.wasm");
    assert!(
        policy_path.exists(),
        "{} not found: run `make policy`",
        policy_path.display()
    );
    let bin = env!("CARGO_BIN_EXE_secrets-guard-host");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(args)
            .arg(&policy_path)
            .output()
            .expect("run secrets-guard-host");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let fx = |f: &str| fixtures().join(f).to_string_lossy().into_owned();
    let seed_role = fx("admission/rbac-role-seed-create.json");
    let (code, out, err) = run(&["run", "--request-path", &seed_role]);
    assert_eq!(code, Some(0), "{err}");
    let review: Value = serde_json::from_str(&out).expect("AdmissionReview JSON");
    assert_eq!(review["kind"], "AdmissionReview");
    assert_eq!(review["response"]["allowed"], false);
    assert_eq!(review["response"]["status"]["code"], 403);
    assert_eq!(
        review["response"]["uid"],
        "00000000-0000-4000-8000-000000000001"
    );
    let msg = review["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(msg.starts_with("[RBAC-001]"), "{msg}");

    let (code, out, err) = run(&[
        "run",
        "--request-path",
        &seed_role,
        "--settings-json",
        r#"{"disable":["RBAC-001","RBAC-002","OBJ-007"],"reject_at":"critical"}"#,
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(r#""allowed":true"#), "{out}");

    let (code, _, err) = run(&[
        "run",
        "--request-path",
        &seed_role,
        "--settings-json",
        r#"{"reject_at":"severe"}"#,
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("invalid settings"), "{err}");

    let seed_enc = repo_root()
        .join("examples/seed/1-encryption-at-rest.yaml")
        .to_string_lossy()
        .into_owned();
    let (code, out, err) = run(&["run", "--raw", "--request-path", &seed_enc]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(r#""allowed":false"#) && out.contains("ENC-"),
        "{out}"
    );

    let session = fx("sessions/role-found.yml");
    let binding = fx("admission/rbac-rolebinding-role-ref.json");
    let (code, out, err) = run(&[
        "run",
        "--request-path",
        &binding,
        "--settings-json",
        r#"{"context_aware":{"resolve_role_refs":true}}"#,
        "--replay-host-capabilities-interactions",
        &session,
        "--verbose",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("host call kubewarden/kubernetes/get_resource"),
        "{err}"
    );
    assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");

    let (code, _, err) = run(&["run"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("usage"), "{err}");
}
