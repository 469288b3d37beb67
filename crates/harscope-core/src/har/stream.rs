//! Reading a capture's entries while its bytes still arrive.
//!
//! The web app receives a file in chunks, and reading them costs about what parsing does.
//! [`EntryStream`] follows the document's structure as the chunks arrive, finds each complete
//! `log.entries[i]` object and reads it then, so that little is left to do when the last chunk
//! lands. [`EntryStream::finish`] reads the rest (creator, pages, ...) jumping over the entries
//! array it already read, and falls back to [`super::parse`] whenever the two views of the
//! document could differ (anything unusual: a key written with escapes, a repeated `log`, an
//! entry that is not an object, an entry that fails to read). The result is always exactly
//! what `parse` gives, errors included.

use super::model::{self, Entry, Har};
use super::{parse_with_progress, ParseError};
use crate::json;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Deeper nesting than this is left to the reference reader (which refuses it with a message).
const MAX_DEPTH: usize = 4096;

/// Entries read so far from a capture whose bytes arrive in order.
pub struct EntryStream<'a> {
    scanner: Scanner,
    entries: Vec<Entry<'a>>,
    budget: usize,
    broken: bool,
}

impl<'a> EntryStream<'a> {
    /// For a capture of `total_len` bytes (the same entry budget as [`super::parse`]).
    pub fn new(total_len: usize) -> Self {
        EntryStream {
            scanner: Scanner::default(),
            entries: Vec::new(),
            budget: model::entry_budget_for(total_len),
            broken: false,
        }
    }

    /// Reads the entries completed in `filled`, the input received so far. Each call's
    /// `filled` must start where the previous one did and be at least as long.
    pub fn feed(&mut self, filled: &'a [u8]) {
        if self.broken || filled.len() < BOM.len() {
            return;
        }
        let body = filled.strip_prefix(BOM).unwrap_or(filled);
        loop {
            match self.scanner.next(body) {
                Step::More => return,
                Step::Broken => {
                    self.give_up();
                    return;
                }
                // Most entries lie whole in what has arrived: read them in one pass.
                Step::EntryAt(start) => match json::from_prefix::<Entry>(body, start) {
                    Ok((entry, end)) if self.entries.len() < self.budget => {
                        self.entries.push(entry);
                        self.scanner.pos = end;
                    }
                    // Cut off by the end of what has arrived (or broken): follow it to its end,
                    // then read it from its exact span.
                    _ => self.scanner.enter_entry(),
                },
                Step::Entry(start, end) => {
                    let de = json::Deserializer::new(&body[start..end]);
                    match json::from_deserializer::<Entry>(de) {
                        Ok(entry) if self.entries.len() < self.budget => self.entries.push(entry),
                        _ => {
                            self.give_up();
                            return;
                        }
                    }
                }
            }
        }
    }

    fn give_up(&mut self) {
        self.broken = true;
        self.entries = Vec::new();
    }

    /// How many entries have been read.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The capture, once `bytes` (the whole input, which `feed` saw growing) is complete.
    pub fn finish(
        self,
        bytes: &'a [u8],
        progress: &mut dyn FnMut(usize),
    ) -> Result<Har<'a>, ParseError> {
        let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
        if let (false, Some((start, end))) = (self.broken, self.scanner.entries_array) {
            if self.scanner.done {
                if let Some(har) = model::parse_around_entries(body, start, end, self.entries) {
                    progress(bytes.len());
                    return Ok(har);
                }
            }
        }
        parse_with_progress(bytes, progress)
    }
}

/// Reads `bytes` as if they arrived `chunk` bytes at a time: for tests, fuzzing and warming up
/// the reader the way a file is read.
pub fn parse_in_chunks(bytes: &[u8], chunk: usize) -> Result<Har<'_>, ParseError> {
    let mut stream = EntryStream::new(bytes.len());
    let mut end = 0;
    while end < bytes.len() {
        end = (end + chunk.max(1)).min(bytes.len());
        stream.feed(&bytes[..end]);
    }
    stream.finish(bytes, &mut |_| {})
}

enum Step {
    /// An entry object starts here: the caller reads it, or calls `enter_entry` to have it
    /// followed.
    EntryAt(usize),
    /// An entry object spans `start..end`.
    Entry(usize, usize),
    /// Needs more input.
    More,
    /// The document is not one this reader follows safely.
    Broken,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    None,
    Log,
    Entries,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Object(Key),
    Array,
}

/// Follows the JSON structure byte by byte outside strings, and a string at a time inside
/// them (found by [`json::string_end`], 64 bytes at a time).
#[derive(Default)]
struct Scanner {
    pos: usize,
    stack: Vec<Frame>,
    expecting_key: bool,
    /// Inside a string: where its content starts, whether it is a key, where to resume.
    string: Option<(usize, bool, usize)>,
    entry_start: Option<usize>,
    log_seen: bool,
    entries_array_start: Option<usize>,
    /// `log.entries`'s span, once closed.
    entries_array: Option<(usize, usize)>,
    /// The top-level value is complete.
    done: bool,
    /// In the entries array, an entry may come next (after `[` or a comma).
    entry_expected: bool,
}

impl Scanner {
    fn in_entries_array(&self) -> bool {
        matches!(
            self.stack.as_slice(),
            [
                Frame::Object(Key::Log),
                Frame::Object(Key::Entries),
                Frame::Array
            ]
        )
    }

    /// Follows the entry object that starts at `pos` byte by byte.
    fn enter_entry(&mut self) {
        self.entry_start = Some(self.pos);
        self.stack.push(Frame::Object(Key::None));
        self.expecting_key = true;
        self.pos += 1;
    }

    fn next(&mut self, body: &[u8]) -> Step {
        while self.pos < body.len() && !self.done {
            if let Some((content, is_key, resume)) = self.string {
                let Some(found) = json::string_end(body, resume) else {
                    // Resume at a run of backslashes that ends the input: the byte before it is
                    // not a backslash, so the run's escapes are counted afresh correctly.
                    let trailing = body[content..]
                        .iter()
                        .rev()
                        .take_while(|&&b| b == b'\\')
                        .count();
                    self.string = Some((content, is_key, body.len() - trailing));
                    self.pos = body.len();
                    return Step::More;
                };
                self.string = None;
                self.pos = found + 1;
                if is_key && !self.key(&body[content..found]) {
                    return Step::Broken;
                }
                continue;
            }
            let b = body[self.pos];
            // In the entries array only objects, commas and whitespace belong (a string, a
            // colon or a number there is an error the reference reader reports).
            if self.in_entries_array()
                && !matches!(b, b'{' | b',' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                return Step::Broken;
            }
            match b {
                b'"' => {
                    let is_key =
                        self.expecting_key && matches!(self.stack.last(), Some(Frame::Object(_)));
                    self.string = Some((self.pos + 1, is_key, self.pos + 1));
                }
                b'{' => {
                    if self.in_entries_array() {
                        // Entries are separated by commas; the reference reader refuses `} {`.
                        if !std::mem::replace(&mut self.entry_expected, false) {
                            return Step::Broken;
                        }
                        return Step::EntryAt(self.pos);
                    }
                    if self.stack.len() == MAX_DEPTH {
                        return Step::Broken;
                    }
                    self.stack.push(Frame::Object(Key::None));
                    self.expecting_key = true;
                }
                b'[' => {
                    if self.in_entries_array() {
                        return Step::Broken;
                    }
                    if self.stack.len() == MAX_DEPTH {
                        return Step::Broken;
                    }
                    if matches!(
                        self.stack.as_slice(),
                        [Frame::Object(Key::Log), Frame::Object(Key::Entries)]
                    ) {
                        if self.entries_array_start.is_some() {
                            return Step::Broken;
                        }
                        self.entries_array_start = Some(self.pos);
                        self.entry_expected = true;
                    }
                    self.stack.push(Frame::Array);
                    self.expecting_key = false;
                }
                b'}' | b']' => {
                    let closing_entries = self.in_entries_array() && b == b']';
                    // A closer must match its opener, or the structure seen is not the
                    // document's (the reader would refuse it; the stream must not guess).
                    match (self.stack.pop(), b) {
                        (Some(Frame::Object(_)), b'}') | (Some(Frame::Array), b']') => {}
                        _ => return Step::Broken,
                    }
                    self.expecting_key = false;
                    self.pos += 1;
                    if closing_entries {
                        self.entries_array = self.entries_array_start.map(|s| (s, self.pos));
                    }
                    if self.stack.is_empty() {
                        self.done = true;
                    }
                    if b == b'}' && self.in_entries_array() {
                        if let Some(start) = self.entry_start.take() {
                            return Step::Entry(start, self.pos);
                        }
                    }
                    continue;
                }
                b',' => {
                    if self.in_entries_array() {
                        if std::mem::replace(&mut self.entry_expected, true) {
                            return Step::Broken;
                        }
                    } else if let Some(Frame::Object(key)) = self.stack.last_mut() {
                        *key = Key::None;
                        self.expecting_key = true;
                    }
                }
                b':' => self.expecting_key = false,
                b' ' | b'\t' | b'\n' | b'\r' => {}
                // A number or literal: fine anywhere but as an entry.
                _ => {
                    if self.in_entries_array() {
                        return Step::Broken;
                    }
                }
            }
            self.pos += 1;
        }
        Step::More
    }

    /// Records the key just read; false when the document is beyond what this follows.
    fn key(&mut self, raw: &[u8]) -> bool {
        let depth = self.stack.len();
        if depth <= 2 && raw.contains(&b'\\') {
            return false;
        }
        let key = match (depth, raw) {
            (1, b"log") => {
                if self.log_seen {
                    return false;
                }
                self.log_seen = true;
                Key::Log
            }
            (2, b"entries") if self.stack[0] == Frame::Object(Key::Log) => {
                if self.entries_array_start.is_some() {
                    return false;
                }
                Key::Entries
            }
            _ => Key::Other,
        };
        if let Some(Frame::Object(k)) = self.stack.last_mut() {
            *k = key;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `doc` in chunks of `chunk` bytes and compares with the reference reader.
    fn same_as_parse(doc: &[u8], chunk: usize) {
        let streamed = parse_in_chunks(doc, chunk);
        let reference = super::super::parse(doc);
        assert_eq!(
            format!("{streamed:?}"),
            format!("{reference:?}"),
            "chunk {chunk}: {}",
            String::from_utf8_lossy(&doc[..doc.len().min(200)])
        );
    }

    #[test]
    fn any_chunking_reads_what_parse_reads() {
        let docs: [&[u8]; 16] = [
            br#"{"log": {"version": "1.2", "pages": [{"id": "p"}], "entries": [{"request": {"url": "https://a.example/\"x\\\\"}, "response": {"status": 500, "content": {"text": "{\"error\": \"bad\\\"\"}"}}}, {"response": {"status": 200}}], "comment": "after"}}"#,
            b"\xEF\xBB\xBF{\"log\": {\"entries\": [{\"request\": {\"url\": \"https://b.example/\"}}]}}",
            br#"{"log": {"entries": []}}"#,
            br#"{"log": {"entries": [{}, 1]}}"#,
            br#"{"log": {"entries": [{}, [] ]}}"#,
            br#"{"log": {"entries": [{"a": 1}], "entries": [{"b": 2}]}}"#,
            br#"{"log": {"entries": [{"a": 1}]}, "log": {"entries": []}}"#,
            br#"{"l\u006fg": {"entries": [{"request": {"url": "x"}}]}}"#,
            br#"{"log": {"entries": [{"request": {"url": 5}}]}}"#,
            br#"{"log": {"entries": [{"response": {"status": 200}}]}} trailing"#,
            br#"{"log": {"entries": [{"response": {"status": 200}}, ]}}"#,
            br#"{"log": {"pages": [], "entries": [{"response": {"status": 200}}"#,
            // Closers that do not match their openers (found by fuzzing: the stream once took
            // a stray `]` inside an entry for the end of the entries array).
            br#"{"log": {"entries": [{"response": {"content": {"x": [1}]}}]}, "version": "1.2"}}"#,
            // A string and a colon between entries (found by fuzzing).
            br#"{"log": {"entries": [{"request": {}}, "response": {"status": 401}]}}"#,
            // Entries without a comma between them, and doubled commas (found by fuzzing).
            br#"{"log": {"entries": [{"request": {}, } {"request": {}}]}}"#,
            br#"{"log": {"entries": [{"request": {}},, {"request": {}}]}}"#,
        ];
        for doc in docs {
            for chunk in [1, 2, 3, 7, 64, 1 << 20] {
                same_as_parse(doc, chunk);
            }
        }
    }

    #[test]
    fn entries_are_read_as_they_complete() {
        let entry = r#"{"request": {"url": "https://a.example/"}, "response": {"status": 200, "content": {"text": "BODY"}}}"#
            .replace("BODY", &"x\\\"y".repeat(2000));
        let doc = format!(
            "{{\"log\": {{\"entries\": [{}]}}}}",
            vec![entry.as_str(); 50].join(",")
        );
        let bytes = doc.as_bytes();
        let mut stream = EntryStream::new(bytes.len());
        stream.feed(&bytes[..bytes.len() / 2]);
        assert!((20..=25).contains(&stream.len()), "{}", stream.len());
        stream.feed(bytes);
        assert_eq!(stream.len(), 50);
        let har = stream.finish(bytes, &mut |_| {}).unwrap();
        assert_eq!(har.entries.len(), 50);
        same_as_parse(bytes, 4096);
        same_as_parse(bytes, 4093);
    }
}
