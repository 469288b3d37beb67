//! The HAR reader and everything run on what it reads: the rules, report links and
//! sanitizing. Differential too: reading entries as chunks arrive (the web app's way) must give
//! exactly what reading the whole input gives.
#![no_main]

use harscope_core::har;
use harscope_core::sanitize::{sanitize, Bodies, SanitizeOptions};
use harscope_core::{analyze, link, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = har::utf16::to_utf8(data) {
        assert!(std::str::from_utf8(&text).is_ok());
        let _ = har::parse(&text);
    }
    let whole = har::parse(data);
    // Chunks and batches of sizes taken from the input, so both small and large are tried.
    let chunk = 1 + data.first().map_or(0, |b| usize::from(*b) * 7);
    let batch = data.get(1).map_or(0, |b| usize::from(*b) * 31);
    let streamed = har::parse_in_chunks(data, chunk, batch);
    assert_eq!(format!("{whole:?}"), format!("{streamed:?}"));
    let Ok(capture) = whole else { return };
    let report = analyze(&capture, Some("fuzz.har"), &Options::default());
    let shared = link::share(&capture, &report);
    let (fragment, carried) = link::encode(&shared, 4000);
    assert_eq!(link::decode(&fragment).ok().as_ref(), Some(&carried));
    let mut out = Vec::new();
    if sanitize(
        data,
        &SanitizeOptions {
            bodies: Bodies::All,
        },
        &mut out,
    )
    .is_ok()
    {
        // A sanitized capture is still a capture.
        assert!(har::parse(&out).is_ok());
    }
});
