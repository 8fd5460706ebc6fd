//! Suggested fixes: text edits a rule attaches to a finding when the correction is mechanical and
//! unambiguous (`immutable: true` on a Secret, `audit.k8s.io/v1` instead of a removed version…).
//!
//! A [`Fix`] is a description and a list of [`Edit`]s, each replacing a region of the finding's
//! file (1-based lines and columns counting characters, end exclusive, as in findings) with new
//! text; an empty region is an insertion. Rules build edits from the spans of the nodes they
//! looked at ([`Edit::replace_scalar`], [`insert_entry_before`]), so edits keep the style of the
//! document (plain or quoted scalars; new keys only in block mappings, never in flow mappings or
//! JSON, where they would need commas).
//!
//! [`apply_fixes`] applies the fixes of several findings to a text at once: overlapping edits of
//! different findings are not both applied (the later finding is skipped), identical edits (two
//! findings fixed by the same change) are applied once. Pure and panic-free, like the rest of the
//! core: a stale edit (outside the text) is an error, not a panic.

use serde::Serialize;

use crate::finding::Finding;
use crate::yaml::{Node, Style, Value};

/// One text replacement. `line`/`column` to `end_line`/`end_column` (exclusive) is the region
/// replaced; when both ends are equal, `replacement` is inserted there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub replacement: String,
}

/// A suggested fix: what it does, and the edits that do it (all in the finding's file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// One sentence, e.g. "Set `immutable: true`".
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            description: description.into(),
            edits,
        }
    }
}

impl Edit {
    /// Replace the text of `node` with `replacement` (written as is).
    pub fn replace(node: &Node<'_>, replacement: impl Into<String>) -> Edit {
        Edit {
            line: node.span.line,
            column: node.span.col,
            end_line: node.span.end_line,
            end_column: node.span.end_col,
            replacement: replacement.into(),
        }
    }

    /// Replace a one-line scalar with `value`, keeping its quoting: a quoted scalar (JSON, or
    /// `"..."` in YAML) gets a double-quoted value, a plain one a plain value. `None` for
    /// anything else (block scalars, collections, scalars over several lines).
    pub fn replace_scalar(node: &Node<'_>, value: &str) -> Option<Edit> {
        let Value::Scalar(s) = &node.value else {
            return None;
        };
        if node.span.line != node.span.end_line || node.span.end_col <= node.span.col {
            return None;
        }
        let text = match s.style {
            Style::Plain => value.to_string(),
            Style::Quoted => serde_json::to_string(value).ok()?,
            Style::Block => return None,
        };
        Some(Edit::replace(node, text))
    }

    /// Insert `text` at `line`:`column`.
    pub fn insert(line: u32, column: u32, text: impl Into<String>) -> Edit {
        Edit {
            line,
            column,
            end_line: line,
            end_column: column,
            replacement: text.into(),
        }
    }

    fn start(&self) -> (u32, u32) {
        (self.line, self.column)
    }

    fn end(&self) -> (u32, u32) {
        (self.end_line, self.end_column)
    }
}

/// Whether `map` is a block mapping (`key: value` lines) rather than a flow mapping (`{…}`, JSON).
/// A block mapping's span starts at its first key; a flow mapping's at its `{`.
pub fn is_block_mapping(map: &Node<'_>) -> bool {
    match &map.value {
        Value::Map(entries) => entries.first().is_some_and(|e| {
            e.key.span.line == map.span.line
                && e.key.span.col == map.span.col
                && is_plain_or_quoted_key(&e.key)
        }),
        _ => false,
    }
}

fn is_plain_or_quoted_key(key: &Node<'_>) -> bool {
    matches!(&key.value, Value::Scalar(s) if s.style != Style::Block)
}

/// An edit that adds the line `entry` (e.g. `immutable: true`) to the block mapping `map`, just
/// before the entry whose key is `before` (which must be a key of `map`), at the same
/// indentation. `None` when `map` is not a block mapping (a new key in a flow mapping or JSON
/// would need a comma and is not attempted), or `before` is not one of its keys, or the key is
/// not the first thing written at its position (an anchor or tag before it).
pub fn insert_entry_before(map: &Node<'_>, before: &Node<'_>, entry: &str) -> Option<Edit> {
    if !is_block_mapping(map) {
        return None;
    }
    let entries = map.entries();
    let own = entries.iter().any(|e| std::ptr::eq(&e.key, before));
    if !own || !is_plain_or_quoted_key(before) || before.span.line == 0 || before.span.col == 0 {
        return None;
    }
    // Keys merged from elsewhere (`<<: *base`) point into another mapping: their position is not
    // a place in this one.
    if before.span.line < map.span.line
        || (before.span.line == map.span.line && before.span.col < map.span.col)
        || before.span.line > map.span.end_line
    {
        return None;
    }
    // Every key of a block mapping starts at the same column.
    if entries.iter().any(|e| e.key.span.col != map.span.col) {
        return None;
    }
    let indent = " ".repeat(before.span.col as usize - 1);
    Some(Edit::insert(
        before.span.line,
        before.span.col,
        format!("{entry}\n{indent}"),
    ))
}

/// Why edits could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixError {
    /// An edit points outside the text (the text changed since the findings were computed).
    OutOfRange(Edit),
    /// An edit ends before it starts.
    Inverted(Edit),
    /// Two edits of one fix overlap.
    Overlap(Edit, Edit),
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixError::OutOfRange(e) => write!(
                f,
                "edit at {}:{}-{}:{} is outside the text",
                e.line, e.column, e.end_line, e.end_column
            ),
            FixError::Inverted(e) => write!(
                f,
                "edit at {}:{}-{}:{} ends before it starts",
                e.line, e.column, e.end_line, e.end_column
            ),
            FixError::Overlap(a, b) => write!(
                f,
                "edits at {}:{} and {}:{} overlap",
                a.line, a.column, b.line, b.column
            ),
        }
    }
}

impl std::error::Error for FixError {}

/// Byte offsets of line starts, and the text, to turn (line, column) into byte offsets.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Byte offset of 1-based `line`:`column` (columns count characters; the column just past
    /// the end of a line, and line `n + 1` column 1 at the end of the text, are valid).
    fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let l = usize::try_from(line).ok()?.checked_sub(1)?;
        let c = usize::try_from(column).ok()?.checked_sub(1)?;
        let start = *self.starts.get(l)?;
        let end = match self.starts.get(l + 1) {
            Some(next) => next - 1,
            None => self.text.len(),
        };
        let line_text = self.text.get(start..end)?;
        if c == 0 {
            return Some(start);
        }
        let mut chars = line_text.char_indices();
        match chars.nth(c) {
            Some((i, _)) => Some(start + i),
            // Just past the last character.
            None if line_text.chars().count() == c => Some(end),
            None => None,
        }
    }
}

/// Apply `edits` (all to `text`; none may overlap another, identical edits count once).
pub fn apply_edits(text: &str, edits: &[&Edit]) -> Result<String, FixError> {
    let index = LineIndex::new(text);
    let mut resolved: Vec<(usize, usize, &Edit)> = Vec::with_capacity(edits.len());
    for e in edits {
        if e.end() < e.start() {
            return Err(FixError::Inverted((*e).clone()));
        }
        let start = index
            .offset(e.line, e.column)
            .ok_or_else(|| FixError::OutOfRange((*e).clone()))?;
        let end = index
            .offset(e.end_line, e.end_column)
            .ok_or_else(|| FixError::OutOfRange((*e).clone()))?;
        resolved.push((start, end, e));
    }
    resolved.sort_by_key(|&(s, e, _)| (s, e));
    resolved.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1 && a.2 == b.2);
    for pair in resolved.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        // Two insertions at one point, or a region overlapping the next, are ambiguous.
        if b.0 < a.1 || (b.0 == a.0 && a.0 == a.1) {
            return Err(FixError::Overlap(a.2.clone(), b.2.clone()));
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (start, end, e) in resolved {
        out.push_str(&text[at..start]);
        out.push_str(&e.replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The result of [`apply_fixes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The text with the fixes applied.
    pub text: String,
    /// Findings (rule ids, in input order) whose fix was applied.
    pub applied: Vec<&'static str>,
    /// Findings whose fix was left out: it conflicts with an earlier finding's fix or points
    /// outside the text.
    pub skipped: Vec<&'static str>,
}

/// Apply the fixes of `findings` (which must all be about `text`; findings without a fix are
/// ignored). A fix whose edits overlap an already accepted fix, or are invalid, is skipped.
pub fn apply_fixes<'f>(text: &str, findings: impl IntoIterator<Item = &'f Finding>) -> Fixed {
    let index = LineIndex::new(text);
    let mut accepted: Vec<(usize, usize, &Edit)> = vec![];
    let mut applied = vec![];
    let mut skipped = vec![];
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        let mut mine: Vec<(usize, usize, &Edit)> = vec![];
        let mut ok = !fix.edits.is_empty();
        for e in &fix.edits {
            match (
                index.offset(e.line, e.column),
                index.offset(e.end_line, e.end_column),
            ) {
                (Some(s), Some(end)) if s <= end => mine.push((s, end, e)),
                _ => ok = false,
            }
        }
        let conflicts = |a: &(usize, usize, &Edit), b: &(usize, usize, &Edit)| {
            if a.0 == b.0 && a.1 == b.1 && a.2 == b.2 {
                return false; // the same edit: applied once
            }
            let both_insert_same_point = a.0 == a.1 && b.0 == b.1 && a.0 == b.0;
            both_insert_same_point || (a.0 < b.1 && b.0 < a.1)
        };
        ok = ok
            && !mine
                .iter()
                .any(|m| accepted.iter().any(|a| conflicts(m, a)))
            && !mine
                .iter()
                .enumerate()
                .any(|(i, m)| mine[i + 1..].iter().any(|n| conflicts(m, n)));
        if ok {
            for m in mine {
                if !accepted
                    .iter()
                    .any(|a| a.0 == m.0 && a.1 == m.1 && a.2 == m.2)
                {
                    accepted.push(m);
                }
            }
            applied.push(f.rule);
        } else {
            skipped.push(f.rule);
        }
    }
    let edits: Vec<&Edit> = accepted.iter().map(|a| a.2).collect();
    // Accepted edits do not overlap and are inside the text, so this cannot fail; if it did,
    // the text is returned unchanged.
    let text = apply_edits(text, &edits).unwrap_or_else(|_| text.to_string());
    Fixed {
        text,
        applied,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_documents, Limits};

    fn first_root(text: &str) -> Node<'static> {
        let mut root = None;
        parse_documents(text, &Limits::default(), |d| {
            if root.is_none() {
                root = d.ok().map(|d| d.root.into_owned());
            }
        });
        root.expect("a document")
    }

    fn e(line: u32, column: u32, end_line: u32, end_column: u32, r: &str) -> Edit {
        Edit {
            line,
            column,
            end_line,
            end_column,
            replacement: r.into(),
        }
    }

    #[test]
    fn block_and_flow_mappings() {
        let block = first_root("a: 1\nb:\n  c: 2\n");
        assert!(is_block_mapping(&block));
        assert!(is_block_mapping(block.get("b").unwrap()));
        let flow = first_root("{a: 1, b: {c: 2}}\n");
        assert!(!is_block_mapping(&flow));
        assert!(!is_block_mapping(flow.get("b").unwrap()));
        let json = first_root("{\n  \"a\": 1,\n  \"b\": 2\n}\n");
        assert!(!is_block_mapping(&json));
        let in_seq = first_root("- a: 1\n  b: 2\n");
        assert!(is_block_mapping(&in_seq.items()[0]));
        let flow_in_block = first_root("x: {a: 1}\n");
        assert!(!is_block_mapping(flow_in_block.get("x").unwrap()));
    }

    #[test]
    fn insert_before_a_key_keeps_indentation() {
        let text = "kind: Secret\nmetadata:\n  name: x\ndata:\n  k: dg==\n";
        let root = first_root(text);
        let before = root.key_node("data").unwrap();
        let edit = insert_entry_before(&root, before, "immutable: true").unwrap();
        let out = apply_edits(text, &[&edit]).unwrap();
        assert_eq!(
            out,
            "kind: Secret\nmetadata:\n  name: x\nimmutable: true\ndata:\n  k: dg==\n"
        );
        let nested = "- kind: Secret\n  data: {k: dg==}\n";
        let root = first_root(nested);
        let item = &root.items()[0];
        let edit = insert_entry_before(item, item.key_node("kind").unwrap(), "a: b").unwrap();
        assert_eq!(
            apply_edits(nested, &[&edit]).unwrap(),
            "- a: b\n  kind: Secret\n  data: {k: dg==}\n"
        );
        let flow = first_root("{kind: Secret, data: {k: dg==}}");
        assert!(insert_entry_before(&flow, flow.key_node("data").unwrap(), "a: b").is_none());
        // A key of another mapping is refused.
        let other = first_root("a: 1\nb:\n  c: 2\n");
        let inner = other.get("b").unwrap().key_node("c").unwrap();
        assert!(insert_entry_before(&other, inner, "x: y").is_none());
    }

    #[test]
    fn replace_scalar_keeps_quoting() {
        let root = first_root("a: x\nb: \"y\"\nc: 'z'\nd: |\n  w\n");
        let plain = Edit::replace_scalar(root.get("a").unwrap(), "new").unwrap();
        assert_eq!(plain.replacement, "new");
        assert_eq!((plain.line, plain.column, plain.end_column), (1, 4, 5));
        let quoted = Edit::replace_scalar(root.get("b").unwrap(), "new").unwrap();
        assert_eq!(quoted.replacement, "\"new\"");
        assert_eq!((quoted.column, quoted.end_column), (4, 7));
        let single = Edit::replace_scalar(root.get("c").unwrap(), "new").unwrap();
        assert_eq!((single.column, single.end_column), (4, 7));
        assert!(Edit::replace_scalar(root.get("d").unwrap(), "new").is_none());
        let text = "a: x\nb: \"y\"\nc: 'z'\nd: |\n  w\n";
        assert_eq!(
            apply_edits(text, &[&plain, &quoted, &single]).unwrap(),
            "a: new\nb: \"new\"\nc: \"new\"\nd: |\n  w\n"
        );
    }

    #[test]
    fn apply_edits_positions_and_errors() {
        let text = "héllo\nwörld";
        assert_eq!(
            apply_edits(text, &[&e(1, 2, 1, 3, "e"), &e(2, 6, 2, 6, "!")]).unwrap(),
            "hello\nwörld!"
        );
        // Identical edits apply once.
        let x = e(1, 1, 1, 1, ">");
        assert_eq!(apply_edits(text, &[&x, &x]).unwrap(), ">héllo\nwörld");
        assert!(matches!(
            apply_edits(text, &[&e(1, 1, 1, 4, "a"), &e(1, 3, 1, 5, "b")]),
            Err(FixError::Overlap(..))
        ));
        assert!(matches!(
            apply_edits(text, &[&e(1, 1, 1, 1, "a"), &e(1, 1, 1, 1, "b")]),
            Err(FixError::Overlap(..))
        ));
        for bad in [
            e(3, 2, 3, 2, ""),
            e(1, 8, 1, 8, ""),
            e(0, 1, 1, 1, ""),
            e(1, 0, 1, 1, ""),
            e(u32::MAX, u32::MAX, u32::MAX, u32::MAX, ""),
        ] {
            assert!(
                matches!(apply_edits(text, &[&bad]), Err(FixError::OutOfRange(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(
            apply_edits(text, &[&e(2, 3, 1, 1, "")]),
            Err(FixError::Inverted(_))
        ));
        // End of text after a final newline.
        assert_eq!(apply_edits("a\n", &[&e(2, 1, 2, 1, "b")]).unwrap(), "a\nb");
    }
}
