//! Markup the background worker builds and the page renders: a plain tree of elements,
//! attributes and text, so that a view's rendering code can live in the worker's module
//! instead of the page's (the "Audit log" results; the page's bundle has a budget).
//!
//! [`render`] turns a tree into Yew elements: text is always a text node, and only the tags
//! and attributes of two allowlists pass ([`TAGS`], [`ATTRIBUTES`]: no event handlers, no
//! `style`, no links, no forms), whatever the tree holds. Nothing is ever parsed as HTML. A
//! `button` does nothing by itself: the page listens for clicks on the tree's container.

use serde::{Deserialize, Serialize};
use yew::virtual_dom::{VTag, VText};
use yew::{AttrValue, Html};

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    /// A text node.
    Text(String),
    /// An element: its tag, attributes and children.
    Element {
        tag: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    },
}

/// The tags [`render`] creates (HTML, and SVG inside `svg`).
pub const TAGS: &[&str] = &[
    "div",
    "p",
    "span",
    "strong",
    "code",
    "ul",
    "ol",
    "li",
    "section",
    "h3",
    "h4",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "button",
    "figure",
    "figcaption",
    "svg",
    "g",
    "rect",
    "line",
    "path",
    "text",
    "title",
];

/// The attributes [`render`] sets.
pub const ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "scope",
    "aria-label",
    "aria-labelledby",
    "aria-hidden",
    "viewBox",
    "preserveAspectRatio",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "width",
    "height",
    "rx",
    "d",
    "data-testid",
    "data-rule",
    "data-line",
    "data-severity",
    "data-user",
    "data-total",
    "data-index",
    "data-ok",
    "data-refused",
    "data-kind",
    "data-count",
    "data-subject",
    "data-namespace",
    "data-how",
    "data-depth",
    "type",
    "aria-pressed",
];

/// An element under construction (the worker's side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct El(Node);

/// Start an element.
pub fn el(tag: &str) -> El {
    El(Node::Element {
        tag: tag.to_string(),
        attrs: vec![],
        children: vec![],
    })
}

/// A text node.
pub fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

impl El {
    /// Set an attribute.
    pub fn attr(mut self, name: &str, value: impl ToString) -> El {
        if let Node::Element { attrs, .. } = &mut self.0 {
            attrs.push((name.to_string(), value.to_string()));
        }
        self
    }

    /// Set `class`.
    pub fn class(self, value: impl ToString) -> El {
        self.attr("class", value)
    }

    /// Set `data-testid`.
    pub fn testid(self, value: &str) -> El {
        self.attr("data-testid", value)
    }

    /// Append a child.
    pub fn child(mut self, node: impl Into<Node>) -> El {
        if let Node::Element { children, .. } = &mut self.0 {
            children.push(node.into());
        }
        self
    }

    /// Append children.
    pub fn children<N: Into<Node>>(mut self, nodes: impl IntoIterator<Item = N>) -> El {
        if let Node::Element { children, .. } = &mut self.0 {
            children.extend(nodes.into_iter().map(Into::into));
        }
        self
    }

    /// Append a text node.
    pub fn text(self, s: impl Into<String>) -> El {
        self.child(text(s))
    }
}

impl From<El> for Node {
    fn from(e: El) -> Node {
        e.0
    }
}

/// The tree as Yew elements (see the module's documentation for what passes).
pub fn render(node: &Node) -> Html {
    match node {
        Node::Text(s) => VText::new(AttrValue::from(s.clone())).into(),
        Node::Element {
            tag,
            attrs,
            children,
        } => {
            let Some(&tag) = TAGS.iter().find(|t| **t == tag.as_str()) else {
                return Html::default();
            };
            let mut element = VTag::new(tag);
            for (name, value) in attrs {
                if let Some(&name) = ATTRIBUTES.iter().find(|a| **a == name.as_str()) {
                    element.add_attribute(name, value.clone());
                }
            }
            element.add_children(children.iter().map(render));
            element.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_makes_the_tree() {
        let n: Node = el("p")
            .class("x")
            .testid("t")
            .text("a")
            .child(el("span").text("b"))
            .into();
        assert_eq!(
            n,
            Node::Element {
                tag: "p".into(),
                attrs: vec![
                    ("class".into(), "x".into()),
                    ("data-testid".into(), "t".into())
                ],
                children: vec![
                    Node::Text("a".into()),
                    Node::Element {
                        tag: "span".into(),
                        attrs: vec![],
                        children: vec![Node::Text("b".into())]
                    }
                ],
            }
        );
    }

    #[test]
    fn allowlists_hold_no_handler_style_or_link() {
        for a in ATTRIBUTES {
            assert!(!a.starts_with("on") && !["style", "href", "src", "xlink:href"].contains(a));
        }
        for t in TAGS {
            assert!(!["script", "iframe", "a", "object", "foreignObject", "style"].contains(t));
        }
    }
}
