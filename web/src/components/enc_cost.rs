//! "A DEK per write or a cached seed", in the "Encryption at rest" tab: N writes measured in
//! this browser (WebCrypto, `performance.now()`) each way: KMS v1's fresh DEK wrapped by the KMS
//! for every write, and KMS v2's seed wrapped once with a key derived per write (HKDF). The KMS
//! call counts are the simulated KMS's own counters. The writes run and are timed in the
//! background worker ([`crate::envelope_worker::cost`]); the section is `aria-busy` while it
//! measures.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::envelope_msg::{Cost, CostRun};
use crate::worker::{self, Request, Response};

/// Writes per run when the field is empty or invalid; the field allows 1 to 5,000.
pub const DEFAULT_WRITES: u32 = 200;
const MAX_WRITES: u32 = 5_000;

fn row(label: &str, testid: &'static str, r: &CostRun) -> Html {
    let per_write_us = if r.writes == 0 {
        0.0
    } else {
        r.millis * 1000.0 / f64::from(r.writes)
    };
    html! {
        <tr data-testid={testid}>
            <td>{ label.to_string() }</td>
            <td class="enc-len">{ r.writes }</td>
            <td class="enc-len" data-testid="enc-cost-ms">{ format!("{:.1} ms", r.millis) }</td>
            <td class="enc-len">{ format!("{per_write_us:.0} µs") }</td>
            <td class="enc-len" data-testid="enc-cost-kms">{ r.kms_calls }</td>
            <td class="enc-len">{ format!("{} B", r.value_len) }</td>
        </tr>
    }
}

/// The cost section (a hook that renders, so that the tab needs no more components).
#[hook]
pub fn use_cost_section() -> Html {
    let writes = use_state(|| DEFAULT_WRITES.to_string());
    let busy = use_state(|| false);
    let result = use_state(|| None::<Result<Cost, String>>);

    let on_run = {
        let (writes, busy, result) = (writes.clone(), busy.clone(), result.clone());
        Callback::from(move |_: MouseEvent| {
            let n = writes
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_WRITES).contains(n))
                .unwrap_or(DEFAULT_WRITES);
            let (busy, result) = (busy.clone(), result.clone());
            busy.set(true);
            worker::request(Request::Cost { writes: n }, move |response| {
                let r = match response {
                    Response::Cost(r) => r,
                    _ => Err("the background worker did not answer".into()),
                };
                result.set(Some(r));
                busy.set(false);
            });
        })
    };
    let on_writes = {
        let writes = writes.clone();
        Callback::from(move |e: InputEvent| {
            writes.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };

    let shown = match &*result {
        None => Html::default(),
        Some(Err(e)) => {
            html! { <p class="enc-error" data-testid="enc-cost-error">{ e.clone() }</p> }
        }
        Some(Ok(c)) => {
            let (a, b) = (&c.dek_per_write, &c.cached_seed);
            let ratio = if b.millis > 0.0 {
                format!(" ({:.1}×)", a.millis / b.millis)
            } else {
                String::new()
            };
            let summary = format!(
                "{} writes: a DEK per write took {:.1} ms, the cached seed {:.1} ms{ratio}; \
                 the DEK per write made {} KMS calls, the cached seed {}.",
                a.writes, a.millis, b.millis, a.kms_calls, b.kms_calls
            );
            html! {
                <>
                    <div class="enc-diagram-scroll">
                    <table class="enc-diagram" data-testid="enc-cost">
                        <thead><tr><th>{ "way" }</th><th>{ "writes" }</th><th>{ "time" }</th>
                            <th>{ "per write" }</th><th>{ "KMS calls" }</th><th>{ "value" }</th></tr></thead>
                        <tbody>
                            { row("KMS v1: a fresh DEK per write, wrapped by the KMS", "enc-cost-dek-per-write", a) }
                            { row("KMS v2: one seed wrapped once, a key derived per write (HKDF)", "enc-cost-cached", b) }
                        </tbody>
                    </table>
                    </div>
                    <p class="enc-ok" data-testid="enc-cost-ratio">{ summary }</p>
                    <p class="hint">
                        { "Measured just now in this tab with WebCrypto. The KMS here is simulated \
                           in the page, so one of its calls costs a single AES-GCM operation, and \
                           the seed's per-write key derivation (an HMAC) can cost as much. A real \
                           KMS call is a gRPC round trip to the plugin, and usually on to a cloud \
                           KMS: KMS v1 pays it on every write, KMS v2 once per seed. The call \
                           count is what grows with the writes." }
                    </p>
                </>
            }
        }
    };

    html! {
        <section class="enc-section" data-testid="enc-cost-section" aria-busy={busy.to_string()}>
            <h3>{ "A DEK per write, or a cached seed" }</h3>
            <p class="hint">
                { "KMS v1 makes a new data key for every write and asks the KMS to wrap it. KMS v2 \
                   asks the KMS once for a seed and derives a new key from it for every write." }
            </p>
            <div class="enc-actions">
                <label for="enc-cost-writes">{ "Writes" }</label>
                <input id="enc-cost-writes" type="number" min="1" max={MAX_WRITES.to_string()}
                    data-testid="enc-cost-writes" value={(*writes).clone()} oninput={on_writes} />
                <button type="button" class="primary" data-testid="enc-cost-run" disabled={*busy}
                    onclick={on_run}>{ if *busy { "Measuring…" } else { "Measure both" } }</button>
            </div>
            { shown }
        </section>
    }
}
