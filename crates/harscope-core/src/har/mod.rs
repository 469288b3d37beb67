//! Reading HAR captures (1.1, 1.2, 1.3) from every producer we know of.

mod error;
pub mod lenient;
mod model;
mod owned;
mod response;
mod stream;
pub mod time;
pub mod utf16;

pub use error::ParseError;
pub use model::*;
pub use stream::{parse_in_chunks, ChunkReader, Finished};

use crate::json;

/// Reads a HAR capture, borrowing strings from `bytes`.
///
/// Skips a UTF-8 byte-order mark; keeps no JSON tree and no bodies but a bounded excerpt of
/// failed responses.
pub fn parse(bytes: &[u8]) -> Result<Har<'_>, ParseError> {
    parse_with_progress(bytes, &mut |_| {})
}

/// Like [`parse`], calling `progress` with the number of bytes read so far, about every MiB
/// (for a progress bar: the total is `bytes.len()`).
pub fn parse_with_progress<'a>(
    bytes: &'a [u8],
    progress: &mut dyn FnMut(usize),
) -> Result<Har<'a>, ParseError> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let bytes = &bytes[bom..];
    sniff(bytes)?;
    model::entry_budget(bytes.len());
    let mut report = |at: usize| progress(at + bom);
    let de = json::Deserializer::new(bytes).with_progress(&mut report);
    match json::from_deserializer::<model::Document>(de) {
        Ok(doc) => {
            progress(bom + bytes.len());
            Ok(doc.log)
        }
        Err(err) => Err(explain(bytes, &err)),
    }
}

/// Catches inputs that are not JSON text at all before the JSON parser gives a cryptic message.
fn sniff(bytes: &[u8]) -> Result<(), ParseError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    sniff_start(bytes)
}

/// How much of an input's start [`sniff_start`] looks at.
pub const SNIFF_LEN: usize = 1024;

/// What the first [`SNIFF_LEN`] bytes of an input (after a UTF-8 byte-order mark) tell: a
/// compressed or archived file, UTF-16 text, binary data (none of which starts with `{`, so
/// none is a document the chunk reader reads itself). These errors are the whole-file
/// reader's too, so a reader of a stream can stop at the first chunk.
pub fn sniff_start(bytes: &[u8]) -> Result<(), ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ParseError::Gzip);
    }
    if utf16::detect(bytes).is_some() {
        return Err(ParseError::Utf16);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ParseError::Zip);
    }
    if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(ParseError::Zstd);
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    // What starts like JSON goes to the JSON reader, which says where it goes wrong (and
    // tolerates, in strings, control characters some producers write unescaped).
    if matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) {
        return Ok(());
    }
    // JSON text holds no control characters but whitespace, and is UTF-8 (a character cut
    // by the end of `head` is fine).
    let control = head
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
    let not_utf8 = std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if control || not_utf8 {
        let first: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
        return Err(ParseError::Binary(first.join(" ")));
    }
    Ok(())
}

/// The error with, for a data error, the JSON path where it happened.
fn explain(bytes: &[u8], err: &json::Error) -> ParseError {
    explain_json(bytes, err, "HAR")
}

/// `what` names the kind of document expected ("HAR", "React profile").
pub(crate) fn explain_json(bytes: &[u8], err: &json::Error, what: &str) -> ParseError {
    let path = (err.category == json::Category::Data)
        .then(|| json::path_at(bytes, err.offset.unwrap_or(0)))
        .flatten();
    ParseError::from_json(bytes, err, path, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_reported_in_order_up_to_the_whole_input() {
        let entry = r#"{"request": {"url": "https://a.example/", "method": "GET", "headers": []},
            "response": {"status": 200, "content": {"size": 10, "text": "BODY"}}}"#;
        let body = "x".repeat(40_000);
        let entries: Vec<String> = (0..100).map(|_| entry.replace("BODY", &body)).collect();
        let doc = format!(
            "\u{feff}{{\"log\": {{\"entries\": [{}]}}}}",
            entries.join(",")
        );
        let mut seen = Vec::new();
        let har = parse_with_progress(doc.as_bytes(), &mut |at| seen.push(at)).unwrap();
        assert_eq!(har.entries.len(), 100);
        assert!(seen.len() >= 4, "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!(*seen.last().unwrap(), doc.len());
    }

    #[test]
    fn millions_of_empty_entries_are_refused_not_allocated() {
        let doc = format!(
            "{{\"log\": {{\"entries\": [{}{{}}]}}}}",
            "{},".repeat(200_000)
        );
        let err = parse(doc.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("not entries a browser recorded"), "{err}");
        assert!(err.contains("log.entries"), "{err}");
        // The same count of real-sized entries is fine.
        assert!(parse(br#"{"log": {"entries": [{}, {}]}}"#).is_ok());
    }

    #[test]
    fn bodies_of_successful_responses_are_not_kept() {
        let doc = br#"{"log": {"entries": [
            {"response": {"status": 200, "content": {"text": "fine"}}},
            {"response": {"status": 500, "content": {"text": "broken"}}},
            {"response": {"content": {"text": "late status"}, "status": 204}}
        ]}}"#;
        let har = parse(doc).unwrap();
        let texts: Vec<Option<&str>> = har
            .entries
            .iter()
            .map(|e| e.response.content.text.as_ref().map(|t| t.text.as_ref()))
            .collect();
        assert_eq!(texts, vec![None, Some("broken"), None]);
    }
}
