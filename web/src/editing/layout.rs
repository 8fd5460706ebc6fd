//! One line of the highlighted layer: its tokens, nested inside the underlines of the findings
//! that cover them. Underlines that overlap without nesting are split so that the result is a
//! proper tree of elements (each underline element still belongs to exactly one finding).

use super::tokens::{Token, TokenKind};

/// A range of the line to underline: characters `start..end` (clipped to the line). Of two
/// marks on the same range, the one of higher `rank` goes inside (it is drawn last, so it shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub rank: u8,
}

/// A node of a rendered line. Ranges are 0-based character indices into the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text of one kind (`None`: not a token, plain text).
    Text {
        start: usize,
        end: usize,
        kind: Option<TokenKind>,
    },
    /// An underline for mark `mark` (an index into the slice given to [`layout`]).
    Underline { mark: usize, children: Vec<Piece> },
}

/// Lay out a line of `len` characters with its `tokens` (sorted, disjoint) and `marks` (in any
/// order). Wider underlines enclose narrower ones.
pub fn layout(len: usize, tokens: &[Token], marks: &[Mark]) -> Vec<Piece> {
    let mut items: Vec<Item> = marks
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let end = d.end.min(len);
            (d.start < end).then_some(Item {
                start: d.start,
                end,
                index: i,
            })
        })
        .collect();
    sort(&mut items, marks);
    build(0, len, items, tokens, marks)
}

#[derive(Debug, Clone, Copy)]
struct Item {
    start: usize,
    end: usize,
    index: usize,
}

fn sort(items: &mut [Item], marks: &[Mark]) {
    items.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(marks[a.index].rank.cmp(&marks[b.index].rank))
            .then(a.index.cmp(&b.index))
    });
}

/// Pieces for `start..end`, given the (sorted) underline items inside it.
fn build(
    start: usize,
    end: usize,
    items: Vec<Item>,
    tokens: &[Token],
    marks: &[Mark],
) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut pos = start;
    let mut rest = items;
    while !rest.is_empty() {
        let outer = rest.remove(0);
        text(&mut out, pos, outer.start, tokens);
        // Items starting inside `outer` become its children (cut at its end); the part of an
        // item that runs past `outer` waits for the next round.
        let mut children = Vec::new();
        let mut later = Vec::new();
        for it in rest.drain(..) {
            if it.start < outer.end {
                children.push(Item {
                    end: it.end.min(outer.end),
                    ..it
                });
                if it.end > outer.end {
                    later.push(Item {
                        start: outer.end,
                        ..it
                    });
                }
            } else {
                later.push(it);
            }
        }
        sort(&mut children, marks);
        sort(&mut later, marks);
        rest = later;
        out.push(Piece::Underline {
            mark: outer.index,
            children: build(outer.start, outer.end, children, tokens, marks),
        });
        pos = outer.end;
    }
    text(&mut out, pos, end, tokens);
    out
}

/// Text pieces for `start..end`, cut at token boundaries.
fn text(out: &mut Vec<Piece>, start: usize, end: usize, tokens: &[Token]) {
    let mut pos = start;
    let first = tokens.partition_point(|t| t.end <= start);
    for t in &tokens[first..] {
        if t.start >= end {
            break;
        }
        if t.start > pos {
            out.push(Piece::Text {
                start: pos,
                end: t.start,
                kind: None,
            });
            pos = t.start;
        }
        let e = t.end.min(end);
        if e > pos {
            out.push(Piece::Text {
                start: pos,
                end: e,
                kind: Some(t.kind),
            });
            pos = e;
        }
    }
    if end > pos {
        out.push(Piece::Text {
            start: pos,
            end,
            kind: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editing::tokens::tokenize;

    /// A mark with a name for the assertions.
    fn mark(start: usize, end: usize, rank: u8, name: &'static str) -> (Mark, &'static str) {
        (Mark { start, end, rank }, name)
    }

    /// A compact rendering: `rule{…}` for underlines, `kind:text` for tokens, `'text'` for
    /// plain text.
    fn show(line: &str, pieces: &[Piece], names: &[&str]) -> String {
        let chars: Vec<char> = line.chars().collect();
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text { start, end, kind } => {
                    let s: String = chars[*start..*end].iter().collect();
                    match kind {
                        Some(k) => format!("{}:{s}", &k.class()[4..]),
                        None => format!("'{s}'"),
                    }
                }
                Piece::Underline { mark, children } => {
                    format!("{}{{{}}}", names[*mark], show(line, children, names))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn render(line: &str, marks: &[(Mark, &'static str)]) -> String {
        let (marks, names): (Vec<Mark>, Vec<&str>) = marks.iter().copied().unzip();
        let pieces = layout(line.chars().count(), &tokenize(line), &marks);
        show(line, &pieces, &names)
    }

    #[test]
    fn tokens_without_underlines() {
        assert_eq!(
            render("  name: x # c", &[]),
            "'  ' key:name punct:: ' ' value:x ' ' comment:# c"
        );
    }

    #[test]
    fn underlines_cut_tokens() {
        let line = "    verbs: [\"get\", \"list\", \"watch\"]";
        let decos = [mark(12, 17, 2, "RBAC-002"), mark(19, 25, 3, "RBAC-001")];
        assert_eq!(
            render(line, &decos),
            "'    ' key:verbs punct:: ' ' punct:[ RBAC-002{string:\"get\"} punct:, ' ' \
             RBAC-001{string:\"list\"} punct:, ' ' string:\"watch\" punct:]"
        );
    }

    #[test]
    fn an_underline_inside_a_token() {
        assert_eq!(
            render("key: abcdef", &[mark(7, 9, 1, "X")]),
            "key:key punct:: ' ' value:ab X{value:cd} value:ef"
        );
    }

    #[test]
    fn nested_and_identical_underlines() {
        let decos = [
            mark(0, 5, 1, "WIDE"),
            mark(1, 3, 3, "NARROW"),
            mark(0, 5, 4, "SAME"),
        ];
        // SAME has WIDE's range and a higher rank: it goes inside.
        assert_eq!(
            render("abcde", &decos),
            "WIDE{SAME{value:a NARROW{value:bc} value:de}}"
        );
    }

    #[test]
    fn crossing_underlines_are_split() {
        let decos = [mark(0, 4, 1, "A"), mark(2, 6, 3, "B")];
        assert_eq!(
            render("abcdef", &decos),
            "A{value:ab B{value:cd}} B{value:ef}"
        );
    }

    #[test]
    fn underlines_are_clipped_to_the_line() {
        let decos = [mark(3, usize::MAX, 1, "TOEND"), mark(10, 12, 1, "PAST")];
        assert_eq!(render("ab: c", &decos), "key:ab punct:: TOEND{' ' value:c}");
    }

    #[test]
    fn the_pieces_cover_the_line_exactly_once() {
        let line = "  - {a: \"x\", b: [1, 2]} # é😀";
        let n = line.chars().count();
        let decos = [
            mark(2, 9, 1, "A"),
            mark(5, 20, 3, "B"),
            mark(0, 30, 0, "C"),
            mark(15, 16, 2, "D"),
        ];
        fn walk(p: &[Piece], out: &mut Vec<(usize, usize)>) {
            for x in p {
                match x {
                    Piece::Text { start, end, .. } => out.push((*start, *end)),
                    Piece::Underline { children, .. } => walk(children, out),
                }
            }
        }
        let marks: Vec<Mark> = decos.iter().map(|d| d.0).collect();
        let mut ranges = vec![];
        walk(&layout(n, &tokenize(line), &marks), &mut ranges);
        let mut pos = 0;
        for (s, e) in ranges {
            assert_eq!(s, pos);
            assert!(e > s);
            pos = e;
        }
        assert_eq!(pos, n);
    }
}
