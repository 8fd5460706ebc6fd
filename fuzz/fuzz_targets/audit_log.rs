//! `cargo fuzz run audit_log`: see [`secrets_guard_fuzz::audit_log`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| secrets_guard_fuzz::audit_log(data));
