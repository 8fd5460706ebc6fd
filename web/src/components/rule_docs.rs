//! A rule's full documentation, in a dialog: exactly the text of `secrets-guard explain`
//! ([`RuleMeta::explain`]), structured into headings, paragraphs, lists and code blocks and
//! rendered as elements and text nodes (never as HTML).
//!
//! The explain text is the small markdown subset the rule doc comments use: `#`/`##`
//! headings, paragraphs, `- ` list items (continued by lines indented two spaces), fenced code
//! blocks, and inline `code`, `**strong**`, `*emphasis*`, `[text](url)` links and bare URLs.

use secrets_guard_core::{registry, RuleMeta};
use yew::prelude::*;

use crate::worker::{self, Request, Response};

use super::modal::Modal;

/// A block of the explain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `#` (level 1) or `##` (level 2) heading.
    Heading { level: u8, text: Vec<Inline> },
    /// Consecutive text lines (the line breaks are kept inside the text).
    Paragraph(Vec<Inline>),
    /// `- ` items; an item's continuation lines are joined with `\n`.
    List(Vec<Vec<Inline>>),
    /// A fenced code block: its language (may be empty) and its lines, each ending in `\n`.
    Code { lang: String, text: String },
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// `` `code` ``
    Code(String),
    /// `**strong**`
    Strong(String),
    /// `*emphasis*`
    Emphasis(String),
    /// `[text](url)`
    Link {
        text: String,
        url: String,
    },
    /// A bare `http(s)://` URL.
    Url(String),
}

/// Structure an explain text into blocks.
pub fn structure(markdown: &str) -> Vec<Block> {
    let mut blocks = vec![];
    // The paragraph or list being collected, as raw text.
    let mut paragraph: Option<String> = None;
    let mut items: Vec<String> = vec![];
    let mut fence: Option<(String, String)> = None;

    fn flush(blocks: &mut Vec<Block>, paragraph: &mut Option<String>, items: &mut Vec<String>) {
        if let Some(p) = paragraph.take() {
            blocks.push(Block::Paragraph(inlines(&p)));
        }
        if !items.is_empty() {
            blocks.push(Block::List(items.drain(..).map(|i| inlines(&i)).collect()));
        }
    }

    for line in markdown.lines() {
        if let Some((lang, text)) = fence.as_mut() {
            if line.trim_end() == "```" {
                blocks.push(Block::Code {
                    lang: std::mem::take(lang),
                    text: std::mem::take(text),
                });
                fence = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        if let Some(lang) = line.strip_prefix("```") {
            flush(&mut blocks, &mut paragraph, &mut items);
            fence = Some((lang.trim().to_string(), String::new()));
        } else if let Some((level, text)) = heading(line) {
            flush(&mut blocks, &mut paragraph, &mut items);
            blocks.push(Block::Heading {
                level,
                text: inlines(text),
            });
        } else if let Some(item) = line.strip_prefix("- ") {
            if let Some(p) = paragraph.take() {
                blocks.push(Block::Paragraph(inlines(&p)));
            }
            items.push(item.to_string());
        } else if line.trim().is_empty() {
            flush(&mut blocks, &mut paragraph, &mut items);
        } else if let (Some(last), Some(rest)) = (items.last_mut(), line.strip_prefix("  ")) {
            last.push('\n');
            last.push_str(rest);
        } else {
            if !items.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut items);
            }
            match paragraph.as_mut() {
                Some(p) => {
                    p.push('\n');
                    p.push_str(line);
                }
                None => paragraph = Some(line.to_string()),
            }
        }
    }
    if let Some((lang, text)) = fence {
        // An unterminated fence keeps its text.
        blocks.push(Block::Code { lang, text });
    }
    flush(&mut blocks, &mut paragraph, &mut items);
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = line[hashes..].strip_prefix(' ')?;
    (1..=6).contains(&hashes).then_some((hashes as u8, rest))
}

/// Split text into inline runs.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = vec![];
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let prev = plain.chars().last().or_else(|| match out.last() {
            Some(Inline::Text(t)) => t.chars().last(),
            Some(_) => Some('`'),
            None => None,
        });
        if let Some((inline, len)) = inline_at(rest, prev) {
            if !plain.is_empty() {
                out.push(Inline::Text(std::mem::take(&mut plain)));
            }
            out.push(inline);
            rest = &rest[len..];
        } else {
            plain.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// The inline construct starting at `s`, and its length in bytes; `prev` is the character
/// before it.
fn inline_at(s: &str, prev: Option<char>) -> Option<(Inline, usize)> {
    let word_before = prev.is_some_and(|c| c.is_alphanumeric());
    if let Some(body) = s.strip_prefix('`') {
        let end = body.find('`')?;
        return (end > 0).then(|| (Inline::Code(body[..end].to_string()), end + 2));
    }
    if let Some(body) = s.strip_prefix("**") {
        let end = body.find("**")?;
        return (end > 0).then(|| (Inline::Strong(body[..end].to_string()), end + 4));
    }
    if let Some(body) = s.strip_prefix('*') {
        // `*word*`, but not `*.*`, `a*b` or `* `.
        if word_before || !body.starts_with(|c: char| c.is_alphabetic()) {
            return None;
        }
        let end = body.find('*')?;
        let inner = &body[..end];
        let after = body[end + 1..].chars().next();
        let closes = inner.ends_with(|c: char| !c.is_whitespace())
            && !after.is_some_and(|c| c.is_alphanumeric());
        return closes.then(|| (Inline::Emphasis(inner.to_string()), end + 2));
    }
    if let Some(body) = s.strip_prefix('[') {
        let close = body.find("](")?;
        let text = &body[..close];
        let after = &body[close + 2..];
        let end = after.find(')')?;
        let url = &after[..end];
        let ok = !text.is_empty() && !text.contains(['[', ']']) && is_web_url(url);
        return ok.then(|| {
            (
                Inline::Link {
                    text: text.to_string(),
                    url: url.to_string(),
                },
                1 + close + 2 + end + 1,
            )
        });
    }
    if !word_before && (s.starts_with("https://") || s.starts_with("http://")) {
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        let url = s[..end].trim_end_matches(['.', ',', ';', ':', ')', '"', '\'']);
        return is_web_url(url).then(|| (Inline::Url(url.to_string()), url.len()));
    }
    None
}

fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
}

/// Write blocks back as markdown (the inverse of [`structure`], up to blank lines).
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                out += &"#".repeat(*level as usize);
                out.push(' ');
                out += &inlines_to_markdown(text);
                out.push('\n');
            }
            Block::Paragraph(text) => {
                out += &inlines_to_markdown(text);
                out.push('\n');
            }
            Block::List(items) => {
                for item in items {
                    out += "- ";
                    out += &inlines_to_markdown(item).replace('\n', "\n  ");
                    out.push('\n');
                }
            }
            Block::Code { lang, text } => {
                out += &format!("```{lang}\n{text}```\n");
            }
        }
        out.push('\n');
    }
    out
}

fn inlines_to_markdown(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Code(c) => format!("`{c}`"),
            Inline::Strong(s) => format!("**{s}**"),
            Inline::Emphasis(s) => format!("*{s}*"),
            Inline::Link { text, url } => format!("[{text}]({url})"),
            Inline::Url(u) => u.clone(),
        })
        .collect()
}

/// Render inline runs (text nodes only; links open in a new tab).
pub fn render_inlines(inlines: &[Inline]) -> Html {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
            Inline::Strong(s) => html! { <strong>{ s.clone() }</strong> },
            Inline::Emphasis(s) => html! { <em>{ s.clone() }</em> },
            Inline::Link { text, url } => html! {
                <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ text.clone() }</a>
            },
            Inline::Url(u) => html! {
                <a href={u.clone()} target="_blank" rel="noopener noreferrer">{ u.clone() }</a>
            },
        })
        .collect()
}

/// Render blocks; the first level-1 heading becomes the element with id `title_id`.
fn render_blocks(blocks: &[Block], title_id: &str) -> Html {
    let mut titled = false;
    let mut after_title = false;
    blocks
        .iter()
        .map(|b| {
            let first_after_title = std::mem::take(&mut after_title);
            match b {
            Block::Heading { level: 1, text } if !titled => {
                titled = true;
                after_title = true;
                html! { <h2 id={title_id.to_string()} class="docs-title">{ render_inlines(text) }</h2> }
            }
            // The metadata under the title: `Key: value` items.
            Block::List(items) if first_after_title => html! {
                <ul class="docs-meta">{ for items.iter().map(|i| html! { <li>{ render_meta_item(i) }</li> }) }</ul>
            },
            Block::Heading { level, text } if *level <= 2 => {
                html! { <h3>{ render_inlines(text) }</h3> }
            }
            Block::Heading { text, .. } => html! { <h4>{ render_inlines(text) }</h4> },
            Block::Paragraph(text) => html! { <p>{ render_inlines(text) }</p> },
            Block::List(items) => html! {
                <ul>{ for items.iter().map(|i| html! { <li>{ render_inlines(i) }</li> }) }</ul>
            },
            Block::Code { lang, text } => html! {
                <pre class="code" tabindex="0" aria-label={format!("{} example", if lang.is_empty() { "code" } else { lang })}>
                    <code class={format!("lang-{}", if lang.is_empty() { "text" } else { lang })}>{ text.clone() }</code>
                </pre>
            },
        }})
        .collect()
}

/// `Severity: high` with the key emphasised (same text).
fn render_meta_item(item: &[Inline]) -> Html {
    match item.split_first() {
        Some((Inline::Text(first), rest)) if first.contains(": ") => {
            let (key, value) = first.split_once(": ").unwrap_or_default();
            html! {
                <>
                    <span class="meta-key">{ format!("{key}:") }</span>
                    { format!(" {value}") }
                    { render_inlines(rest) }
                </>
            }
        }
        _ => render_inlines(item),
    }
}

#[derive(Properties, PartialEq)]
pub struct RuleDocsProps {
    /// The rule id (`RBAC-001`).
    pub rule: AttrValue,
    pub on_close: Callback<()>,
}

/// The dialog `rule-docs`: the rule's `explain` text.
///
/// The text comes from the background worker ([`crate::worker`]), which holds the docs so the
/// main bundle does not: until it answers (the first time, while its module loads), the dialog
/// shows the rule's title and `aria-busy="true"` on its article.
#[function_component(RuleDocs)]
pub fn rule_docs(props: &RuleDocsProps) -> Html {
    let meta: Option<&'static RuleMeta> = registry::find_meta(&props.rule);
    // `None` while the worker has not answered; then the explain text, if it has one.
    let explain = use_state_eq(|| None::<Option<String>>);
    {
        let explain = explain.clone();
        use_effect_with(props.rule.clone(), move |rule| {
            explain.set(None);
            let asked = rule.to_string();
            worker::request(
                Request::Explain {
                    rule: asked.clone(),
                },
                move |response| {
                    let Response::Explain { rule, text } = response else {
                        return;
                    };
                    if rule == asked {
                        explain.set(Some(text));
                    }
                },
            );
        });
    }
    let blocks = use_memo((*explain).clone(), |explain| {
        explain
            .as_ref()
            .and_then(|text| text.as_deref().map(structure))
            .unwrap_or_default()
    });
    let title_id = "rule-docs-title";
    let loaded = explain.is_some();
    let body = match (meta, &*explain) {
        (Some(_), Some(Some(_))) => render_blocks(&blocks, title_id),
        (Some(meta), None) => html! {
            <>
                <h2 id={title_id}>{ format!("{} {}", meta.id, meta.title) }</h2>
                <p class="docs-loading">{ "Loading the documentation\u{2026}" }</p>
            </>
        },
        (Some(meta), Some(None)) => html! {
            <>
                <h2 id={title_id}>{ format!("{} {}", meta.id, meta.title) }</h2>
                <p>{ format!("No documentation for {} in this build: run `secrets-guard explain {}`.", meta.id, meta.id) }</p>
            </>
        },
        (None, _) => html! {
            <h2 id={title_id}>{ format!("Unknown rule {}", props.rule) }</h2>
        },
    };
    html! {
        <Modal testid="rule-docs" class="rule-docs" labelledby={title_id}
            on_close={props.on_close.clone()}>
            <article class="docs-body" data-rule={props.rule.clone()}
                aria-busy={(!loaded).to_string()}>{ body }</article>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn non_blank_lines(s: &str) -> Vec<&str> {
        s.lines().filter(|l| !l.trim().is_empty()).collect()
    }

    #[test]
    fn every_rules_explain_text_survives_structuring() {
        for rule in registry::rules() {
            let explain = rule.meta().explain();
            let blocks = structure(&explain);
            assert_eq!(
                non_blank_lines(&to_markdown(&blocks)),
                non_blank_lines(&explain),
                "{}",
                rule.meta().id
            );
        }
    }

    #[test]
    fn every_rule_has_a_title_metadata_sections_and_code() {
        for rule in registry::rules() {
            let meta = rule.meta();
            let blocks = structure(&meta.explain());
            assert_eq!(
                blocks[0],
                Block::Heading {
                    level: 1,
                    text: inlines(&format!("{} {}", meta.id, meta.title))
                },
                "{}",
                meta.id
            );
            let Block::List(items) = &blocks[1] else {
                panic!("{}: metadata list expected, got {:?}", meta.id, blocks[1]);
            };
            assert_eq!(
                items[0],
                vec![Inline::Text(format!("Severity: {}", meta.severity))]
            );
            let sections: Vec<String> = blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { level: 2, text } => Some(inlines_to_markdown(text)),
                    _ => None,
                })
                .collect();
            for s in ["What it does", "Why is this bad?"] {
                assert!(sections.iter().any(|h| h == s), "{}: no `{s}`", meta.id);
            }
            assert!(
                blocks
                    .iter()
                    .any(|b| matches!(b, Block::Code { lang, .. } if lang == "yaml")),
                "{}: no yaml example",
                meta.id
            );
        }
    }

    #[test]
    fn enc_008_is_structured_into_its_sections() {
        let explain = registry::find("ENC-008").unwrap().meta().explain();
        let blocks = structure(&explain);
        let headings: Vec<(u8, String)> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text } => Some((*level, inlines_to_markdown(text))),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            vec![
                (
                    1,
                    "ENC-008 KMS endpoint is not a unix:// socket".to_string()
                ),
                (2, "What it does".to_string()),
                (2, "Why is this bad?".to_string()),
                (2, "Example".to_string()),
                (2, "Use instead".to_string()),
                (2, "References".to_string()),
            ]
        );
        let codes: Vec<&Block> = blocks
            .iter()
            .filter(|b| matches!(b, Block::Code { .. }))
            .collect();
        assert_eq!(
            codes[1],
            &Block::Code {
                lang: "yaml".into(),
                text: "providers:\n  - kms:\n      apiVersion: v2\n      name: my-kms-provider\n      endpoint: unix:///var/run/kms-provider.sock\n".into()
            }
        );
        let Some(Block::List(refs)) = blocks.last() else {
            panic!("references list expected");
        };
        assert_eq!(
            refs[0],
            vec![Inline::Link {
                text: "Using a KMS provider for data encryption: Configuring the KMS provider"
                    .into(),
                url: "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/#configuring-the-kms-provider-kms-v2".into()
            }]
        );
    }

    #[test]
    fn inline_code_strong_emphasis_links_and_urls() {
        assert_eq!(
            inlines("use `get` with **named** Secrets, the *first* entry; see [docs](https://k8s.io/x) or https://example.com/a."),
            vec![
                Inline::Text("use ".into()),
                Inline::Code("get".into()),
                Inline::Text(" with ".into()),
                Inline::Strong("named".into()),
                Inline::Text(" Secrets, the ".into()),
                Inline::Emphasis("first".into()),
                Inline::Text(" entry; see ".into()),
                Inline::Link { text: "docs".into(), url: "https://k8s.io/x".into() },
                Inline::Text(" or ".into()),
                Inline::Url("https://example.com/a".into()),
                Inline::Text(".".into()),
            ]
        );
    }

    #[test]
    fn stars_and_brackets_that_are_not_markup_stay_text() {
        for s in [
            "use '*.' to encrypt all resources or *.* to",
            "a*b*c",
            "an unclosed `tick",
            "[not a link](javascript:alert(1))",
            "* not emphasis*",
        ] {
            assert_eq!(inlines(s), vec![Inline::Text(s.into())], "{s}");
        }
    }

    #[test]
    fn list_items_keep_continuation_lines_and_paragraphs_end_at_lists() {
        let blocks = structure("Intro line\nsecond line:\n- one\n  continued\n- two\n\nAfter.\n");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![Inline::Text("Intro line\nsecond line:".into())]),
                Block::List(vec![
                    vec![Inline::Text("one\ncontinued".into())],
                    vec![Inline::Text("two".into())],
                ]),
                Block::Paragraph(vec![Inline::Text("After.".into())]),
            ]
        );
    }
}
