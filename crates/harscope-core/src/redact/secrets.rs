//! The secrets a capture itself holds (credential header values, cookie values, secret query
//! and form values), so that wherever they are echoed (a server's error message, a page
//! title, a redirect URL) they are masked too, whatever their shape.

use std::borrow::Cow;

use super::names::{is_secret_header, is_secret_name};
use super::{Redactions, MASK};

/// Shorter values are not collected: masking every "1" or "en" would garble the text.
const MIN_LEN: usize = 6;

#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// Longest first, so a secret containing another is masked whole.
    values: Vec<String>,
}

impl Secrets {
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
        if value.len() >= MIN_LEN && !self.values.iter().any(|v| v == value) {
            self.values.push(value.to_owned());
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every known secret masked, counted in `counts.text_tokens`.
    pub fn scrub<'a>(&self, text: &'a str, counts: &mut Redactions) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.values {
            if out.contains(secret.as_str()) {
                counts.text_tokens += out.matches(secret.as_str()).count();
                out = Cow::Owned(out.replace(secret.as_str(), MASK));
            }
        }
        out
    }
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
