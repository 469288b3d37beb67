//! The React DevTools profile reader, operations decoding and the profile rules.
#![no_main]

use harscope_core::profile::{self, ProfileOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = profile::parse(data) {
        let _ = profile::analyze(&parsed, Some("fuzz.json"), &ProfileOptions::default());
    }
});
