//! Entries read as the bytes arrive (the web app's way) give exactly what reading the whole
//! file gives: every fixture and shared-corpus capture, in chunks of several sizes, and every
//! prefix-truncated capture's error too.

use std::path::{Path, PathBuf};

use harscope_core::har::{self, EntryStream};

fn captures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in [
        "fixtures/scenarios/har",
        "fixtures/hand",
        "../shared/corpus/har",
    ] {
        let Ok(listing) = std::fs::read_dir(root.join(dir)) else {
            eprintln!("{dir}: absent, skipped");
            continue;
        };
        for e in listing {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "har") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn streamed(bytes: &[u8], chunk: usize) -> (String, usize) {
    let mut stream = EntryStream::new(bytes.len());
    let mut end = 0;
    while end < bytes.len() {
        end = (end + chunk).min(bytes.len());
        stream.feed(&bytes[..end]);
    }
    let read_early = stream.len();
    (
        format!("{:?}", stream.finish(bytes, &mut |_| {})),
        read_early,
    )
}

#[test]
fn streaming_reads_every_capture_as_parse_does() {
    for path in captures() {
        let bytes = std::fs::read(&path).unwrap();
        let reference = format!("{:?}", har::parse(&bytes));
        for chunk in [997, 65_536, usize::MAX / 2] {
            let (got, read_early) = streamed(&bytes, chunk);
            assert!(got == reference, "{} in chunks of {chunk}", path.display());
            // Every entry of a well-formed capture is read before the end arrives.
            let entries = har::parse(&bytes).map(|h| h.entries.len()).unwrap_or(0);
            assert_eq!(read_early, entries, "{}", path.display());
        }
    }
}

#[test]
fn a_truncated_capture_gets_the_same_error() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/scenarios/har/sample.har");
    let bytes = std::fs::read(path).unwrap();
    for tenth in 1..10 {
        let cut = &bytes[..bytes.len() * tenth / 10];
        let reference = format!("{:?}", har::parse(cut));
        assert!(reference.starts_with("Err"), "{reference}");
        assert_eq!(streamed(cut, 4096).0, reference);
    }
}
