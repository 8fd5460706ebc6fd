//! Span-aware YAML/JSON loading.
//!
//! One pass over the text with `saphyr-parser`'s event API builds a small tree of [`Node`]s. Every
//! node (keys included) carries the [`Span`] of its text, so a finding can point at the exact key or
//! value without a second pass over the source. JSON is parsed by the same code: YAML 1.2 is a
//! superset of JSON.
//!
//! The loader is hardened for untrusted input (admission webhooks, a browser tab): input size,
//! line length, document size, nesting depth, alias expansion and document count are bounded by
//! [`Limits`], and a syntax error in one document does not stop the documents after it from being
//! read. Every limit error names the limit and how to raise it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

/// A region of the source text. Lines and columns are 1-based; columns count characters.
/// `end_*` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Span {
    fn from_parser(s: saphyr_parser::Span, line_offset: u32) -> Span {
        Span {
            line: s.start.line() as u32 + line_offset,
            col: s.start.col() as u32 + 1,
            end_line: s.end.line() as u32 + line_offset,
            end_col: s.end.col() as u32 + 1,
        }
    }

    /// A span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            line: self.line,
            col: self.col,
            end_line: other.end_line,
            end_col: other.end_col,
        }
    }
}

/// How a scalar was written. Kubernetes decodes YAML into typed Go structs, so `"12"` and `12`
/// differ only where the schema says so; rules use the typed accessors on [`Node`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar<'a> {
    pub text: Cow<'a, str>,
    pub style: Style,
    /// An explicit tag such as `!!str` or `!!binary` (suffix only).
    pub tag: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub key: Node<'a>,
    pub value: Node<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Scalar(Scalar<'a>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
}

/// One YAML node with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub span: Span,
    pub value: Value<'a>,
}

static EMPTY_SEQ: Vec<Node<'static>> = Vec::new();
static EMPTY_MAP: Vec<Entry<'static>> = Vec::new();

impl<'a> Node<'a> {
    /// The value for `key` in a mapping (the last one, when a key is repeated).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|e| &e.value)
    }

    /// The key/value entry for `key` (the last one when a key is repeated).
    pub fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key.as_scalar() == Some(key)),
            _ => None,
        }
    }

    /// The key node for `key`: findings about a field's presence point at the key.
    pub fn key_node(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|e| &e.key)
    }

    /// Follow a chain of mapping keys.
    pub fn at(&self, keys: &[&str]) -> Option<&Node<'a>> {
        let mut n = self;
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }

    /// The text of any scalar (`null` and `~` included, as written).
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// A string value: any non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        if self.is_null() {
            return None;
        }
        self.as_scalar()
    }

    /// `true`/`false` as YAML 1.1/1.2 and JSON write them (plain scalars only; `"true"` is a string).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar(s) if s.style == Style::Plain => match s.text.as_ref() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// An integer (plain scalar; decimal, `0o`/`0x` and YAML 1.1 leading-zero octal).
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Scalar(s) if s.style == Style::Plain => parse_int(&s.text),
            _ => None,
        }
    }

    /// The scalar as written, when it is plain (no quotes): used to tell `0400` (octal) from `400`.
    pub fn plain_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if s.style == Style::Plain => Some(&s.text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        match &self.value {
            Value::Scalar(s) => {
                s.style == Style::Plain
                    && matches!(s.text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// Items of a sequence; empty for anything else.
    pub fn items(&self) -> &[Node<'a>] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &EMPTY_SEQ,
        }
    }

    /// Entries of a mapping; empty for anything else.
    pub fn entries(&self) -> &[Entry<'a>] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &EMPTY_MAP,
        }
    }

    /// String items of a sequence (non-strings skipped), with their nodes.
    pub fn str_items(&self) -> impl Iterator<Item = (&str, &Node<'a>)> {
        self.items()
            .iter()
            .filter_map(|n| n.as_str().map(|s| (s, n)))
    }

    /// Follow a JSON pointer (`/spec/containers/0/env`). `~1` and `~0` are unescaped.
    pub fn pointer(&self, pointer: &str) -> Option<&Node<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut n = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let token = raw.replace("~1", "/").replace("~0", "~");
            n = match &n.value {
                Value::Map(_) => n.get(&token)?,
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                Value::Scalar(_) => return None,
            };
        }
        Some(n)
    }

    /// The JSON pointer of `target` (a node inside `self`, found by address), if it is there.
    /// A key node maps to the pointer of its value.
    pub fn path_of(&self, target: &Node<'_>) -> Option<String> {
        let mut steps = vec![];
        if !find_path(self, target as *const Node<'_> as *const (), &mut steps) {
            return None;
        }
        // The steps were recorded from the target up; the path is written from the root down.
        let mut path = String::new();
        for step in steps.iter().rev() {
            path.push('/');
            match step {
                PathStep::Index(i) => {
                    let _ = write!(path, "{i}");
                }
                PathStep::Key(k) => escape_token(&mut path, k),
            }
        }
        Some(path)
    }

    /// Count of nodes in this subtree (used to bound alias expansion).
    pub fn size(&self) -> usize {
        self.weight().0
    }

    /// Count of nodes and total bytes of scalar text in this subtree: what an alias to it adds
    /// to a document (rules read every copy of the text).
    pub fn weight(&self) -> (usize, usize) {
        match &self.value {
            Value::Scalar(s) => (1, s.text.len()),
            Value::Seq(items) => items.iter().fold((1, 0), |(n, b), item| {
                let (n2, b2) = item.weight();
                (n.saturating_add(n2), b.saturating_add(b2))
            }),
            Value::Map(entries) => entries.iter().fold((1, 0), |(n, b), e| {
                let (kn, kb) = e.key.weight();
                let (vn, vb) = e.value.weight();
                (
                    n.saturating_add(kn).saturating_add(vn),
                    b.saturating_add(kb).saturating_add(vb),
                )
            }),
        }
    }

    /// Detach from the source text.
    pub fn into_owned(self) -> Node<'static> {
        Node {
            span: self.span,
            value: match self.value {
                Value::Scalar(s) => Value::Scalar(Scalar {
                    text: Cow::Owned(s.text.into_owned()),
                    style: s.style,
                    tag: s.tag,
                }),
                Value::Seq(items) => Value::Seq(items.into_iter().map(Node::into_owned).collect()),
                Value::Map(entries) => Value::Map(
                    entries
                        .into_iter()
                        .map(|e| Entry {
                            key: e.key.into_owned(),
                            value: e.value.into_owned(),
                        })
                        .collect(),
                ),
            },
        }
    }

    /// Convert to a `serde_json::Value` (for typed deserialisation of settings and the like).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar(s) => {
                if s.style != Style::Plain {
                    return J::String(s.text.to_string());
                }
                if self.is_null() {
                    return J::Null;
                }
                if let Some(b) = self.as_bool() {
                    return J::Bool(b);
                }
                if let Some(i) = self.as_i64() {
                    return J::from(i);
                }
                if let Ok(f) = s.text.parse::<f64>() {
                    if f.is_finite() && s.text.chars().any(|c| c.is_ascii_digit()) {
                        if let Some(n) = serde_json::Number::from_f64(f) {
                            return J::Number(n);
                        }
                    }
                }
                J::String(s.text.to_string())
            }
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.key.as_scalar().unwrap_or("").to_string(),
                            e.value.to_json(),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

fn escape_token(out: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// One step of a path: a sequence index or a mapping key.
enum PathStep<'n> {
    Index(usize),
    Key(&'n str),
}

/// Whether `target` is `node` or inside it; if so, `steps` gets the steps to it, innermost
/// first (nothing is written for the branches that do not hold it).
fn find_path<'n>(node: &'n Node<'_>, target: *const (), steps: &mut Vec<PathStep<'n>>) -> bool {
    if std::ptr::eq(node as *const Node<'_> as *const (), target) {
        return true;
    }
    match &node.value {
        Value::Scalar(_) => false,
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if find_path(item, target, steps) {
                    steps.push(PathStep::Index(i));
                    return true;
                }
            }
            false
        }
        Value::Map(entries) => {
            for e in entries {
                if std::ptr::eq(&e.key as *const Node<'_> as *const (), target)
                    || find_path(&e.value, target, steps)
                {
                    steps.push(PathStep::Key(e.key.as_scalar().unwrap_or("")));
                    return true;
                }
            }
            false
        }
    }
}

fn parse_int(t: &str) -> Option<i64> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let body = body.replace('_', "");
    let v = if let Some(h) = body.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else if body.len() > 1 && body.starts_with('0') && body.chars().all(|c| c.is_ascii_digit()) {
        // YAML 1.1 octal, as go-yaml (and so kubectl) reads `0644`.
        i64::from_str_radix(&body[1..], 8).ok()?
    } else if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) {
        body.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// Bounds for untrusted input. Exceeding one gives a [`ParseError`] that names the limit and how
/// to raise it (the CLI flag `--max-…` or the `limits` setting of the config file, the policy and
/// the playground). The defaults here are the CLI's; the policy and the playground use
/// [`crate::admission::admission_limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct Limits {
    /// Largest input (one file or stdin) in bytes.
    pub max_input_bytes: usize,
    /// Longest line, in bytes (without its line break). Checked before parsing, for the whole
    /// input. Minified JSON is one line, so the default admits the largest object the API server
    /// stores (about 1.5 MiB) with room to spare.
    pub max_line_bytes: usize,
    /// Largest single document, in characters; alias expansion counts toward it too.
    pub max_document_chars: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes that alias expansion may add to one document (0: no aliases).
    pub max_alias_nodes: usize,
    /// Most documents in one input.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 * 1024 * 1024,
            max_line_bytes: 4 * 1024 * 1024,
            max_document_chars: 16 * 1024 * 1024,
            max_depth: 128,
            max_alias_nodes: 100_000,
            max_documents: 200_000,
        }
    }
}

impl Limits {
    /// Every limit but `max_alias_nodes` must be positive (a zero would refuse every input).
    pub fn validate(&self) -> Result<(), String> {
        let zero: Vec<&str> = [
            ("max_input_bytes", self.max_input_bytes),
            ("max_line_bytes", self.max_line_bytes),
            ("max_document_chars", self.max_document_chars),
            ("max_depth", self.max_depth),
            ("max_documents", self.max_documents),
        ]
        .into_iter()
        .filter(|(_, v)| *v == 0)
        .map(|(name, _)| name)
        .collect();
        if zero.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "limits must be positive: {} {} 0",
                zero.join(", "),
                if zero.len() == 1 { "is" } else { "are" }
            ))
        }
    }
}

/// How a limit error tells the user to raise `name`: the CLI flag and the `limits` setting.
fn raise_hint(name: &str) -> String {
    format!(
        "raise it with --{} or the `limits` setting",
        name.replace('_', "-")
    )
}

/// The message of a limit error: what was found, the limit and how to raise it.
fn over_limit(what: &str, name: &str, limit: usize) -> String {
    format!(
        "{what}, over the limit {name}={limit} ({})",
        raise_hint(name)
    )
}

/// A problem reading the input. `line`/`column` are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParseError {
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// Index of the document in the file (0-based), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
}

/// A parsed document: its index in the stream and its root node.
#[derive(Debug)]
pub struct Document<'a> {
    pub index: usize,
    pub root: Node<'a>,
}

enum Frame<'a> {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node<'a>>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry<'a>>,
        key: Option<Node<'a>>,
    },
}

struct Loader<'a, 'l> {
    limits: &'l Limits,
    line_offset: u32,
    stack: Vec<Frame<'a>>,
    anchors: HashMap<usize, Node<'a>>,
    alias_budget: usize,
    /// Scalar text (bytes) that alias expansion may still add to the document.
    alias_text_budget: usize,
    root: Option<Node<'a>>,
    doc_start_index: usize,
    /// After an error, resume at the first `---` line after this line.
    resume_after: u32,
}

enum Step {
    Continue,
    DocumentDone,
}

impl<'a> Loader<'a, '_> {
    fn err(&self, span: Span, message: String) -> ParseError {
        ParseError {
            line: span.line,
            column: span.col,
            message,
            document: None,
        }
    }

    fn push_node(&mut self, node: Node<'a>, anchor: usize) -> Result<(), ParseError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
        Ok(())
    }

    /// The document read so far must fit `max_document_chars`: checked at every event, so an
    /// oversized document is given up as soon as it is known to be too large.
    fn check_document_size(&self, raw: saphyr_parser::Span, span: Span) -> Result<(), ParseError> {
        let chars = raw.end.index().saturating_sub(self.doc_start_index);
        if chars > self.limits.max_document_chars {
            return Err(self.err(
                span,
                over_limit(
                    &format!("document is over {chars} characters"),
                    "max_document_chars",
                    self.limits.max_document_chars,
                ),
            ));
        }
        Ok(())
    }

    fn on_event(&mut self, ev: Event<'a>, raw: saphyr_parser::Span) -> Result<Step, ParseError> {
        let span = Span::from_parser(raw, self.line_offset);
        if !matches!(ev, Event::DocumentStart(_) | Event::DocumentEnd) {
            self.check_document_size(raw, span)?;
        }
        match ev {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.root = None;
                self.anchors.clear();
                self.alias_budget = self.limits.max_alias_nodes;
                self.alias_text_budget = self.limits.max_document_chars;
                self.doc_start_index = raw.start.index();
                self.resume_after = span.line;
            }
            Event::DocumentEnd => {
                self.resume_after = span.line;
                self.check_document_size(raw, span)?;
                return Ok(Step::DocumentDone);
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id) else {
                    return Err(self.err(span, "alias refers to an unknown anchor".into()));
                };
                let (size, text) = node.weight();
                if size > self.alias_budget {
                    return Err(self.err(
                        span,
                        over_limit(
                            "alias expansion adds too many nodes (a \"billion laughs\" document?)",
                            "max_alias_nodes",
                            self.limits.max_alias_nodes,
                        ),
                    ));
                }
                if text > self.alias_text_budget {
                    return Err(self.err(
                        span,
                        over_limit(
                            "alias expansion makes the document too large",
                            "max_document_chars",
                            self.limits.max_document_chars,
                        ),
                    ));
                }
                self.alias_budget -= size;
                self.alias_text_budget -= text;
                let mut node = node.clone();
                // The alias is used here: keep the target's structure but point at the alias.
                node.span = span;
                self.push_node(node, 0)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                let tag = tag.map(|t| t.suffix.clone().into_boxed_str());
                let node = Node {
                    span,
                    value: Value::Scalar(Scalar { text, style, tag }),
                };
                self.push_node(node, anchor)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= self.limits.max_depth {
                    return Err(self.err(
                        span,
                        over_limit("nesting too deep", "max_depth", self.limits.max_depth),
                    ));
                }
                if matches!(ev, Event::SequenceStart(..)) {
                    self.stack.push(Frame::Seq {
                        start: span,
                        anchor,
                        items: Vec::new(),
                    });
                } else {
                    self.stack.push(Frame::Map {
                        start: span,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                    });
                }
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                }) = self.stack.pop()
                {
                    let node = Node {
                        span: start.to(span),
                        value: Value::Seq(items),
                    };
                    self.push_node(node, anchor)?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    ..
                }) = self.stack.pop()
                {
                    let node = Node {
                        span: start.to(span),
                        value: Value::Map(apply_merge_keys(entries)),
                    };
                    self.push_node(node, anchor)?;
                }
            }
        }
        Ok(Step::Continue)
    }
}

/// YAML 1.1 merge keys (`<<: *base`), which go-yaml and so kubectl honour: entries of the merged
/// mapping(s) are added unless the mapping already has the key. Keys are looked up in a set, so
/// merging large mappings stays linear.
fn apply_merge_keys(entries: Vec<Entry<'_>>) -> Vec<Entry<'_>> {
    let is_merge = |e: &Entry<'_>| matches!(&e.key.value, Value::Scalar(s) if s.style == Style::Plain && s.text == "<<");
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let (merges, mut own): (Vec<_>, Vec<_>) = entries.into_iter().partition(is_merge);
    // The scalar keys present so far, and whether a non-scalar key is (such keys compare equal).
    let mut keys: HashSet<String> = own
        .iter()
        .filter_map(|e| e.key.as_scalar().map(str::to_owned))
        .collect();
    let mut non_scalar = own.iter().any(|e| e.key.as_scalar().is_none());
    for m in merges {
        let sources: Vec<Node<'_>> = match m.value.value {
            Value::Map(_) => vec![m.value],
            Value::Seq(items) => items,
            Value::Scalar(_) => vec![],
        };
        for src in sources {
            if let Value::Map(src_entries) = src.value {
                for e in src_entries {
                    let fresh = match e.key.as_scalar() {
                        Some(k) => keys.insert(k.to_owned()),
                        None => !std::mem::replace(&mut non_scalar, true),
                    };
                    if fresh {
                        own.push(e);
                    }
                }
            }
        }
    }
    own
}

/// Parse every document of `text`, calling `on_doc` for each document or error, in order.
///
/// After a syntax error the loader skips to the next `---` line and goes on, so one broken
/// document does not hide the others. Empty documents are skipped.
pub fn parse_documents<'a>(
    text: &'a str,
    limits: &Limits,
    mut on_doc: impl FnMut(Result<Document<'a>, ParseError>),
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > limits.max_input_bytes {
        on_doc(Err(ParseError {
            line: 1,
            column: 1,
            message: over_limit(
                &format!("input is {} bytes", text.len()),
                "max_input_bytes",
                limits.max_input_bytes,
            ),
            document: None,
        }));
        return;
    }
    if let Some((line, len)) = (1u32..)
        .zip(text.split('\n'))
        .map(|(i, l)| (i, l.len()))
        .find(|(_, len)| *len > limits.max_line_bytes)
    {
        on_doc(Err(ParseError {
            line,
            column: 1,
            message: over_limit(
                &format!("line {line} is {len} bytes long"),
                "max_line_bytes",
                limits.max_line_bytes,
            ),
            document: None,
        }));
        return;
    }
    let mut offset_bytes = 0usize;
    let mut line_offset = 0u32;
    let mut doc_index = 0usize;
    loop {
        let chunk = &text[offset_bytes..];
        match parse_chunk(chunk, limits, line_offset, &mut doc_index, &mut on_doc) {
            None => return,
            Some((err, resume_after)) => {
                on_doc(Err(err));
                // Resume at the next document marker after the start of the broken document.
                match next_doc_marker(text, resume_after) {
                    Some((byte, line)) => {
                        offset_bytes = byte;
                        line_offset = line - 1;
                        doc_index += 1;
                    }
                    None => return,
                }
            }
        }
        if doc_index >= limits.max_documents {
            on_doc(Err(ParseError {
                line: line_offset + 1,
                column: 1,
                message: over_limit("too many documents", "max_documents", limits.max_documents),
                document: Some(doc_index),
            }));
            return;
        }
    }
}

/// Byte offset and 1-based line of the first `---` line strictly after `after_line`.
fn next_doc_marker(text: &str, after_line: u32) -> Option<(usize, u32)> {
    let mut pos = 0usize;
    for (line, l) in (1u32..).zip(text.split_inclusive('\n')) {
        if line > after_line {
            let t = l.trim_end_matches(['\n', '\r']);
            if t == "---" || t.starts_with("--- ") || t.starts_with("---\t") {
                return Some((pos, line));
            }
        }
        pos += l.len();
    }
    None
}

/// Parse until the end or the first error; returns the error.
fn parse_chunk<'a>(
    chunk: &'a str,
    limits: &Limits,
    line_offset: u32,
    doc_index: &mut usize,
    on_doc: &mut impl FnMut(Result<Document<'a>, ParseError>),
) -> Option<(ParseError, u32)> {
    let mut parser = Parser::new_from_str(chunk);
    let mut loader = Loader {
        limits,
        line_offset,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: limits.max_alias_nodes,
        alias_text_budget: limits.max_document_chars,
        root: None,
        doc_start_index: 0,
        resume_after: line_offset + 1,
    };
    let mut first = true;
    loop {
        let (ev, span) = match parser.next_event()? {
            Ok(x) => x,
            Err(e) => {
                return Some((
                    scan_error(&e, limits, line_offset, *doc_index),
                    loader.resume_after,
                ))
            }
        };
        if matches!(ev, Event::DocumentStart(_)) {
            if !first {
                *doc_index += 1;
            }
            first = false;
            if *doc_index >= limits.max_documents {
                // Report the limit (not a silent stop); `u32::MAX`: do not resume.
                let err = ParseError {
                    line: Span::from_parser(span, line_offset).line,
                    column: 1,
                    message: over_limit(
                        "too many documents",
                        "max_documents",
                        limits.max_documents,
                    ),
                    document: Some(*doc_index),
                };
                return Some((err, u32::MAX));
            }
        }
        match loader.on_event(ev, span) {
            Ok(Step::Continue) => {}
            Ok(Step::DocumentDone) => {
                if let Some(root) = loader.root.take() {
                    if !root.is_null() {
                        on_doc(Ok(Document {
                            index: *doc_index,
                            root,
                        }));
                    }
                }
            }
            Err(mut e) => {
                e.document = Some(*doc_index);
                return Some((e, loader.resume_after));
            }
        }
    }
}

/// Nesting depth at which `saphyr-parser` itself gives up (a fixed limit).
const PARSER_MAX_DEPTH: usize = 256;

fn scan_error(e: &ScanError, limits: &Limits, line_offset: u32, doc: usize) -> ParseError {
    let m = e.marker();
    ParseError {
        line: m.line() as u32 + line_offset,
        column: m.col() as u32 + 1,
        message: match e.info() {
            // The scanner reads a flow collection's openings ahead of the events that
            // `max_depth` is checked on, so its own limit can be hit first.
            "recursion limit exceeded" if limits.max_depth < PARSER_MAX_DEPTH => {
                over_limit("nesting too deep", "max_depth", limits.max_depth)
            }
            "recursion limit exceeded" => format!(
                "nesting deeper than {PARSER_MAX_DEPTH} levels, the YAML parser's fixed limit"
            ),
            info => info.to_string(),
        },
        document: Some(doc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> (Vec<Document<'_>>, Vec<ParseError>) {
        let mut ok = vec![];
        let mut errs = vec![];
        parse_documents(text, &Limits::default(), |d| match d {
            Ok(d) => ok.push(d),
            Err(e) => errs.push(e),
        });
        (ok, errs)
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let (d, e) = docs("a: 1\nverbs:\n  - get\n  - list\n");
        assert!(e.is_empty());
        let root = &d[0].root;
        let list = &root.get("verbs").unwrap().items()[1];
        assert_eq!((list.span.line, list.span.col), (4, 5));
        assert_eq!(root.path_of(list).unwrap(), "/verbs/1");
        let key = root.key_node("verbs").unwrap();
        assert_eq!((key.span.line, key.span.col), (2, 1));
        assert_eq!(root.path_of(key).unwrap(), "/verbs");
        assert_eq!(root.pointer("/verbs/1").unwrap().as_str(), Some("list"));
    }

    #[test]
    fn path_of_escapes_keys_and_misses_foreign_nodes() {
        let (d, _) = docs(
            "x: 1
m:
  - {a/b: [0, {c~d: v}]}
  - 12
",
        );
        let root = &d[0].root;
        let deep = root.pointer("/m/0/a~1b/1/c~0d").unwrap();
        assert_eq!(root.path_of(deep).unwrap(), "/m/0/a~1b/1/c~0d");
        let twelve = root.pointer("/m/1").unwrap();
        assert_eq!(root.path_of(twelve).unwrap(), "/m/1");
        assert_eq!(root.path_of(root).unwrap(), "");
        let (other, _) = docs(
            "x: 1
",
        );
        assert!(root.path_of(&other[0].root).is_none());
    }

    #[test]
    fn multi_document_with_error_recovers() {
        let (d, e) = docs("a: 1\n---\nb: [1, 2\n---\nc: 3\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].index, 2);
        assert_eq!(e.len(), 1);
        assert!(e[0].line >= 3, "{e:?}");
    }

    #[test]
    fn json_is_yaml() {
        let (d, e) = docs("{\"kind\": \"Role\",\n \"rules\": [{\"verbs\": [\"*\"]}]}");
        assert!(e.is_empty());
        let star = &d[0].root.pointer("/rules/0/verbs/0").unwrap();
        assert_eq!((star.span.line, star.span.col), (2, 23));
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            s.push_str(&format!(
                "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = c;
        }
        let (_, e) = docs(&s);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].message.contains("over the limit max_alias_nodes=100000 (raise it with --max-alias-nodes or the `limits` setting)"),
            "{e:?}"
        );
    }

    #[test]
    fn depth_is_bounded() {
        let s = "[".repeat(10_000);
        let (_, e) = docs(&s);
        assert!(e[0].message.contains("nesting too deep, over the limit max_depth=128 (raise it with --max-depth or the `limits` setting)"), "{e:?}");
        let s = "a:\n".to_string()
            + &(1..200)
                .map(|i| format!("{}- \n", "  ".repeat(i)))
                .collect::<String>();
        let (_, e) = docs(&s);
        assert!(e[0].message.contains("max_depth=128"), "{e:?}");
    }

    #[test]
    fn document_count_is_bounded_and_reported() {
        let limits = Limits {
            max_documents: 2,
            ..Limits::default()
        };
        let mut docs = 0;
        let mut errors = vec![];
        parse_documents(
            "a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n",
            &limits,
            |d| match d {
                Ok(_) => docs += 1,
                Err(e) => errors.push(e),
            },
        );
        assert_eq!(docs, 2);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 4, "at the third `---`");
        assert!(errors[0].message.contains("max_documents=2"), "{errors:?}");
    }

    fn errors_with(text: &str, limits: &Limits) -> Vec<ParseError> {
        let mut errors = vec![];
        parse_documents(text, limits, |d| {
            if let Err(e) = d {
                errors.push(e)
            }
        });
        errors
    }

    #[test]
    fn line_length_is_bounded_and_reported() {
        let limits = Limits {
            max_line_bytes: 10,
            ..Limits::default()
        };
        assert!(errors_with("a: 12345\nb: 1234567\n", &limits).is_empty());
        let e = errors_with("a: 1\nb: 12345678\n", &limits);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (2, 1));
        assert_eq!(
            e[0].message,
            "line 2 is 11 bytes long, over the limit max_line_bytes=10 (raise it with --max-line-bytes or the `limits` setting)"
        );
    }

    #[test]
    fn oversized_documents_stop_early_and_the_next_one_is_read() {
        let limits = Limits {
            max_document_chars: 100,
            ..Limits::default()
        };
        let big: String = (0..50).map(|i| format!("k{i}: v\n")).collect();
        let text = format!("{big}---\nsmall: 1\n");
        let mut ok = vec![];
        let mut errors = vec![];
        parse_documents(&text, &limits, |d| match d {
            Ok(d) => ok.push(d.index),
            Err(e) => errors.push(e),
        });
        assert_eq!(ok, vec![1]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        // Given up within the first document, not at its end (line 51).
        assert!(errors[0].line < 20, "{errors:?}");
        assert!(
            errors[0].message.contains("over the limit max_document_chars=100 (raise it with --max-document-chars or the `limits` setting)"),
            "{errors:?}"
        );
    }

    #[test]
    fn alias_expansion_counts_text_toward_the_document_size() {
        // Few nodes, much text: a long scalar aliased many times.
        let long = "x".repeat(1000);
        let refs = vec!["*a"; 200].join(", ");
        let text = format!("a: &a \"{long}\"\nb: [{refs}]\n");
        let limits = Limits {
            max_document_chars: 100_000,
            ..Limits::default()
        };
        let e = errors_with(&text, &limits);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].message.starts_with("alias expansion makes the document too large, over the limit max_document_chars=100000"),
            "{e:?}"
        );
        assert!(errors_with(&text, &Limits::default()).is_empty());
    }

    #[test]
    fn limits_validate_names_the_zero_ones() {
        assert_eq!(Limits::default().validate(), Ok(()));
        let l = Limits {
            max_line_bytes: 0,
            max_depth: 0,
            max_alias_nodes: 0,
            ..Limits::default()
        };
        assert_eq!(
            l.validate().unwrap_err(),
            "limits must be positive: max_line_bytes, max_depth are 0"
        );
    }

    #[test]
    fn merging_large_mappings_is_linear() {
        // 50,000 own keys and 50,000 merged ones, half of them already present: with a pairwise
        // comparison this took minutes.
        let n = 50_000;
        let own: Vec<String> = (0..n).map(|i| format!("k{i}: own")).collect();
        let merged: Vec<String> = (n / 2..n + n / 2)
            .map(|i| format!("k{i}: merged"))
            .collect();
        let text = format!("m: {{<<: {{{}}}, {}}}\n", merged.join(", "), own.join(", "));
        let start = std::time::Instant::now();
        let (d, e) = docs(&text);
        assert!(e.is_empty(), "{e:?}");
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
        let m = d[0].root.get("m").unwrap();
        assert_eq!(m.entries().len(), n + n / 2);
        assert_eq!(m.get("k0").unwrap().as_str(), Some("own"));
        assert_eq!(m.get("k49999").unwrap().as_str(), Some("own"));
        assert_eq!(m.get("k50000").unwrap().as_str(), Some("merged"));
    }

    #[test]
    fn merge_keys_and_octal() {
        let (d, _) = docs("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nmode: 0400\n");
        let m = d[0].root.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(m.get("y").unwrap().as_i64(), Some(3));
        assert_eq!(d[0].root.get("mode").unwrap().as_i64(), Some(0o400));
    }
}
