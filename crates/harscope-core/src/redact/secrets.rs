//! The secrets a capture itself holds (credential header values, cookie values, secret query
//! and form values), so that wherever they are echoed (a server's error message, a page
//! title, a redirect URL) they are masked too, whatever their shape.

use std::borrow::Cow;
use std::collections::HashMap;

use super::names::{is_secret_header, is_secret_name};
use super::{Redactions, MASK};

/// Shorter values are not collected: masking every "1" or "en" would garble the text.
const MIN_LEN: usize = 6;

#[derive(Debug, Clone, Default)]
pub struct Secrets {
    values: Vec<String>,
    /// Indexes into `values` by their first two bytes, longest first: a scrub looks at each
    /// position of a text once, whatever the number of secrets (captures hold hundreds of
    /// cookies, and bodies run to megabytes).
    by_prefix: HashMap<[u8; 2], Vec<usize>>,
    /// Bit `a << 8 | b` set when some secret starts with bytes `a`, `b`.
    prefixes: Vec<u64>,
}

impl Secrets {
    /// The secrets a parsed capture holds: credential headers, cookies, secret query values,
    /// user info in URLs, secret form fields of request bodies.
    pub fn from_har(har: &crate::har::Har) -> Self {
        let mut secrets = Secrets::default();
        for e in &har.entries {
            secrets.add_url(&e.request.url);
            for h in e.request.headers.iter().chain(&e.response.headers) {
                secrets.add_header(&h.name, &h.value);
                if h.name.eq_ignore_ascii_case("location") {
                    secrets.add_url(&h.value);
                }
            }
            if let Some(text) = e.request.post_data.as_ref().and_then(|p| p.text.as_ref()) {
                if !text.text.trim_start().starts_with(['{', '[']) {
                    secrets.add_form(&text.text);
                }
            }
        }
        secrets
    }

    /// Adds the value of a header, taking it apart where it holds several secrets
    /// (`Cookie: a=1; b=2`, `Set-Cookie: a=1; Path=/`, `Authorization: Bearer x`).
    pub fn add_header(&mut self, name: &str, value: &str) {
        let lower = name.to_ascii_lowercase();
        if lower == "cookie" {
            for pair in value.split(';') {
                self.add_cookie(pair.trim());
            }
        } else if lower.starts_with("set-cookie") {
            for line in value.split('\n') {
                if let Some(first) = line.split(';').next() {
                    self.add_cookie(first.trim());
                }
            }
        } else if is_secret_header(name) {
            self.add(value);
            if let Some((_scheme, credential)) = value.trim().split_once(' ') {
                self.add(credential.trim());
            }
        }
    }

    /// Adds the secret values of a URL's query string and fragment.
    pub fn add_url(&mut self, url: &str) {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let (query, fragment) = query.split_once('#').unwrap_or((query, ""));
        let fragment = if fragment.is_empty() {
            url.split_once('#').map_or("", |(_, f)| f)
        } else {
            fragment
        };
        self.add_form(query);
        self.add_form(fragment);
        if let Some((userinfo, _)) = url.split_once("://").and_then(|(_, r)| {
            r.split(['/', '?', '#'])
                .next()
                .and_then(|a| a.rsplit_once('@'))
        }) {
            if let Some((_, password)) = userinfo.split_once(':') {
                self.add(password);
            }
        }
    }

    /// Adds the secret values of `a=1&token=x` (query strings, form bodies).
    pub fn add_form(&mut self, form: &str) {
        for (name, value) in form_urlencoded::parse(form.as_bytes()) {
            if is_secret_name(&name) {
                self.add(&value);
            }
        }
    }

    /// A cookie's value, when it can be a credential: cookies also hold preferences, paths
    /// and flags (`theme=dark`, `seen=/docs/`, `consent=true`), which stay readable.
    fn add_cookie(&mut self, pair: &str) {
        if let Some((name, value)) = pair.split_once('=') {
            let value = value.trim_matches('"');
            let credential_shaped = !value.contains(['/', ' '])
                && (value.bytes().any(|b| b.is_ascii_digit()) || value.len() >= 16);
            if is_secret_name(name) || credential_shaped {
                self.add(value);
            }
        }
    }

    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.len() < MIN_LEN {
            return;
        }
        let key = [value.as_bytes()[0], value.as_bytes()[1]];
        let same_prefix = self.by_prefix.entry(key).or_default();
        if same_prefix.iter().any(|&i| self.values[i] == value) {
            return;
        }
        self.values.push(value.to_owned());
        same_prefix.push(self.values.len() - 1);
        let values = &self.values;
        crate::sort::sort_by_key(same_prefix, |&i| std::cmp::Reverse(values[i].len()));
        if self.prefixes.is_empty() {
            self.prefixes = vec![0; 1024];
        }
        let bit = usize::from(key[0]) << 8 | usize::from(key[1]);
        self.prefixes[bit / 64] |= 1 << (bit % 64);
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every known secret masked, counted in `counts.text_tokens`. Overlapping
    /// secrets are masked as one stretch, so no part of either shows.
    pub fn scrub<'a>(&self, text: &'a str, counts: &mut Redactions) -> Cow<'a, str> {
        if self.values.is_empty() {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut copied = 0;
        // The stretch being masked: [start, end).
        let mut stretch: Option<(usize, usize)> = None;
        for i in 0..bytes.len().saturating_sub(1) {
            let bit = usize::from(bytes[i]) << 8 | usize::from(bytes[i + 1]);
            if self.prefixes[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(len) = self.by_prefix[&[bytes[i], bytes[i + 1]]]
                .iter()
                .map(|&v| self.values[v].as_bytes())
                .find(|v| bytes[i..].starts_with(v))
                .map(<[u8]>::len)
            else {
                continue;
            };
            stretch = match stretch {
                Some((start, end)) if i <= end => Some((start, end.max(i + len))),
                Some((start, end)) => {
                    mask(text, &mut out, &mut copied, start, end, counts);
                    Some((i, i + len))
                }
                None => Some((i, i + len)),
            };
        }
        let Some((start, end)) = stretch else {
            return Cow::Borrowed(text);
        };
        mask(text, &mut out, &mut copied, start, end, counts);
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }
}

/// Copies `text` up to `start` into `out` and masks `start..end` (secrets are whole
/// characters, so both are character boundaries).
fn mask(
    text: &str,
    out: &mut String,
    copied: &mut usize,
    start: usize,
    end: usize,
    counts: &mut Redactions,
) {
    out.push_str(&text[*copied..start]);
    out.push_str(MASK);
    *copied = end;
    counts.text_tokens += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_secrets_are_masked_wherever_they_appear() {
        let mut s = Secrets::default();
        s.add_header("Cookie", "sid=abc123def; theme=dark");
        s.add_header("Authorization", "Bearer tok-998877");
        s.add_header("Set-Cookie", "refresh=rf-556677; Path=/; HttpOnly");
        s.add_url("https://a.example/x?api_key=key-112233&q=shoes");
        let mut counts = Redactions::default();
        let text = "session abc123def, token tok-998877, refresh rf-556677, key key-112233, shoes";
        assert_eq!(
            s.scrub(text, &mut counts),
            "session [redacted], token [redacted], refresh [redacted], key [redacted], shoes"
        );
        assert_eq!(counts.text_tokens, 4);
        // Overlapping and adjacent secrets are one masked stretch; a secret at the very end.
        let mut t = Secrets::default();
        t.add("abcdef12");
        t.add("ef123456");
        t.add("zz9988");
        let mut counts = Redactions::default();
        assert_eq!(
            t.scrub("x abcdef123456 y zz9988", &mut counts),
            "x [redacted] y [redacted]"
        );
        assert_eq!(counts.text_tokens, 2);
        assert_eq!(t.scrub("zz998", &mut counts), "zz998");
        assert_eq!(t.scrub("ünï zz9988ü", &mut counts), "ünï [redacted]ü");
        // Short or harmless values are not collected.
        assert!(!s.values.iter().any(|v| v == "dark" || v == "shoes"));
        s.add_header(
            "Cookie",
            "seen=/css/dist/all.css; consent=accepted; fonts=loaded-true",
        );
        assert!(!s
            .values
            .iter()
            .any(|v| v.contains("css") || v == "accepted"));
    }
}
