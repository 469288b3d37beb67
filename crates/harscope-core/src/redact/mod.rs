//! Redaction: what a shared report link or a sanitized capture must not carry. Credentials
//! (cookies, Authorization and other secret headers), secret-looking query values, tokens in
//! URL paths and in free text (JWTs, bearer tokens, long random strings). Names are kept, so a
//! reader can still see that a credential was sent; values become [`MASK`].

mod names;
mod secrets;
mod text;
mod url;

use serde::{Deserialize, Serialize};

pub use names::{is_secret_header, is_secret_name};
pub use secrets::Secrets;
pub use text::{looks_like_token, redact_text};
pub use url::redact_url;

/// What a redacted value is replaced with.
pub const MASK: &str = "[redacted]";

/// How many values of each kind were redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redactions {
    /// Values of credential headers (Authorization, Cookie, Set-Cookie, API keys, ...).
    pub headers: usize,
    /// Cookie values (request and response cookie lists).
    pub cookies: usize,
    /// Query-string and form values of secret-looking parameters, or that look like tokens.
    pub query: usize,
    /// Tokens in URL paths, fragments and user info.
    pub url_tokens: usize,
    /// Tokens in other text: messages, titles, header values, kept bodies.
    pub text_tokens: usize,
    /// Request and response bodies dropped.
    pub bodies: usize,
}

impl Redactions {
    pub fn total(&self) -> usize {
        self.headers + self.cookies + self.query + self.url_tokens + self.text_tokens + self.bodies
    }

    /// "3 header values", "1 cookie", ...: each kind with a count, for people.
    pub fn describe(&self) -> Vec<String> {
        let kinds = [
            (self.headers, "header value", "header values"),
            (self.cookies, "cookie", "cookies"),
            (self.query, "query value", "query values"),
            (self.url_tokens, "token in a URL", "tokens in URLs"),
            (self.text_tokens, "token in text", "tokens in text"),
            (self.bodies, "body", "bodies"),
        ];
        kinds
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect()
    }

    pub fn add(&mut self, other: &Redactions) {
        self.headers += other.headers;
        self.cookies += other.cookies;
        self.query += other.query;
        self.url_tokens += other.url_tokens;
        self.text_tokens += other.text_tokens;
        self.bodies += other.bodies;
    }
}
