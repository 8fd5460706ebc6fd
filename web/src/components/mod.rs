//! The playground's components.
pub mod app;
pub mod findings;
