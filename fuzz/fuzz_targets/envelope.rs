//! `cargo fuzz run envelope`: see [`secrets_guard_fuzz::envelope`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| secrets_guard_fuzz::envelope(data));
