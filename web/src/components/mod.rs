//! The playground's components.
pub mod app;
pub mod findings;
pub mod gallery;
pub mod header;
pub mod help;
pub mod modal;
pub mod rule_docs;
