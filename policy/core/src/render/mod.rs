//! Renderers of a [`crate::Report`]: text (rustc/miette style), JSON and SARIF 2.1.0.
//!
//! All renderers are pure functions (report in, string out) so that the CLI, the playground and
//! the admission policy render the same findings the same way.

pub mod json;
pub mod sarif;
pub mod text;
