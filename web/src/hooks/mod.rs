//! Hooks that wrap browser APIs (local storage, keyboard shortcuts, the colour theme).
pub mod shortcuts;
pub mod storage;
pub mod theme;
