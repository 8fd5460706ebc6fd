//! `cargo fuzz run validate`: see [`secrets_guard_fuzz::validate`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| secrets_guard_fuzz::validate(data));
