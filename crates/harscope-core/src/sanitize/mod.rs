//! Sanitizing a capture for sharing: the same HAR with its secrets masked (see
//! [`crate::redact`]) and bodies dropped or kept as chosen. Everything else is left as written:
//! the document is copied byte for byte except each entry and page, which are rewritten with
//! their key order, numbers, producers' custom fields and unchanged strings exactly as they
//! were. One entry is held at a time, so a capture of any size streams through.

mod entry;
mod tree;

use std::io::Write;

use crate::har::{self, ParseError};
use crate::redact::{Redactions, Secrets};

/// Which bodies a sanitized capture keeps (text bodies kept are redacted too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bodies {
    /// None: every request and response body is dropped.
    None,
    /// Those of failed requests (HTTP 400 and above, or no response), which hold the
    /// server's message: a sanitized capture then analyzes to the same findings.
    #[default]
    Errors,
    /// All of them.
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SanitizeOptions {
    pub bodies: Bodies,
}

#[derive(Debug, thiserror::Error)]
pub enum SanitizeError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The reader accepted the capture but an entry or page could not be copied (a case the
    /// two readers see differently); `line:column` of where that unit starts.
    #[error("{line}:{column}: this entry or page could not be copied: {message}")]
    Structure {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("could not write the sanitized capture: {0}")]
    Write(#[from] std::io::Error),
}

/// `checkout.har` -> `checkout.sanitized.har`: the name a sanitized copy goes by.
pub fn sanitized_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    // The sanitized copy is written uncompressed.
    let base = base
        .len()
        .checked_sub(3)
        .filter(|&cut| base.is_char_boundary(cut) && base[cut..].eq_ignore_ascii_case(".gz"))
        .map_or(base, |cut| &base[..cut]);
    let stem = match base.rfind('.') {
        Some(dot) if dot > 0 => &base[..dot],
        _ => base,
    };
    let stem = if stem.is_empty() { "capture" } else { stem };
    format!("{stem}.sanitized.har")
}

/// Writes the sanitized capture to `out`; returns what was masked and dropped.
pub fn sanitize(
    input: &[u8],
    options: &SanitizeOptions,
    out: &mut dyn Write,
) -> Result<Redactions, SanitizeError> {
    // Read as a HAR first: bad input gets the reader's clear error, and the capture's own
    // secrets are learned so that their echoes anywhere are masked too.
    let secrets = Secrets::from_har(&har::parse(input)?);
    let mut counts = Redactions::default();
    let mut cx = entry::Context {
        secrets: &secrets,
        counts: &mut counts,
        bodies: options.bodies,
    };
    let mut walker = Walker::default();
    let mut copied = 0;
    let mut i = 0;
    let mut buffer = Vec::new();
    while i < input.len() {
        let b = input[i];
        if b == b'{' {
            if let Some(unit) = walker.unit() {
                out.write_all(&input[copied..i])?;
                let start = i;
                let mut node = tree::parse(input, &mut i).map_err(|message| {
                    let (line, column) = line_column(input, start);
                    SanitizeError::Structure {
                        line,
                        column,
                        message,
                    }
                })?;
                match unit {
                    Unit::Entry => entry::entry(&mut node, &mut cx),
                    Unit::Page => entry::page(&mut node, &mut cx),
                }
                buffer.clear();
                node.write(&mut buffer);
                out.write_all(&buffer)?;
                copied = i;
                continue;
            }
        }
        i = walker.step(input, i);
    }
    out.write_all(&input[copied..])?;
    Ok(counts)
}

impl SanitizeError {
    /// Line and column of a JSON error.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            SanitizeError::Parse(e) => e.position(),
            SanitizeError::Structure { line, column, .. } => Some((*line, *column)),
            SanitizeError::Write(_) => None,
        }
    }
}

fn line_column(input: &[u8], at: usize) -> (usize, usize) {
    let before = &input[..at.min(input.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Entry,
    Page,
}

#[derive(Debug)]
enum Frame {
    Object { key: Option<String> },
    Array,
}

/// Follows the document's structure far enough to know when a value is `log.entries[i]` or
/// `log.pages[i]`.
#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    expecting_key: bool,
}

impl Walker {
    /// The unit that starts here, if the next value is an element of `log.entries` or
    /// `log.pages`.
    fn unit(&self) -> Option<Unit> {
        match self.stack.as_slice() {
            [Frame::Object { key: Some(root) }, Frame::Object { key: Some(list) }, Frame::Array]
                if root == "log" =>
            {
                match list.as_str() {
                    "entries" => Some(Unit::Entry),
                    "pages" => Some(Unit::Page),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Consumes the token at `i`; returns where the next one starts.
    fn step(&mut self, input: &[u8], i: usize) -> usize {
        match input[i] {
            b'{' => {
                self.stack.push(Frame::Object { key: None });
                self.expecting_key = true;
            }
            b'[' => {
                self.stack.push(Frame::Array);
                self.expecting_key = false;
            }
            b'}' | b']' => {
                self.stack.pop();
                self.expecting_key = false;
            }
            b',' => {
                if let Some(Frame::Object { key }) = self.stack.last_mut() {
                    *key = None;
                    self.expecting_key = true;
                }
            }
            b':' => self.expecting_key = false,
            b'"' => {
                let mut j = i + 1;
                while j < input.len() && input[j] != b'"' {
                    j += if input[j] == b'\\' { 2 } else { 1 };
                }
                if self.expecting_key {
                    if let Some(Frame::Object { key }) = self.stack.last_mut() {
                        let raw = &input[i + 1..j.min(input.len())];
                        *key = Some(tree::Text::Written(raw).value().into_owned());
                    }
                }
                return j + 1;
            }
            _ => {}
        }
        i + 1
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sanitized_copies_are_named_after_the_capture() {
        for (name, expected) in [
            ("checkout.har", "checkout.sanitized.har"),
            ("dir/run.har.gz", "run.sanitized.har"),
            ("RUN.HAR.GZ", "RUN.sanitized.har"),
            (".har", ".har.sanitized.har"),
            ("", "capture.sanitized.har"),
            ("é.gz", "é.sanitized.har"),
        ] {
            assert_eq!(super::sanitized_name(name), expected, "{name}");
        }
    }
}
