//! The playground's components.
pub mod app;
pub mod editor;
pub mod findings;
pub mod gallery;
pub mod header;
pub mod help;
pub mod modal;
pub mod rule_docs;
// Settings, admission preview, sharing, import/export and suggested fixes.
pub mod admission;
pub mod enc_cost;
pub mod enc_paste;
pub mod enc_rotation;
pub mod encryption;
pub mod fix;
pub mod import_export;
pub mod settings;
pub mod share;
// The views whose analyses run in the background worker.
pub mod access;
pub mod audit;
