//! The worker's markup ([`secrets_guard_web::markup`]) rendered in a real DOM (headless
//! Chromium): what the allowlists let through, and that hostile text stays text.
#![cfg(target_arch = "wasm32")]

use secrets_guard_web::markup::{self, el, Node};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct Props {
    node: Node,
}

#[function_component(Show)]
fn show(props: &Props) -> Html {
    markup::render(&props.node)
}

/// Render `node` into a fresh element and return that element (after Yew's render).
async fn mounted(node: Node) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Show>::with_root_and_props(root.clone(), Props { node }).render();
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    root
}

#[wasm_bindgen_test]
async fn allowed_tags_attributes_and_svg_render() {
    let node: Node = el("section")
        .class("x")
        .testid("t")
        .attr("data-line", 7)
        .child(el("p").text("<b>not bold</b>"))
        .child(
            el("svg")
                .attr("viewBox", "0 0 10 10")
                .child(el("rect").attr("x", "1").attr("width", "2")),
        )
        .into();
    let root = mounted(node).await;
    let section = root.first_element_child().unwrap();
    assert_eq!(section.tag_name(), "SECTION");
    assert_eq!(section.get_attribute("data-testid").as_deref(), Some("t"));
    assert_eq!(section.get_attribute("data-line").as_deref(), Some("7"));
    // Text stays text: no element was made of it.
    let p = root.query_selector("p").unwrap().unwrap();
    assert_eq!(p.text_content().as_deref(), Some("<b>not bold</b>"));
    assert!(root.query_selector("b").unwrap().is_none());
    // SVG elements are in the SVG namespace, with their case-sensitive attributes.
    let svg = root.query_selector("svg").unwrap().unwrap();
    assert_eq!(
        svg.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(svg.get_attribute("viewBox").as_deref(), Some("0 0 10 10"));
    let rect = root.query_selector("svg rect").unwrap().unwrap();
    assert_eq!(
        rect.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn other_tags_and_attributes_are_dropped() {
    let node: Node = el("div")
        .attr("onclick", "alert(1)")
        .attr("style", "color: red")
        .child(el("script").text("alert(2)"))
        .child(el("a").attr("href", "https://example.com").text("link"))
        .child(el("span").attr("onmouseover", "alert(3)").text("kept"))
        .into();
    let root = mounted(node).await;
    let div = root.first_element_child().unwrap();
    assert_eq!(div.tag_name(), "DIV");
    assert!(!div.has_attribute("onclick") && !div.has_attribute("style"));
    assert!(root
        .query_selector("script, a, [onmouseover]")
        .unwrap()
        .is_none());
    assert_eq!(root.text_content().as_deref(), Some("kept"));
    root.remove();
}
