//! The "Audit log" tab: paste or drop `audit.k8s.io/v1` Events (JSON lines as the log backend
//! writes them, or an EventList as the webhook backend sends it) and see the AEV findings with
//! their line numbers, who accessed which Secrets, and a timeline of that access per user.
//!
//! The log is independent of the editor's manifests; it is kept while the tab is left but never
//! stored nor shared. The analysis is `secrets-guard audit-log`, run by the background worker
//! ([`crate::worker`], [`crate::audit_view::analyse`]) once typing pauses; replies to older
//! texts are ignored. Everything is rendered as text nodes and SVG elements.

use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::audit_view::{self, AuditView as View, Timeline};
use crate::hooks::use_debounce;
use crate::state::{Action, AppState};
use crate::worker::{self, Request, Response};

/// The sample log of "Load sample": planted incidents (every AEV rule but AEV-003) and two
/// malformed lines, the CLI's test fixture.
pub const SAMPLE: &str = include_str!("../../../tests/fixtures/audit/incidents.jsonl");

/// Dropped files larger than this are not read.
pub const MAX_LOG_BYTES: u64 = 32 * 1024 * 1024;

/// How long typing must pause before the log is analysed again.
const ANALYSE_DEBOUNCE_MS: u32 = 300;

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    /// The audit log (`AppState::audit_text`).
    pub text: AttrValue,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Shown {
    view: Option<Rc<View>>,
    busy: bool,
    unavailable: bool,
}

/// `1 event`, `2 events`.
fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The CLI's last line: `19 events, 8 findings (2 critical, 3 high, 3 medium), 2 malformed lines`.
pub fn summary(view: &View) -> String {
    let counts: Vec<String> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .filter_map(|s| {
            let n = view.findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    format!(
        "{}, {}{}, {}",
        plural(view.events, "event"),
        plural(view.findings.len() as u64, "finding"),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        plural(view.malformed_total, "malformed line")
    )
}

/// The tab.
#[function_component(AuditLogView)]
pub fn audit_log_view(props: &AuditProps) -> Html {
    let shown = use_state(Shown::default);
    let latest = use_mut_ref(|| 0u32);
    // The text analysed last (or being analysed), so that one text is asked for once.
    let asked = use_mut_ref(|| None::<AttrValue>);
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let drop_note = use_state(|| None::<String>);
    let dragging = use_state(|| false);

    let analyse = {
        let shown = shown.clone();
        let latest = latest.clone();
        let asked = asked.clone();
        Callback::from(move |text: AttrValue| {
            if asked.borrow().as_ref() == Some(&text) {
                return;
            }
            *asked.borrow_mut() = Some(text.clone());
            let id = {
                let mut l = latest.borrow_mut();
                *l = l.wrapping_add(1);
                *l
            };
            if text.trim().is_empty() {
                shown.set(Shown::default());
                return;
            }
            shown.set(Shown {
                busy: true,
                ..(*shown).clone()
            });
            let shown = shown.clone();
            let latest = latest.clone();
            worker::request(
                Request::AuditLog {
                    text: text.to_string(),
                },
                move |response| {
                    if *latest.borrow() != id {
                        return;
                    }
                    shown.set(match response {
                        Response::AuditLog(view) => Shown {
                            view: Some(Rc::new(*view)),
                            busy: false,
                            unavailable: false,
                        },
                        _ => Shown {
                            view: None,
                            busy: false,
                            unavailable: true,
                        },
                    });
                },
            );
        })
    };
    // Typing: analyse once it pauses.
    let analyse_soon = {
        let analyse = analyse.clone();
        let text = props.text.clone();
        use_debounce(
            ANALYSE_DEBOUNCE_MS,
            Callback::from(move |()| analyse.emit(text.clone())),
        )
    };
    // On opening the tab: analyse what is there.
    {
        let analyse = analyse.clone();
        let text = props.text.clone();
        use_effect_with((), move |_| analyse.emit(text));
    }

    let set_now = {
        let dispatch = props.dispatch.clone();
        let analyse = analyse.clone();
        Callback::from(move |text: String| {
            let text: Rc<str> = Rc::from(text);
            dispatch.dispatch(Action::SetAuditText(text.clone()));
            analyse.emit(AttrValue::from(text));
        })
    };
    let oninput = {
        let dispatch = props.dispatch.clone();
        let analyse_soon = analyse_soon.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetAuditText(Rc::from(area.value())));
            analyse_soon.emit(());
        })
    };
    let on_sample = {
        let set_now = set_now.clone();
        let drop_note = drop_note.clone();
        Callback::from(move |_: MouseEvent| {
            drop_note.set(None);
            set_now.emit(SAMPLE.to_string());
        })
    };
    let on_clear = {
        let set_now = set_now.clone();
        let drop_note = drop_note.clone();
        Callback::from(move |_: MouseEvent| {
            drop_note.set(None);
            set_now.emit(String::new());
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Claimed here: the page's own drop handling (import into the editor) leaves it.
            e.prevent_default();
            if let Some(dt) = e.data_transfer() {
                dt.set_drop_effect("copy");
            }
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let drop_note = drop_note.clone();
        let set_now = set_now.clone();
        let readers = readers.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|list| list.get(0))
            else {
                // Dropped text (not a file) is the log itself.
                if let Some(text) = e.data_transfer().and_then(|dt| dt.get_data("text").ok()) {
                    if !text.is_empty() {
                        drop_note.set(None);
                        set_now.emit(text);
                    }
                }
                return;
            };
            if file.size() as u64 > MAX_LOG_BYTES {
                drop_note.set(Some(format!(
                    "{} is {} MiB; logs over {} MiB are not read here (use `secrets-guard audit-log`).",
                    file.name(),
                    (file.size() as u64) / (1024 * 1024),
                    MAX_LOG_BYTES / (1024 * 1024)
                )));
                return;
            }
            let file = gloo::file::File::from(file);
            let name = file.name();
            let drop_note = drop_note.clone();
            let set_now = set_now.clone();
            let readers_after = readers.clone();
            let reader = gloo::file::callbacks::read_as_text(&file, move |r| {
                match r {
                    Ok(text) => {
                        drop_note.set(Some(format!("Read {name}.")));
                        set_now.emit(text);
                    }
                    Err(e) => drop_note.set(Some(format!("{name} could not be read: {e}."))),
                }
                // Deferred: this callback runs inside the reader.
                yew::platform::spawn_local(async move {
                    readers_after.borrow_mut().clear();
                });
            });
            readers.borrow_mut().push(reader);
        })
    };

    let results = match &shown.view {
        _ if shown.unavailable => html! {
            <p class="audit-empty">{ "The analysis is not available in this build." }</p>
        },
        None if props.text.trim().is_empty() => html! {
            <p class="audit-empty">{ "Paste audit events above, drop a log file, or load the sample." }</p>
        },
        None => html! { <p class="audit-empty">{ "Analysing\u{2026}" }</p> },
        Some(view) => render(view),
    };

    html! {
        <div class="audit" data-testid="audit" aria-busy={shown.busy.to_string()}>
            <p class="audit-intro">
                { "Kubernetes audit events, as the log backend writes them (one JSON Event per \
                   line) or as the webhook backend sends them (an EventList): the same analyses \
                   as `secrets-guard audit-log`. The log stays in this tab: it is not stored, \
                   shared, nor sent anywhere." }
            </p>
            <div class={classes!("audit-drop", dragging.then_some("drop-target"))}
                data-testid="audit-drop" {ondragover} {ondragleave} {ondrop}>
                <label for="audit-input" class="visually-hidden">{ "Audit events" }</label>
                <textarea id="audit-input" class="audit-input" data-testid="audit-input"
                    spellcheck="false" autocomplete="off" rows="8"
                    placeholder="Paste audit events (JSON lines or an EventList), or drop a log file here"
                    value={props.text.clone()} {oninput} />
                <div class="audit-actions">
                    <button type="button" data-testid="audit-sample" onclick={on_sample}>
                        { "Load sample" }</button>
                    <button type="button" data-testid="audit-clear" onclick={on_clear}>
                        { "Clear" }</button>
                    if let Some(note) = &*drop_note {
                        <span class="audit-note" data-testid="audit-note" role="status">{ note.clone() }</span>
                    }
                </div>
            </div>
            { results }
        </div>
    }
}

fn render(view: &View) -> Html {
    let findings = view.findings.iter().map(|f| {
        html! {
            <li class={classes!("audit-finding", format!("sev-{}", f.severity))}
                data-testid="audit-finding" data-rule={f.rule.clone()}
                data-line={f.line.to_string()} data-severity={f.severity.clone()}>
                <span class="audit-where">{ format!("line {}", f.line) }</span>
                <span class={classes!("sev-badge", format!("sev-{}", f.severity))}>{ f.severity.clone() }</span>
                <span class="audit-rule">{ f.rule.clone() }</span>
                <span class="audit-title">{ f.title.clone() }</span>
                <span class="audit-message">{ f.message.clone() }</span>
            </li>
        }
    });
    let malformed = view.malformed.iter().map(|m| {
        html! {
            <li data-testid="audit-malformed" data-line={m.line.to_string()}>
                { format!("line {}: {}", m.line, m.message) }
            </li>
        }
    });
    let more = view.malformed_total - view.malformed.len() as u64;
    let access = view.access.iter().map(|a| {
        html! {
            <tr data-testid="audit-access-row" data-user={a.user.clone()}>
                <td>{ a.user.clone() }</td>
                <td>{ a.verb.clone() }</td>
                <td>{ a.secret.clone() }</td>
                <td class={classes!(a.code.is_some_and(|c| c >= 400).then_some("refused"))}>
                    { a.code.map_or_else(|| "-".to_string(), |c| c.to_string()) }</td>
                <td class="num">{ a.count }</td>
                <td>{ a.first.clone().unwrap_or_else(|| "-".into()) }</td>
                <td>{ a.last.clone().unwrap_or_else(|| "-".into()) }</td>
            </tr>
        }
    });
    html! {
        <div class="audit-results">
            <p class="audit-summary" data-testid="audit-summary" role="status">{ summary(view) }</p>
            if !view.findings.is_empty() {
                <section aria-labelledby="audit-findings-title">
                    <h3 id="audit-findings-title">{ "Findings" }</h3>
                    <ul class="audit-findings" data-testid="audit-findings">{ for findings }</ul>
                </section>
            }
            if !view.malformed.is_empty() {
                <section aria-labelledby="audit-malformed-title">
                    <h3 id="audit-malformed-title">{ "Skipped lines" }</h3>
                    <ul class="audit-malformed">{ for malformed }</ul>
                    if more > 0 {
                        <p>{ format!("and {} more", plural(more, "malformed line")) }</p>
                    }
                </section>
            }
            <section aria-labelledby="audit-timeline-title">
                <h3 id="audit-timeline-title">{ "Secret access over time" }</h3>
                { timeline(&view.timeline) }
            </section>
            if !view.access.is_empty() {
                <section aria-labelledby="audit-access-title">
                    <h3 id="audit-access-title">{ "Who accessed which Secrets" }</h3>
                    <div class="audit-scroll">
                        <table class="audit-access" data-testid="audit-access">
                            <thead><tr>
                                <th scope="col">{ "User" }</th><th scope="col">{ "Verb" }</th>
                                <th scope="col">{ "Secret" }</th><th scope="col">{ "Code" }</th>
                                <th scope="col">{ "Count" }</th><th scope="col">{ "First" }</th>
                                <th scope="col">{ "Last" }</th>
                            </tr></thead>
                            <tbody>{ for access }</tbody>
                        </table>
                    </div>
                </section>
            }
        </div>
    }
}

/// Geometry of the timeline, in SVG user units (the SVG scales to the pane's width).
const WIDTH: f64 = 600.0;
const LABEL_H: f64 = 14.0;
const BAR_H: f64 = 22.0;
const LANE_GAP: f64 = 8.0;
const AXIS_H: f64 = 16.0;

/// One lane per user: stacked bars per bucket, succeeded below, refused on top.
fn timeline(t: &Timeline) -> Html {
    if t.lanes.is_empty() {
        return html! { <p class="audit-empty" data-testid="audit-timeline-empty">{ "No Secret access in the log." }</p> };
    }
    let n = t.buckets();
    let peak = t
        .lanes
        .iter()
        .flat_map(|l| l.ok.iter().zip(&l.refused).map(|(a, b)| a + b))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = if n == 0 { WIDTH } else { WIDTH / n as f64 };
    let lane_h = LABEL_H + BAR_H + LANE_GAP;
    let height = t.lanes.len() as f64 * lane_h + AXIS_H;
    let bucket_label = |i: usize| {
        let start = t.origin_micros + i as i64 * t.bucket_micros;
        format!(
            "{}\u{2013}{}",
            audit_view::clock(start),
            audit_view::clock(start + t.bucket_micros)
        )
    };
    let lanes = t.lanes.iter().enumerate().map(|(li, lane)| {
        let top = li as f64 * lane_h;
        let base = top + LABEL_H + BAR_H;
        let bars = (0..n).filter(|&i| lane.ok[i] + lane.refused[i] > 0).map(|i| {
            let x = i as f64 * slot + 1.0;
            let w = (slot - 2.0).max(1.0);
            let ok_h = BAR_H * f64::from(lane.ok[i]) / f64::from(peak);
            let ref_h = BAR_H * f64::from(lane.refused[i]) / f64::from(peak);
            let title = format!(
                "{} UTC: {} succeeded, {} refused",
                bucket_label(i),
                lane.ok[i],
                lane.refused[i]
            );
            html! {
                <g class="bucket" data-testid="timeline-bucket" data-index={i.to_string()}
                    data-ok={lane.ok[i].to_string()} data-refused={lane.refused[i].to_string()}>
                    <title>{ title }</title>
                    if lane.ok[i] > 0 {
                        <rect class="ok" x={format!("{x:.1}")} y={format!("{:.1}", base - ok_h)}
                            width={format!("{w:.1}")} height={format!("{ok_h:.1}")} />
                    }
                    if lane.refused[i] > 0 {
                        <rect class="refused" x={format!("{x:.1}")} y={format!("{:.1}", base - ok_h - ref_h)}
                            width={format!("{w:.1}")} height={format!("{ref_h:.1}")} />
                    }
                </g>
            }
        });
        let untimed = if lane.untimed > 0 {
            format!(", {} without a time", lane.untimed)
        } else {
            String::new()
        };
        html! {
            <g class="lane" data-testid="timeline-lane" data-user={lane.user.clone()}
                data-total={lane.total.to_string()}>
                <text class="lane-label" x="0" y={format!("{:.1}", top + LABEL_H - 3.0)}>
                    { format!("{} ({}{untimed})", lane.user, plural(lane.total, "request")) }
                </text>
                <line class="baseline" x1="0" x2={format!("{WIDTH:.0}")}
                    y1={format!("{base:.1}")} y2={format!("{base:.1}")} />
                { for bars }
            </g>
        }
    });
    let axis_y = height - 3.0;
    let ticks = if n > 0 {
        html! {
            <g class="axis">
                <text x="0" y={format!("{axis_y:.1}")}>{ audit_view::clock(t.origin_micros) }</text>
                <text x={format!("{WIDTH:.0}")} y={format!("{axis_y:.1}")} class="end">
                    { audit_view::clock(t.origin_micros + n as i64 * t.bucket_micros) }</text>
            </g>
        }
    } else {
        Html::default()
    };
    let caption = match (&t.start, &t.end) {
        (Some(a), Some(b)) => format!(
            "From {a} to {b}; each bar is {} (UTC); refused requests (status 400 and above) are stacked on top.",
            audit_view::duration(t.bucket_micros)
        ),
        _ => "No request has a readable time.".to_string(),
    };
    html! {
        <figure class="audit-timeline-figure">
            <svg class="audit-timeline" data-testid="audit-timeline" role="img"
                aria-label="Secret requests per user over time"
                viewBox={format!("0 0 {WIDTH:.0} {height:.0}")} preserveAspectRatio="xMinYMin meet">
                { for lanes }
                { ticks }
            </svg>
            <figcaption>
                <span class="swatch ok" aria-hidden="true"></span>{ " succeeded " }
                <span class="swatch refused" aria-hidden="true"></span>{ " refused. " }
                { caption }
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit_view::Finding;

    #[test]
    fn summary_reads_like_the_cli() {
        let f = |sev: &str| Finding {
            rule: "AEV-001".into(),
            title: String::new(),
            severity: sev.into(),
            line: 1,
            user: String::new(),
            time: None,
            message: String::new(),
        };
        let view = View {
            events: 19,
            findings: vec![f("high"), f("critical"), f("medium"), f("critical")],
            malformed_total: 2,
            ..View::default()
        };
        assert_eq!(
            summary(&view),
            "19 events, 4 findings (2 critical, 1 high, 1 medium), 2 malformed lines"
        );
        let one = View {
            events: 1,
            ..View::default()
        };
        assert_eq!(summary(&one), "1 event, 0 findings, 0 malformed lines");
    }
}
