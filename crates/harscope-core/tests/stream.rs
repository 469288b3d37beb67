//! Entries read as the bytes arrive (the web app's way) give exactly what reading the whole
//! file gives: every fixture and shared-corpus capture, in chunks of several sizes, and every
//! prefix-truncated capture's error too.

use std::path::{Path, PathBuf};

use harscope_core::har::{self, ChunkReader, Finished};

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

/// The capture read in chunks (read whole when the reader hands it back), whether the reader
/// read it itself, and the most input bytes it held at once.
fn streamed(bytes: &[u8], chunk: usize, batch: usize) -> (String, bool, usize) {
    read_with(ChunkReader::with_batch(bytes.len(), batch), bytes, chunk)
}

fn read_with(mut reader: ChunkReader, bytes: &[u8], chunk: usize) -> (String, bool, usize) {
    let mut held = 0;
    for piece in bytes.chunks(chunk) {
        reader.push(piece).unwrap();
        held = held.max(reader.held());
    }
    match reader.finish() {
        Finished::Read(har) => (format!("{:?}", Ok::<_, har::ParseError>(har)), true, held),
        Finished::Whole(kept) => {
            assert_eq!(kept, bytes);
            (format!("{:?}", har::parse(bytes)), false, held)
        }
        Finished::ReadAgain => (format!("{:?}", har::parse(bytes)), false, held),
    }
}

#[test]
fn streaming_reads_every_capture_as_parse_does() {
    for path in captures() {
        let bytes = std::fs::read(&path).unwrap();
        let reference = format!("{:?}", har::parse(&bytes));
        for chunk in [997, 65_536, usize::MAX / 2] {
            for batch in [0, ChunkReader::DEFAULT_BATCH] {
                let (got, read_itself, held) = streamed(&bytes, chunk, batch);
                let at = format!("{} in chunks of {chunk}, batch {batch}", path.display());
                assert!(got == reference, "{at}");
                // Every well-formed capture is read by the chunk reader, not handed back.
                assert_eq!(read_itself, reference.starts_with("Ok"), "{at}");
                // What is held is the entry arriving and a chunk, not the file (bbc's 4.1 MB
                // and 1,050 entries: 22 KB at most).
                if chunk == 65_536 && batch == 0 && bytes.len() > 1_000_000 {
                    assert!(held < bytes.len() / 2, "{at}: {held}");
                }
            }
        }
    }
}

/// A decompressed stream's length is known only at its end.
#[test]
fn a_stream_of_unknown_length_reads_as_parse_does() {
    for path in captures() {
        let bytes = std::fs::read(&path).unwrap();
        let reference = format!("{:?}", har::parse(&bytes));
        for batch in [0, ChunkReader::DEFAULT_BATCH] {
            let (got, read_itself, _) =
                read_with(ChunkReader::of_unknown_length(batch), &bytes, 65_536);
            assert!(got == reference, "{} batch {batch}", path.display());
            assert_eq!(
                read_itself,
                reference.starts_with("Ok"),
                "{}",
                path.display()
            );
        }
    }
    // Dense tiny entries outrun a budget counted on the bytes so far: handed back, still right.
    let doc = format!(
        "{{\"log\": {{\"entries\": [{}{{}}]}}}}",
        "{},".repeat(30_000)
    );
    let (got, _, _) = read_with(ChunkReader::of_unknown_length(0), doc.as_bytes(), 1000);
    assert_eq!(got, format!("{:?}", har::parse(doc.as_bytes())));
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
        assert_eq!(streamed(cut, 4096, 0).0, reference);
        assert_eq!(streamed(cut, 4096, 1 << 20).0, reference);
    }
}
