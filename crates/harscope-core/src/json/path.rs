//! Where a byte offset sits in a JSON document, as a path (`log.entries[3].response.status`):
//! how an error message says where a value was wrong. Found by re-reading the document's
//! structure up to the offset, which costs nothing until there is an error, instead of
//! tracking the path during every parse (that doubled the deserialization code in the web
//! app's worker).

enum Frame {
    /// In an object: the key of the member being read, once its key is known.
    Object { key: Option<String> },
    /// In an array: the index of the element being read.
    Array { index: usize },
}

/// The path of the value being read at `offset`: after a value, the value just read; at the
/// end of an object, the object. `None` at the top level.
pub fn path_at(input: &[u8], offset: usize) -> Option<String> {
    let end = offset.min(input.len());
    let mut stack: Vec<Frame> = Vec::new();
    // In an object, whether the next string is a key.
    let mut expecting_key = false;
    let mut i = 0;
    while i < end {
        match input[i] {
            b'{' => {
                stack.push(Frame::Object { key: None });
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                expecting_key = false;
            }
            b'}' | b']' => {
                // Closed: it is the value its parent just read.
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key }) => {
                    *key = None;
                    expecting_key = true;
                }
                None => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                let start = i + 1;
                let close = string_end(input, start);
                if expecting_key {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some(decode_key(&input[i..=close.max(i)]));
                    }
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None } => break,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    (!path.is_empty()).then_some(path)
}

/// The index of the quote closing the string whose contents start at `start` (or the input's
/// last index if it is never closed).
fn string_end(input: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < input.len() {
        match input[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    input.len().saturating_sub(1)
}

/// A key as text: its escapes decoded when they are valid JSON, else as written.
fn decode_key(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(quoted).trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::path_at;

    fn at(doc: &str, marker: &str) -> Option<String> {
        let offset = doc.find(marker).unwrap() + marker.len();
        path_at(doc.as_bytes(), offset)
    }

    #[test]
    fn after_a_value_names_it() {
        let doc = r#"{"log": {"entries": [{"a": 1}, {"response": {"status": "abc", "x": 2}}]}}"#;
        assert_eq!(
            at(doc, r#""abc""#).as_deref(),
            Some("log.entries[1].response.status")
        );
        assert_eq!(at(doc, r#"{"a": 1"#).as_deref(), Some("log.entries[0].a"));
    }

    #[test]
    fn at_the_end_of_an_object_names_the_object() {
        let doc = r#"{"dataForRoots": [{"commitData": [], "rootID": 1}], "version": 5}"#;
        assert_eq!(
            at(doc, r#""rootID": 1}"#).as_deref(),
            Some("dataForRoots[0]")
        );
    }

    #[test]
    fn keys_with_escapes_commas_and_brackets_in_strings() {
        let doc = r#"{"a\"b": {"s": "x,]}[{", "n": [1, 2, "q"]}}"#;
        assert_eq!(at(doc, r#""q""#).as_deref(), Some("a\"b.n[2]"));
    }

    #[test]
    fn the_top_level_has_no_path() {
        assert_eq!(path_at(b"{\"a\": 1}", 8), None);
        assert_eq!(path_at(b"", 0), None);
        assert_eq!(path_at(b"[", 99), Some("[0]".to_owned()));
    }
}
