//! The playground's components.
pub mod app;
pub mod editor;
pub mod findings;
