//! The playground's background worker: the parts of the core that only some visits need.
//!
//! The main bundle stays small (the 600 KB budget of `tests/browser/budgets.test.mjs`) because
//! what a first visit does not need lives in a second Wasm module, `secrets-guard-worker`, built
//! by Trunk from `src/bin/worker.rs` with the `worker` feature (which compiles the rule docs and
//! the analyses in) and fetched from the page's own origin the first time it is asked for
//! something: the rule documentation of the `rule-docs` dialog, the "Access" view (who can read
//! Secrets, [`crate::access_view`]), the "Audit log" view ([`crate::audit_view`]) and the
//! "Encryption at rest" tab's flows (writes with WebCrypto, reads, the KEK rotation store, the
//! cost measurement and pasted values: [`crate::envelope_worker`]). It runs in a dedicated Web
//! Worker, so long computations never block typing.
//!
//! Requests and responses are plain serde values ([`Request`], [`Response`]); [`handle`]
//! answers them and is the same code in the worker, in native tests and, when the calling module
//! is itself built with the `worker` feature (the test builds, see `Cargo.toml`), in the page
//! itself ([`request`] then answers without a worker). The main module is built without it: it
//! links none of the analyses, and [`handle`] there answers them with [`Response::Unavailable`]
//! (it never has to: [`request`] sends them to the worker). Requests that wait for WebCrypto
//! are answered by [`answer`] (asynchronous; `Unavailable` from [`handle`]), and whatever cannot
//! cross `postMessage` (the `CryptoKey`s of the encryption tab) stays in the worker. Nothing goes
//! over the network: the worker is a file of `dist/`, and messages travel by `postMessage` inside
//! the tab.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo::worker::{Codec, HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use secrets_guard_core::admission::PolicySettings;
use secrets_guard_core::registry;

use crate::envelope_msg::{
    Cost, PasteReply, PasteRequest, ReadOutcome, RotationOp, RotationView, WriteReply, WriteRequest,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::markup::Node;

/// The worker's loader script in `dist/` (Trunk's `data-loader-shim`, named after the binary).
pub const LOADER: &str = "secrets-guard-worker_loader.js";

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The `secrets-guard explain` text of a rule.
    Explain { rule: String },
    /// Who can read Secrets, from the editor's documents; with the evidence of the selected
    /// (subject, namespace column) cell.
    Access {
        text: String,
        selected: Option<(String, String)>,
    },
    /// The analyses of an audit log (JSON lines or an EventList); with `manifests` (the
    /// editor's documents), cross-checked against their audit Policy and workloads.
    AuditLog {
        text: String,
        manifests: Option<String>,
    },
    /// The findings of `text` evaluated with `settings` (as the editor does), exported as the
    /// CLI writes them: `json` or `sarif`. SARIF carries every rule's full documentation, which
    /// only the worker's module has.
    Export {
        text: String,
        settings: Box<PolicySettings>,
        format: String,
    },
    /// The admission preview: the policy's `validate` on `request` (an AdmissionRequest or a
    /// raw document, as JSON text) with `settings`.
    Admission {
        request: String,
        settings: Box<PolicySettings>,
    },
    /// Read a pasted etcd value with an `EncryptionConfiguration` (the "Encryption at rest"
    /// tab): answered in the worker only, which has WebCrypto too.
    ReadPasted(PasteRequest),
    /// A storage plaintext the "Encryption at rest" tab decrypted: decoded as a `v1` Secret
    /// (the storage decoder lives in the worker's module only).
    DecodeSecret { plaintext: Vec<u8> },
    /// An etcd value the tab shows: its layout, field by field, for the byte diagram.
    Inspect { value: Vec<u8> },
    /// Write a Secret with a provider (WebCrypto, fresh keys kept in the worker).
    EncWrite(WriteRequest),
    /// Read `value` back with the keys of the write `id` ([`crate::envelope_msg::Shown`]).
    EncOpen { id: u32, value: Vec<u8> },
    /// Change the KEK rotation store; `continued` when the tab shows it (see
    /// [`crate::envelope_worker::rotation`]).
    Rotation { op: RotationOp, continued: bool },
    /// Measure `writes` writes each way: a DEK per write and a cached seed.
    Cost { writes: u32 },
}

/// The worker's answer to a [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The explain text, or `None` for an unknown rule or a module built without the docs.
    Explain { rule: String, text: Option<String> },
    /// A [`Request::Export`]: the file's text and how many findings it holds.
    Export {
        format: String,
        body: String,
        findings: usize,
    },
    /// The "Access" view of a [`Request::Access`], as markup the page renders.
    Access(Box<Node>),
    /// The "Audit log" results of a [`Request::AuditLog`], as markup the page renders
    /// ([`crate::markup`]): the view's rendering lives here, not in the page's bundle.
    AuditLog(Box<Node>),
    /// The module answering was built without the analyses (the page's main module).
    Unavailable,
    /// A [`Request::Admission`]'s answer, in every form the preview shows.
    Admission(Box<crate::components::admission::Preview>),
    /// The Secret read from a pasted value, or why not.
    Pasted(PasteReply),
    /// A [`Request::DecodeSecret`]'s answer: the Secret as YAML, or why the bytes are not one.
    Decoded(Result<String, String>),
    /// A [`Request::Inspect`]'s answer.
    Inspected(Box<secrets_guard_core::envelope::inspect::Inspection>),
    /// A [`Request::EncWrite`]'s answer.
    EncWritten(Box<WriteReply>),
    /// A [`Request::EncOpen`]'s answer.
    EncOpened(ReadOutcome),
    /// The rotation store after a [`Request::Rotation`], or why it did not change.
    Rotation(Result<RotationView, String>),
    /// A [`Request::Cost`]'s measurement.
    Cost(Result<Cost, String>),
}

impl Request {
    /// Whether [`answer`] must wait for WebCrypto (then [`handle`] says `Unavailable`).
    pub fn is_async(&self) -> bool {
        matches!(
            self,
            Request::ReadPasted(_)
                | Request::EncWrite(_)
                | Request::EncOpen { .. }
                | Request::Rotation { .. }
                | Request::Cost { .. }
        )
    }
}

/// Answer a request (pure: the same in the worker, in the page and in native tests). The
/// encryption tab's requests are asynchronous (WebCrypto, [`Request::is_async`]): [`answer`]
/// answers them; here they are [`Response::Unavailable`].
pub fn handle(request: Request) -> Response {
    match request {
        Request::ReadPasted(_)
        | Request::EncWrite(_)
        | Request::EncOpen { .. }
        | Request::Rotation { .. }
        | Request::Cost { .. } => Response::Unavailable,
        Request::Explain { rule } => {
            let text = registry::find_meta(&rule)
                .filter(|m| !m.raw_doc.is_empty())
                .map(|m| m.explain());
            Response::Explain { rule, text }
        }
        #[cfg(feature = "worker")]
        Request::Access { text, selected } => {
            let view = crate::access_view::analyse(&text);
            let selected = selected.as_ref().map(|(s, c)| (s.as_str(), c.as_str()));
            Response::Access(Box::new(crate::access_view::markup(&view, selected)))
        }
        #[cfg(feature = "worker")]
        Request::AuditLog { text, manifests } => {
            let view = crate::audit_view::analyse(&text, manifests.as_deref());
            Response::AuditLog(Box::new(crate::audit_view::markup(&view)))
        }
        #[cfg(feature = "worker")]
        Request::Export {
            text,
            settings,
            format,
        } => {
            use crate::components::import_export::{json_export, sarif_export};
            let report = crate::engine::evaluate(&text, &settings).report;
            let body = match format.as_str() {
                "json" => json_export(&report),
                _ => sarif_export(&report),
            };
            Response::Export {
                format,
                body,
                findings: report.findings.len(),
            }
        }
        #[cfg(feature = "worker")]
        Request::Admission { request, settings } => {
            let request = serde_json::from_str(&request).unwrap_or(serde_json::Value::Null);
            Response::Admission(Box::new(crate::components::admission::preview(
                &request, &settings,
            )))
        }
        #[cfg(feature = "worker")]
        Request::DecodeSecret { plaintext } => {
            Response::Decoded(crate::envelope_demo::secret_yaml(&plaintext))
        }
        #[cfg(feature = "worker")]
        Request::Inspect { value } => Response::Inspected(Box::new(
            secrets_guard_core::envelope::inspect::inspect(&value),
        )),
        #[cfg(not(feature = "worker"))]
        Request::DecodeSecret { .. }
        | Request::Inspect { .. }
        | Request::Access { .. }
        | Request::AuditLog { .. }
        | Request::Export { .. }
        | Request::Admission { .. } => Response::Unavailable,
    }
}

/// Answer any request: the asynchronous ones of the encryption tab with WebCrypto and the
/// worker's state ([`crate::envelope_worker`]), the others with [`handle`]. In the worker's
/// module only (and the test builds).
#[cfg(feature = "worker")]
pub async fn answer(request: Request) -> Response {
    use crate::envelope_worker as enc;
    match request {
        Request::ReadPasted(r) => Response::Pasted(crate::envelope_lab::paste_reply(&r).await),
        Request::EncWrite(r) => Response::EncWritten(Box::new(enc::write(&r).await)),
        Request::EncOpen { id, value } => Response::EncOpened(enc::open(id, &value).await),
        Request::Rotation { op, continued } => {
            Response::Rotation(enc::rotation(op, continued).await)
        }
        Request::Cost { writes } => Response::Cost(enc::cost(writes).await),
        other => handle(other),
    }
}

/// The worker: each message is a request id and a [`Request`]; it answers with the same id.
pub struct PlaygroundWorker;

impl Worker for PlaygroundWorker {
    type Message = ();
    type Input = (u32, Request);
    type Output = (u32, Response);

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, (id, request): Self::Input, who: HandlerId) {
        // Only the worker's build links the encryption tab's flows (and keeps them out of the
        // page's module).
        #[cfg(feature = "worker")]
        if request.is_async() {
            let scope = scope.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let response = answer(request).await;
                scope.respond(who, (id, response));
            });
            return;
        }
        scope.respond(who, (id, handle(request)));
    }
}

/// Messages as structured-clone values through serde-wasm-bindgen (already in the bundle),
/// instead of gloo's default bincode.
pub struct JsCodec;

impl Codec for JsCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Our own message types always serialise (strings, numbers and enums only).
        serde_wasm_bindgen::to_value(&input).unwrap_or(JsValue::UNDEFINED)
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        // Only this crate's own messages arrive here (the worker is a file of the same build).
        serde_wasm_bindgen::from_value(input).expect("a message of the playground's own worker")
    }
}

type Reply = Box<dyn FnOnce(Response)>;

/// The page's side: the worker, spawned on the first request, and the replies awaited.
struct Client {
    bridge: WorkerBridge<PlaygroundWorker>,
    next_id: u32,
    pending: HashMap<u32, Reply>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Ask the worker `request`; `on_reply` runs with its answer (later, on the page's thread).
///
/// The first call spawns the worker (one request for each of its three files); later calls
/// reuse it. In a module built with the `worker` feature (the test builds), the request is
/// answered in place ([`answer`]).
pub fn request(request: Request, on_reply: impl FnOnce(Response) + 'static) {
    if cfg!(feature = "worker") {
        in_place(request, Box::new(on_reply));
        return;
    }
    CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        let client = client.get_or_insert_with(|| Client {
            bridge: PlaygroundWorker::spawner()
                .encoding::<JsCodec>()
                .callback(deliver)
                .spawn_with_loader(LOADER),
            next_id: 0,
            pending: HashMap::new(),
        });
        let id = client.next_id;
        client.next_id = client.next_id.wrapping_add(1);
        client.pending.insert(id, Box::new(on_reply));
        client.bridge.send((id, request));
    });
}

/// Answer `request` in this module (built with the `worker` feature), later.
#[cfg(feature = "worker")]
fn in_place(request: Request, on_reply: Reply) {
    wasm_bindgen_futures::spawn_local(async move { on_reply(answer(request).await) });
}

/// The page's module never answers in place ([`request`] asks the worker).
#[cfg(not(feature = "worker"))]
fn in_place(request: Request, on_reply: Reply) {
    let response = handle(request);
    wasm_bindgen_futures::spawn_local(async move { on_reply(response) });
}

/// Hand a response to whoever asked (outside the client's borrow: the reply may ask again).
fn deliver((id, response): (u32, Response)) {
    let reply = CLIENT.with(|client| {
        client
            .borrow_mut()
            .as_mut()
            .and_then(|c| c.pending.remove(&id))
    });
    if let Some(reply) = reply {
        reply(response);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_answers_with_the_cli_text() {
        let Response::Explain { rule, text } = handle(Request::Explain {
            rule: "ENC-008".into(),
        }) else {
            panic!("not an explain answer");
        };
        assert_eq!(rule, "ENC-008");
        let expected = registry::find("ENC-008").unwrap().meta().explain();
        assert_eq!(text.as_deref(), Some(expected.as_str()));
        assert!(
            expected.contains("## What it does"),
            "docs compiled in tests"
        );
    }

    #[test]
    fn exports_are_the_cli_renderers_with_the_rule_docs() {
        let text = crate::examples::seed_document();
        let settings = PolicySettings::default();
        let report = crate::engine::evaluate(&text, &settings).report;
        for (format, expected) in [
            (
                "json",
                crate::components::import_export::json_export(&report),
            ),
            (
                "sarif",
                crate::components::import_export::sarif_export(&report),
            ),
        ] {
            let Response::Export { body, findings, .. } = handle(Request::Export {
                text: text.clone(),
                settings: Box::new(settings.clone()),
                format: format.into(),
            }) else {
                panic!("not an export");
            };
            assert_eq!(body, expected, "{format}");
            assert_eq!(findings, report.findings.len());
        }
        // The SARIF rule descriptors carry the docs (the page's own module has none).
        let enc008 = registry::find_meta("ENC-008").unwrap();
        let Response::Export { body, .. } = handle(Request::Export {
            text,
            settings: Box::new(settings),
            format: "sarif".into(),
        }) else {
            panic!("not an export");
        };
        let first_line = enc008
            .raw_doc
            .lines()
            .find(|l| l.trim().len() > 20)
            .unwrap()
            .trim();
        assert!(
            body.contains(&first_line.replace('"', "\\\"")),
            "{first_line}"
        );
    }

    #[test]
    fn audit_event_rules_are_explained_too() {
        let Response::Explain { text, .. } = handle(Request::Explain {
            rule: "AEV-001".into(),
        }) else {
            panic!("not an explain answer");
        };
        let expected = registry::find_meta("AEV-001").unwrap().explain();
        assert_eq!(text.as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn unknown_rules_have_no_text() {
        assert_eq!(
            handle(Request::Explain {
                rule: "NOPE-1".into()
            }),
            Response::Explain {
                rule: "NOPE-1".into(),
                text: None
            }
        );
    }

    fn fixture(path: &str) -> String {
        let file = format!("{}/../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    fn access(text: String) -> crate::access_view::AccessView {
        crate::access_view::analyse(&text)
    }

    #[test]
    fn access_matrix_of_four_scenarios() {
        let text = [
            "access/01-direct-role.yaml",
            "access/03-resource-names.yaml",
            "access/07-chain-bind-edit.yaml",
            "access/09-nodes-proxy.yaml",
        ]
        .map(fixture)
        .join("\n---\n");
        let view = access(text);
        assert_eq!(view.columns, ["app", "pay", "*"]);
        let matrix: Vec<(String, Vec<String>)> = view
            .rows
            .iter()
            .map(|r| {
                (
                    r.subject.clone(),
                    r.cells.iter().map(|c| c.label()).collect(),
                )
            })
            .collect();
        let row = |s: &str, cells: [&str; 3]| (s.to_string(), cells.map(String::from).to_vec());
        assert_eq!(
            matrix,
            [
                // nodes/proxy through a ClusterRoleBinding: every namespace.
                row(
                    "ServiceAccount kube-system/metrics",
                    ["implicit", "implicit", "implicit"]
                ),
                row(
                    "ServiceAccount pay/pay-api",
                    ["none", "direct (limited)", "none"]
                ),
                row("User alice", ["direct", "none", "none"]),
                row("User jane", ["escalation", "none", "none"]),
            ]
        );
        // The chain's cell: one entry, its evidence path step by step.
        let jane = &view.rows[3].cells[0];
        assert_eq!(jane.strongest(), Some(crate::access_view::How::Escalation));
        let entry = &view.entries[jane.entries[0]];
        assert_eq!(view.subjects[entry.subject], "User jane");
        assert_eq!(
            entry.path,
            [
                "User jane",
                "RoleBinding app/jane-writes-bindings",
                "Role binding-writer",
                "rules[0] create rolebindings",
                "ClusterRoleBinding jane-binds-edit",
                "ClusterRole edit-binder",
                "rules[0] bind clusterroles named edit, view",
                "binds ClusterRole edit (built-in)",
                "rules[0] get, list, watch secrets",
            ]
        );
        let limited = &view.entries[view.rows[1].cells[1].entries[0]];
        assert_eq!(limited.secrets, ["db-password", "api-key"]);
        assert!(view.errors.is_empty());
    }

    #[test]
    fn access_cells_join_the_ways_strongest_first() {
        let view = access(fixture("access/02-wildcards.yaml"));
        assert_eq!(view.columns, ["*"]);
        assert_eq!(view.subjects, ["Group ops"]);
        let cell = &view.rows[0].cells[0];
        assert_eq!(cell.label(), "direct, implicit, escalation");
        assert_eq!(cell.entries.len(), 13);
        // Its graph: one subject, binding and role; 13 rules and chains.
        let g = crate::access_view::Graph::of(
            cell.entries
                .iter()
                .map(|&i| view.entries[i].path.as_slice()),
        );
        assert_eq!(g.slots, 13);
        assert_eq!(g.nodes[0].label, "Group ops");
        assert_eq!(g.nodes.iter().filter(|n| n.depth == 1).count(), 1);
    }

    #[test]
    fn access_view_reports_input_errors_and_answers_the_rest() {
        let text = format!(
            "{}\n---\nkind: [unclosed\n",
            fixture("access/01-direct-role.yaml")
        );
        let view = access(text);
        assert_eq!(view.subjects, ["User alice"]);
        assert_eq!(view.errors.len(), 1);
        // The unclosed flow sequence is noticed at the end of the text.
        assert_eq!(view.errors[0].line, 17);
        assert_eq!(
            access(String::new()),
            crate::access_view::AccessView::default()
        );
    }

    #[test]
    fn audit_log_view_of_the_incidents_fixture() {
        let view = crate::audit_view::analyse(&fixture("audit/incidents.jsonl"), None);
        // The CLI's findings (policy/cli/tests/audit_log.rs), with their lines.
        let found: Vec<(&str, u64, &str)> = view
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.line, f.severity.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("AEV-002", 4, "high"),
                ("AEV-004", 7, "critical"),
                ("AEV-005", 13, "medium"),
                ("AEV-006", 15, "medium"),
                ("AEV-006", 16, "medium"),
                ("AEV-007", 17, "high"),
                ("AEV-001", 18, "critical"),
                ("AEV-009", 22, "high"),
            ]
        );
        assert_eq!(view.events, 19);
        let bad: Vec<u64> = view.malformed.iter().map(|m| m.line).collect();
        assert_eq!((bad, view.malformed_total), (vec![6, 20], 2));
        assert_eq!(view.access.len(), 14);
        // The timeline counts exactly the summary's requests, per user.
        let t = &view.timeline;
        let users: Vec<&str> = t.lanes.iter().map(|l| l.user.as_str()).collect();
        assert_eq!(
            users,
            [
                "alice as bob",
                "ci-bot",
                "eve",
                "jane",
                "mallory",
                "system:anonymous",
                "system:serviceaccount:kube-system:generic-garbage-collector",
            ]
        );
        for lane in &t.lanes {
            let summary: u64 = view
                .access
                .iter()
                .filter(|a| a.user == lane.user)
                .map(|a| a.count)
                .sum();
            let bucketed: u32 = lane.ok.iter().chain(&lane.refused).sum();
            assert_eq!(
                (lane.total, u64::from(bucketed)),
                (summary, summary),
                "{}",
                lane.user
            );
        }
        assert_eq!(
            (t.start.as_deref(), t.end.as_deref(), t.bucket_micros),
            (
                Some("2026-11-27T10:00:00.100000Z"),
                Some("2026-11-27T10:07:00.000000Z"),
                30_000_000
            )
        );
        // eve's six 403s, from 10:03:00 to 10:03:40: buckets 6 (10:03:00) and 7 (10:03:30).
        let eve = &t.lanes[2];
        assert_eq!((eve.refused[6], eve.refused[7]), (5, 1));
        assert!(eve.ok.iter().all(|&n| n == 0));
    }

    /// The text nodes of a tree, in order.
    fn texts(node: &Node, out: &mut Vec<String>) {
        match node {
            Node::Text(s) => out.push(s.clone()),
            Node::Element { children, .. } => children.iter().for_each(|c| texts(c, out)),
        }
    }

    #[test]
    fn audit_log_answers_with_the_rendered_results() {
        let Response::AuditLog(node) = handle(Request::AuditLog {
            text: fixture("audit/incidents.jsonl"),
            manifests: Some(fixture("access/01-direct-role.yaml")),
        }) else {
            panic!("not an audit answer");
        };
        let mut all = vec![];
        texts(&node, &mut all);
        assert_eq!(
            all[0],
            "19 events, 8 findings (2 critical, 3 high, 3 medium), 2 malformed lines"
        );
        assert!(all.contains(
            &"line 6: not valid JSON: EOF while parsing a string at line 1 column 57".to_string()
        ));
        // No audit Policy among those manifests: no cross-check section.
        assert!(!all.iter().any(|t| t == "The editor's audit Policy"));
    }

    #[test]
    fn audit_log_cross_checked_with_the_editors_policy_and_workloads() {
        let manifests = [
            fixture("audit/policy-gaps.yaml"),
            fixture("audit/workloads.yaml"),
        ]
        .join("\n---\n");
        let log = fixture("audit/exec-and-gaps.jsonl");
        let view = crate::audit_view::analyse(&log, Some(&manifests));
        // The CLI's answer for the same files (policy/cli/tests/audit_log.rs).
        let found: Vec<(&str, u64, &str)> = view
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.line, f.severity.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("AEV-010", 2, "medium"),
                ("AEV-010", 3, "medium"),
                ("AEV-010", 4, "high"),
                ("AEV-010", 4, "low"),
                ("AEV-008", 5, "medium"),
                ("AEV-008", 8, "medium"),
            ]
        );
        let check = view.policy.as_ref().expect("cross-checked");
        assert_eq!(check.events, 10);
        assert_eq!(
            check.levels,
            [
                ("None".to_string(), 5),
                ("Metadata".to_string(), 4),
                ("Request".to_string(), 1)
            ]
        );
        let gaps: Vec<(&str, &str, u64, u64)> = check
            .gaps
            .iter()
            .map(|g| (g.kind.as_str(), g.request.as_str(), g.count, g.line))
            .collect();
        assert_eq!(
            gaps,
            [
                ("not-logged", "get secrets", 2, 2),
                ("not-logged", "list secrets", 1, 3),
                ("leak", "update secrets", 1, 4),
                ("level-differs", "update secrets", 1, 4),
                ("not-logged", "create pods/exec", 2, 5),
                ("no-body", "create pods", 1, 7),
                ("level-differs", "create pods", 1, 7),
                ("no-body", "create rolebindings", 1, 9),
            ]
        );
        assert_eq!(check.gaps[4].hides, ["AEV-008"]);
        assert_eq!(view.policies, 1);
        // Without the editor's documents: no cross-check, no workloads (AEV-008 only for the
        // Pod the log itself creates).
        let alone = crate::audit_view::analyse(&log, None);
        assert!(alone.policy.is_none());
        let rules: Vec<(&str, u64)> = alone
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.line))
            .collect();
        assert!(!rules.iter().any(|(r, _)| *r == "AEV-010"), "{rules:?}");
    }

    #[test]
    fn the_encryption_tab_decodes_and_lays_out_values_in_the_worker() {
        use secrets_guard_core::envelope::inspect;
        let secret =
            crate::envelope_demo::secret_from_form("db", "prod", "user=admin\npass=s3cr3t")
                .unwrap();
        let plaintext = secret.to_storage_protobuf();
        let Response::Decoded(Ok(yaml)) = handle(Request::DecodeSecret {
            plaintext: plaintext.clone(),
        }) else {
            panic!("not a decoded Secret");
        };
        assert!(yaml.starts_with("apiVersion: v1\n"), "{yaml}");
        assert!(yaml.contains("  name: db\n  namespace: prod\n"), "{yaml}");
        assert!(yaml.contains("  pass: czNjcjN0\n"), "{yaml}");
        // Altered bytes (what AES-CBC hands back for a flipped byte) are no Secret.
        let mut altered = plaintext.clone();
        altered[0] ^= 0x20;
        let Response::Decoded(Err(e)) = handle(Request::DecodeSecret { plaintext: altered }) else {
            panic!("altered bytes decoded");
        };
        assert!(!e.is_empty());
        // The layout is the core's, for the diagram.
        let Response::Inspected(i) = handle(Request::Inspect {
            value: plaintext.clone(),
        }) else {
            panic!("not an inspection");
        };
        assert_eq!(*i, inspect::inspect(&plaintext));
        assert_eq!(i.length, plaintext.len());
        assert_eq!(i.format, "plaintext (protobuf)");
    }

    /// Poll `f` once: the answers below never wait for WebCrypto (no key is involved), so they
    /// are ready at once, natively.
    fn ready(f: impl std::future::Future<Output = Response>) -> Response {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(r) => r,
            std::task::Poll::Pending => panic!("the answer waits for WebCrypto"),
        }
    }

    fn form(name: &str, data: &str) -> crate::envelope_msg::SecretForm {
        crate::envelope_msg::SecretForm {
            name: name.into(),
            namespace: "prod".into(),
            data: data.into(),
        }
    }

    #[test]
    fn the_encryption_tabs_requests_wait_for_webcrypto() {
        use crate::envelope_demo::Provider;
        use crate::envelope_msg::{RotationOp, SecretInput, WriteRequest};
        let write = Request::EncWrite(WriteRequest {
            provider: Provider::AesGcm,
            secret: SecretInput::Form(form("db", "a=1")),
            write: true,
        });
        for r in [
            write,
            Request::EncOpen {
                id: 1,
                value: vec![1],
            },
            Request::Rotation {
                op: RotationOp::Write,
                continued: false,
            },
            Request::Cost { writes: 3 },
        ] {
            assert!(r.is_async(), "{r:?}");
            assert_eq!(handle(r), Response::Unavailable);
        }
        assert!(!Request::Inspect { value: vec![] }.is_async());
    }

    #[test]
    fn a_write_without_a_secret_says_why() {
        use crate::envelope_demo::Provider;
        use crate::envelope_msg::{SecretInput, WriteOutcome, WriteReply, WriteRequest};
        let ask = |provider, secret| {
            ready(answer(Request::EncWrite(WriteRequest {
                provider,
                secret,
                write: true,
            })))
        };
        let no_secret = |e: &str| {
            Response::EncWritten(Box::new(WriteReply {
                form: None,
                outcome: WriteOutcome::NoSecret(e.into()),
            }))
        };
        assert_eq!(
            ask(Provider::AesGcm, SecretInput::Form(form("", "a=1"))),
            no_secret("the Secret needs a name")
        );
        assert_eq!(
            ask(Provider::AesCbc, SecretInput::Form(form("db", "a=1\nb"))),
            no_secret("data line 2: write key=value")
        );
        assert_eq!(
            ask(
                Provider::KmsV2Seed,
                SecretInput::Editor {
                    text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".into()
                }
            ),
            no_secret("the editor holds no v1 Secret")
        );
        assert_eq!(
            ask(
                Provider::Identity,
                SecretInput::Editor {
                    text: "apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\n".into()
                }
            ),
            no_secret("the editor's first Secret has no name")
        );
    }

    #[test]
    fn a_findings_provider_that_does_not_run_here_still_fills_the_form() {
        use crate::envelope_demo::Provider;
        use crate::envelope_msg::{SecretInput, WriteOutcome, WriteReply, WriteRequest};
        let text = "kind: EncryptionConfiguration\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: billing-db, namespace: finance}\nstringData: {password: hunter22}\n";
        let reply = ready(answer(Request::EncWrite(WriteRequest {
            provider: Provider::Secretbox,
            secret: SecretInput::EditorElseForm {
                text: text.into(),
                form: form("db", "a=1"),
            },
            write: false,
        })));
        assert_eq!(
            reply,
            Response::EncWritten(Box::new(WriteReply {
                form: Some((
                    "billing-db".into(),
                    "finance".into(),
                    Some("password=hunter22".into())
                )),
                outcome: WriteOutcome::Resolved,
            }))
        );
    }

    #[test]
    fn reading_back_needs_the_keys_of_a_write_kept_here() {
        use crate::envelope_msg::ReadOutcome;
        assert_eq!(
            ready(answer(Request::EncOpen {
                id: 4_000_000,
                value: b"k8s:enc:aesgcm:v1:key1:".to_vec(),
            })),
            Response::EncOpened(ReadOutcome::Refused(
                "the keys of this write are gone: encrypt again".into()
            ))
        );
    }

    #[test]
    fn the_rotation_store_must_be_written_first() {
        use crate::envelope_msg::RotationOp;
        for op in [RotationOp::Rotate, RotationOp::Rewrite, RotationOp::Restart] {
            assert_eq!(
                ready(answer(Request::Rotation {
                    op,
                    continued: false
                })),
                Response::Rotation(Err("write the Secrets first".into())),
                "{op:?}"
            );
        }
        // Answers that need no WebCrypto go through `handle`.
        assert_eq!(
            ready(answer(Request::Explain {
                rule: "NOPE-1".into()
            })),
            handle(Request::Explain {
                rule: "NOPE-1".into()
            })
        );
    }
}
