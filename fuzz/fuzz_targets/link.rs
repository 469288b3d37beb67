//! The report link decoder: untrusted text from anyone, bounded and panic-free.
#![no_main]

use harscope_core::link;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(shared) = link::decode(&text) {
        // Whatever decodes encodes again.
        let _ = link::encode(&shared, usize::MAX);
    }
});
