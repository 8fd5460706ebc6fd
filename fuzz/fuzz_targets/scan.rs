//! `cargo fuzz run scan`: see [`secrets_guard_fuzz::scan`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| secrets_guard_fuzz::scan(data));
