//! A serde JSON reader built for captures: borrows strings from the input, and skips what the
//! model ignores (bodies above all) at memory speed instead of decoding it.
//!
//! serde_json validates and walks every byte of a skipped string; on a capture that is mostly
//! bodies, that walk is the whole cost of reading it. This reader finds a skipped string's end
//! with [`scan::string_end`], and a skipped object or array's end by counting brackets between
//! strings. It is lenient inside skipped values (their structure is not checked beyond what
//! finding their end needs). What the model reads follows JSON's grammar, with four tolerances
//! real captures need: trailing commas, raw control characters in strings, invalid UTF-8
//! (replaced by U+FFFD) and lone surrogate escapes (likewise).

mod de;
mod error;
mod path;
mod scan;

pub use de::{from_deserializer, from_prefix, took_jump, Deserializer};
pub use error::{Category, Error};
pub use path::path_at;

/// Where the string whose content starts at `start` ends (the closing quote's index), found 64
/// bytes at a time; `None` when the input ends first.
pub fn string_end(buf: &[u8], start: usize) -> Option<usize> {
    scan::string_end(buf, start).map(|found| found.end)
}
