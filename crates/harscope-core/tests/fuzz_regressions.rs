//! Inputs the fuzzers found (fuzz/regressions/<target>/): each must now go through the same
//! checks as in its fuzz target without failing.

use std::path::Path;

use harscope_core::har;
use harscope_core::sanitize::{sanitize, Bodies, SanitizeOptions};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let Ok(listing) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = listing
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// `fuzz/fuzz_targets/har.rs`: streamed and whole reads agree.
fn check_har(data: &[u8]) {
    let chunk = 1 + data.first().map_or(0, |b| usize::from(*b) * 7);
    let batch = data.get(1).map_or(0, |b| usize::from(*b) * 31);
    assert_eq!(
        format!("{:?}", har::parse(data)),
        format!("{:?}", har::parse_in_chunks(data, chunk, batch))
    );
    // A sanitized capture is still a capture.
    let mut out = Vec::new();
    let options = SanitizeOptions {
        bodies: Bodies::All,
    };
    if sanitize(data, &options, &mut out).is_ok() {
        assert!(
            har::parse(&out).is_ok(),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
}

#[test]
fn har_regressions() {
    for (name, data) in inputs("har") {
        println!("{name}");
        check_har(&data);
    }
}
