//! Hooks that wrap browser APIs (debounce, local storage, keyboard shortcuts).
pub mod use_debounce;

pub use use_debounce::use_debounce;
