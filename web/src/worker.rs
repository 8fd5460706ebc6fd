//! The playground's background worker: the parts of the core that only some visits need.
//!
//! The main bundle stays small (the 600 KB budget of `tests/browser/budgets.test.mjs`) because
//! what a first visit does not need lives in a second Wasm module, `secrets-guard-worker`, built
//! by Trunk from `src/bin/worker.rs` with the `worker` feature (which compiles the rule docs in)
//! and fetched from the page's own origin the first time it is asked for something: today the
//! rule documentation of the `rule-docs` dialog. It runs in a dedicated Web Worker, so long
//! computations never block typing.
//!
//! Requests and responses are plain serde values ([`Request`], [`Response`]); [`handle`]
//! answers them and is the same code in the worker, in native tests and, when the docs are
//! compiled into the calling module (the wasm-bindgen tests), in the page itself
//! ([`request`] then answers without a worker). Nothing goes over the network: the worker is
//! a file of `dist/`, and messages travel by `postMessage` inside the tab.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo::worker::{Codec, HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use secrets_guard_core::registry;

use crate::envelope_lab::{PasteReply, PasteRequest};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// The worker's loader script in `dist/` (Trunk's `data-loader-shim`, named after the binary).
pub const LOADER: &str = "secrets-guard-worker_loader.js";

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// The `secrets-guard explain` text of a rule.
    Explain { rule: String },
    /// Read a pasted etcd value with an `EncryptionConfiguration` (the "Encryption at rest"
    /// tab): answered in the worker only, which has WebCrypto too.
    ReadPasted(PasteRequest),
}

/// The worker's answer to a [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    /// The explain text, or `None` for an unknown rule or a module built without the docs.
    Explain { rule: String, text: Option<String> },
    /// The Secret read from a pasted value, or why not.
    Pasted(PasteReply),
}

/// Answer a request (pure: the same in the worker, in the page and in native tests). Reading a
/// pasted value is asynchronous (WebCrypto): the worker answers it with
/// [`crate::envelope_lab::paste_reply`], and here it gets an error.
pub fn handle(request: Request) -> Response {
    match request {
        Request::ReadPasted(_) => Response::Pasted(PasteReply {
            error: Some("pasted values are read in the playground's worker".into()),
            ..PasteReply::default()
        }),
        Request::Explain { rule } => {
            let text = registry::find(&rule)
                .map(|r| r.meta())
                .filter(|m| !m.raw_doc.is_empty())
                .map(|m| m.explain());
            Response::Explain { rule, text }
        }
    }
}

/// Whether this module was compiled with the rule docs (the worker, and the test builds, whose
/// dev-dependencies switch them on); the playground's main module is not.
pub fn docs_compiled_in() -> bool {
    registry::rules()
        .iter()
        .any(|r| !r.meta().raw_doc.is_empty())
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
        // Only the worker's build links the paste reader (and keeps it out of the page's module).
        #[cfg(feature = "worker")]
        if let Request::ReadPasted(r) = request {
            let scope = scope.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let reply = crate::envelope_lab::paste_reply(&r).await;
                scope.respond(who, (id, Response::Pasted(reply)));
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
/// reuse it. In a module that has the docs compiled in, the request is answered in place.
pub fn request(request: Request, on_reply: impl FnOnce(Response) + 'static) {
    if docs_compiled_in() {
        let response = handle(request);
        wasm_bindgen_futures::spawn_local(async move { on_reply(response) });
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
            panic!("not an Explain response")
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
}
