//! Tokens in free text: JWTs, bearer and basic credentials, secret-looking `key=value` and
//! `"key": "value"` pairs, URLs (their queries and tokens), and long random strings.

use std::borrow::Cow;

use super::names::is_secret_name;
use super::{Redactions, MASK};

/// Characters a token is made of (base64url, base64, hex, and the dots of a JWT).
fn token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=')
}

/// A string that is a credential by its shape: a JWT (`eyJ...`, three dot-separated parts),
/// or a long random run of letters and digits (24 or more, mixing both, with many distinct
/// characters), as API keys and session ids are. UUIDs, words, numbers, file names with an
/// extension and hex hashes shorter than 32 are not.
pub fn looks_like_token(s: &str) -> bool {
    let s = s.trim_end_matches('=');
    if is_jwt(s) {
        return true;
    }
    if s.len() < 24
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return false;
    }
    if is_hex_id(s) {
        return false;
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let letters = s.bytes().filter(u8::is_ascii_alphabetic).count();
    if digits == 0 || letters == 0 {
        return false;
    }
    let mut seen = [false; 128];
    for b in s.bytes() {
        seen[b as usize] = true;
    }
    let distinct = seen.iter().filter(|x| **x).count();
    // Words joined by dashes ("how-to-configure-the-2nd-server") have few digits and long
    // letter runs; random strings switch between classes often.
    let switches = s
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    distinct >= 12 && switches >= 4
}

fn is_jwt(s: &str) -> bool {
    if !s.starts_with("eyJ") {
        return false;
    }
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && s.starts_with("eyJ")
        && parts[..2].iter().all(|p| p.len() >= 8)
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Hex groups joined by dashes: UUIDs, W3C `traceparent` values, request ids. They identify
/// a request in a log search; they do not open anything.
fn is_hex_id(s: &str) -> bool {
    s.contains('-')
        && s.split('-')
            .all(|g| !g.is_empty() && g.len() <= 32 && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Masks the secrets in `text`, counting them in `counts.text_tokens`.
pub fn redact_text<'a>(text: &'a str, counts: &mut Redactions) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Everything matched starts with ASCII: skip the rest of a multi-byte character.
        if !bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        // URLs: their own rules (query values, path tokens).
        if (bytes[i] == b'h'
            && (text[i..].starts_with("https://") || text[i..].starts_with("http://")))
            || (bytes[i] == b'w' && text[i..].starts_with("wss://"))
        {
            let end = i + text[i..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')' | ']')
                })
                .unwrap_or(text.len() - i);
            let url = &text[i..end];
            let mut url_counts = Redactions::default();
            let redacted = super::redact_url(url, &mut url_counts);
            if redacted != url {
                counts.text_tokens += url_counts.total();
                out.push_str(&text[copied..i]);
                out.push_str(&redacted);
                copied = end;
            }
            i = end;
            continue;
        }
        // `Bearer xxx`, `Basic xxx`, `token=xxx`, `"password": "xxx"`: the value after a
        // credential word.
        if let Some((value_start, value_end)) = credential_value(text, i) {
            out.push_str(&text[copied..value_start]);
            out.push_str(MASK);
            counts.text_tokens += 1;
            copied = value_end;
            i = value_end;
            continue;
        }
        if token_char(bytes[i]) && (i == 0 || !token_char(bytes[i - 1])) {
            let end = i + bytes[i..].iter().take_while(|b| token_char(**b)).count();
            let word = text[i..end].trim_end_matches(['.', '/']);
            if looks_like_token(word) {
                out.push_str(&text[copied..i]);
                out.push_str(MASK);
                counts.text_tokens += 1;
                copied = i + word.len();
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Authorization schemes whose next word is the credential.
const SCHEMES: [&str; 6] = ["Bearer ", "bearer ", "Basic ", "basic ", "Token ", "token "];

/// At `at`, a credential followed by its value: `Bearer <v>`, `Basic <v>`, or a secret-looking
/// name then `=`, `:` or `": "` then a value. Returns the value's byte range.
fn credential_value(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
        return None;
    }
    let rest = &text[at..];
    for scheme in SCHEMES {
        if rest.starts_with(scheme) {
            let start = at + scheme.len();
            let len = bytes[start..]
                .iter()
                .take_while(|b| token_char(**b))
                .count();
            // A sentence's full stop is not part of the token.
            let len = text[start..start + len].trim_end_matches(['.', '/']).len();
            return (len >= 8).then_some((start, start + len));
        }
    }
    // A name, then `=` or `:` (optionally inside JSON quotes), then the value.
    let name_len = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    if name_len < 2 || !bytes[at].is_ascii_alphabetic() {
        return None;
    }
    let name = &text[at..at + name_len];
    let mut j = at + name_len;
    if bytes.get(j) == Some(&b'"') {
        j += 1;
    }
    while bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    if !matches!(bytes.get(j), Some(b'=') | Some(b':')) {
        return None;
    }
    j += 1;
    while bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    let quote = bytes.get(j).copied().filter(|b| matches!(b, b'"' | b'\''));
    if quote.is_some() {
        j += 1;
    }
    // `"password": ["is too short"]`: a list or object of messages, not a value to mask
    // (masking its bracket would break the JSON around it).
    if quote.is_none() && matches!(bytes.get(j), Some(b'[') | Some(b'{')) {
        return None;
    }
    let spaced = bytes.get(j.wrapping_sub(1)) == Some(&b' ');
    // `Authorization: Bearer <v>`: the scheme stays readable.
    if let Some(scheme) = SCHEMES.iter().find(|s| text[j..].starts_with(**s)) {
        j += scheme.len();
    }
    let len = if let Some(q) = quote {
        let mut k = j;
        while k < bytes.len() && bytes[k] != q {
            k += if bytes[k] == b'\\' { 2 } else { 1 };
        }
        k.min(bytes.len()) - j
    } else {
        bytes[j..]
            .iter()
            .take_while(|b| {
                !b.is_ascii_whitespace()
                    && !matches!(b, b'&' | b',' | b';' | b'"' | b'\'' | b'}' | b')' | b']')
            })
            .count()
    };
    if len == 0 || !is_secret_name(name) || !text.is_char_boundary(j + len) {
        return None;
    }
    // `password: is too short` is prose, not a credential: after `name: `, an unquoted value
    // counts only if it could not be a word.
    let value = &text[j..j + len];
    if quote.is_none()
        && spaced
        && value.bytes().all(|b| b.is_ascii_alphabetic())
        && value.len() < 16
    {
        return None;
    }
    Some((j, j + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(s: &str) -> String {
        redact_text(s, &mut Redactions::default()).into_owned()
    }

    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    #[test]
    fn tokens_by_shape() {
        assert!(looks_like_token(JWT));
        assert!(looks_like_token("sk_live_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(looks_like_token("AKIAIOSFODNN7EXAMPLE2X9Q"));
        assert!(looks_like_token("ghp_16C7e42F292c6912E7710c838347Ae178B4a"));
        for not in [
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "how-to-configure-the-2nd-server-setup",
            "main.3f9a2b1c.chunk.js",
            "1234567890123456789012345",
            "abcdefghijklmnopqrstuvwxyz",
            "short1",
        ] {
            assert!(!looks_like_token(not), "{not}");
        }
    }

    #[test]
    fn text_keeps_its_words_and_loses_its_secrets() {
        assert_eq!(
            redacted("JWT expired at 2026-11-20T09:00:00Z"),
            "JWT expired at 2026-11-20T09:00:00Z"
        );
        assert_eq!(
            redacted(&format!("bad token {JWT}.")),
            "bad token [redacted]."
        );
        assert_eq!(
            redacted("Authorization: Bearer abc.def-123456"),
            "Authorization: Bearer [redacted]"
        );
        assert_eq!(
            redacted(r#"{"error": "invalid", "password": "hunter2", "user": "ann"}"#),
            r#"{"error": "invalid", "password": "[redacted]", "user": "ann"}"#
        );
        assert_eq!(
            redacted("retry with api_key=XYZ123 later"),
            "retry with api_key=[redacted] later"
        );
        assert_eq!(
            redacted("see https://a.example/cb?code=s3cr3t&lang=en for details"),
            "see https://a.example/cb?code=[redacted]&lang=en for details"
        );
        assert_eq!(
            redacted("plain words, nothing: here"),
            "plain words, nothing: here"
        );
        assert_eq!(redacted("ключ: значение"), "ключ: значение");
        // Validation messages under a secret name stay, and the JSON stays JSON.
        let errors = r#"{"errors":{"password":["is too short"],"token":{"a":1}},"pin":1234]"#;
        assert_eq!(redacted(errors), errors.replace("1234", "[redacted]"));
    }

    #[test]
    fn any_text_is_handled_without_panic() {
        const PIECES: [&str; 16] = [
            "token",
            "=",
            ":",
            "\"",
            " ",
            "Bearer ",
            "https://",
            "?",
            "&",
            "é",
            "ключ",
            "😀",
            "eyJ",
            "abc123XYZ789def456GHI",
            "\\",
            ".",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(PIECES[(state >> 60) as usize]);
            }
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut counts = Redactions::default();
            let out = redact_text(&text, &mut counts);
            assert_eq!(out == text, counts.total() == 0, "{text:?} -> {out:?}");
        }
    }
}
