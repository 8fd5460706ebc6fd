//! The editor's pure text logic, free of the DOM so it is unit-tested natively:
//!
//! - [`tokens`]: a one-line YAML tokenizer for highlighting;
//! - [`lines`]: the line index, display widths, and conversions between the core's 1-based
//!   character columns, byte offsets and the textarea's UTF-16 offsets;
//! - [`indent`]: what Tab, Shift+Tab and Enter do to the text;
//! - [`viewport`]: which lines to render for a scroll position;
//! - [`layout`]: one line's highlighted tokens nested with the findings' underlines;
//! - [`diagnostics`]: the evaluation's findings and errors, indexed by line.

pub mod diagnostics;
pub mod indent;
pub mod layout;
pub mod lines;
pub mod tokens;
pub mod viewport;
