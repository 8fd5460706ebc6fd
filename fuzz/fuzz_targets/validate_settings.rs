//! `cargo fuzz run validate_settings`: see [`secrets_guard_fuzz::validate_settings`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| secrets_guard_fuzz::validate_settings(data));
