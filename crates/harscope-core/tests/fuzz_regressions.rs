//! Inputs the fuzzers found (fuzz/regressions/<target>/): each must now go through the same
//! checks as in its fuzz target without failing.

use std::path::Path;

use harscope_core::har::{self, EntryStream};

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

/// `fuzz/fuzz_targets/har.rs`: streamed and whole reads agree, and what reads analyzes,
/// links and sanitizes.
fn check_har(data: &[u8]) {
    let whole = har::parse(data);
    let chunk = 1 + data.first().map_or(0, |b| usize::from(*b) * 7);
    let mut stream = EntryStream::new(data.len());
    let mut end = 0;
    while end < data.len() {
        end = (end + chunk).min(data.len());
        stream.feed(&data[..end]);
    }
    let streamed = stream.finish(data, &mut |_| {});
    assert_eq!(format!("{whole:?}"), format!("{streamed:?}"));
}

#[test]
fn har_regressions() {
    for (name, data) in inputs("har") {
        println!("{name}");
        check_har(&data);
    }
}
