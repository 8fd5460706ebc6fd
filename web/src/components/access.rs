//! The "Access" tab: who can read Secrets in which namespace, and how (direct, implicit,
//! escalation), as a subject × namespace matrix computed from the editor's documents; a cell
//! shows the evidence paths behind it as an SVG graph (subject → binding → role → rule).
//!
//! The analysis is `secrets-guard who-can read-secrets`, run by the background worker
//! ([`crate::worker`], [`crate::access_view::analyse`]) whenever the evaluated text changes
//! while the tab is open (the editor debounces typing); replies to older texts are ignored. The
//! graph is drawn with Yew's SVG elements, text as text nodes.

use std::rc::Rc;

use yew::prelude::*;

use crate::access_view::{self, AccessView as View, Cell, Graph, How, OTHER_NAMESPACES};
use crate::worker::{self, Request, Response};

#[derive(Properties, PartialEq)]
pub struct AccessProps {
    /// The evaluated text of the editor.
    pub text: AttrValue,
}

/// What the tab shows: the view of the latest text, whether a newer one is on its way.
#[derive(Debug, Clone, PartialEq, Default)]
struct Shown {
    view: Option<Rc<View>>,
    busy: bool,
    unavailable: bool,
}

/// The selected cell: (subject, column), by label, so that it survives an edit.
type Selected = Option<(String, String)>;

/// The column's header: a namespace, or "other namespaces".
fn column_label(column: &str) -> &str {
    if column == OTHER_NAMESPACES {
        "other namespaces"
    } else {
        column
    }
}

/// The tab.
#[function_component(AccessView)]
pub fn access_view(props: &AccessProps) -> Html {
    let shown = use_state(Shown::default);
    // The id of the latest request: replies to older ones are stale.
    let latest = use_mut_ref(|| 0u32);
    let selected = use_state(|| None::<(String, String)>);
    {
        let shown = shown.clone();
        let latest = latest.clone();
        use_effect_with(props.text.clone(), move |text| {
            let id = {
                let mut l = latest.borrow_mut();
                *l = l.wrapping_add(1);
                *l
            };
            shown.set(Shown {
                busy: true,
                ..(*shown).clone()
            });
            let asked = Request::Access {
                text: text.to_string(),
            };
            worker::request(asked, move |response| {
                if *latest.borrow() != id {
                    return;
                }
                shown.set(match response {
                    Response::Access(view) => Shown {
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
            });
        });
    }

    let legend = html! {
        <ul class="access-legend" aria-label="Legend">
            <li><span class="swatch how-direct" aria-hidden="true"></span>
                { "direct: get, list or watch on secrets" }</li>
            <li><span class="swatch how-implicit" aria-hidden="true"></span>
                { "implicit: through Pods (create, exec/attach, nodes/proxy)" }</li>
            <li><span class="swatch how-escalation" aria-hidden="true"></span>
                { "escalation: another identity or more permissions first" }</li>
        </ul>
    };
    let body = match &shown.view {
        _ if shown.unavailable => html! {
            <p class="access-empty">{ "The analysis is not available in this build." }</p>
        },
        None => {
            html! { <p class="access-empty">{ "Analysing the editor's documents\u{2026}" }</p> }
        }
        Some(view) => render(view, &selected),
    };
    html! {
        <div class="access" data-testid="access" aria-busy={shown.busy.to_string()}>
            <p class="access-intro">
                { "Who can read Secrets, where, and how, from the RBAC objects in the editor \
                   (as `secrets-guard who-can read-secrets` answers). Pick a cell to see its \
                   evidence paths." }
            </p>
            { legend }
            { body }
        </div>
    }
}

fn render(view: &Rc<View>, selected: &UseStateHandle<Selected>) -> Html {
    let errors = (!view.errors.is_empty()).then(|| {
        let items = view.errors.iter().map(|e| {
            html! {
                <li data-testid="access-error" data-line={e.line.to_string()}>
                    { format!("line {}: {}", e.line, e.message) }
                </li>
            }
        });
        html! {
            <div class="access-errors" role="note">
                <p>{ "Some documents could not be read; the others are answered:" }</p>
                <ul>{ for items }</ul>
            </div>
        }
    });
    if view.rows.is_empty() {
        return html! {
            <>
                { errors.unwrap_or_default() }
                <p class="access-empty" data-testid="access-none">
                    { "No subject can read Secrets in the editor's documents." }
                </p>
            </>
        };
    }
    let current = (**selected)
        .clone()
        .filter(|(s, c)| view.subjects.contains(s) && view.columns.contains(c));
    let head = view.columns.iter().map(|c| {
        html! { <th scope="col" data-namespace={c.clone()}>{ column_label(c) }</th> }
    });
    let rows = view.rows.iter().map(|row| {
        let cells = row.cells.iter().zip(&view.columns).map(|(cell, column)| {
            let is_selected = current
                .as_ref()
                .is_some_and(|(s, c)| s == &row.subject && c == column);
            cell_html(cell, &row.subject, column, is_selected, selected)
        });
        html! {
            <tr>
                <th scope="row" class="subject">{ row.subject.clone() }</th>
                { for cells }
            </tr>
        }
    });
    let rows: Vec<Html> = rows.collect();
    let detail = current.and_then(|(subject, column)| {
        let r = view.subjects.iter().position(|s| *s == subject)?;
        let c = view.columns.iter().position(|x| *x == column)?;
        let cell = view.rows.get(r)?.cells.get(c)?;
        Some(evidence(view, cell, &subject, &column))
    });
    html! {
        <>
            { errors.unwrap_or_default() }
            <div class="access-scroll">
                <table class="access-matrix" data-testid="access-matrix">
                    <caption>{ "Subjects (rows) that can read Secrets in each namespace (columns)" }</caption>
                    <thead><tr><th scope="col">{ "Subject" }</th>{ for head }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            { detail.unwrap_or_else(|| html! {
                <p class="access-hint">{ "Select a coloured cell to see how the subject gets there." }</p>
            }) }
        </>
    }
}

fn cell_html(
    cell: &Cell,
    subject: &str,
    column: &str,
    is_selected: bool,
    selected: &UseStateHandle<Selected>,
) -> Html {
    let how = cell.strongest().map_or("none", How::as_str);
    let label = cell.label();
    if cell.entries.is_empty() {
        return html! {
            <td class="how-none" data-testid="access-cell" data-subject={subject.to_string()}
                data-namespace={column.to_string()} data-how="none">
                <span class="cell-label">{ "\u{2014}" }</span>
                <span class="visually-hidden">{ "none" }</span>
            </td>
        };
    }
    let onclick = {
        let selected = selected.clone();
        let key = (subject.to_string(), column.to_string());
        Callback::from(move |_: MouseEvent| selected.set(Some(key.clone())))
    };
    html! {
        <td class={classes!(format!("how-{how}"), is_selected.then_some("selected"))}
            data-testid="access-cell" data-subject={subject.to_string()}
            data-namespace={column.to_string()} data-how={how}>
            <button type="button" class="cell-button" aria-pressed={is_selected.to_string()}
                aria-label={format!("{subject} in {}: {label}", column_label(column))} {onclick}>
                { label }
            </button>
        </td>
    }
}

/// Geometry of the graph, in SVG user units.
const CHAR_W: f64 = 7.0;
const NODE_H: f64 = 24.0;
const PAD_X: f64 = 8.0;
const GAP_X: f64 = 28.0;
const SLOT_H: f64 = 34.0;
const MARGIN: f64 = 4.0;

/// The selected cell's evidence: the graph, then the same paths as text.
fn evidence(view: &View, cell: &Cell, subject: &str, column: &str) -> Html {
    let entries: Vec<&access_view::Entry> = cell
        .entries
        .iter()
        .filter_map(|&i| view.entries.get(i))
        .collect();
    let graph = Graph::of(entries.iter().map(|e| e.path.as_slice()));
    // Each step's column is as wide as its longest label.
    let mut widths = vec![0.0f64; graph.depth];
    for n in &graph.nodes {
        let w = n.label.chars().count() as f64 * CHAR_W + 2.0 * PAD_X;
        widths[n.depth] = widths[n.depth].max(w);
    }
    let mut xs = vec![MARGIN; graph.depth];
    for d in 1..graph.depth {
        xs[d] = xs[d - 1] + widths[d - 1] + GAP_X;
    }
    let width = xs.last().copied().unwrap_or(0.0) + widths.last().copied().unwrap_or(0.0) + MARGIN;
    let height = graph.slots as f64 * SLOT_H + 2.0 * MARGIN;
    let y_of = |half: usize| MARGIN + half as f64 * SLOT_H / 2.0 + (SLOT_H - NODE_H) / 2.0;
    let edges = graph.edges.iter().map(|&(a, b)| {
        let (pa, pb) = (&graph.nodes[a], &graph.nodes[b]);
        let x1 = xs[pa.depth] + widths[pa.depth];
        let y1 = y_of(pa.half_slot) + NODE_H / 2.0;
        let x2 = xs[pb.depth];
        let y2 = y_of(pb.half_slot) + NODE_H / 2.0;
        let xm = (x1 + x2) / 2.0;
        html! {
            <path class="edge" d={format!("M{x1:.1} {y1:.1} C{xm:.1} {y1:.1} {xm:.1} {y2:.1} {x2:.1} {y2:.1}")} />
        }
    });
    let nodes = graph.nodes.iter().map(|n| {
        let (x, y) = (xs[n.depth], y_of(n.half_slot));
        let w = n.label.chars().count() as f64 * CHAR_W + 2.0 * PAD_X;
        html! {
            <g class={classes!("node", format!("kind-{}", n.kind.as_str()))}
                data-testid="graph-node" data-kind={n.kind.as_str()} data-depth={n.depth.to_string()}>
                <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{w:.1}")}
                    height={format!("{NODE_H:.1}")} rx="4" />
                <text x={format!("{:.1}", x + PAD_X)} y={format!("{:.1}", y + NODE_H / 2.0 + 4.0)}>
                    { n.label.clone() }
                </text>
            </g>
        }
    });
    let paths = entries.iter().map(|e| {
        html! {
            <li data-testid="access-path" data-how={e.how.as_str()}>
                <span class={classes!("how-tag", format!("how-{}", e.how.as_str()))}>{ e.how.as_str() }</span>
                { " " }
                <span class="scope">{ format!("({})", e.scope) }</span>
                { " " }
                { e.path.join(" \u{2192} ") }
            </li>
        }
    });
    let title = format!("How {subject} reaches Secrets in {}", column_label(column));
    html! {
        <section class="access-evidence" data-testid="access-evidence" aria-label={title.clone()}>
            <h3>{ title.clone() }</h3>
            <div class="access-graph-scroll">
                <svg class="access-graph" data-testid="access-graph" role="img" aria-label={title}
                    width={format!("{width:.0}")} height={format!("{height:.0}")}
                    viewBox={format!("0 0 {width:.0} {height:.0}")}>
                    { for edges }
                    { for nodes }
                </svg>
            </div>
            <ol class="access-paths">{ for paths }</ol>
        </section>
    }
}
