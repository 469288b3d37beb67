//! UTF-16 captures. Windows tools write them: PowerShell's `>` and `Out-File` save text as
//! UTF-16 with a byte-order mark, so a HAR piped through a script arrives that way. The
//! shells turn them into UTF-8 before reading (the CLI with [`to_utf8`], the web app with
//! the browser's own decoder); the reader itself takes UTF-8 only.

/// The byte order of a UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf16 {
    Le,
    Be,
}

impl Utf16 {
    /// The text's encoding, as the WHATWG Encoding standard (and `TextDecoder`) names it.
    pub fn label(self) -> &'static str {
        match self {
            Utf16::Le => "utf-16le",
            Utf16::Be => "utf-16be",
        }
    }
}

/// Whether the text starting with `head` is UTF-16: by its byte-order mark, or, without
/// one, by the zero byte beside the first character, which JSON text (ASCII there) has in
/// UTF-16 and never in UTF-8 (RFC 4627's rule; three zero bytes make it UTF-32, which is
/// not taken for UTF-16).
pub fn detect(head: &[u8]) -> Option<Utf16> {
    match head {
        [0xff, 0xfe, 0, 0, ..] | [_, 0, 0, 0, ..] | [0, 0, ..] => None,
        [0xff, 0xfe, ..] => Some(Utf16::Le),
        [0xfe, 0xff, ..] => Some(Utf16::Be),
        [c, 0, ..] if starts_json(*c) => Some(Utf16::Le),
        [0, c, ..] if starts_json(*c) => Some(Utf16::Be),
        _ => None,
    }
}

fn starts_json(c: u8) -> bool {
    matches!(c, b'{' | b'[' | b' ' | b'\t' | b'\n' | b'\r')
}

/// The UTF-8 text of a UTF-16 input (see [`detect`]), its byte-order mark dropped; `None`
/// when the input is not UTF-16. Unpaired surrogates and an odd last byte become U+FFFD, as
/// the browser's `TextDecoder` makes them, so both shells read the same text.
pub fn to_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    let order = detect(bytes)?;
    let has_bom = matches!(bytes, [0xff, 0xfe, ..] | [0xfe, 0xff, ..]);
    let body = &bytes[if has_bom { 2 } else { 0 }..];
    let pairs = body.chunks_exact(2);
    let unit = |p: &[u8]| match order {
        Utf16::Le => u16::from_le_bytes([p[0], p[1]]),
        Utf16::Be => u16::from_be_bytes([p[0], p[1]]),
    };
    // An odd last byte is one more U+FFFD, unless it follows a cut-off surrogate pair, which
    // the browser ends with a single one.
    let ends_in_lead = pairs
        .clone()
        .last()
        .is_some_and(|p| (0xd800..0xdc00).contains(&unit(p)));
    let odd = !pairs.remainder().is_empty() && !ends_in_lead;
    let units = pairs.map(unit);
    // Mostly ASCII: about half the input's size.
    let mut out = Vec::with_capacity(body.len() / 2 + 16);
    let mut buf = [0; 4];
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    if odd {
        out.extend_from_slice("\u{fffd}".as_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn be(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xfe, 0xff] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    #[test]
    fn both_byte_orders_with_and_without_a_mark_give_the_same_text() {
        let text = "{\"log\": {\"comment\": \"caf\u{e9} \u{1f600} \u{4e2d}\"}}";
        for bytes in [
            le(text, true),
            le(text, false),
            be(text, true),
            be(text, false),
        ] {
            assert_eq!(to_utf8(&bytes).unwrap(), text.as_bytes());
        }
        let padded = format!("\r\n  {text}");
        assert_eq!(to_utf8(&le(&padded, false)).unwrap(), padded.as_bytes());
    }

    #[test]
    fn utf8_json_and_other_data_are_not_taken_for_utf16() {
        for bytes in [
            &b"{\"log\": {}}"[..],
            b"\xEF\xBB\xBF{}",
            b"",
            b"{",
            b"\x1f\x8b\x08\x00",
            b"x\x00",
        ] {
            assert_eq!(detect(bytes), None, "{bytes:?}");
            assert_eq!(to_utf8(bytes), None);
        }
    }

    #[test]
    fn broken_text_is_replaced_as_the_browser_replaces_it() {
        // An unpaired high surrogate, then an odd last byte.
        let mut bytes = vec![0xff, 0xfe, b'{', 0, 0x3d, 0xd8, b'}', 0, b' '];
        assert_eq!(
            String::from_utf8(to_utf8(&bytes).unwrap()).unwrap(),
            "{\u{fffd}}\u{fffd}"
        );
        bytes.truncate(2);
        assert_eq!(to_utf8(&bytes).unwrap(), b"");
        // A pair cut in the middle of its second unit: one U+FFFD, as TextDecoder writes.
        let cut = [0xff, 0xfe, b'{', 0, 0x3d, 0xd8, 0x00];
        assert_eq!(
            String::from_utf8(to_utf8(&cut).unwrap()).unwrap(),
            "{\u{fffd}"
        );
    }

    #[test]
    fn utf32_is_not_taken_for_utf16() {
        for bytes in [
            &b"{\0\0\0\n\0\0\0"[..],
            b"\0\0\0{\0\0\0\n",
            b"\xff\xfe\0\0{\0\0\0",
        ] {
            assert_eq!(detect(bytes), None, "{bytes:?}");
        }
    }
}
