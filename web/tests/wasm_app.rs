//! The `App` component in headless Chromium: it renders the seed's findings into the DOM (the
//! `data-testid` contract the end-to-end suite relies on) and re-evaluates when the editor's
//! text changes.
#![cfg(target_arch = "wasm32")]

mod support;

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlTextAreaElement};

use secrets_guard_web::components::app::App;

wasm_bindgen_test_configure!(run_in_browser);

/// Mount a fresh `App` in its own element and return that element.
fn mount() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// Poll (every 10 ms, up to 5 s) until `current()` equals `want`; Yew renders asynchronously
/// and the editor may debounce evaluation.
async fn until_eq<T: PartialEq + std::fmt::Debug>(what: &str, current: impl Fn() -> T, want: &T) {
    for _ in 0..500 {
        if current() == *want {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "timed out waiting for {what}:\n  rendered {:?}\n  expected {want:?}",
        current()
    );
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

/// `RULE line severity` of every rendered finding, sorted.
fn rendered_findings(root: &Element) -> Vec<String> {
    let mut found: Vec<String> = all(root, "[data-testid=finding]")
        .iter()
        .map(|e| {
            let attr = |name| e.get_attribute(name).unwrap_or_default();
            format!(
                "{} {} {}",
                attr("data-rule"),
                attr("data-line"),
                attr("data-severity")
            )
        })
        .collect();
    found.sort();
    found
}

fn expected(findings: &[support::GoldenFinding]) -> Vec<String> {
    let mut expected: Vec<String> = findings
        .iter()
        .filter(|f| !f.suppressed)
        .map(|f| format!("{} {} {}", f.rule, f.line, f.severity))
        .collect();
    expected.sort();
    expected
}

#[wasm_bindgen_test]
async fn app_renders_the_seed_findings() {
    let root = mount();
    let golden = support::golden();
    let want = expected(&support::entry(&golden, support::DOCUMENT).findings);
    until_eq("the seed's findings", || rendered_findings(&root), &want).await;

    let editor: HtmlTextAreaElement = root
        .query_selector("[data-testid=editor]")
        .unwrap()
        .expect("an editor")
        .dyn_into()
        .unwrap();
    assert_eq!(editor.value(), secrets_guard_web::examples::seed_document());

    let eval_time = root
        .query_selector("[data-testid=eval-time]")
        .unwrap()
        .expect("the evaluation time")
        .text_content()
        .unwrap_or_default();
    let millis = eval_time
        .strip_suffix(" ms")
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("eval-time {eval_time:?} is not \"<n.n> ms\""));
    assert!(millis >= 0.0);

    for tab in ["findings", "gallery", "settings", "admission"] {
        let tab = root
            .query_selector(&format!("[data-testid=tab-{tab}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no tab-{tab}"));
        assert_eq!(tab.get_attribute("role").as_deref(), Some("tab"));
    }
    let selected: Vec<String> = all(&root, "[role=tab][aria-selected=true]")
        .iter()
        .filter_map(|t| t.get_attribute("data-testid"))
        .collect();
    assert_eq!(selected, ["tab-findings"]);
}

#[wasm_bindgen_test]
async fn editing_the_text_updates_the_findings() {
    let root = mount();
    let golden = support::golden();
    let seed = expected(&support::entry(&golden, support::DOCUMENT).findings);
    until_eq("the seed's findings", || rendered_findings(&root), &seed).await;

    // The seed Role without `list` and `watch`: both RBAC-001 findings go, nothing else changes.
    let document = secrets_guard_web::examples::seed_document();
    let edited = document.replacen(r#"["get", "list", "watch"]"#, r#"["get"]"#, 1);
    assert_ne!(edited, document);
    let editor: HtmlTextAreaElement = root
        .query_selector("[data-testid=editor]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    editor.set_value(&edited);
    let event = web_sys::InputEvent::new("input").unwrap();
    editor.dispatch_event(&event).unwrap();

    let want: Vec<String> = seed
        .iter()
        .filter(|f| !f.starts_with("RBAC-001 "))
        .cloned()
        .collect();
    assert_eq!(seed.len() - want.len(), 2);
    until_eq(
        "the edited text's findings",
        || rendered_findings(&root),
        &want,
    )
    .await;
}
