//! A one-line YAML tokenizer for the editor's highlighting.
//!
//! "Light" on purpose: every line is tokenized on its own (so only the lines on screen are ever
//! tokenized), which is exact for the Kubernetes YAML people paste (block mappings and sequences,
//! flow collections on one line, quoted and plain scalars, comments, anchors, aliases, tags,
//! document markers) and approximate only inside multi-line constructs (the body of a `|` block
//! scalar or a quoted string spanning lines is highlighted as if it were YAML). Tokens index
//! characters (not bytes), like the core's columns. Characters no token covers are plain text.

/// What a token is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A mapping key (plain or quoted), without its `:`.
    Key,
    /// A quoted scalar.
    String,
    /// A plain scalar that reads as a number (`12`, `-1.5e3`, `0x1f`, `.inf`).
    Number,
    /// A plain scalar that reads as a boolean or null (`true`, `no`, `null`, `~`).
    Literal,
    /// Any other plain scalar.
    Value,
    /// `# …` to the end of the line.
    Comment,
    /// A document marker: `---` or `...` at the start of a line.
    Separator,
    /// A directive line: `%YAML 1.2`, `%TAG …`.
    Directive,
    /// `&name`.
    Anchor,
    /// `*name`.
    Alias,
    /// `!tag`, `!!str`, `!<verbatim>`.
    Tag,
    /// An indicator: `-`, `?`, `:`, `,`, brackets and braces, block scalar headers (`|-`, `>+2`).
    Punct,
}

impl TokenKind {
    /// The CSS class the editor gives the token's `<span>`.
    pub fn class(self) -> &'static str {
        match self {
            TokenKind::Key => "tok-key",
            TokenKind::String => "tok-string",
            TokenKind::Number => "tok-number",
            TokenKind::Literal => "tok-literal",
            TokenKind::Value => "tok-value",
            TokenKind::Comment => "tok-comment",
            TokenKind::Separator => "tok-separator",
            TokenKind::Directive => "tok-directive",
            TokenKind::Anchor => "tok-anchor",
            TokenKind::Alias => "tok-alias",
            TokenKind::Tag => "tok-tag",
            TokenKind::Punct => "tok-punct",
        }
    }
}

/// One token: characters `start..end` of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Tokenize one line (without its line break). Tokens are sorted and never overlap.
pub fn tokenize(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut t = Tokenizer {
        c: &chars,
        i: 0,
        flow: 0,
        json_key: false,
        out: Vec::new(),
    };
    t.run();
    t.out
}

struct Tokenizer<'c> {
    c: &'c [char],
    i: usize,
    /// Depth of `[`/`{` nesting on this line.
    flow: usize,
    /// A quoted key was just read in a flow collection: its `:` may touch the value.
    json_key: bool,
    out: Vec<Token>,
}

fn is_flow_indicator(c: char) -> bool {
    matches!(c, ',' | '[' | ']' | '{' | '}')
}

impl Tokenizer<'_> {
    fn push(&mut self, start: usize, end: usize, kind: TokenKind) {
        if end > start {
            self.out.push(Token { start, end, kind });
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        self.c.get(i).copied()
    }

    /// Whether the character at `i` ends a token as a separator: end of line, whitespace, or
    /// (inside a flow collection) a flow indicator.
    fn separates(&self, i: usize) -> bool {
        match self.at(i) {
            None => true,
            Some(c) => c.is_whitespace() || (self.flow > 0 && is_flow_indicator(c)),
        }
    }

    fn run(&mut self) {
        let n = self.c.len();
        if n == 0 {
            return;
        }
        if self.c[0] == '%' {
            self.push(0, n, TokenKind::Directive);
            return;
        }
        if n >= 3
            && (self.c[..3] == ['-', '-', '-'] || self.c[..3] == ['.', '.', '.'])
            && self.at(3).is_none_or(char::is_whitespace)
        {
            self.push(0, 3, TokenKind::Separator);
            self.i = 3;
        }
        while self.i < n {
            let i = self.i;
            let ch = self.c[i];
            if ch.is_whitespace() {
                self.i += 1;
                continue;
            }
            let json_key = std::mem::take(&mut self.json_key);
            match ch {
                ':' if json_key => {
                    self.push(i, i + 1, TokenKind::Punct);
                    self.i += 1;
                }
                '#' if i == 0 || self.c[i - 1].is_whitespace() => {
                    self.push(i, n, TokenKind::Comment);
                    self.i = n;
                }
                '-' | '?' | ':' if self.separates(i + 1) => {
                    self.push(i, i + 1, TokenKind::Punct);
                    self.i += 1;
                }
                '&' => self.name(TokenKind::Anchor),
                '*' => self.name(TokenKind::Alias),
                '!' => self.name(TokenKind::Tag),
                '|' | '>' if self.flow == 0 => {
                    let mut j = i + 1;
                    while self
                        .at(j)
                        .is_some_and(|c| c == '+' || c == '-' || c.is_ascii_digit())
                    {
                        j += 1;
                    }
                    self.push(i, j, TokenKind::Punct);
                    self.i = j;
                }
                '"' | '\'' => self.quoted(ch),
                '[' | '{' => {
                    self.flow += 1;
                    self.push(i, i + 1, TokenKind::Punct);
                    self.i += 1;
                }
                ']' | '}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.push(i, i + 1, TokenKind::Punct);
                    self.i += 1;
                }
                ',' if self.flow > 0 => {
                    self.push(i, i + 1, TokenKind::Punct);
                    self.i += 1;
                }
                _ => self.plain(),
            }
        }
    }

    /// An anchor, alias or tag: the indicator and the name up to a separator.
    fn name(&mut self, kind: TokenKind) {
        let start = self.i;
        let mut j = start + 1;
        while !self.separates(j) {
            j += 1;
        }
        self.push(start, j, kind);
        self.i = j;
    }

    /// A quoted scalar (to its closing quote or the end of the line); a key when a `:` follows.
    fn quoted(&mut self, quote: char) {
        let start = self.i;
        let mut j = start + 1;
        while let Some(c) = self.at(j) {
            if quote == '"' && c == '\\' {
                j += 2;
                continue;
            }
            if c == quote {
                if quote == '\'' && self.at(j + 1) == Some('\'') {
                    j += 2;
                    continue;
                }
                j += 1;
                break;
            }
            j += 1;
        }
        let end = j.min(self.c.len());
        self.i = end;
        let mut k = end;
        while self.at(k).is_some_and(|c| c == ' ' || c == '\t') {
            k += 1;
        }
        // After a quoted ("JSON-like") key in a flow collection the `:` may touch the value.
        let key = self.at(k) == Some(':') && (self.flow > 0 || self.separates(k + 1));
        self.json_key = key && self.flow > 0;
        self.push(
            start,
            end,
            if key {
                TokenKind::Key
            } else {
                TokenKind::String
            },
        );
    }

    /// A plain scalar: up to `: `, ` #`, the end of the line, or (in flow) a flow indicator.
    fn plain(&mut self) {
        let start = self.i;
        let mut end = start;
        let mut j = start;
        let mut key = false;
        while let Some(c) = self.at(j) {
            if c == ':' && self.separates(j + 1) {
                key = true;
                break;
            }
            if c == '#' && j > start && self.c[j - 1].is_whitespace() {
                break;
            }
            if self.flow > 0 && is_flow_indicator(c) {
                break;
            }
            j += 1;
            if !c.is_whitespace() {
                end = j;
            }
        }
        self.i = j;
        let kind = if key {
            TokenKind::Key
        } else {
            classify(&self.c[start..end])
        };
        self.push(start, end, kind);
    }
}

/// The kind of a plain (unquoted, non-key) scalar.
fn classify(text: &[char]) -> TokenKind {
    let s: String = text.iter().collect();
    // Booleans and null as YAML 1.1 (go-yaml, hence kubectl) reads them, plus YAML 1.2's.
    const LITERALS: &[&str] = &[
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ];
    if LITERALS.contains(&s.as_str()) {
        TokenKind::Literal
    } else if is_number(&s) {
        TokenKind::Number
    } else {
        TokenKind::Value
    }
}

fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| ('0'..='7').contains(&c));
    }
    // Decimal: digits, at most one `.`, an optional exponent; at least one digit before it.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|&c| c == '.').count();
    let mantissa_ok =
        digits > 0 && dots <= 1 && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.');
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::TokenKind::{
        Alias, Anchor, Comment, Directive, Key, Literal, Number, Punct, Separator, String, Tag,
        Value,
    };
    use super::*;

    /// `(text, kind)` of each token, for readable assertions.
    fn toks(line: &str) -> Vec<(std::string::String, TokenKind)> {
        let chars: Vec<char> = line.chars().collect();
        tokenize(line)
            .into_iter()
            .map(|t| (chars[t.start..t.end].iter().collect(), t.kind))
            .collect()
    }

    fn t(s: &str, k: TokenKind) -> (std::string::String, TokenKind) {
        (s.to_string(), k)
    }

    #[test]
    fn key_and_plain_value() {
        assert_eq!(
            toks("apiVersion: rbac.authorization.k8s.io/v1"),
            vec![
                t("apiVersion", Key),
                t(":", Punct),
                t("rbac.authorization.k8s.io/v1", Value)
            ]
        );
    }

    #[test]
    fn key_with_nothing_after_and_indentation() {
        assert_eq!(
            toks("    metadata:"),
            vec![t("metadata", Key), t(":", Punct)]
        );
    }

    #[test]
    fn sequence_items_flow_sequence_and_strings() {
        assert_eq!(
            toks("  - verbs: [\"get\", 'li''st', watch]"),
            vec![
                t("-", Punct),
                t("verbs", Key),
                t(":", Punct),
                t("[", Punct),
                t("\"get\"", String),
                t(",", Punct),
                t("'li''st'", String),
                t(",", Punct),
                t("watch", Value),
                t("]", Punct),
            ]
        );
    }

    #[test]
    fn flow_mapping_with_json_keys() {
        assert_eq!(
            toks("{\"a\":1, b: [x]}"),
            vec![
                t("{", Punct),
                t("\"a\"", Key),
                t(":", Punct),
                t("1", Number),
                t(",", Punct),
                t("b", Key),
                t(":", Punct),
                t("[", Punct),
                t("x", Value),
                t("]", Punct),
                t("}", Punct),
            ]
        );
    }

    #[test]
    fn comments_only_after_whitespace() {
        assert_eq!(
            toks("url: http://x/#frag # real comment"),
            vec![
                t("url", Key),
                t(":", Punct),
                t("http://x/#frag", Value),
                t("# real comment", Comment)
            ]
        );
        assert_eq!(toks("# whole line"), vec![t("# whole line", Comment)]);
        assert_eq!(
            toks("key: \"a # not a comment\" # comment"),
            vec![
                t("key", Key),
                t(":", Punct),
                t("\"a # not a comment\"", String),
                t("# comment", Comment)
            ]
        );
    }

    #[test]
    fn colon_inside_a_value_is_not_a_key() {
        assert_eq!(
            toks("endpoint: kms.example.com:12345"),
            vec![
                t("endpoint", Key),
                t(":", Punct),
                t("kms.example.com:12345", Value)
            ]
        );
    }

    #[test]
    fn document_markers_and_directives() {
        assert_eq!(toks("---"), vec![t("---", Separator)]);
        assert_eq!(
            toks("--- !!map # start"),
            vec![t("---", Separator), t("!!map", Tag), t("# start", Comment)]
        );
        assert_eq!(toks("..."), vec![t("...", Separator)]);
        assert_eq!(toks("----"), vec![t("----", Value)]);
        assert_eq!(toks("%YAML 1.2"), vec![t("%YAML 1.2", Directive)]);
    }

    #[test]
    fn anchors_aliases_tags_and_merge_keys() {
        assert_eq!(
            toks("base: &defaults {a: 1}"),
            vec![
                t("base", Key),
                t(":", Punct),
                t("&defaults", Anchor),
                t("{", Punct),
                t("a", Key),
                t(":", Punct),
                t("1", Number),
                t("}", Punct)
            ]
        );
        assert_eq!(
            toks("  <<: *defaults"),
            vec![t("<<", Key), t(":", Punct), t("*defaults", Alias)]
        );
        assert_eq!(
            toks("data: !!binary aGVsbG8="),
            vec![
                t("data", Key),
                t(":", Punct),
                t("!!binary", Tag),
                t("aGVsbG8=", Value)
            ]
        );
        assert_eq!(
            toks("[*a, *b]"),
            vec![
                t("[", Punct),
                t("*a", Alias),
                t(",", Punct),
                t("*b", Alias),
                t("]", Punct)
            ]
        );
    }

    #[test]
    fn block_scalar_headers() {
        assert_eq!(
            toks("script: |-"),
            vec![t("script", Key), t(":", Punct), t("|-", Punct)]
        );
        assert_eq!(
            toks("text: >+2 # folded"),
            vec![
                t("text", Key),
                t(":", Punct),
                t(">+2", Punct),
                t("# folded", Comment)
            ]
        );
    }

    #[test]
    fn numbers_and_literals() {
        for n in [
            "0", "-1", "+12", "3.14", "1e10", "-2.5E-3", "0x1F", "0o17", ".inf", "-.Inf", ".nan",
        ] {
            assert_eq!(toks(&format!("v: {n}"))[2], t(n, Number), "{n}");
        }
        for l in ["true", "False", "null", "~", "yes", "Off", "y"] {
            assert_eq!(toks(&format!("v: {l}"))[2], t(l, Literal), "{l}");
        }
        for v in [
            "1.2.3", "12a", "e5", "0x", "-x", "1e", "v1", "1_000", "nope",
        ] {
            assert_eq!(toks(&format!("v: {v}"))[2].1, Value, "{v}");
        }
    }

    #[test]
    fn multi_word_plain_values_trim_trailing_spaces() {
        assert_eq!(
            toks("note: hello  world   "),
            vec![t("note", Key), t(":", Punct), t("hello  world", Value)]
        );
    }

    #[test]
    fn keys_with_spaces_and_quoted_keys() {
        assert_eq!(
            toks("'my key' : x"),
            vec![t("'my key'", Key), t(":", Punct), t("x", Value)]
        );
        assert_eq!(
            toks("a key: b"),
            vec![t("a key", Key), t(":", Punct), t("b", Value)]
        );
    }

    #[test]
    fn unterminated_strings_and_escapes_stay_on_the_line() {
        assert_eq!(
            toks("k: \"a \\\" b"),
            vec![t("k", Key), t(":", Punct), t("\"a \\\" b", String)]
        );
        assert_eq!(toks("\"\\"), vec![t("\"\\", String)]);
    }

    #[test]
    fn non_ascii_text_is_indexed_by_characters() {
        let line = "név: „érték” # ünnep";
        let tokens = tokenize(line);
        assert_eq!(
            tokens,
            vec![
                Token {
                    start: 0,
                    end: 3,
                    kind: Key
                },
                Token {
                    start: 3,
                    end: 4,
                    kind: Punct
                },
                Token {
                    start: 5,
                    end: 12,
                    kind: Value
                },
                Token {
                    start: 13,
                    end: 20,
                    kind: Comment
                },
            ]
        );
    }

    #[test]
    fn tokens_are_sorted_and_disjoint_on_odd_input() {
        for line in [
            "- - - a",
            "? complex : x",
            "]]]}}} ,,, [[{",
            "&&& *** !!! ###",
            "\t\tkey:\tvalue",
            "a: b: c: d",
            "-\t-",
            "'''",
            ":",
            "k: |",
        ] {
            let tokens = tokenize(line);
            let n = line.chars().count();
            let mut pos = 0;
            for tok in &tokens {
                assert!(
                    tok.start >= pos && tok.end > tok.start && tok.end <= n,
                    "{line:?}: {tokens:?}"
                );
                pos = tok.end;
            }
        }
    }
}
