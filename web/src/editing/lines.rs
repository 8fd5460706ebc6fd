//! Lines of the editor's text, and positions in three units:
//!
//! - the core reports 1-based lines and columns that count **characters** (Unicode scalar
//!   values; see `secrets_guard_core::yaml::Span`), after dropping a leading byte-order mark;
//! - Rust slices the text by **bytes**;
//! - the browser's `selectionStart`/`setSelectionRange` count **UTF-16 code units** (an emoji
//!   is one character but two units).
//!
//! The text given here is the textarea's value, whose line breaks are always `\n` (browsers
//! normalise `\r\n` and `\r`); [`normalize_newlines`] makes any other text look the same.

use std::borrow::Cow;

/// The width of a tab in columns (the editor's CSS `tab-size` is the same).
pub const TAB_SIZE: usize = 4;

const BOM: char = '\u{feff}';

/// `text` with `\r\n` and lone `\r` turned into `\n`, as a textarea shows it. YAML counts
/// either as one line break, so the core's line numbers are unchanged.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Where each line starts, and how wide the widest line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of each line's first character (line 1 starts after a byte-order mark).
    starts: Vec<usize>,
    /// Byte length of the text.
    len: usize,
    /// The widest line, in columns (see [`display_width`]).
    max_width: usize,
}

impl LineIndex {
    /// Index `text` (with `\n` line breaks). A trailing `\n` is followed by one more, empty,
    /// line, as in the textarea; the empty text has one empty line.
    pub fn new(text: &str) -> LineIndex {
        let first = if text.starts_with(BOM) {
            BOM.len_utf8()
        } else {
            0
        };
        let mut starts = vec![first];
        let mut max_width = 0;
        let mut line_start = first;
        for (i, b) in text.bytes().enumerate().skip(first) {
            if b == b'\n' {
                max_width = max_width.max(display_width(&text[line_start..i]));
                line_start = i + 1;
                starts.push(line_start);
            }
        }
        max_width = max_width.max(display_width(&text[line_start..]));
        LineIndex {
            starts,
            len: text.len(),
            max_width,
        }
    }

    /// Number of lines (at least 1).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The widest line's width in columns.
    pub fn max_width(&self) -> usize {
        self.max_width
    }

    /// Byte range of 0-based line `i` in the text, without its line break.
    pub fn byte_range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.starts[i];
        let end = match self.starts.get(i + 1) {
            Some(next) => next - 1,
            None => self.len,
        };
        start..end
    }

    /// 0-based line `i` of `text` (the text this index was built from), without its `\n`.
    pub fn line<'t>(&self, text: &'t str, i: usize) -> &'t str {
        &text[self.byte_range(i)]
    }

    /// The byte offset of a core position: 1-based `line` and character `column`, clamped to
    /// the text (a column past the end of its line gives the end of the line; a line past the
    /// end gives the end of the text).
    pub fn byte_offset(&self, text: &str, line: u32, column: u32) -> usize {
        let line = line.max(1) as usize;
        if line > self.line_count() {
            return self.len;
        }
        let range = self.byte_range(line - 1);
        let chars = column.saturating_sub(1) as usize;
        let within = text[range.clone()]
            .char_indices()
            .nth(chars)
            .map_or(range.end - range.start, |(b, _)| b);
        range.start + within
    }

    /// The UTF-16 offset (as `setSelectionRange` takes it) of a core position; see
    /// [`LineIndex::byte_offset`] for the clamping.
    pub fn utf16_offset(&self, text: &str, line: u32, column: u32) -> usize {
        utf16_len(&text[..self.byte_offset(text, line, column)])
    }

    /// The 0-based line holding byte offset `byte`.
    pub fn line_of_byte(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
    }
}

/// Number of UTF-16 code units of `s`.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The byte offset of UTF-16 offset `units` in `text`, clamped to the text. An offset inside a
/// surrogate pair (which a browser never reports) rounds down to the character's start.
pub fn utf16_to_byte(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (b, c) in text.char_indices() {
        let next = seen + c.len_utf16();
        if next > units {
            return b;
        }
        seen = next;
    }
    text.len()
}

/// The UTF-16 offset of byte offset `byte` (a character boundary) in `text`.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    utf16_len(&text[..byte.min(text.len())])
}

/// How many monospace columns `line` takes: a tab advances to the next multiple of
/// [`TAB_SIZE`], East Asian wide characters and emoji take two. An estimate (fonts differ),
/// used only to size the editor generously.
pub fn display_width(line: &str) -> usize {
    if line.is_ascii() && !line.contains('\t') {
        return line.len();
    }
    let mut w = 0;
    for c in line.chars() {
        w += match c {
            '\t' => TAB_SIZE - w % TAB_SIZE,
            c if is_wide(c) => 2,
            _ => 1,
        };
    }
    w
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_a_text() {
        let text = "a: 1\nb: 2\n\nc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let lines: Vec<&str> = (0..4).map(|i| idx.line(text, i)).collect();
        assert_eq!(lines, ["a: 1", "b: 2", "", "c"]);
        assert_eq!(idx.max_width(), 4);
    }

    #[test]
    fn trailing_newline_and_empty_text() {
        let idx = LineIndex::new("x\n");
        assert_eq!(idx.line_count(), 2);
        assert_eq!(idx.line("x\n", 1), "");
        let empty = LineIndex::new("");
        assert_eq!(empty.line_count(), 1);
        assert_eq!(empty.line("", 0), "");
        assert_eq!(empty.utf16_offset("", 3, 3), 0);
    }

    #[test]
    fn normalizes_crlf_and_cr() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert!(matches!(normalize_newlines("a\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn core_columns_count_characters_and_map_to_utf16() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units; columns count characters.
        let text = "k: é😀x\nnext: 😀😀 v";
        let idx = LineIndex::new(text);
        // Line 1 column 6 is the `x` (k, :, space, é, 😀, x).
        assert_eq!(idx.byte_offset(text, 1, 6), "k: é😀".len());
        assert_eq!(idx.utf16_offset(text, 1, 6), 3 + 1 + 2);
        // Line 2 column 10 is the `v`: 11 chars of line 1 + newline = 8 units + 1 on line 1.
        let line2_start_units = utf16_len("k: é😀x\n");
        assert_eq!(line2_start_units, 8);
        assert_eq!(idx.utf16_offset(text, 2, 10), 8 + utf16_len("next: 😀😀 "));
        assert_eq!(&text[idx.byte_offset(text, 2, 10)..], "v");
    }

    #[test]
    fn positions_are_clamped() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.byte_offset(text, 1, 99),
            2,
            "past the end of line 1: its end"
        );
        assert_eq!(
            idx.byte_offset(text, 9, 1),
            5,
            "past the last line: the end"
        );
        assert_eq!(idx.byte_offset(text, 0, 0), 0, "0 is treated as 1");
        assert_eq!(idx.byte_offset(text, 2, 1), 3);
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        // The core strips a leading BOM, so line 1 column 1 is the `a` after it.
        let text = "\u{feff}a: b\nc: d";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line(text, 0), "a: b");
        assert_eq!(idx.byte_offset(text, 1, 1), 3);
        assert_eq!(
            idx.utf16_offset(text, 1, 4),
            1 + 3,
            "the BOM is one UTF-16 unit in the textarea"
        );
        assert_eq!(idx.utf16_offset(text, 2, 1), 1 + 5);
    }

    #[test]
    fn utf16_and_bytes_round_trip() {
        let text = "aé😀b";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 1), 1);
        assert_eq!(utf16_to_byte(text, 2), 3);
        assert_eq!(
            utf16_to_byte(text, 3),
            3,
            "inside the surrogate pair: start of the emoji"
        );
        assert_eq!(utf16_to_byte(text, 4), 7);
        assert_eq!(utf16_to_byte(text, 5), 8);
        assert_eq!(utf16_to_byte(text, 50), 8);
        for b in [0, 1, 3, 7, 8] {
            assert_eq!(utf16_to_byte(text, byte_to_utf16(text, b)), b);
        }
    }

    #[test]
    fn line_of_byte() {
        let text = "ab\ncd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_of_byte(0), 0);
        assert_eq!(idx.line_of_byte(2), 0, "the newline belongs to its line");
        assert_eq!(idx.line_of_byte(3), 1);
        assert_eq!(idx.line_of_byte(6), 2);
    }

    #[test]
    fn display_widths() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("\tx"), TAB_SIZE + 1);
        assert_eq!(display_width("ab\tx"), TAB_SIZE + 1);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("é😀"), 3);
        assert_eq!(LineIndex::new("a\n日本語\nabcd").max_width(), 6);
    }
}
