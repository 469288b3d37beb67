//! Which header and parameter names carry secrets.

/// Words that make a parameter or field name secret-looking, matched against the name's
/// words (split at punctuation and camelCase): `access_token`, `apiKey`, `X-Session-Id`.
const SECRET_WORDS: &[&str] = &[
    "token",
    "tokens",
    "key",
    "apikey",
    "code",
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "session",
    "sessionid",
    "sess",
    "sid",
    "auth",
    "authorization",
    "sig",
    "signature",
    "credential",
    "credentials",
    "jwt",
    "otp",
    "ticket",
    "nonce",
    "assertion",
    "saml",
    "samlresponse",
    "hash",
    "hmac",
    "csrf",
    "xsrf",
    "bearer",
    "cookie",
    "pin",
    "ssn",
];

/// Headers that are credentials whatever their name's words say.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "set-cookie2",
    "www-authenticate",
    "proxy-authenticate",
];

/// Splits `accessToken`, `access_token`, `X-Api-Key` into lowercase words. ASCII only (the
/// secret words are): other characters separate words, and the worker carries no Unicode
/// case tables.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
}

/// Words that make a name describe a secret rather than hold one: `token_type`,
/// `expires_in`, `password_hint`.
const DESCRIBING_WORDS: &[&str] = &[
    "type",
    "expires",
    "expiry",
    "expiration",
    "ttl",
    "length",
    "hint",
    "endpoint",
    "url",
    "uri",
    "policy",
    "method",
    "format",
    "version",
];

fn holds_a_secret_word(name: &[u8]) -> bool {
    (0..name.len()).any(|i| {
        let first = name[i].to_ascii_lowercase();
        SECRET_WORDS.iter().any(|w| {
            let w = w.as_bytes();
            w[0] == first
                && name.len() - i >= w.len()
                && name[i..i + w.len()].eq_ignore_ascii_case(w)
        })
    })
}

/// A query, form or JSON field name whose value is likely a secret.
pub fn is_secret_name(name: &str) -> bool {
    // Every secret name holds one of the words as written (bodies have many keys: this
    // spares splitting each into words).
    if !holds_a_secret_word(name.as_bytes()) {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    if words(name).any(|w| DESCRIBING_WORDS.contains(&w.as_str())) {
        return false;
    }
    // Whole names that read as one word: "apikey", "accesstoken", "sessionid", "password1".
    let squashed: String = lower
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if [
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "session",
        "sessid",
        "signature",
        "credential",
    ]
    .iter()
    .any(|w| squashed.contains(w))
    {
        return true;
    }
    words(name).any(|w| SECRET_WORDS.contains(&w.as_str()))
}

/// A header whose value is a credential: Authorization, cookies, API keys, session ids,
/// CSRF tokens, signatures.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_HEADERS.contains(&lower.as_str()) || is_secret_name(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_parameter_names() {
        for name in [
            "token",
            "access_token",
            "id_token",
            "accessToken",
            "api_key",
            "apiKey",
            "apikey",
            "key",
            "code",
            "password",
            "passwd",
            "client_secret",
            "session",
            "sessionId",
            "PHPSESSID",
            "sid",
            "auth",
            "sig",
            "X-Amz-Signature",
            "X-Amz-Security-Token",
            "jwt",
            "csrf_token",
            "state_token",
            "SAMLResponse",
            "otp",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "q", "page", "lang", "id", "user", "sort", "keyword", "monkey", "limit", "v",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn secret_headers() {
        for name in [
            "Authorization",
            "cookie",
            "Set-Cookie",
            "X-API-Key",
            "x-auth-token",
            "X-CSRF-Token",
            "x-session-id",
            "X-Amz-Security-Token",
            "Proxy-Authorization",
            "x-goog-api-key",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in [
            "Content-Type",
            "Accept",
            "User-Agent",
            "x-request-id",
            "traceparent",
            "Cache-Control",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }
}
