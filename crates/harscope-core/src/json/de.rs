//! The deserializer: strict where the model reads, fast where it skips.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::error::{Category, Error};
use super::scan;

/// Deeper nesting than this in values the model reads is refused rather than recursed into.
const MAX_DEPTH: u32 = 128;

/// Deserializes `T` from a complete JSON document.
#[cfg(test)]
pub fn from_slice<'de, T: de::Deserialize<'de>>(input: &'de [u8]) -> Result<T, Error> {
    from_deserializer(Deserializer::new(input))
}

/// Deserializes `T` from a complete JSON document with a configured deserializer.
pub fn from_deserializer<'de, T: de::Deserialize<'de>>(
    mut de: Deserializer<'de, '_>,
) -> Result<T, Error> {
    let input = de.input;
    let value = T::deserialize(&mut de).map_err(|e| de.locate(e))?;
    de.skip_ws();
    if de.pos < input.len() {
        return Err(de.syntax("trailing characters after the JSON document"));
    }
    Ok(value)
}

/// Deserializes one `T` starting at `start` (no whitespace before it), ignoring what follows;
/// returns it and where it ends.
pub fn from_prefix<'de, T: de::Deserialize<'de>>(
    input: &'de [u8],
    start: usize,
) -> Result<(T, usize), Error> {
    let mut de = Deserializer::new(input);
    de.pos = start;
    let value = T::deserialize(&mut de).map_err(|e| de.locate(e))?;
    Ok((value, de.pos))
}

pub struct Deserializer<'de, 'p> {
    input: &'de [u8],
    pos: usize,
    depth: u32,
    scratch: Vec<u8>,
    progress: Option<&'p mut dyn FnMut(usize)>,
    next_report: usize,
    /// A value known to span `from..to`, skipped without reading it (see `with_jump`).
    jump: Option<(usize, usize)>,
}

thread_local! {
    static JUMPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the last deserializer given a jump took it, and forgets it.
pub fn took_jump() -> bool {
    JUMPED.with(|j| j.replace(false))
}

/// How often, in input bytes, the progress callback hears about the position.
const REPORT_EVERY: usize = 1 << 20;

/// A string value: borrowed from the input, unescaped into the scratch buffer, or repaired.
enum Text<'de, 's> {
    Borrowed(&'de str),
    Scratch(&'s str),
    Owned(String),
}

enum Number {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl<'de, 'p> Deserializer<'de, 'p> {
    pub fn new(input: &'de [u8]) -> Self {
        Deserializer {
            input,
            pos: 0,
            depth: 0,
            scratch: Vec::new(),
            progress: None,
            next_report: usize::MAX,
            jump: None,
        }
    }

    /// When a value the model skips starts at `from`, continues at `to` without looking at
    /// it: for a part of the input already read (the entries a stream read as they arrived).
    pub fn with_jump(mut self, from: usize, to: usize) -> Self {
        self.jump = Some((from, to));
        JUMPED.with(|j| j.set(false));
        self
    }

    /// Calls `progress` with the byte offset reached, about every MiB, between values.
    pub fn with_progress(mut self, progress: &'p mut dyn FnMut(usize)) -> Self {
        self.progress = Some(progress);
        self.next_report = 0;
        self
    }

    /// Reports the position when it has moved on enough; one comparison otherwise.
    #[inline]
    fn tick(&mut self) {
        if self.pos >= self.next_report {
            self.next_report = self.pos + REPORT_EVERY;
            if let Some(report) = self.progress.as_mut() {
                report(self.pos);
            }
        }
    }

    /// Gives an error raised by a visitor (which cannot know where it is) the current offset.
    pub fn locate(&self, mut e: Error) -> Error {
        e.offset.get_or_insert(self.pos);
        e
    }

    fn syntax(&self, message: impl Into<String>) -> Error {
        Error::at(Category::Syntax, message, self.pos)
    }

    fn eof(&self, while_parsing: &str) -> Error {
        Error::at(
            Category::Eof,
            format!("EOF while parsing {while_parsing}"),
            self.input.len(),
        )
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next significant byte, not consumed.
    fn peek(&mut self, while_parsing: &str) -> Result<u8, Error> {
        self.skip_ws();
        match self.input.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.eof(while_parsing)),
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), Error> {
        let end = self.pos + word.len();
        match self.input.get(self.pos..end) {
            Some(found) if found == word => {
                self.pos = end;
                Ok(())
            }
            None if self.input[self.pos..] == word[..self.input.len() - self.pos] => {
                Err(self.eof("a literal"))
            }
            _ => {
                let found: String = String::from_utf8_lossy(&self.input[self.pos..])
                    .chars()
                    .take(12)
                    .filter(|c| !c.is_control())
                    .collect();
                Err(self.syntax(format!("expected a JSON value, found `{found}`")))
            }
        }
    }

    /// Reads the string at `pos` (which is its opening quote).
    fn string(&mut self) -> Result<Text<'de, '_>, Error> {
        let start = self.pos + 1;
        let Some(found) = scan::string_end(self.input, start) else {
            return Err(self.eof("a string"));
        };
        let end = found.end;
        self.pos = end + 1;
        let raw = &self.input[start..end];
        if !found.escaped {
            if found.ascii {
                // SAFETY: every byte is below 0x80 (the scan checked), and ASCII is UTF-8.
                return Ok(Text::Borrowed(unsafe {
                    std::str::from_utf8_unchecked(raw)
                }));
            }
            return Ok(match std::str::from_utf8(raw) {
                Ok(s) => Text::Borrowed(s),
                Err(_) => Text::Owned(String::from_utf8_lossy(raw).into_owned()),
            });
        }
        self.scratch.clear();
        if let Err((message, at)) = unescape(raw, &mut self.scratch) {
            return Err(Error::at(Category::Syntax, message, start + at));
        }
        Ok(match std::str::from_utf8(&self.scratch) {
            Ok(s) => Text::Scratch(s),
            Err(_) => Text::Owned(String::from_utf8_lossy(&self.scratch).into_owned()),
        })
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.pos;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.input.get(self.pos) {
            self.pos += 1;
        }
        let raw = &self.input[start..self.pos];
        if !is_json_number(raw) {
            return Err(Error::at(
                Category::Syntax,
                format!("invalid number `{}`", String::from_utf8_lossy(raw)),
                start,
            ));
        }
        // Only ASCII bytes were consumed.
        let text = std::str::from_utf8(raw).unwrap_or("");
        if !text.contains(['.', 'e', 'E']) {
            if let Ok(u) = text.parse::<u64>() {
                return Ok(Number::Unsigned(u));
            }
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Number::Signed(i));
            }
        }
        match text.parse::<f64>() {
            Ok(f) => Ok(Number::Float(f)),
            Err(_) => Err(Error::at(
                Category::Syntax,
                format!("invalid number `{text}`"),
                start,
            )),
        }
    }

    /// Skips one value of any kind without building anything, checking it is JSON as reading
    /// it would.
    fn skip_value(&mut self) -> Result<(), Error> {
        match self.peek("a value")? {
            b'{' | b'[' => self.skip_container(),
            _ => self.skip_scalar(),
        }
    }

    /// Skips a string, literal or number.
    fn skip_scalar(&mut self) -> Result<(), Error> {
        match self.peek("a value")? {
            b'"' => {
                let Some(found) = scan::string_end(self.input, self.pos + 1) else {
                    return Err(self.eof("a string"));
                };
                self.pos = found.end + 1;
                Ok(())
            }
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'-' | b'0'..=b'9' => self.number().map(|_| ()),
            c => Err(self.syntax(format!("expected a JSON value, found {}", show(c)))),
        }
    }

    /// Skips an object's key and its colon.
    fn skip_key(&mut self) -> Result<(), Error> {
        match self.peek("an object key")? {
            b'"' => self.skip_scalar()?,
            c => return Err(self.syntax(format!("expected a string key, found {}", show(c)))),
        }
        match self.peek("an object")? {
            b':' => {
                self.pos += 1;
                Ok(())
            }
            c => Err(self.syntax(format!("expected `:`, found {}", show(c)))),
        }
    }

    /// Skips an object or array, checking its structure: a skipped part of a capture (a call
    /// stack, a cookie list) must be JSON too, or a broken file would read as whole. Iterative,
    /// so any depth skips without recursion.
    fn skip_container(&mut self) -> Result<(), Error> {
        let what = "an object or array";
        // The closers of the containers entered, innermost last.
        let mut open: Vec<u8> = Vec::new();
        loop {
            // At a value.
            match self.peek(what)? {
                b'{' => {
                    self.pos += 1;
                    open.push(b'}');
                    if self.peek(what)? != b'}' {
                        self.skip_key()?;
                        continue;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    open.push(b']');
                    if self.peek(what)? != b']' {
                        continue;
                    }
                }
                _ => self.skip_scalar()?,
            }
            // After a value: close what ends here, or go on to the next member.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.peek(what)? {
                    c if c == close => {
                        self.pos += 1;
                        open.pop();
                    }
                    b',' => {
                        self.pos += 1;
                        if close == b'}' {
                            self.skip_key()?;
                        }
                        break;
                    }
                    c => {
                        return Err(self.syntax(format!(
                            "expected `,` or `{}`, found {}",
                            close as char,
                            show(c)
                        )))
                    }
                }
            }
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax(format!(
                "the JSON is nested more than {MAX_DEPTH} levels deep"
            )));
        }
        self.pos += 1;
        Ok(())
    }

    /// Consumes what a visitor left of a container, then its closing bracket.
    fn leave(&mut self, close: u8, what: &str) -> Result<(), Error> {
        loop {
            match self.peek(what)? {
                c if c == close => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                b',' => {
                    self.pos += 1;
                    if self.peek(what)? != close {
                        self.skip_value()?;
                        if close == b'}' && self.peek(what)? == b':' {
                            self.pos += 1;
                            self.skip_value()?;
                        }
                    }
                }
                c => {
                    return Err(self.syntax(format!(
                        "expected `,` or `{}`, found {}",
                        close as char,
                        show(c)
                    )))
                }
            }
        }
    }
}

fn show(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("`{}`", c as char)
    } else {
        format!("byte 0x{c:02x}")
    }
}

/// Decodes a string's escapes into `out`. Lone surrogates become U+FFFD rather than errors.
fn unescape(raw: &[u8], out: &mut Vec<u8>) -> Result<(), (&'static str, usize)> {
    let mut i = 0;
    while i < raw.len() {
        let next = raw[i..]
            .iter()
            .position(|&b| b == b'\\')
            .map_or(raw.len(), |p| i + p);
        out.extend_from_slice(&raw[i..next]);
        if next >= raw.len() {
            break;
        }
        let Some(&kind) = raw.get(next + 1) else {
            return Err(("unfinished escape in a string", next));
        };
        i = next + 2;
        let byte = match kind {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let first = hex4(raw, i).ok_or(("invalid \\u escape in a string", next))?;
                i += 4;
                let c = if (0xD800..0xDC00).contains(&first) && raw.get(i..i + 2) == Some(b"\\u") {
                    match hex4(raw, i + 2) {
                        Some(second) if (0xDC00..0xE000).contains(&second) => {
                            i += 6;
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        }
                        _ => 0xFFFD,
                    }
                } else {
                    first
                };
                let c = char::from_u32(c).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            _ => return Err(("invalid escape in a string", next)),
        };
        out.push(byte);
    }
    Ok(())
}

fn hex4(raw: &[u8], at: usize) -> Option<u32> {
    let digits = raw.get(at..at + 4)?;
    digits.iter().try_fold(0u32, |n, &d| {
        let v = char::from(d).to_digit(16)?;
        Some(n * 16 + v)
    })
}

/// Whether `text` is a number as JSON writes them: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(text.first() == Some(&b'-'));
    let int = digits(&text[i..]);
    if int == 0 || (int > 1 && text[i] == b'0') {
        return false;
    }
    i += int;
    if text.get(i) == Some(&b'.') {
        let frac = digits(&text[i + 1..]);
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    if matches!(text.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(text.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(&text[i..]);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == text.len()
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek("a value")? {
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'"' => match self.string()? {
                Text::Borrowed(s) => visitor.visit_borrowed_str(s),
                Text::Scratch(s) => visitor.visit_str(s),
                Text::Owned(s) => visitor.visit_string(s),
            },
            b'-' | b'0'..=b'9' => match self.number()? {
                Number::Unsigned(u) => visitor.visit_u64(u),
                Number::Signed(i) => visitor.visit_i64(i),
                Number::Float(f) => visitor.visit_f64(f),
            },
            b'[' => {
                self.enter()?;
                let value = visitor.visit_seq(Seq {
                    de: self,
                    first: true,
                })?;
                self.leave(b']', "an array")?;
                Ok(value)
            }
            b'{' => {
                self.enter()?;
                let value = visitor.visit_map(Map {
                    de: self,
                    first: true,
                })?;
                self.leave(b'}', "an object")?;
                Ok(value)
            }
            c => Err(self.syntax(format!("expected a JSON value, found {}", show(c)))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek("a value")? == b'n' {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Some((from, to)) = self.jump {
            self.skip_ws();
            if self.pos == from && to <= self.input.len() {
                self.pos = to;
                self.jump = None;
                JUMPED.with(|j| j.set(true));
                return visitor.visit_unit();
            }
        }
        self.skip_value()?;
        visitor.visit_unit()
    }

    /// Records are JSON objects: serde would also accept them as arrays of fields, which no
    /// producer writes and which would turn a wrong document into a baffling message.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.peek("a value")? == b'[' {
            return Err(self.locate(de::Error::invalid_type(de::Unexpected::Seq, &visitor)));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.peek("a value")? != b'"' {
            return Err(self.syntax("expected a string naming a variant"));
        }
        match self.string()? {
            Text::Borrowed(s) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::<Error>::new(s))
            }
            Text::Scratch(s) => visitor.visit_enum(de::value::StrDeserializer::<Error>::new(s)),
            Text::Owned(s) => visitor.visit_enum(de::value::StringDeserializer::<Error>::new(s)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct Seq<'a, 'de, 'p> {
    de: &'a mut Deserializer<'de, 'p>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Seq<'_, 'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.de.tick();
        let mut c = self.de.peek("an array")?;
        if c == b']' {
            return Ok(None);
        }
        if !self.first {
            if c != b',' {
                return Err(self
                    .de
                    .syntax(format!("expected `,` or `]`, found {}", show(c))));
            }
            self.de.pos += 1;
            c = self.de.peek("an array")?;
            if c == b']' {
                return Ok(None); // a trailing comma: tolerated
            }
        }
        self.first = false;
        seed.deserialize(&mut *self.de).map(Some)
    }
}

struct Map<'a, 'de, 'p> {
    de: &'a mut Deserializer<'de, 'p>,
    first: bool,
}

impl<'de> MapAccess<'de> for Map<'_, 'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let mut c = self.de.peek("an object")?;
        if c == b'}' {
            return Ok(None);
        }
        if !self.first {
            if c != b',' {
                return Err(self
                    .de
                    .syntax(format!("expected `,` or `}}`, found {}", show(c))));
            }
            self.de.pos += 1;
            c = self.de.peek("an object")?;
            if c == b'}' {
                return Ok(None); // a trailing comma: tolerated
            }
        }
        if c != b'"' {
            return Err(self
                .de
                .syntax(format!("expected a quoted key, found {}", show(c))));
        }
        self.first = false;
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let c = self.de.peek("an object")?;
        if c != b':' {
            return Err(self
                .de
                .syntax(format!("expected `:` after a key, found {}", show(c))));
        }
        self.de.pos += 1;
        seed.deserialize(&mut *self.de)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IgnoredAny;
    use serde::Deserialize;
    use std::borrow::Cow;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Doc<'a> {
        #[serde(borrow)]
        name: Cow<'a, str>,
        n: i64,
        f: f64,
        list: Vec<u32>,
        opt: Option<bool>,
    }

    /// What is skipped is checked as strictly as what is read, and as serde_json checks it.
    #[test]
    fn skipped_values_must_be_json() {
        #[derive(Deserialize, Debug)]
        struct Only {
            #[allow(dead_code)]
            keep: Option<u8>,
        }
        for bad in [
            &br#"{"skip": {"a": *b"}, "keep": 1}"#[..],
            br#"{"skip": [1 2], "keep": 1}"#,
            br#"{"skip": {"a" 1}, "keep": 1}"#,
            br#"{"skip": {1: 2}, "keep": 1}"#,
            br#"{"skip": [1, ], "keep": 1}"#,
            br#"{"skip": {"a": 1,}, "keep": 1}"#,
            br#"{"skip": [}, "keep": 1}"#,
            br#"{"skip": [tru], "keep": 1}"#,
        ] {
            let text = String::from_utf8_lossy(bad);
            assert!(from_slice::<Only>(bad).is_err(), "{text}");
            assert!(serde_json::from_slice::<Only>(bad).is_err(), "{text}");
        }
        let good =
            br#"{"skip": {"a": [1, -2.5e3, "}", {"b": [true, false, null, {}]}, []]}, "keep": 1}"#;
        assert_eq!(from_slice::<Only>(good).unwrap().keep, Some(1));
        // Any depth, without recursion.
        let deep = format!(
            "{{\"skip\": {}{}, \"keep\": 2}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(from_slice::<Only>(deep.as_bytes()).unwrap().keep, Some(2));
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let input = br#" {"name": "caf\u00e9 \"x\" \ud83d\ude00", "skip": {"a": ["}", "\\\"", [1, {"b": null}]]},
            "n": -42, "f": 1.5e3, "list": [1, 2, 3], "opt": null} "#;
        let ours: Doc = from_slice(input).unwrap();
        let theirs: Doc = serde_json::from_slice(input).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.name, "café \"x\" 😀");
    }

    #[test]
    fn borrows_plain_strings() {
        let doc: Doc =
            from_slice(br#"{"name": "plain", "n": 1, "f": 2, "list": [], "opt": true}"#).unwrap();
        assert!(matches!(doc.name, Cow::Borrowed("plain")));
    }

    #[test]
    fn positions_and_categories_of_errors() {
        let err = from_slice::<Doc>(b"{\n  \"name\": \"a\",\n  \"n\": \"x\"").unwrap_err();
        assert_eq!(err.category, Category::Data);
        assert!(err.message.contains("invalid type"), "{}", err.message);
        assert_eq!(
            err.line_column(b"{\n  \"name\": \"a\",\n  \"n\": \"x\""),
            (3, 11)
        );

        let err = from_slice::<Doc>(br#"{"name": "a", "n": 1,"#).unwrap_err();
        assert_eq!(err.category, Category::Eof);

        let err = from_slice::<Doc>(br#"{"name" "a"}"#).unwrap_err();
        assert_eq!(err.category, Category::Syntax);
        assert!(err.message.contains("expected `:`"), "{}", err.message);

        let err = from_slice::<IgnoredAny>(b"[1, 2] x").unwrap_err();
        assert!(err.message.contains("trailing characters"));

        let err = from_slice::<IgnoredAny>(b"\"unterminated").unwrap_err();
        assert_eq!(err.category, Category::Eof);
    }

    #[test]
    fn numbers_and_escapes_follow_json() {
        for good in ["0", "-0", "12", "-1.5", "1e9", "2.5E-3", "1e+2"] {
            assert!(is_json_number(good.as_bytes()), "{good}");
        }
        for bad in ["01", "1.", "-.5", ".5", "+1", "1e", "--1", "1.2.3", "-"] {
            assert!(!is_json_number(bad.as_bytes()), "{bad}");
            assert!(
                from_slice::<serde_json::Value>(bad.as_bytes()).is_err(),
                "{bad}"
            );
        }
        assert!(from_slice::<String>(br#""\u+041""#).is_err());
        assert_eq!(from_slice::<String>(br#""\u0041""#).unwrap(), "A");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = from_slice::<serde_json::Value>(deep.as_bytes()).unwrap_err();
        assert!(err.message.contains("nested more than"), "{}", err.message);
        // Skipped values have no depth limit and no recursion.
        let wrapped = format!("{{\"ignored\": {deep}}}");
        assert!(
            from_slice::<std::collections::HashMap<String, IgnoredAny>>(wrapped.as_bytes()).is_ok()
        );
    }

    #[test]
    fn truncated_inputs_are_eof_errors() {
        let full = br#"{"a": [1, {"b": "text \"q\" more"}, true], "c": null}"#;
        for cut in 0..full.len() {
            let result = from_slice::<serde_json::Value>(&full[..cut]);
            assert!(result.is_err(), "cut at {cut} parsed");
            let skipped = from_slice::<IgnoredAny>(&full[..cut]);
            assert!(skipped.is_err(), "cut at {cut} skipped");
        }
    }
}
