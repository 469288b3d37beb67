//! Reading HAR captures (1.1, 1.2, 1.3) from every producer we know of.

mod error;
pub mod lenient;
mod model;
mod response;
pub mod time;

pub use error::ParseError;
pub use model::*;

use crate::json;

/// Reads a HAR capture, borrowing strings from `bytes`.
///
/// Skips a UTF-8 byte-order mark; keeps no JSON tree and no bodies but a bounded excerpt of
/// failed responses.
pub fn parse(bytes: &[u8]) -> Result<Har<'_>, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    sniff(bytes)?;
    match json::from_slice::<model::Document>(bytes) {
        Ok(doc) => Ok(doc.log),
        Err(err) => Err(explain(bytes, &err)),
    }
}

/// Catches inputs that are not JSON text at all before the JSON parser gives a cryptic message.
fn sniff(bytes: &[u8]) -> Result<(), ParseError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ParseError::Gzip);
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(ParseError::Utf16);
    }
    Ok(())
}

/// Errors are rare, so the JSON path is found by a second, path-tracking parse only then.
fn explain(bytes: &[u8], err: &json::Error) -> ParseError {
    let path = (err.category == json::Category::Data)
        .then(|| {
            let mut de = json::Deserializer::new(bytes);
            serde_path_to_error::deserialize::<_, model::Document>(&mut de)
                .err()
                .map(|e| e.path().to_string())
        })
        .flatten();
    ParseError::from_json(bytes, err, path)
}
