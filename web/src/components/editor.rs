//! The code editor: a transparent `<textarea>` (which owns the text, the caret, the selection
//! and the undo history) over a highlighted copy of the text, with a gutter of line numbers
//! and finding markers.
//!
//! Only the lines near the screen are rendered (the highlighted layer and the gutter are
//! virtualized: every line is [`LINE_HEIGHT`] pixels, so a scroll position gives the lines
//! directly), so a 5,000-line paste costs what a 50-line one does. The textarea is as tall and
//! wide as its text and scrolls together with the highlighted layer inside one scroller, so the
//! two can never drift apart.
//!
//! User text only ever becomes text nodes: every token, underline and message is a `<span>`
//! whose content is a string.

use std::cell::RefCell;
use std::rc::Rc;

use secrets_guard_core::{Finding, InputError, Report, Severity};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::editing::diagnostics::{Deco, Diagnostics};
use crate::editing::indent::{self, Edit};
use crate::editing::layout::{layout, Mark, Piece};
use crate::editing::lines::{normalize_newlines, utf16_to_byte, LineIndex};
use crate::editing::tokens::tokenize;
use crate::editing::viewport::Geometry;
use crate::engine::{Evaluation, EDITOR_FILE};
use crate::state::Span;

/// Height of one line in CSS pixels (`--editor-lh` in `web/css/editor.css`).
pub const LINE_HEIGHT: f64 = 20.0;
/// Padding around the text in CSS pixels (`--editor-pad` in `web/css/editor.css`).
pub const PADDING: f64 = 8.0;

/// The virtualization: 40 lines of margin beyond each edge of the screen, window edges on a
/// 20-line grid (about 130 lines rendered on a 900 px screen).
pub const GEOMETRY: Geometry = Geometry {
    line_height: LINE_HEIGHT,
    padding_top: PADDING,
    overscan: 40,
    chunk: 20,
};

/// A number for each editor instance, for unique element ids.
static INSTANCES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[derive(Properties, Clone)]
pub struct EditorProps {
    /// The text to show. The editor reports edits with `on_change` and expects them back here.
    pub text: AttrValue,
    /// The evaluation whose findings and errors are marked.
    pub evaluation: Rc<Evaluation>,
    /// A span to select (a finding clicked elsewhere), with a serial that changes with every
    /// request, so that asking for the same span twice selects it twice.
    #[prop_or_default]
    pub selection: Option<Span>,
    #[prop_or_default]
    pub selection_serial: u64,
    /// Called with the textarea's new value after every edit.
    pub on_change: Callback<String>,
}

impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.selection == other.selection
            && self.selection_serial == other.selection_serial
            && self.on_change == other.on_change
    }
}

/// The text as the textarea holds it (`\n` line breaks), indexed.
#[derive(Debug, PartialEq)]
struct Doc {
    text: String,
    index: LineIndex,
}

impl Doc {
    fn new(text: &str) -> Doc {
        let text = normalize_newlines(text).into_owned();
        let index = LineIndex::new(&text);
        Doc { text, index }
    }

    /// The 1-based line and 0-based character column of UTF-16 offset `units`.
    fn position(&self, units: usize) -> (u32, usize) {
        let byte = utf16_to_byte(&self.text, units);
        let line = self.index.line_of_byte(byte);
        let start = self.index.byte_range(line).start.min(byte);
        (line as u32 + 1, self.text[start..byte].chars().count())
    }
}

/// An evaluation compared by identity (a memo key).
#[derive(Clone)]
struct EvalKey(Rc<Evaluation>);

impl PartialEq for EvalKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Scroll metrics, kept outside the render state: a scroll event updates them, and re-renders
/// only when the window of lines to show changes.
#[derive(Debug, Clone, Copy)]
struct Metrics {
    scroll_top: f64,
    scroll_left: f64,
    viewport_height: f64,
    viewport_width: f64,
    /// Width of one character of the editor's font, in CSS pixels.
    char_width: f64,
    /// Width of the gutter, in CSS pixels.
    gutter_width: f64,
    /// Lines of the text at the last render.
    total: usize,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            scroll_top: 0.0,
            scroll_left: 0.0,
            // Until measured: a tall screen, so the first render covers it.
            viewport_height: 1200.0,
            viewport_width: 800.0,
            char_width: 8.0,
            gutter_width: 48.0,
            total: 1,
        }
    }
}

/// What makes the tooltip show, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct TipState {
    /// The line whose underline or marker the pointer is over.
    hover: Option<u32>,
    /// The line whose marker has keyboard focus.
    focus: Option<u32>,
    /// A line pinned by clicking its marker or selecting a finding.
    pinned: Option<u32>,
    /// The line whose underline holds the caret (after a click or a caret move).
    caret: Option<u32>,
}

impl TipState {
    fn line(&self) -> Option<u32> {
        self.hover.or(self.focus).or(self.pinned).or(self.caret)
    }
}

/// Changes to [`TipState`] (a reducer, so that events between two renders compose).
enum TipAction {
    Hover(Option<u32>),
    /// The pointer left this line's marker (ignored if it is already over something else:
    /// boundary events and moves do not always arrive in the same order).
    Unhover(u32),
    Focus(Option<u32>),
    /// Pin a line's tooltip (a selected finding).
    Pin(u32),
    /// Pin a line's tooltip, or unpin it if it is pinned (a marker's click).
    TogglePin(u32),
    /// The caret moved: onto an underline of this line, or off underlines.
    Caret(Option<u32>),
    /// The text changed: only the pointer keeps its tooltip.
    Edited,
    /// Escape: close everything.
    Close,
}

impl Reducible for TipState {
    type Action = TipAction;

    fn reduce(self: Rc<Self>, action: TipAction) -> Rc<Self> {
        let mut t = *self;
        match action {
            TipAction::Hover(line) => t.hover = line,
            TipAction::Unhover(line) => {
                if t.hover == Some(line) {
                    t.hover = None;
                }
            }
            TipAction::Focus(line) => t.focus = line,
            TipAction::Pin(line) => {
                t = TipState {
                    pinned: Some(line),
                    ..TipState::default()
                }
            }
            TipAction::TogglePin(line) => {
                t.pinned = if t.pinned == Some(line) {
                    None
                } else {
                    Some(line)
                }
            }
            TipAction::Caret(line) => {
                t.caret = line;
                t.pinned = None;
            }
            TipAction::Edited => {
                t = TipState {
                    hover: t.hover,
                    ..TipState::default()
                }
            }
            TipAction::Close => t = TipState::default(),
        }
        Rc::new(t)
    }
}

/// Rank of an underline: more severe ones nest inside (and so show over) less severe ones;
/// parse errors innermost.
fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}
const ERROR_RANK: u8 = 9;

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    // Ids of the findings tooltip (markers point at it with `aria-describedby`) and of the
    // keyboard hint (the textarea's description).
    let (tip_id, hint_id) = (*use_state(|| {
        let n = INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (
            AttrValue::from(format!("editor-tip-{n}")),
            AttrValue::from(format!("editor-hint-{n}")),
        )
    }))
    .clone();
    let root = use_node_ref();
    let scroller = use_node_ref();
    let area = use_node_ref();
    let layer = use_node_ref();
    let measure = use_node_ref();

    let doc = use_memo(props.text.clone(), |t| Doc::new(t));
    let diags = use_memo(EvalKey(props.evaluation.clone()), |k| {
        Diagnostics::new(&k.0.report, EDITOR_FILE)
    });
    let metrics = use_mut_ref(Metrics::default);
    // Re-renders when the window of lines changes (the window itself is recomputed from
    // `metrics` at render time).
    let window_tick = use_state_eq(|| (0usize, 0usize));
    let tip = use_reducer_eq(TipState::default);
    // The textarea's value as last read or written, to tell our own edits from new text.
    let last_value = use_mut_ref(String::new);
    // Escape was pressed: the next Tab moves the focus instead of indenting.
    let tab_escape = use_mut_ref(|| false);
    // An edit of ours is being applied: its `input` events are not reported, the edit reports
    // the result itself, at once.
    let applying = use_mut_ref(|| false);

    let total = doc.index.line_count();
    metrics.borrow_mut().total = total;
    let win = {
        let m = metrics.borrow();
        GEOMETRY.window(m.scroll_top, m.viewport_height, total)
    };
    let cols = doc.index.max_width() + 3;

    // The textarea's text and the CSS custom properties that place the window of lines are
    // updated here, during the render, rather than in effects: Yew may yield to the browser
    // between a render and its effects (when rendering took over 16 ms), and a frame painted in
    // between would show the new lines at the old offset, or the new text over the old one.
    let vars = [
        ("--editor-lines", total.to_string()),
        ("--editor-cols", cols.to_string()),
        ("--editor-digits", digits(total).to_string()),
        ("--editor-first", win.first.to_string()),
    ];
    match area.cast::<HtmlTextAreaElement>() {
        Some(a) => {
            // New text from outside (an example, an import, a fix).
            let mut last = last_value.borrow_mut();
            if *last != doc.text {
                a.set_value(&doc.text);
                last.clone_from(&doc.text);
                if let Some(r) = root.cast::<HtmlElement>() {
                    let _ = r.style().remove_property("--editor-fit-width");
                }
            }
        }
        // First render: the textarea is created with the text (`defaultvalue`).
        None => last_value.borrow_mut().clone_from(&doc.text),
    }
    if let Some(r) = root.cast::<HtmlElement>() {
        set_vars(&r, &vars);
    }
    {
        // First render: the root exists only now.
        let root = root.clone();
        use_effect_with((), move |_| {
            if let Some(r) = root.cast::<HtmlElement>() {
                set_vars(&r, &vars);
            }
        });
    }

    // Measure the screen once mounted and whenever the scroller is resized.
    {
        let scroller = scroller.clone();
        let observed = scroller.clone();
        let measure = measure.clone();
        let metrics = metrics.clone();
        let window_tick = window_tick.clone();
        let root = root.clone();
        use_effect_with((), move |_| {
            let update: Rc<dyn Fn()> = Rc::new(move || {
                let Some(s) = scroller.cast::<HtmlElement>() else {
                    return;
                };
                let mut m = metrics.borrow_mut();
                read_scroll(&s, &mut m);
                if let Some(probe) = measure.cast::<HtmlElement>() {
                    let w = probe.get_bounding_client_rect().width() / 10.0;
                    if w > 0.0 {
                        m.char_width = w;
                    }
                }
                if let Some(g) = s.query_selector(".editor-gutter").ok().flatten() {
                    m.gutter_width = g.get_bounding_client_rect().width();
                }
                if let Some(r) = root.cast::<HtmlElement>() {
                    set_vars(
                        &r,
                        &[("--editor-scroll-top", format!("{}px", m.scroll_top))],
                    );
                }
                let w = GEOMETRY.window(m.scroll_top, m.viewport_height, m.total);
                window_tick.set((w.first, w.end));
            });
            update();
            let callback = {
                let update = update.clone();
                Closure::<dyn Fn()>::new(move || update())
            };
            let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(s)) = (&observer, observed.cast::<Element>()) {
                o.observe(&s);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(callback);
            }
        });
    }

    // A span to select (a finding was clicked in the panel).
    {
        let ctx = Ctx::new(&area, &scroller, &root, &metrics, &window_tick, &doc);
        let tip = tip.dispatcher();
        use_effect_with(
            (props.selection, props.selection_serial),
            move |(selection, _)| {
                if let Some(span) = selection {
                    ctx.select(span);
                    tip.dispatch(TipAction::Pin(span.line));
                }
            },
        );
    }

    let tip_line = tip.line();
    if tip_line.is_some() {
        // Place the tooltip from the scroller's position now (a scroll event may be pending).
        if let (Some(s), Some(r)) = (scroller.cast::<HtmlElement>(), root.cast::<HtmlElement>()) {
            let mut m = metrics.borrow_mut();
            read_scroll(&s, &mut m);
            set_vars(
                &r,
                &[("--editor-scroll-top", format!("{}px", m.scroll_top))],
            );
        }
    }
    // Where the tooltip goes: below its line, or above it in the lower part of the screen.
    let tip_above = tip_line.is_some_and(|l| {
        let m = metrics.borrow();
        PADDING + l as f64 * LINE_HEIGHT - m.scroll_top > m.viewport_height * 0.6
    });
    if let (Some(r), Some(line)) = (root.cast::<HtmlElement>(), tip_line) {
        set_vars(&r, &[("--editor-tip-line", line.to_string())]);
    }

    let onscroll = {
        let metrics = metrics.clone();
        let window_tick = window_tick.clone();
        let root = root.clone();
        Callback::from(move |e: Event| {
            // Yew delegates events along the tree: only the scroller's own scrolling counts.
            let Some(s) = e.target_dyn_into::<HtmlElement>() else {
                return;
            };
            if !s.class_list().contains("editor-scroll") {
                return;
            }
            let mut m = metrics.borrow_mut();
            read_scroll(&s, &mut m);
            if let Some(r) = root.cast::<HtmlElement>() {
                set_vars(
                    &r,
                    &[("--editor-scroll-top", format!("{}px", m.scroll_top))],
                );
            }
            let w = GEOMETRY.window(m.scroll_top, m.viewport_height, m.total);
            window_tick.set((w.first, w.end));
        })
    };

    // Report the textarea's value (after the user's input or one of our edits).
    let report_value = {
        let on_change = props.on_change.clone();
        let last_value = last_value.clone();
        let tip = tip.dispatcher();
        move |a: &HtmlTextAreaElement| {
            let value = a.value();
            last_value.borrow_mut().clone_from(&value);
            tip.dispatch(TipAction::Edited);
            on_change.emit(value);
        }
    };
    // The browser may fire many `input` events in one go (inserting multi-line text through
    // its editing commands fires two per line): the value is read once, in a microtask after
    // the last of them (still before the next frame).
    let oninput = {
        let applying = applying.clone();
        let pending = use_mut_ref(|| false);
        let report_value = report_value.clone();
        Callback::from(move |e: InputEvent| {
            if *applying.borrow() || std::mem::replace(&mut *pending.borrow_mut(), true) {
                return;
            }
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            let pending = pending.clone();
            let report_value = report_value.clone();
            yew::platform::spawn_local(async move {
                *pending.borrow_mut() = false;
                report_value(&a);
            });
        })
    };

    // The caret's line, when the caret sits in an underline (shows that line's tooltip).
    let caret_tip = {
        let doc = doc.clone();
        let diags = diags.clone();
        let tip = tip.dispatcher();
        move |a: &HtmlTextAreaElement| {
            let caret = a.selection_start().ok().flatten().unwrap_or(0) as usize;
            let (line, col) = doc.position(caret);
            let on_underline = diags
                .decorations(line)
                .iter()
                .any(|d| d.start <= col && col <= d.end);
            tip.dispatch(TipAction::Caret(on_underline.then_some(line)));
        }
    };

    let onkeydown = {
        let tab_escape = tab_escape.clone();
        let applying = applying.clone();
        let tip = tip.dispatcher();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            let key = e.key();
            if key == "Escape" {
                *tab_escape.borrow_mut() = true;
                tip.dispatch(TipAction::Close);
                return;
            }
            let escaped = std::mem::take(&mut *tab_escape.borrow_mut());
            let (text, start, end) = match key.as_str() {
                "Tab" | "Enter" => (
                    a.value(),
                    a.selection_start().ok().flatten().unwrap_or(0) as usize,
                    a.selection_end().ok().flatten().unwrap_or(0) as usize,
                ),
                _ => return,
            };
            let edit = match key.as_str() {
                "Tab" if escaped => return,
                "Tab" if e.shift_key() => indent::shift_tab(&text, start, end),
                "Tab" => Some(indent::tab(&text, start, end)),
                "Enter" if !e.shift_key() => Some(indent::enter(&text, start, end)),
                _ => return,
            };
            e.prevent_default();
            if let Some(edit) = edit {
                *applying.borrow_mut() = true;
                apply_edit(&a, &edit);
                *applying.borrow_mut() = false;
                report_value(&a);
            }
        })
    };

    let onkeyup = {
        let caret_tip = caret_tip.clone();
        Callback::from(move |e: KeyboardEvent| {
            let navigation = matches!(
                e.key().as_str(),
                "ArrowLeft"
                    | "ArrowRight"
                    | "ArrowUp"
                    | "ArrowDown"
                    | "Home"
                    | "End"
                    | "PageUp"
                    | "PageDown"
            );
            if navigation {
                caret_tip(&e.target_unchecked_into());
            }
        })
    };

    let onclick = Callback::from(move |e: MouseEvent| caret_tip(&e.target_unchecked_into()));

    // The textarea is sized to its text from a width estimate (`display_width`); should a line
    // still be wider (a font with wider glyphs), the textarea would scroll inside itself and
    // leave the highlighted layer behind. Grow it to its real width and scroll the scroller
    // instead.
    let onscroll_area = {
        let root = root.clone();
        let scroller = scroller.clone();
        Callback::from(move |e: Event| {
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            let (left, top) = (a.scroll_left(), a.scroll_top());
            if left == 0 && top == 0 {
                return;
            }
            if let Some(r) = root.cast::<HtmlElement>() {
                let width = a.scroll_width() + 2 * PADDING as i32;
                let _ = r
                    .style()
                    .set_property("--editor-fit-width", &format!("{width}px"));
            }
            a.set_scroll_left(0);
            a.set_scroll_top(0);
            if let Some(s) = scroller.cast::<HtmlElement>() {
                s.set_scroll_left(s.scroll_left() + left);
                s.set_scroll_top(s.scroll_top() + top);
            }
        })
    };

    let onmousemove = {
        let layer = layer.clone();
        let tip = tip.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let hit = layer
                .cast::<Element>()
                .and_then(|l| underline_at(&l, e.client_x() as f64, e.client_y() as f64));
            tip.dispatch(TipAction::Hover(hit));
        })
    };
    let onmouseleave = {
        let tip = tip.dispatcher();
        Callback::from(move |_: MouseEvent| tip.dispatch(TipAction::Hover(None)))
    };

    // The highlighted layer: only the window's lines.
    let report = &props.evaluation.report;
    let lines = (win.first..win.end).map(|i| {
        let n = i as u32 + 1;
        let errors: Vec<(u32, AttrValue)> = diags
            .errors_on(n)
            .iter()
            .map(|&e| {
                let e = &report.errors[e];
                (e.column, AttrValue::from(e.message.clone()))
            })
            .collect();
        html! {
            <EditorLine key={n} line={n}
                text={AttrValue::from(doc.index.line(&doc.text, i).to_string())}
                decos={diags.decorations(n).to_vec()} {errors} />
        }
    });

    let gutter = (win.first..win.end).map(|i| {
        let n = i as u32 + 1;
        let has_error = !diags.errors_on(n).is_empty();
        let marker = diags.marker(n).map(|m| {
            let sev = m.severity.as_str();
            let label = format!(
                "Line {n}: {} finding{}, highest severity {sev}",
                m.count,
                if m.count == 1 { "" } else { "s" }
            );
            let d = tip.dispatcher();
            let on = move |action: fn(u32) -> TipAction| {
                let d = d.clone();
                move || d.dispatch(action(n))
            };
            let onmouseenter = {
                let f = on(|n| TipAction::Hover(Some(n)));
                Callback::from(move |_: MouseEvent| f())
            };
            let onmouseleave = {
                let f = on(TipAction::Unhover);
                Callback::from(move |_: MouseEvent| f())
            };
            let onfocus = {
                let f = on(|n| TipAction::Focus(Some(n)));
                Callback::from(move |_: FocusEvent| f())
            };
            let onblur = {
                let f = on(|_| TipAction::Focus(None));
                Callback::from(move |_: FocusEvent| f())
            };
            let onclick = {
                let f = on(TipAction::TogglePin);
                Callback::from(move |_: MouseEvent| f())
            };
            let describedby = (tip_line == Some(n)).then(|| tip_id.clone());
            html! {
                <button type="button" class={classes!("marker", format!("sev-{sev}"))}
                    data-testid="marker" data-line={n.to_string()} data-severity={sev}
                    aria-label={label} aria-describedby={describedby}
                    {onmouseenter} {onmouseleave} {onfocus} {onblur} {onclick} />
            }
        });
        html! {
            <div key={n} class={classes!("gutter-row", has_error.then_some("has-error"))}>
                <span class="line-number" aria-hidden="true">{ n.to_string() }</span>
                <span class="marker-slot">{ for marker }</span>
            </div>
        }
    });

    let tooltip = tip_line.and_then(|line| {
        let findings = diags.findings_on(report, line);
        let errors: Vec<&InputError> = diags
            .errors_on(line)
            .iter()
            .map(|&e| &report.errors[e])
            .collect();
        if findings.is_empty() && errors.is_empty() {
            return None;
        }
        Some(html! {
            <div id={tip_id.clone()} role="tooltip" data-testid="editor-tooltip" data-line={line.to_string()}
                class={classes!("editor-tip", tip_above.then_some("above"))}>
                <div class="tip-head">{ format!("Line {line}") }</div>
                { for errors.iter().map(|e| html! {
                    <div class="tip-item tip-error">
                        <span class="tip-rule">{ "parse error" }</span>
                        <span class="tip-message">{ format!("column {}: {}", e.column, e.message) }</span>
                    </div>
                }) }
                { for findings.iter().map(|f| tip_finding(f)) }
            </div>
        })
    });

    // Escape closes the tooltip wherever the focus is in the editor (a marker, the text).
    let onkeydown_root = {
        let tip = tip.dispatcher();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                tip.dispatch(TipAction::Close);
            }
        })
    };

    // Said by screen readers when the caret moves onto a finding's span (the tooltip is
    // only seen).
    let announcement = tip
        .caret
        .map(|line| {
            let findings = diags.findings_on(report, line);
            let list: Vec<String> = findings
                .iter()
                .map(|f| format!("{} {}: {}", f.rule, f.severity, f.title))
                .collect();
            format!("Line {line}: {}", list.join("; "))
        })
        .unwrap_or_default();

    let status = status_bar(
        report,
        &diags,
        total,
        &Ctx::new(&area, &scroller, &root, &metrics, &window_tick, &doc),
    );

    html! {
        <div class="editor" ref={root} onkeydown={onkeydown_root}>
            <div class="editor-scroll" ref={scroller} {onscroll}>
                // The gutter comes after the text in the DOM (and is shown on its left with
                // CSS `order`), so that the focus goes to the text first, then to the markers.
                <div class="editor-content">
                    <div class="editor-code">
                        <div class="editor-layer" ref={layer} aria-hidden="true">{ for lines }</div>
                        <textarea ref={area} class="editor-input" data-testid="editor"
                            defaultvalue={props.text.clone()}
                            aria-label="YAML manifests" aria-describedby={hint_id.clone()}
                            spellcheck="false" autocomplete="off" autocapitalize="off"
                            autocorrect="off" wrap="off"
                            {oninput} {onkeydown} {onkeyup} {onclick} {onmousemove} {onmouseleave}
                            onscroll={onscroll_area} />
                        <span class="editor-measure" ref={measure} aria-hidden="true">{ "0000000000" }</span>
                    </div>
                    <div class="editor-gutter" data-testid="editor-gutter">
                        <div class="gutter-window">{ for gutter }</div>
                    </div>
                </div>
            </div>
            // One child whether shown or not: Yew matches unkeyed children from the end, so a
            // child that comes and goes would make it rebuild the scroller (and the textarea).
            { tooltip.unwrap_or_default() }
            <div class="visually-hidden" aria-live="polite" data-testid="editor-announcement">
                { announcement }
            </div>
            <p id={hint_id} class="visually-hidden">
                { "Tab indents, Shift+Tab removes indentation, Enter keeps it. \
                   Press Escape, then Tab, to leave the editor. Findings are marked in the gutter." }
            </p>
            { status }
        </div>
    }
}

/// One finding in the tooltip: rule id, severity, title, message.
fn tip_finding(f: &Finding) -> Html {
    let sev = f.severity.as_str();
    html! {
        <div class={classes!("tip-item", format!("sev-{sev}"))} data-rule={f.rule}>
            <span class="tip-rule">{ f.rule }</span>
            <span class="tip-severity">{ sev }</span>
            <span class="tip-title">{ f.title }</span>
            <span class="tip-message">{ f.message.clone() }</span>
        </div>
    }
}

/// Below the text: the line count and the parse errors, each a button that goes to its line.
fn status_bar(report: &Report, diags: &Diagnostics, total: usize, ctx: &Ctx) -> Html {
    let errors = diags
        .error_lines()
        .flat_map(|(line, errs)| errs.iter().map(move |&i| (line, &report.errors[i])));
    let items = errors.map(|(line, e)| {
        let ctx = ctx.clone();
        let span = Span {
            line,
            column: e.column,
            end_line: line,
            end_column: e.column,
        };
        let onclick = Callback::from(move |_: MouseEvent| ctx.select(&span));
        html! {
            <li>
                <button type="button" class="parse-error-jump" {onclick}>
                    { format!("Line {line}, column {}: {}", e.column, e.message) }
                </button>
            </li>
        }
    });
    let count = report
        .errors
        .iter()
        .filter(|e| e.file == EDITOR_FILE)
        .count();
    html! {
        <div class="editor-status" data-testid="editor-status">
            <span class="line-count">{ format!("{total} line{}", if total == 1 { "" } else { "s" }) }</span>
            if count > 0 {
                <>
                    <span class="error-count" role="status">
                        { format!("{count} part{} could not be read; the other documents are still checked", if count == 1 { "" } else { "s" }) }
                    </span>
                    <ul class="parse-errors">{ for items }</ul>
                </>
            }
        </div>
    }
}

/// The elements and state needed to select a span from outside the textarea.
#[derive(Clone)]
struct Ctx {
    area: NodeRef,
    scroller: NodeRef,
    root: NodeRef,
    metrics: Rc<RefCell<Metrics>>,
    window_tick: UseStateHandle<(usize, usize)>,
    doc: Rc<Doc>,
}

impl Ctx {
    fn new(
        area: &NodeRef,
        scroller: &NodeRef,
        root: &NodeRef,
        metrics: &Rc<RefCell<Metrics>>,
        window_tick: &UseStateHandle<(usize, usize)>,
        doc: &Rc<Doc>,
    ) -> Ctx {
        Ctx {
            area: area.clone(),
            scroller: scroller.clone(),
            root: root.clone(),
            metrics: metrics.clone(),
            window_tick: window_tick.clone(),
            doc: doc.clone(),
        }
    }

    /// Focus the textarea, select `span` (the core's 1-based lines and character columns) and
    /// scroll it into view.
    fn select(&self, span: &Span) {
        let (Some(a), Some(s)) = (
            self.area.cast::<HtmlTextAreaElement>(),
            self.scroller.cast::<HtmlElement>(),
        ) else {
            return;
        };
        let doc = &self.doc;
        let start = doc.index.utf16_offset(&doc.text, span.line, span.column);
        let end = doc
            .index
            .utf16_offset(&doc.text, span.end_line.max(span.line), span.end_column)
            .max(start);
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = a.focus_with_options(&options);
        let _ = a.set_selection_range(start as u32, end as u32);

        let mut m = self.metrics.borrow_mut();
        read_scroll(&s, &mut m);
        let line = span.line.max(1) as usize - 1;
        if let Some(top) = GEOMETRY.reveal(line, m.scroll_top, m.viewport_height) {
            s.set_scroll_top(top as i32);
        }
        // Horizontally: bring the start column into view (display columns times the measured
        // character width), with the gutter's width in mind.
        let line_text = doc
            .index
            .line(&doc.text, line.min(doc.index.line_count() - 1));
        let prefix: String = line_text
            .chars()
            .take(span.column.saturating_sub(1) as usize)
            .collect();
        let x = PADDING + crate::editing::lines::display_width(&prefix) as f64 * m.char_width;
        let visible = (m.viewport_width - m.gutter_width).max(m.char_width * 10.0);
        if x < m.scroll_left || x + m.char_width * 4.0 > m.scroll_left + visible {
            s.set_scroll_left((x - visible / 3.0).max(0.0) as i32);
        }
        read_scroll(&s, &mut m);
        if let Some(r) = self.root.cast::<HtmlElement>() {
            set_vars(
                &r,
                &[("--editor-scroll-top", format!("{}px", m.scroll_top))],
            );
        }
        let w = GEOMETRY.window(m.scroll_top, m.viewport_height, m.total);
        self.window_tick.set((w.first, w.end));
    }
}

/// Set CSS custom properties on `el` (through the CSSOM: the CSP forbids inline styles), each
/// only if it changed.
fn set_vars(el: &HtmlElement, vars: &[(&str, String)]) {
    let style = el.style();
    for (name, value) in vars {
        if style.get_property_value(name).ok().as_deref() != Some(value.as_str()) {
            let _ = style.set_property(name, value);
        }
    }
}

fn read_scroll(s: &HtmlElement, m: &mut Metrics) {
    m.scroll_top = s.scroll_top() as f64;
    m.scroll_left = s.scroll_left() as f64;
    m.viewport_height = s.client_height() as f64;
    m.viewport_width = s.client_width() as f64;
}

/// The line of the underline under the pointer at (`x`, `y`) (client coordinates), if any.
/// The pointer is over the textarea, which covers the highlighted layer, so this compares the
/// pointer with the underlines' boxes (only those of the line under it).
fn underline_at(layer: &Element, x: f64, y: f64) -> Option<u32> {
    let top = layer.get_bounding_client_rect().top();
    let index = ((y - top) / LINE_HEIGHT).floor();
    if index < 0.0 {
        return None;
    }
    let first = layer.first_element_child()?;
    let first_line: u32 = first.get_attribute("data-line")?.parse().ok()?;
    let line = first_line + index as u32;
    let row = layer
        .query_selector(&format!(".editor-line[data-line=\"{line}\"]"))
        .ok()
        .flatten()?;
    let underlines = row.query_selector_all(".underline").ok()?;
    for i in 0..underlines.length() {
        let Some(el) = underlines
            .item(i)
            .and_then(|n| n.dyn_into::<Element>().ok())
        else {
            continue;
        };
        let r = el.get_bounding_client_rect();
        if x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom() {
            return Some(line);
        }
    }
    None
}

/// Above this many line breaks an edit does not go through `execCommand`: Chromium inserts
/// multi-line text one paragraph at a time, firing two `input` events per line, in time that
/// grows faster than the line count (measured in a bare textarea, headless Chromium 156: 100
/// lines 52 ms, 500 lines 284 ms, 1,000 lines 1.0 s, 2,000 lines 6.2 s).
const MAX_UNDOABLE_LINES: usize = 150;

/// Apply an [`Edit`] to the textarea through `execCommand("insertText")`, which the browser
/// records in its undo history; where that is unavailable (or too slow: indenting thousands of
/// lines at once), through `setRangeText`, which the undo history does not record. The caller
/// reports the new value.
fn apply_edit(a: &HtmlTextAreaElement, edit: &Edit) {
    let _ = a.set_selection_range(edit.start as u32, edit.end as u32);
    let document = a
        .owner_document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .filter(|_| edit.insert.matches('\n').count() <= MAX_UNDOABLE_LINES);
    let done = document.is_some_and(|d| {
        if edit.insert.is_empty() {
            d.exec_command("delete")
        } else {
            d.exec_command_with_show_ui_and_value("insertText", false, &edit.insert)
        }
        .unwrap_or(false)
    });
    if !done {
        let _ =
            a.set_range_text_with_start_and_end(&edit.insert, edit.start as u32, edit.end as u32);
    }
    let _ = a.set_selection_range(edit.select_start as u32, edit.select_end as u32);
}

#[derive(Properties, PartialEq, Clone)]
struct EditorLineProps {
    /// 1-based line number.
    line: u32,
    text: AttrValue,
    /// The findings' underlines on this line.
    decos: Vec<Deco>,
    /// Parse errors on this line: 1-based column and message.
    errors: Vec<(u32, AttrValue)>,
}

/// One highlighted line: tokens in coloured spans, inside the findings' underlines, then the
/// line's parse errors. Re-renders only when its own text or marks change.
#[function_component(EditorLine)]
fn editor_line(props: &EditorLineProps) -> Html {
    let text = props.text.as_str();
    let tokens = tokenize(text);
    // Byte offset of each character (and of the end), to slice by character index.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let len = bounds.len() - 1;
    let mut marks: Vec<Mark> = props
        .decos
        .iter()
        .map(|d| Mark {
            start: d.start,
            end: d.end,
            rank: rank(d.severity),
        })
        .collect();
    for (column, _) in &props.errors {
        // The error's character; at the end of the line, the last one.
        let start = (column.saturating_sub(1) as usize).min(len.saturating_sub(1));
        marks.push(Mark {
            start,
            end: start + 1,
            rank: ERROR_RANK,
        });
    }
    let pieces = layout(len, &tokens, &marks);
    let render = RenderLine {
        line: props.line,
        text,
        bounds: &bounds,
        decos: &props.decos,
    };
    html! {
        <div class={classes!("editor-line", (!props.errors.is_empty()).then_some("has-error"))}
            data-line={props.line.to_string()}>
            { render.pieces(&pieces) }
            { props.errors.iter().map(|(_, message)| html! {
                <span class="parse-error" data-testid="parse-error" data-line={props.line.to_string()}>
                    { message.clone() }
                </span>
            }).collect::<Html>() }
        </div>
    }
}

struct RenderLine<'a> {
    line: u32,
    text: &'a str,
    bounds: &'a [usize],
    decos: &'a [Deco],
}

impl RenderLine<'_> {
    fn slice(&self, start: usize, end: usize) -> String {
        self.text[self.bounds[start]..self.bounds[end]].to_string()
    }

    fn pieces(&self, pieces: &[Piece]) -> Html {
        pieces.iter().map(|p| self.piece(p)).collect()
    }

    fn piece(&self, p: &Piece) -> Html {
        match p {
            Piece::Text {
                start,
                end,
                kind: Some(kind),
            } => html! { <span class={kind.class()}>{ self.slice(*start, *end) }</span> },
            Piece::Text { start, end, .. } => html! { { self.slice(*start, *end) } },
            Piece::Underline { mark, children } => match self.decos.get(*mark) {
                Some(d) => {
                    let sev = d.severity.as_str();
                    html! {
                        <span class={classes!("underline", format!("sev-{sev}"))}
                            data-testid="underline" data-rule={d.rule}
                            data-severity={sev} data-line={self.line.to_string()}>
                            { self.pieces(children) }
                        </span>
                    }
                }
                None => html! {
                    <span class="error-underline">{ self.pieces(children) }</span>
                },
            },
        }
    }
}
