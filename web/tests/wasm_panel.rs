//! The findings panel, the rule documentation dialog, the gallery, the help, the theme and local
//! storage, in a full `App` in headless Chromium.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use secrets_guard_core::registry;
use secrets_guard_web::components::app::App;
use secrets_guard_web::examples;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

/// A mounted `App`, unmounted (and its element removed) when dropped, so that no test sees the
/// apps of the tests before it (each listens for keyboard shortcuts on the window).
struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;
    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

/// Mount a fresh `App` in its own element (after clearing local storage when `first_visit`).
fn mount(first_visit: bool) -> Mounted {
    if first_visit {
        storage().clear().unwrap();
    }
    let document = window().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    Mounted {
        root,
        handle: Some(handle),
    }
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

fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

fn text(e: &Element) -> String {
    e.text_content().unwrap_or_default()
}

/// The `data-rule` of every finding shown, in page order.
fn rules(root: &Element) -> Vec<String> {
    all(root, "[data-testid=finding]")
        .iter()
        .map(|e| e.get_attribute("data-rule").unwrap_or_default())
        .collect()
}

fn selected_tab(root: &Element) -> String {
    one(root, "[role=tab][aria-selected=true]")
        .get_attribute("data-testid")
        .unwrap_or_default()
}

fn editor_text(root: &Element) -> String {
    one(root, "[data-testid=editor]")
        .dyn_into::<HtmlTextAreaElement>()
        .unwrap()
        .value()
}

/// Wait until `selector` matches something in `root`, then click it.
async fn click_when_shown(root: &Element, selector: &str) {
    until(selector, || {
        root.query_selector(selector).unwrap().is_some()
    })
    .await;
    click(root, selector);
}

/// Wait for the seed's 11 findings.
async fn seed_shown(root: &Element) {
    until("the seed's findings", || rules(root).len() == 11).await;
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a reader sees of the explain markdown: no heading or list markers, no fences, no
/// backticks, links as their text.
fn reader_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let line = line.trim_start_matches('#').trim_start();
        let line = line.strip_prefix("- ").unwrap_or(line);
        let mut line = line.replace('`', "").replace("**", "");
        while let (Some(open), Some(mid)) = (line.find('['), line.find("](")) {
            let Some(close) = line[mid..].find(')').map(|c| mid + c) else {
                break;
            };
            line = format!(
                "{}{}{}",
                &line[..open],
                &line[open + 1..mid],
                &line[close + 1..]
            );
        }
        out.push_str(&line);
        out.push('\n');
    }
    collapse(&out)
}

#[wasm_bindgen_test]
async fn counts_filters_and_grouping() {
    let root = mount(true);
    seed_shown(&root).await;
    let counts: Vec<String> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .map(|s| text(&one(&root, &format!("[data-testid=count-{s}]"))))
        .collect();
    assert_eq!(counts, ["1", "7", "1", "2", "0"]);

    let input: HtmlInputElement = one(&root, "[data-testid=filter-text]").dyn_into().unwrap();
    input.set_value("kms");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    until("the kms filter", || {
        rules(&root) == ["ENC-007", "ENC-008", "ENC-003"]
    })
    .await;
    input.set_value("");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    seed_shown(&root).await;

    let choose = |selector: &str, value: &str| {
        let select: HtmlSelectElement = one(&root, selector).dyn_into().unwrap();
        select.set_value(value);
        select
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    };
    choose("[data-testid=filter-severity]", "low");
    until("the low filter", || rules(&root) == ["ENC-003", "OBJ-007"]).await;
    choose("[data-testid=filter-severity]", "");
    seed_shown(&root).await;

    choose("[data-testid=group-by]", "area");
    let groups = || -> Vec<(String, usize)> {
        all(&root, "section.group")
            .iter()
            .map(|g| {
                (
                    g.get_attribute("data-group").unwrap_or_default(),
                    all(g, "[data-testid=finding]").len(),
                )
            })
            .collect()
    };
    let want: Vec<(String, usize)> = [
        ("encryption-at-rest", 3),
        ("access-control", 3),
        ("audit", 4),
        ("secret-data", 1),
    ]
    .iter()
    .map(|(k, n)| (k.to_string(), *n))
    .collect();
    until("grouping by area", || groups() == want).await;

    // A count button filters by its severity, and the severity select follows.
    click_when_shown(&root, "button.count.sev-high").await;
    until("the high count's filter", || rules(&root).len() == 7).await;
    let severity: HtmlSelectElement = one(&root, "[data-testid=filter-severity]")
        .dyn_into()
        .unwrap();
    until("the severity select", || severity.value() == "high").await;
}

#[wasm_bindgen_test]
async fn docs_button_shows_the_explain_text() {
    let root = mount(true);
    seed_shown(&root).await;
    click(
        &root,
        "[data-testid=finding][data-rule=ENC-008] [data-testid=docs-button]",
    );
    until("the rule docs", || {
        root.query_selector("[data-testid=rule-docs]")
            .unwrap()
            .is_some()
    })
    .await;
    // The text is answered in place here (the test build has the docs compiled in, see
    // src/worker.rs), one tick later.
    until("the rule docs text", || {
        root.query_selector("[data-testid=rule-docs] article[aria-busy=false]")
            .unwrap()
            .is_some()
    })
    .await;
    let dialog: web_sys::HtmlDialogElement =
        one(&root, "[data-testid=rule-docs]").dyn_into().unwrap();
    assert!(dialog.open(), "the dialog is open");
    let explain = registry::find("ENC-008").unwrap().meta().explain();
    assert_eq!(
        text(&one(&dialog, "h2")),
        "ENC-008 KMS endpoint is not a unix:// socket"
    );
    let sections: Vec<String> = all(&dialog, "h3").iter().map(text).collect();
    assert_eq!(
        sections,
        [
            "What it does",
            "Why is this bad?",
            "Example",
            "Use instead",
            "References"
        ]
    );
    // The code blocks verbatim, and the whole text as `secrets-guard explain` prints it.
    let fences: Vec<&str> = explain
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    let blocks: Vec<String> = all(&dialog, "pre code").iter().map(text).collect();
    assert_eq!(blocks, fences);
    let article: HtmlElement = one(&dialog, "article").dyn_into().unwrap();
    assert_eq!(collapse(&article.inner_text()), reader_text(&explain));
    // Nothing was rendered as HTML: the only elements are the ones the structure makes.
    for e in all(&dialog, "article *") {
        let tag = e.tag_name().to_lowercase();
        assert!(
            ["h2", "h3", "p", "ul", "li", "pre", "code", "a", "strong", "em", "span"]
                .contains(&tag.as_str()),
            "unexpected <{tag}>"
        );
    }
    click(&root, "[data-testid=rule-docs] [data-testid=dialog-close]");
    until("the dialog to close", || {
        root.query_selector("[data-testid=rule-docs]")
            .unwrap()
            .is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn gallery_example_loads_and_shows_its_rule_ids() {
    let root = mount(true);
    seed_shown(&root).await;
    click(&root, "[data-testid=tab-gallery]");
    until("the gallery", || {
        all(&root, "[data-testid=example]").len() == examples::all().count()
    })
    .await;
    let example = examples::find("rbg-exec-support").unwrap();
    click_when_shown(
        &root,
        "[data-testid=example][data-example=rbg-exec-support]",
    )
    .await;
    until("the findings tab", || selected_tab(&root) == "tab-findings").await;
    assert_eq!(editor_text(&root), example.text);
    let want: BTreeSet<String> = example.expected.iter().map(|s| s.to_string()).collect();
    until("the example's rule ids", || {
        rules(&root).into_iter().collect::<BTreeSet<_>>() == want
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_next_visit_restores_text_tab_and_theme() {
    let first = mount(true);
    seed_shown(&first).await;
    click(&first, "[data-testid=tab-gallery]");
    click_when_shown(
        &first,
        "[data-testid=example][data-example=obj-legacy-token]",
    )
    .await;
    until("the findings tab", || {
        selected_tab(&first) == "tab-findings"
    })
    .await;
    click(&first, "[data-testid=tab-gallery]");
    until("the gallery tab", || selected_tab(&first) == "tab-gallery").await;
    click(&first, "[data-testid=theme-toggle]"); // system → light
    until("the light theme", || {
        one(&first, "[data-testid=theme-toggle]")
            .get_attribute("data-theme-choice")
            .as_deref()
            == Some("light")
    })
    .await;
    click(&first, "[data-testid=theme-toggle]"); // light → dark
    let html = window().document().unwrap().document_element().unwrap();
    until("the dark theme", || {
        html.get_attribute("data-theme").as_deref() == Some("dark")
    })
    .await;
    until("the saved state", || {
        storage()
            .get_item("secrets-guard/v1/tab")
            .unwrap()
            .as_deref()
            == Some("gallery")
    })
    .await;

    // A second visit (another App on the same storage) starts where the first left.
    let second = mount(false);
    until("the restored text", || {
        second
            .query_selector("[data-testid=editor]")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        editor_text(&second),
        examples::find("obj-legacy-token").unwrap().text
    );
    assert_eq!(selected_tab(&second), "tab-gallery");
    assert_eq!(
        one(&second, "[data-testid=theme-toggle]")
            .get_attribute("data-theme-choice")
            .as_deref(),
        Some("dark")
    );
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn question_mark_opens_the_help_and_escape_closes_it() {
    let root = mount(true);
    seed_shown(&root).await;
    let press = |key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        window()
            .document()
            .unwrap()
            .body()
            .unwrap()
            .dispatch_event(&event)
            .unwrap();
    };
    // The app listens on the window once its first render's effects ran; a key pressed before
    // that is lost (as while a page loads), so press until the help shows.
    until("the help", || {
        press("?");
        root.query_selector("[data-testid=help-dialog]")
            .unwrap()
            .is_some()
    })
    .await;
    let rows = all(&root, "[data-testid=help-dialog] table.shortcuts tbody tr").len();
    assert_eq!(rows, 5);
    press("Escape");
    until("the help to close", || {
        root.query_selector("[data-testid=help-dialog]")
            .unwrap()
            .is_none()
    })
    .await;
}
