//! The playground's components.
pub mod app;
pub mod editor;
pub mod findings;
// Settings, admission preview, sharing, import/export and suggested fixes.
pub mod admission;
pub mod fix;
pub mod import_export;
pub mod settings;
pub mod share;
