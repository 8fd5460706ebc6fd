//! The `Editor` component in headless Chromium: markers, underlines and highlighting of the
//! seed document, the selection of a span in non-ASCII text, Tab and Enter through the
//! browser's editing commands, the tooltip, and the virtualization of a 5,000-line text.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

use secrets_guard_web::components::editor::{Editor, EditorProps};
use secrets_guard_web::state::Span;
use secrets_guard_web::{engine, examples};

wasm_bindgen_test_configure!(run_in_browser);

/// Everything the editor reported through `on_change`.
type Changes = Rc<RefCell<Vec<String>>>;

/// The editor's stylesheet (the layout depends on it), and a screen-sized box for each editor.
fn install_css(document: &web_sys::Document) {
    if document.get_element_by_id("editor-css").is_some() {
        return;
    }
    let style = document.create_element("style").unwrap();
    style.set_id("editor-css");
    style.set_text_content(Some(&format!(
        "{}\n.test-editor-host {{ height: 600px; width: 800px; display: flex; }}",
        include_str!("../css/editor.css")
    )));
    document.head().unwrap().append_child(&style).unwrap();
}

/// Mount an `Editor` on `text` (evaluated with the default settings) in a fresh element, and
/// wait for it to render.
async fn mount(text: &str, selection: Option<Span>) -> (Element, Changes) {
    let document = web_sys::window().unwrap().document().unwrap();
    install_css(&document);
    let root = document.create_element("div").unwrap();
    root.set_attribute("class", "test-editor-host").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let changes: Changes = Rc::default();
    let sink = changes.clone();
    let props = EditorProps {
        text: AttrValue::from(text.to_string()),
        evaluation: Rc::new(engine::evaluate(text, &Default::default())),
        selection,
        selection_serial: u64::from(selection.is_some()),
        on_change: Callback::from(move |t: String| sink.borrow_mut().push(t)),
    };
    yew::Renderer::<Editor>::with_root_and_props(root.clone(), props).render();
    until("the editor", || {
        root.query_selector("[data-testid=editor]")
            .unwrap()
            .is_some()
    })
    .await;
    (root, changes)
}

/// Poll every 10 ms, up to 5 s, until `check()` holds (Yew renders asynchronously).
async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn attr(e: &Element, name: &str) -> String {
    e.get_attribute(name).unwrap_or_default()
}

fn textarea(root: &Element) -> HtmlTextAreaElement {
    one(root, "[data-testid=editor]").dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn seed_document_markers_underlines_and_highlighting() {
    let seed = examples::seed_document();
    let (root, _) = mount(&seed, None).await;
    until("markers", || !all(&root, "[data-testid=marker]").is_empty()).await;

    let markers: Vec<String> = all(&root, "[data-testid=marker]")
        .iter()
        .map(|m| format!("{}:{}", attr(m, "data-line"), attr(m, "data-severity")))
        .collect();
    assert_eq!(
        markers,
        [
            "8:high",
            "10:high",
            "12:low",
            "18:low",
            "23:high",
            "26:high",
            "33:high",
            "38:critical",
            "39:high"
        ]
    );
    let marker23 = one(&root, "[data-testid=marker][data-line=\"23\"]");
    assert_eq!(
        attr(&marker23, "aria-label"),
        "Line 23: 3 findings, highest severity high"
    );

    let underlines: Vec<String> = all(&root, "[data-testid=underline]")
        .iter()
        .filter(|u| attr(u, "data-line") == "23")
        .map(|u| format!("{} {}", attr(u, "data-rule"), u.text_content().unwrap()))
        .collect();
    assert_eq!(
        underlines,
        [
            "RBAC-002 \"get\"",
            "RBAC-001 \"list\"",
            "RBAC-001 \"watch\""
        ]
    );

    // Line 15 `apiVersion: rbac.authorization.k8s.io/v1`, highlighted, is the text itself.
    let line15 = one(&root, ".editor-line[data-line=\"15\"]");
    assert_eq!(
        line15.text_content().unwrap(),
        "apiVersion: rbac.authorization.k8s.io/v1"
    );
    assert_eq!(
        one(&line15, ".tok-key").text_content().unwrap(),
        "apiVersion"
    );
    assert_eq!(
        one(&line15, ".tok-value").text_content().unwrap(),
        "rbac.authorization.k8s.io/v1"
    );
    assert_eq!(
        one(&root, ".editor-line[data-line=\"13\"] .tok-separator")
            .text_content()
            .unwrap(),
        "---"
    );

    // The textarea holds the text, labelled; the gutter's numbers are hidden from assistive
    // technology (the textarea has the text), the markers are not.
    let area = textarea(&root);
    assert_eq!(area.value(), seed);
    assert_eq!(
        attr(area.unchecked_ref::<Element>(), "aria-label"),
        "YAML manifests"
    );
    let gutter = one(&root, "[data-testid=editor-gutter]");
    assert!(all(&gutter, ".line-number")
        .iter()
        .all(|n| attr(n, "aria-hidden") == "true"));
    assert_eq!(all(&gutter, ".line-number").len(), 41);
    assert_eq!(
        one(&root, "[data-testid=editor-status] .line-count")
            .text_content()
            .unwrap(),
        "41 lines"
    );
}

#[wasm_bindgen_test]
async fn hovering_a_marker_shows_the_findings_of_its_line() {
    let (root, _) = mount(&examples::seed_document(), None).await;
    until("markers", || !all(&root, "[data-testid=marker]").is_empty()).await;
    let marker = one(&root, "[data-testid=marker][data-line=\"23\"]");
    let event = web_sys::MouseEvent::new("mouseenter").unwrap();
    marker.dispatch_event(&event).unwrap();
    until("the tooltip", || {
        root.query_selector("[data-testid=editor-tooltip]")
            .unwrap()
            .is_some()
    })
    .await;
    let tip = one(&root, "[data-testid=editor-tooltip]");
    assert_eq!(attr(&tip, "role"), "tooltip");
    assert_eq!(attr(&tip, "data-line"), "23");
    let rules: Vec<String> = all(&tip, ".tip-item")
        .iter()
        .map(|i| attr(i, "data-rule"))
        .collect();
    assert_eq!(rules, ["RBAC-001", "RBAC-001", "RBAC-002"]);
    let text = tip.text_content().unwrap();
    assert!(
        text.contains("Role `secret-reader` rule 0 grants `watch` on secrets"),
        "{text}"
    );
    // The marker points at the tooltip.
    let marker = one(&root, "[data-testid=marker][data-line=\"23\"]");
    assert_eq!(attr(&marker, "aria-describedby"), attr(&tip, "id"));

    marker
        .dispatch_event(&web_sys::MouseEvent::new("mouseleave").unwrap())
        .unwrap();
    until("the tooltip to close", || {
        root.query_selector("[data-testid=editor-tooltip]")
            .unwrap()
            .is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn selecting_a_span_counts_characters_and_selects_utf16_units() {
    // Line 2 is `név: "é😀 x"`: the core's column 7 is the `é` (n, é, v, :, space, ").
    let text = "a: 1\nnév: \"é😀 x\"\nb: 2\n";
    let span = Span {
        line: 2,
        column: 7,
        end_line: 2,
        end_column: 9,
    };
    let (root, _) = mount(text, Some(span)).await;
    let area = textarea(&root);
    until("the selection", || area.selection_end().unwrap() != Some(0)).await;
    // "a: 1\n" is 5 units, "név: \"" 6 more: `é` at 11; `é😀` is 1 + 2 units.
    assert_eq!(area.selection_start().unwrap(), Some(11));
    assert_eq!(area.selection_end().unwrap(), Some(14));
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(
        &active,
        area.unchecked_ref::<Element>(),
        "the editor has the focus"
    );
}

fn key(area: &HtmlTextAreaElement, key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    area.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn tab_shift_tab_and_enter_edit_through_the_browser() {
    let (root, changes) = mount("metadata:\n  name: x", None).await;
    let area = textarea(&root);
    until("the text", || area.value() == "metadata:\n  name: x").await;
    area.focus().unwrap();

    // Enter after `metadata:` indents one level more.
    area.set_selection_range(9, 9).unwrap();
    key(&area, "Enter", false);
    assert_eq!(area.value(), "metadata:\n  \n  name: x");
    assert_eq!(area.selection_start().unwrap(), Some(12));
    // Tab inserts two spaces; Shift+Tab removes them again.
    key(&area, "Tab", false);
    assert_eq!(area.value(), "metadata:\n    \n  name: x");
    key(&area, "Tab", true);
    assert_eq!(area.value(), "metadata:\n  \n  name: x");
    // Tab over two lines indents both and selects them.
    area.set_selection_range(0, area.value().len() as u32)
        .unwrap();
    key(&area, "Tab", false);
    assert_eq!(area.value(), "  metadata:\n    \n    name: x");
    assert_eq!(area.selection_start().unwrap(), Some(0));
    assert_eq!(area.selection_end().unwrap(), Some(28));

    // Every edit reached the app as an `input` event.
    assert_eq!(
        changes.borrow().last().map(String::as_str),
        Some("  metadata:\n    \n    name: x")
    );
    assert_eq!(changes.borrow().len(), 4, "one report per edit");
    // The browser recorded them: undo restores the text before the last one.
    let document: web_sys::HtmlDocument = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(document.exec_command("undo").unwrap());
    assert_eq!(area.value(), "metadata:\n  \n  name: x");
}

#[wasm_bindgen_test]
async fn a_5000_line_text_renders_only_the_lines_near_the_screen() {
    let seed = examples::seed_document();
    let mut lines: Vec<&str> = Vec::new();
    while lines.len() < 5000 {
        lines.extend(seed.lines());
        lines.push("---");
    }
    lines.truncate(5000);
    let text = lines.join("\n");
    let (root, _) = mount(&text, None).await;
    until("the line count", || {
        root.query_selector(".line-count")
            .unwrap()
            .and_then(|e| e.text_content())
            .as_deref()
            == Some("5000 lines")
    })
    .await;
    let rendered = all(&root, ".editor-line").len();
    let rows = all(&root, ".gutter-row").len();
    assert!(
        (41..=200).contains(&rendered),
        "{rendered} highlighted lines rendered"
    );
    assert_eq!(rows, rendered, "the gutter shows the same window");
    assert!(root.get_elements_by_tag_name("*").length() < 2000);
    assert_eq!(textarea(&root).value().lines().count(), 5000);

    // Scrolled to line 3,000 (once the scroller has its full height), the window follows.
    let scroller: web_sys::HtmlElement = one(&root, ".editor-scroll").dyn_into().unwrap();
    until("the full height", || scroller.scroll_height() >= 20 * 5000).await;
    scroller.set_scroll_top(8 + 20 * 2999);
    until("line 3000", || {
        root.query_selector(".editor-line[data-line=\"3000\"]")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(root
        .query_selector(".editor-line[data-line=\"1\"]")
        .unwrap()
        .is_none());
}
