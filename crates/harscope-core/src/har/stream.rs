//! Reading a capture's entries while its bytes still arrive, keeping only what is needed.
//!
//! The web app receives a file in chunks, and reading them costs about what parsing does.
//! [`ChunkReader`] follows the document's structure as the chunks arrive, finds each complete
//! `log.entries[i]` object, reads it then (detached from the input: see [`Har::into_owned`])
//! and lets its bytes go. What it holds is the document around the entries array and the entry
//! still arriving: a few chunks, not the file, so the memory a capture takes is its model's,
//! and the chunks land in memory already in use rather than in fresh pages.
//!
//! [`ChunkReader::finish`] reads the rest (creator, pages, ...) jumping over the entries array.
//! Whenever the two views of the document could differ (anything unusual: a key written with
//! escapes, a repeated `log`, an entry that is not an object or fails to read, a truncated or
//! broken document) it gives up and says so: the caller reads the whole input with
//! [`super::parse`], so results and errors are always exactly `parse`'s.

use std::collections::TryReserveError;
use std::mem::MaybeUninit;

use super::model::{self, Entry, Har};
use super::{parse, ParseError};
use crate::json;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Deeper nesting than this is left to the reference reader (which refuses it with a message).
const MAX_DEPTH: usize = 4096;

/// When this much of the input was looked at without finding an entries array (a React profile, pages
/// listed before the entries), the input is likely kept whole: room for it is made at once.
const KEEP_ALL_AFTER: usize = 1 << 20;

/// A capture read from chunks that arrive in order.
pub struct ChunkReader {
    /// The input kept: everything before the first entry, the entry still arriving, and
    /// everything after the entries array; all of it while nothing was let go.
    kept: Vec<u8>,
    /// Bytes of read entries let go from `kept`.
    dropped: usize,
    /// Where the document starts in `kept` (after a byte-order mark), once known.
    bom: Option<usize>,
    /// The input's length, when known (a decompressed stream's is not).
    total_len: Option<usize>,
    scanner: Scanner,
    entries: Vec<Entry<'static>>,
    broken: bool,
    /// Bytes gathered before entries are read.
    batch: usize,
    /// The entry at the scanner's position was cut off once already.
    waited: bool,
}

/// What [`ChunkReader::finish`] made of the input.
pub enum Finished {
    Read(Har<'static>),
    /// Not a document this reader follows, and nothing was let go: here is the whole input,
    /// for [`super::parse`] (or, for a web app, a React profile reader).
    Whole(Vec<u8>),
    /// Not a document this reader follows: read the input again, whole, with [`super::parse`].
    ReadAgain,
}

impl ChunkReader {
    /// Entries of real captures take a few to a few hundred KB: 1 MiB batches cut one entry
    /// in a dozen or more, and hold little.
    pub const DEFAULT_BATCH: usize = 1 << 20;

    /// For an input of `total_len` bytes (the same entry budget as [`super::parse`]).
    pub fn new(total_len: usize) -> Self {
        Self::with_batch(total_len, Self::DEFAULT_BATCH)
    }

    /// Reads entries once `batch` bytes have arrived since it last did: larger batches cut
    /// fewer entries in two (each cut entry is read twice), smaller ones hold fewer bytes.
    pub fn with_batch(total_len: usize, batch: usize) -> Self {
        ChunkReader {
            total_len: Some(total_len),
            ..Self::of_unknown_length(batch)
        }
    }

    /// For an input whose length is not known until it ends (a decompressed stream). Entries
    /// are budgeted by the bytes arrived so far, which may give up on a capture of tiny
    /// entries that [`super::parse`] would read: it then asks for the input again.
    pub fn of_unknown_length(batch: usize) -> Self {
        ChunkReader {
            batch,
            waited: false,
            kept: Vec::new(),
            dropped: 0,
            bom: None,
            total_len: None,
            scanner: Scanner::default(),
            entries: Vec::new(),
            broken: false,
        }
    }

    /// Takes the next chunk of the input.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TryReserveError> {
        if self.letting_go() {
            return Ok(());
        }
        self.reserve(chunk.len())?;
        self.kept.extend_from_slice(chunk);
        self.advance(false);
        Ok(())
    }

    /// Takes the next `len` bytes of the input, written by `fill` straight into the reader's
    /// memory (the web app copies them from JavaScript). `fill` returns the bytes it was given,
    /// now written; anything else is refused.
    pub fn push_with(
        &mut self,
        len: usize,
        fill: impl FnOnce(&mut [MaybeUninit<u8>]) -> &mut [u8],
    ) -> Result<(), TryReserveError> {
        if self.letting_go() {
            return Ok(());
        }
        self.reserve(len)?;
        let spare = &mut self.kept.spare_capacity_mut()[..len];
        let at = spare.as_ptr().cast::<u8>();
        let written = fill(spare);
        if written.as_ptr() == at && written.len() == len {
            // SAFETY: `written` is an initialized `[u8]` of `len` bytes (a `&mut [u8]` cannot be
            // anything else) at the start of the spare capacity, so those bytes are initialized.
            unsafe { self.kept.set_len(self.kept.len() + len) };
        } else {
            // A chunk went missing: what is kept is not the input.
            self.dropped = self.dropped.saturating_add(len);
            self.give_up();
        }
        self.advance(false);
        Ok(())
    }

    /// Given up after letting bytes go: the input will be read again, so nothing is kept.
    fn letting_go(&self) -> bool {
        self.broken && self.dropped > 0
    }

    fn reserve(&mut self, len: usize) -> Result<(), TryReserveError> {
        if self.kept.capacity() - self.kept.len() >= len {
            return Ok(());
        }
        let head_without_entries =
            self.scanner.entries_array_start.is_none() && self.scanner.pos > KEEP_ALL_AFTER;
        let keep_all = (self.broken && self.dropped == 0) || head_without_entries;
        match self.total_len {
            // Everything will (or may) have to be kept: make room for the whole input once
            // rather than doubling (and copying) on the way.
            Some(total) if keep_all => {
                let rest = total.saturating_sub(self.kept.len().saturating_add(self.dropped));
                self.kept.try_reserve_exact(rest.max(len))
            }
            _ => self.kept.try_reserve(len),
        }
    }

    /// Inside the entries array, where read entries can be let go.
    fn can_drop(&self) -> bool {
        !self.broken
            && self.scanner.entries_array_start.is_some()
            && self.scanner.entries_array.is_none()
    }

    /// Reads the entries completed in what was kept, then lets their bytes go.
    fn advance(&mut self, all_arrived: bool) {
        if self.broken {
            return;
        }
        let bom = match self.bom {
            Some(bom) => bom,
            None if self.kept.len() < BOM.len() && !all_arrived => return,
            None => *self
                .bom
                .insert(if self.kept.starts_with(BOM) { 3 } else { 0 }),
        };
        let budget = model::entry_budget_for(
            self.total_len
                .unwrap_or(self.dropped.saturating_add(self.kept.len())),
        );
        let body = &self.kept[bom..];
        let scanner = &mut self.scanner;
        // Entries are read a batch at a time: an entry cut off by the end of what arrived is
        // read in vain, so the fewer cuts the better.
        if !all_arrived && body.len() - scanner.pos < self.batch {
            return;
        }
        loop {
            let entry = match scanner.next(body) {
                Step::More => break,
                Step::Broken => None,
                // Most entries lie whole in what has arrived: read them in one pass.
                Step::EntryAt(start) => match json::from_prefix::<Entry>(body, start) {
                    Ok((entry, end)) => {
                        scanner.pos = end;
                        self.waited = false;
                        Some(entry)
                    }
                    // Cut off by the end of what has arrived (or broken): try again with the
                    // next batch; cut off again, follow it to its end and read it from its
                    // exact span.
                    Err(_) if !all_arrived && !self.waited => {
                        self.waited = true;
                        scanner.wait_for_entry();
                        break;
                    }
                    Err(_) => {
                        self.waited = false;
                        scanner.enter_entry();
                        continue;
                    }
                },
                Step::Entry(start, end) => {
                    let de = json::Deserializer::new(&body[start..end]);
                    json::from_deserializer::<Entry>(de).ok()
                }
            };
            match entry {
                Some(entry) if self.entries.len() < budget => self.entries.push(entry.into_owned()),
                _ => {
                    self.give_up();
                    return;
                }
            }
        }
        self.drop_read_entries(bom);
    }

    /// Lets go of the bytes between the entries array's `[` and the entry still arriving (or
    /// the scanner's position): entries read, commas and whitespace.
    fn drop_read_entries(&mut self, bom: usize) {
        if !self.can_drop() {
            return;
        }
        let scanner = &mut self.scanner;
        let (Some(open), None) = (scanner.entries_array_start, scanner.entries_array) else {
            return;
        };
        let from = open + 1;
        let to = scanner.entry_start.unwrap_or(scanner.pos);
        if to > from {
            self.kept.drain(bom + from..bom + to);
            scanner.shift(to - from);
            self.dropped = self.dropped.saturating_add(to - from);
        }
    }

    fn give_up(&mut self) {
        self.broken = true;
        self.entries = Vec::new();
        if self.dropped > 0 {
            self.kept = Vec::new();
        }
    }

    /// Whether it gave up on the input (the whole-file reader will decide).
    pub fn gave_up(&self) -> bool {
        self.broken
    }

    /// How many entries have been read.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Memory held for the input now, in bytes.
    pub fn held(&self) -> usize {
        self.kept.capacity()
    }

    /// The capture, once every chunk was pushed.
    pub fn finish(mut self) -> Finished {
        self.advance(true);
        if let (false, true, Some(bom), Some((start, end))) = (
            self.broken,
            self.scanner.done,
            self.bom,
            self.scanner.entries_array,
        ) {
            let body = &self.kept[bom..];
            if let Some(har) = model::parse_around_entries(body, start, end, Vec::new()) {
                let mut har = har.into_owned();
                har.entries = self.entries;
                return Finished::Read(har);
            }
        }
        if self.dropped == 0 {
            Finished::Whole(self.kept)
        } else {
            Finished::ReadAgain
        }
    }
}

/// Reads `bytes` as if they arrived `chunk` bytes at a time, entries read every `batch` bytes
/// (see [`ChunkReader::with_batch`]), reading them whole when the reader says so: for tests,
/// fuzzing and warming up the reader the way a file is read.
pub fn parse_in_chunks(bytes: &[u8], chunk: usize, batch: usize) -> Result<Har<'_>, ParseError> {
    let mut reader = ChunkReader::with_batch(bytes.len(), batch);
    for piece in bytes.chunks(chunk.max(1)) {
        if reader.push(piece).is_err() {
            return parse(bytes);
        }
    }
    match reader.finish() {
        Finished::Read(har) => Ok(har),
        Finished::Whole(kept) => {
            debug_assert_eq!(kept, bytes, "the chunk reader kept every byte, in order");
            parse(bytes)
        }
        Finished::ReadAgain => parse(bytes),
    }
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

    /// Moves every position after the bytes just let go back by `by`.
    fn shift(&mut self, by: usize) {
        self.pos -= by;
        if let Some((content, is_key, resume)) = self.string {
            self.string = Some((content - by, is_key, resume - by));
        }
        if let Some(start) = self.entry_start.as_mut() {
            *start -= by;
        }
    }

    /// Leaves the entry that starts at `pos` to be found again by the next call.
    fn wait_for_entry(&mut self) {
        self.entry_expected = true;
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
        let reference = super::super::parse(doc);
        for batch in [0, chunk, 3 * chunk, ChunkReader::DEFAULT_BATCH] {
            let streamed = parse_in_chunks(doc, chunk, batch);
            assert_eq!(
                format!("{streamed:?}"),
                format!("{reference:?}"),
                "chunk {chunk}, batch {batch}: {}",
                String::from_utf8_lossy(&doc[..doc.len().min(200)])
            );
        }
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
    fn entries_are_read_as_they_complete_and_let_go() {
        let entry = r#"{"request": {"url": "https://a.example/"}, "response": {"status": 200, "content": {"text": "BODY"}}}"#
            .replace("BODY", &"x\\\"y".repeat(2000));
        let doc = format!(
            "{{\"log\": {{\"entries\": [{}]}}}}",
            vec![entry.as_str(); 50].join(",")
        );
        let bytes = doc.as_bytes();
        let mut reader = ChunkReader::with_batch(bytes.len(), 0);
        let (first, second) = bytes.split_at(bytes.len() / 2);
        for chunk in first.chunks(4096) {
            reader.push(chunk).unwrap();
            // The document's head, one entry arriving and one chunk, never the file.
            assert!(
                reader.held() < 2 * (40 + entry.len() + 4096),
                "{}",
                reader.held()
            );
        }
        assert!((20..=25).contains(&reader.len()), "{}", reader.len());
        reader.push(second).unwrap();
        assert_eq!(reader.len(), 50);
        let Finished::Read(har) = reader.finish() else {
            panic!("not read")
        };
        assert_eq!(har.entries.len(), 50);
        same_as_parse(bytes, 4096);
        same_as_parse(bytes, 4093);
    }

    #[test]
    fn big_chunks_do_not_make_it_hold_the_file() {
        let entry = format!(
            r#"{{"response": {{"status": 200, "content": {{"text": "{}"}}}}}}"#,
            "x".repeat(100_000)
        );
        let doc = format!(
            "{{\"log\": {{\"entries\": [{}]}}}}",
            vec![entry; 100].join(",")
        );
        let mut reader = ChunkReader::new(doc.len());
        for chunk in doc.as_bytes().chunks(3 << 20) {
            reader.push(chunk).unwrap();
            assert!(reader.held() <= 8 << 20, "{}", reader.held());
        }
        assert!(matches!(reader.finish(), Finished::Read(har) if har.entries.len() == 100));
    }

    /// What the reader gives up on comes back whole while nothing was let go, and is to be
    /// read again otherwise.
    #[test]
    fn what_is_not_followed_is_handed_back() {
        let profile = br#"{"version": 5, "dataForRoots": []}"#;
        let mut reader = ChunkReader::new(profile.len());
        for chunk in profile.chunks(5) {
            reader.push(chunk).unwrap();
        }
        assert!(matches!(reader.finish(), Finished::Whole(kept) if kept == profile));

        let late_error = br#"{"log": {"entries": [{}, {}, {"request": tru}]}}"#;
        let mut reader = ChunkReader::with_batch(late_error.len(), 0);
        for chunk in late_error.chunks(3) {
            reader.push(chunk).unwrap();
        }
        assert_eq!(reader.held(), 0);
        assert!(matches!(reader.finish(), Finished::ReadAgain));

        let mut reader = ChunkReader::new(4);
        reader.push(b"{}").unwrap();
        assert!(matches!(reader.finish(), Finished::Whole(kept) if kept == b"{}"));
    }

    #[test]
    fn bytes_written_by_the_caller_are_taken_only_when_all_arrived() {
        let doc = br#"{"log": {"entries": [{"response": {"status": 200}}]}}"#;
        let mut reader = ChunkReader::new(doc.len());
        let (a, b) = doc.split_at(20);
        reader
            .push_with(a.len(), |dst| {
                for (d, s) in dst.iter_mut().zip(a) {
                    d.write(*s);
                }
                // SAFETY (test): every byte was just written.
                unsafe { &mut *(dst as *mut [std::mem::MaybeUninit<u8>] as *mut [u8]) }
            })
            .unwrap();
        let elsewhere: &'static mut [u8] = Box::leak(b.to_vec().into_boxed_slice());
        reader.push_with(b.len(), |_| elsewhere).unwrap();
        assert!(matches!(reader.finish(), Finished::ReadAgain));
    }
}
