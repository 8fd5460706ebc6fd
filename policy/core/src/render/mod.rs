//! Renderers of a [`crate::Report`]: text (rustc/miette style), JSON and SARIF 2.1.0.
