//! Hooks that wrap browser APIs (debounce, local storage, keyboard shortcuts, the colour theme).
pub mod shortcuts;
pub mod storage;
pub mod theme;
pub mod use_debounce;

pub use use_debounce::use_debounce;
