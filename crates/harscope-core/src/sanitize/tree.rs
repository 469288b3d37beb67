//! A JSON value as written: objects keep their key order, numbers and strings keep their
//! exact text and the whitespace between tokens is kept, so a value with a few strings changed
//! is written back byte for byte except for those strings. Everything borrows from the input.

use std::borrow::Cow;

/// Deeper nesting than this is refused (a HAR entry is a handful of levels deep).
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Object(Container<'a, Member<'a>>),
    Array(Container<'a, Item<'a>>),
    String(Text<'a>),
    /// A number, `true`, `false` or `null`, as written.
    Raw(&'a [u8]),
}

/// An object's members or an array's items, with the whitespace of an empty one.
#[derive(Debug, Clone, PartialEq)]
pub struct Container<'a, T> {
    pub items: Vec<T>,
    /// What stood between the brackets when there was nothing else (`{ }`).
    pub inner: &'a [u8],
}

/// `pre` "key" `mid` value `post`: `mid` holds the colon and its spaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub pre: &'a [u8],
    pub key: Text<'a>,
    pub mid: &'a [u8],
    pub value: Node<'a>,
    pub post: &'a [u8],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    pub pre: &'a [u8],
    pub value: Node<'a>,
    pub post: &'a [u8],
}

/// A JSON string: as written (escapes and all) when unchanged, or new text.
#[derive(Debug, Clone, PartialEq)]
pub enum Text<'a> {
    Written(&'a [u8]),
    New(String),
}

impl Text<'_> {
    /// The string's value, escapes decoded.
    pub fn value(&self) -> Cow<'_, str> {
        match self {
            Text::New(s) => Cow::Borrowed(s),
            Text::Written(raw) => {
                if !raw.contains(&b'\\') {
                    return String::from_utf8_lossy(raw);
                }
                let mut quoted = Vec::with_capacity(raw.len() + 2);
                quoted.push(b'"');
                quoted.extend_from_slice(raw);
                quoted.push(b'"');
                serde_json::from_slice::<String>(&quoted)
                    .map(Cow::Owned)
                    .unwrap_or_else(|_| String::from_utf8_lossy(raw))
            }
        }
    }
}

impl<'a> Node<'a> {
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Node::Object(o) => o
                .items
                .iter()
                .find(|m| m.key.value() == key)
                .map(|m| &m.value),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node<'a>> {
        match self {
            Node::Object(o) => o
                .items
                .iter_mut()
                .find(|m| m.key.value() == key)
                .map(|m| &mut m.value),
            _ => None,
        }
    }

    /// Removes member `key`; whether it was there. The space before the closing brace
    /// moves to the member that is now last.
    pub fn remove(&mut self, key: &str) -> bool {
        let Node::Object(o) = self else {
            return false;
        };
        let Some(at) = o.items.iter().position(|m| m.key.value() == key) else {
            return false;
        };
        let gone = o.items.remove(at);
        if at == o.items.len() {
            if let Some(last) = o.items.last_mut() {
                last.post = gone.post;
            }
        }
        true
    }

    /// An array's values.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Node<'a>> {
        let items = match self {
            Node::Array(a) => a.items.as_mut_slice(),
            _ => &mut [],
        };
        items.iter_mut().map(|i| &mut i.value)
    }

    pub fn str(&self) -> Option<Cow<'_, str>> {
        match self {
            Node::String(t) => Some(t.value()),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Node::Raw(raw) => std::str::from_utf8(raw).ok()?.parse().ok(),
            Node::String(t) => t.value().trim().parse().ok(),
            _ => None,
        }
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Node::Raw(raw) => out.extend_from_slice(raw),
            Node::String(t) => write_text(t, out),
            Node::Array(a) => {
                out.push(b'[');
                if a.items.is_empty() {
                    out.extend_from_slice(a.inner);
                }
                for (i, item) in a.items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(item.pre);
                    item.value.write(out);
                    out.extend_from_slice(item.post);
                }
                out.push(b']');
            }
            Node::Object(o) => {
                out.push(b'{');
                if o.items.is_empty() {
                    out.extend_from_slice(o.inner);
                }
                for (i, m) in o.items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(m.pre);
                    write_text(&m.key, out);
                    out.extend_from_slice(m.mid);
                    m.value.write(out);
                    out.extend_from_slice(m.post);
                }
                out.push(b'}');
            }
        }
    }
}

fn write_text(t: &Text, out: &mut Vec<u8>) {
    match t {
        Text::Written(raw) => {
            out.push(b'"');
            out.extend_from_slice(raw);
            out.push(b'"');
        }
        Text::New(s) => {
            // serde_json escapes exactly what JSON requires.
            let _ = serde_json::to_writer(&mut *out, s);
        }
    }
}

/// Reads one JSON value starting at `*at` (no whitespace before it); leaves `*at` after it.
pub fn parse<'a>(input: &'a [u8], at: &mut usize) -> Result<Node<'a>, String> {
    value(input, at, 0)
}

/// Skips whitespace; returns what it skipped.
fn ws<'a>(input: &'a [u8], at: &mut usize) -> &'a [u8] {
    let start = *at;
    while *at < input.len() && matches!(input[*at], b' ' | b'\t' | b'\n' | b'\r') {
        *at += 1;
    }
    &input[start..*at]
}

fn value<'a>(input: &'a [u8], at: &mut usize, depth: usize) -> Result<Node<'a>, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    match input.get(*at) {
        None => Err("the file ends where a value was expected".to_owned()),
        Some(b'{') => {
            *at += 1;
            let mut items: Vec<Member> = Vec::new();
            loop {
                let pre = ws(input, at);
                match input.get(*at) {
                    Some(b'}') => {
                        *at += 1;
                        return Ok(Node::Object(Container { items, inner: pre }));
                    }
                    Some(b'"') => {}
                    _ => return Err("expected a key or `}` in an object".to_owned()),
                }
                let key = string(input, at)?;
                let mid_start = *at;
                ws(input, at);
                if input.get(*at) != Some(&b':') {
                    return Err("expected `:` after an object key".to_owned());
                }
                *at += 1;
                ws(input, at);
                let mid = &input[mid_start..*at];
                let value = value(input, at, depth + 1)?;
                let post = ws(input, at);
                items.push(Member {
                    pre,
                    key,
                    mid,
                    value,
                    post,
                });
                match input.get(*at) {
                    Some(b',') => *at += 1,
                    Some(b'}') => {
                        *at += 1;
                        return Ok(Node::Object(Container { items, inner: b"" }));
                    }
                    _ => return Err("expected `,` or `}` in an object".to_owned()),
                }
            }
        }
        Some(b'[') => {
            *at += 1;
            let mut items: Vec<Item> = Vec::new();
            loop {
                let pre = ws(input, at);
                if input.get(*at) == Some(&b']') {
                    // An empty array, or a trailing comma as some producers write.
                    *at += 1;
                    return Ok(Node::Array(Container { items, inner: pre }));
                }
                let value = value(input, at, depth + 1)?;
                let post = ws(input, at);
                items.push(Item { pre, value, post });
                match input.get(*at) {
                    Some(b',') => *at += 1,
                    Some(b']') => {
                        *at += 1;
                        return Ok(Node::Array(Container { items, inner: b"" }));
                    }
                    _ => return Err("expected `,` or `]` in an array".to_owned()),
                }
            }
        }
        Some(b'"') => Ok(Node::String(string(input, at)?)),
        Some(_) => {
            let start = *at;
            while *at < input.len()
                && !matches!(
                    input[*at],
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                )
            {
                *at += 1;
            }
            if start == *at {
                return Err("expected a value".to_owned());
            }
            Ok(Node::Raw(&input[start..*at]))
        }
    }
}

fn string<'a>(input: &'a [u8], at: &mut usize) -> Result<Text<'a>, String> {
    if input.get(*at) != Some(&b'"') {
        return Err("expected a string".to_owned());
    }
    let start = *at + 1;
    let mut i = start;
    while i < input.len() {
        match input[i] {
            b'\\' => i += 2,
            b'"' => {
                *at = i + 1;
                return Ok(Text::Written(&input[start..i]));
            }
            _ => i += 1,
        }
    }
    Err("the file ends inside a string".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(doc: &[u8]) -> Vec<u8> {
        let mut at = 0;
        let node = parse(doc, &mut at).unwrap();
        assert_eq!(at, doc.len());
        let mut out = Vec::new();
        node.write(&mut out);
        out
    }

    #[test]
    fn values_are_written_back_byte_for_byte() {
        for doc in [
            &br#"{"b": 1.50, "a": [true, null, -2e3, "x\"y\u00e9"], "c": {}, "d": [ ]}"#[..],
            b"{\n  \"a\" :\t[\n    1,\n    2\n  ],\r\n  \"e\": { }\n}",
            b"[]",
            b"{}",
        ] {
            assert_eq!(round_trip(doc), doc, "{}", String::from_utf8_lossy(doc));
        }
        let doc = br#"{"a": [true, null, -2e3, "x\"y\u00e9"]}"#;
        let node = parse(doc, &mut 0).unwrap();
        let values: Vec<Node> = node
            .clone()
            .get_mut("a")
            .unwrap()
            .values_mut()
            .map(|v| v.clone())
            .collect();
        assert_eq!(values[2], Node::Raw(b"-2e3"));
        assert_eq!(values[3].str().unwrap(), "x\"yé");
    }

    #[test]
    fn a_removed_last_member_leaves_the_closing_layout() {
        let doc = b"{\n  \"size\": 5,\n  \"text\": \"secret\"\n}";
        let mut node = parse(doc, &mut 0).unwrap();
        assert!(node.remove("text"));
        assert!(!node.remove("text"));
        let mut out = Vec::new();
        node.write(&mut out);
        assert_eq!(out, b"{\n  \"size\": 5\n}");
    }

    #[test]
    fn a_trailing_comma_in_an_array_is_dropped() {
        assert_eq!(round_trip(b"[1, 2, ]"), b"[1, 2]");
    }

    #[test]
    fn broken_json_is_an_error() {
        for doc in [
            &b"{\"a\": "[..],
            b"[1, 2",
            b"{\"a\" 1}",
            b"\"open",
            b"{\"a\": 1 \"b\": 2}",
            b"{,}",
        ] {
            assert!(
                parse(doc, &mut 0).is_err(),
                "{}",
                String::from_utf8_lossy(doc)
            );
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(deep.as_bytes(), &mut 0).is_err());
    }
}
