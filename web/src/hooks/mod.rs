//! Hooks that wrap browser APIs (debounce, local storage, keyboard shortcuts).
