//! What the editor's Tab, Shift+Tab and Enter keys do, as pure edits.
//!
//! Each function takes the textarea's value and its selection (UTF-16 offsets, as the browser
//! reports them) and returns an [`Edit`]: the range to replace, its replacement, and the
//! selection afterwards. The editor applies it with `document.execCommand("insertText")`, so the
//! browser's undo history keeps working; the edit therefore replaces as little as it can.

use super::lines::{byte_to_utf16, utf16_to_byte};
use super::tokens::{tokenize, TokenKind};

/// One level of indentation: two spaces (what Kubernetes YAML uses).
pub const INDENT: &str = "  ";

/// Replace `start..end` of the text with `insert`, then select `select_start..select_end` of
/// the new text. All offsets are UTF-16 code units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub insert: String,
    pub select_start: usize,
    pub select_end: usize,
}

/// Byte range of the whole lines a selection touches. A multi-line selection that ends at the
/// very start of a line does not touch that line (the usual editor rule after selecting lines).
fn touched_lines(text: &str, start: usize, end: usize) -> (usize, usize) {
    let first = text[..start].rfind('\n').map_or(0, |p| p + 1);
    let end = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let last_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
    (first, last_end)
}

/// Selection (UTF-16) as byte offsets, ordered.
fn bytes(text: &str, sel_start: usize, sel_end: usize) -> (usize, usize) {
    let a = utf16_to_byte(text, sel_start);
    let b = utf16_to_byte(text, sel_end);
    (a.min(b), a.max(b))
}

/// Tab: within one line, replace the selection with [`INDENT`]; across lines, indent every
/// touched line (empty lines stay empty) and select them.
pub fn tab(text: &str, sel_start: usize, sel_end: usize) -> Edit {
    let (a, b) = bytes(text, sel_start, sel_end);
    if !text[a..b].contains('\n') {
        let start = byte_to_utf16(text, a);
        let caret = start + INDENT.len();
        return Edit {
            start,
            end: byte_to_utf16(text, b),
            insert: INDENT.to_string(),
            select_start: caret,
            select_end: caret,
        };
    }
    let (first, last_end) = touched_lines(text, a, b);
    let block = &text[first..last_end];
    let insert = block
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                l.to_string()
            } else {
                format!("{INDENT}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    block_edit(text, first, last_end, insert)
}

fn block_edit(text: &str, first: usize, last_end: usize, insert: String) -> Edit {
    let start = byte_to_utf16(text, first);
    let end = byte_to_utf16(text, last_end);
    let select_end = start + super::lines::utf16_len(&insert);
    Edit {
        start,
        end,
        insert,
        select_start: start,
        select_end,
    }
}

/// How many leading bytes Shift+Tab removes from `line`: up to one indentation level of
/// spaces, or one leading tab.
fn dedent_width(line: &str) -> usize {
    if line.starts_with('\t') {
        return 1;
    }
    line.bytes()
        .take(INDENT.len())
        .take_while(|&b| b == b' ')
        .count()
}

/// Shift+Tab: remove one indentation level from every touched line. `None` when no line is
/// indented (nothing to do). Within one line the selection moves with the text; across lines
/// the touched lines are selected.
pub fn shift_tab(text: &str, sel_start: usize, sel_end: usize) -> Option<Edit> {
    let (a, b) = bytes(text, sel_start, sel_end);
    let (first, last_end) = touched_lines(text, a, b);
    let block = &text[first..last_end];
    if !block.split('\n').any(|l| dedent_width(l) > 0) {
        return None;
    }
    if !text[a..b].contains('\n') {
        // One line: replace only its indentation, and keep the selection on the same text.
        let removed = dedent_width(block);
        let line_start = byte_to_utf16(text, first);
        let shift = |p: usize| line_start.max(p.saturating_sub(removed));
        let (s, e) = (byte_to_utf16(text, a), byte_to_utf16(text, b));
        return Some(Edit {
            start: line_start,
            end: line_start + removed,
            insert: String::new(),
            select_start: shift(s),
            select_end: shift(e),
        });
    }
    let insert = block
        .split('\n')
        .map(|l| &l[dedent_width(l)..])
        .collect::<Vec<_>>()
        .join("\n");
    Some(block_edit(text, first, last_end, insert))
}

/// Enter: a line break, then the current line's indentation (up to the caret), plus one level
/// when the text before the caret ends a mapping key (`key:`) or a block scalar header
/// (`key: |`), comments aside.
pub fn enter(text: &str, sel_start: usize, sel_end: usize) -> Edit {
    let (a, b) = bytes(text, sel_start, sel_end);
    let line_start = text[..a].rfind('\n').map_or(0, |p| p + 1);
    let before = &text[line_start..a];
    let indent_len = before.len() - before.trim_start_matches([' ', '\t']).len();
    let mut insert = format!("\n{}", &before[..indent_len]);
    if opens_block(before) {
        insert.push_str(INDENT);
    }
    let start = byte_to_utf16(text, a);
    let caret = start + super::lines::utf16_len(&insert);
    Edit {
        start,
        end: byte_to_utf16(text, b),
        insert,
        select_start: caret,
        select_end: caret,
    }
}

/// Whether the line so far ends with a `:` indicator or a block scalar header (`|`, `>-`).
fn opens_block(line: &str) -> bool {
    let tokens = tokenize(line);
    let chars: Vec<char> = line.chars().collect();
    match tokens.iter().rev().find(|t| t.kind != TokenKind::Comment) {
        Some(t) if t.kind == TokenKind::Punct => matches!(chars[t.start], ':' | '|' | '>'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apply an edit the way the browser does, returning the new text and selection
    /// (offsets are ASCII in these tests unless said otherwise).
    fn apply(text: &str, e: &Edit) -> (String, usize, usize) {
        let a = utf16_to_byte(text, e.start);
        let b = utf16_to_byte(text, e.end);
        let new = format!("{}{}{}", &text[..a], e.insert, &text[b..]);
        (new, e.select_start, e.select_end)
    }

    /// Text with `^` marking the caret or `[`…`]` a selection, to offsets.
    fn parse(marked: &str) -> (String, usize, usize) {
        if let Some(p) = marked.find('^') {
            let text = marked.replacen('^', "", 1);
            let u = byte_to_utf16(&text, p);
            return (text, u, u);
        }
        let s = marked.find('[').unwrap();
        let text = marked.replacen('[', "", 1);
        let e = text.find(']').unwrap();
        let text = text.replacen(']', "", 1);
        (
            text.clone(),
            byte_to_utf16(&text, s),
            byte_to_utf16(&text, e),
        )
    }

    fn mark(text: &str, s: usize, e: usize) -> String {
        let (a, b) = (utf16_to_byte(text, s), utf16_to_byte(text, e));
        if a == b {
            format!("{}^{}", &text[..a], &text[a..])
        } else {
            format!("{}[{}]{}", &text[..a], &text[a..b], &text[b..])
        }
    }

    fn run(f: impl Fn(&str, usize, usize) -> Edit, marked: &str) -> String {
        let (text, s, e) = parse(marked);
        let edit = f(&text, s, e);
        let (new, s, e) = apply(&text, &edit);
        mark(&new, s, e)
    }

    fn run_opt(f: impl Fn(&str, usize, usize) -> Option<Edit>, marked: &str) -> Option<String> {
        let (text, s, e) = parse(marked);
        f(&text, s, e).map(|edit| {
            let (new, s, e) = apply(&text, &edit);
            mark(&new, s, e)
        })
    }

    #[test]
    fn tab_inserts_two_spaces_at_the_caret() {
        assert_eq!(run(tab, "a:\n^b"), "a:\n  ^b");
        assert_eq!(run(tab, "ab^c"), "ab  ^c");
    }

    #[test]
    fn tab_replaces_a_selection_within_a_line() {
        assert_eq!(run(tab, "a[bc]d"), "a  ^d");
    }

    #[test]
    fn tab_indents_every_touched_line_and_selects_them() {
        assert_eq!(run(tab, "x\na: [1\n\nb]: 2\ny"), "x\n[  a: 1\n\n  b: 2]\ny");
    }

    #[test]
    fn a_selection_ending_at_a_line_start_leaves_that_line_alone() {
        assert_eq!(run(tab, "[a\nb\n]c"), "[  a\n  b]\nc");
    }

    #[test]
    fn shift_tab_dedents_the_caret_line_and_keeps_the_caret_on_its_text() {
        assert_eq!(run_opt(shift_tab, "    ke^y: v").unwrap(), "  ke^y: v");
        assert_eq!(run_opt(shift_tab, " k^ey").unwrap(), "k^ey");
        assert_eq!(
            run_opt(shift_tab, "x\n  ^ k").unwrap(),
            "x\n^ k",
            "caret inside the indentation"
        );
        assert_eq!(run_opt(shift_tab, "\tk^").unwrap(), "k^");
    }

    #[test]
    fn shift_tab_dedents_touched_lines_by_one_level_at_most() {
        assert_eq!(
            run_opt(shift_tab, "[    a\n b\nc\n  d]").unwrap(),
            "[  a\nb\nc\nd]"
        );
    }

    #[test]
    fn shift_tab_with_nothing_indented_does_nothing() {
        assert_eq!(run_opt(shift_tab, "a^b"), None);
        assert_eq!(run_opt(shift_tab, "[a\nb]"), None);
    }

    #[test]
    fn enter_keeps_the_indentation() {
        assert_eq!(run(enter, "  name: x^"), "  name: x\n  ^");
        assert_eq!(run(enter, "  - a^"), "  - a\n  ^");
        assert_eq!(run(enter, "top^"), "top\n^");
    }

    #[test]
    fn enter_after_a_key_or_block_header_indents_one_more_level() {
        assert_eq!(run(enter, "  metadata:^"), "  metadata:\n    ^");
        assert_eq!(
            run(enter, "- rules: # the rules^"),
            "- rules: # the rules\n  ^"
        );
        assert_eq!(run(enter, "script: |-^"), "script: |-\n  ^");
        assert_eq!(
            run(enter, "url: http://x^"),
            "url: http://x\n^",
            "a colon inside a value is not a key"
        );
        assert_eq!(run(enter, "k: \"a:\"^"), "k: \"a:\"\n^");
    }

    #[test]
    fn enter_inside_the_indentation_and_over_a_selection() {
        assert_eq!(run(enter, "    ^x"), "    \n    ^x");
        assert_eq!(run(enter, "  ^  x"), "  \n  ^  x");
        assert_eq!(run(enter, "  a: x[b]c"), "  a: x\n  ^c");
    }

    #[test]
    fn offsets_are_utf16_with_non_ascii_text() {
        // "😀" is two UTF-16 units; the edit and the selection must count them.
        let text = "k: 😀\n  v: é";
        let caret = byte_to_utf16(text, text.len());
        let e = enter(text, caret, caret);
        assert_eq!(e.start, 12);
        assert_eq!(e.insert, "\n  ");
        assert_eq!(e.select_start, 15);
        let e = tab(text, 0, caret);
        let (new, s, end) = apply(text, &e);
        assert_eq!(new, "  k: 😀\n    v: é");
        assert_eq!((s, end), (0, super::super::lines::utf16_len(&new)));
    }
}
