//! URLs: secret query values, credentials in the user info, tokens in the path and fragment.

use super::names::is_secret_name;
use super::text::looks_like_token;
use super::{Redactions, MASK};

/// The URL with its secrets masked; everything else as written.
pub fn redact_url(url: &str, counts: &mut Redactions) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = String::with_capacity(url.len());
    // scheme://[user[:password]@]host/path
    let (scheme, rest) = match before_query.find("://") {
        Some(at) => (&before_query[..at + 3], &before_query[at + 3..]),
        None => ("", before_query),
    };
    out.push_str(scheme);
    let (authority, path) = if scheme.is_empty() {
        ("", rest)
    } else {
        match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        }
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            match userinfo.split_once(':') {
                Some((user, _password)) => {
                    out.push_str(user);
                    out.push(':');
                    out.push_str(MASK);
                }
                None => out.push_str(MASK),
            }
            counts.url_tokens += 1;
            out.push('@');
            out.push_str(host);
        }
        None => out.push_str(authority),
    }
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        // A segment may carry a token after `;` or `=` (`;jsessionid=...`, matrix params).
        let mut pieces = segment.split(';');
        let first = pieces.next().unwrap_or("");
        push_path_piece(&mut out, first, counts);
        for piece in pieces {
            out.push(';');
            match piece.split_once('=') {
                Some((name, value)) if is_secret_name(name) || looks_like_token(value) => {
                    out.push_str(name);
                    out.push('=');
                    out.push_str(MASK);
                    counts.url_tokens += 1;
                }
                _ => push_path_piece(&mut out, piece, counts),
            }
        }
    }
    if let Some(query) = query {
        out.push('?');
        push_pairs(&mut out, query, counts, false);
    }
    if let Some(fragment) = fragment {
        out.push('#');
        if fragment.contains('=') {
            push_pairs(&mut out, fragment, counts, true);
        } else if looks_like_token(fragment) {
            out.push_str(MASK);
            counts.url_tokens += 1;
        } else {
            out.push_str(fragment);
        }
    }
    out
}

fn push_path_piece(out: &mut String, piece: &str, counts: &mut Redactions) {
    let decoded = percent_decoded(piece);
    if looks_like_token(&decoded) {
        out.push_str(MASK);
        counts.url_tokens += 1;
    } else {
        out.push_str(piece);
    }
}

/// `a=1&token=x`: values of secret-looking names, and values that look like tokens, masked.
fn push_pairs(out: &mut String, pairs: &str, counts: &mut Redactions, in_fragment: bool) {
    for (i, pair) in pairs.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, value)) => {
                let secret = is_secret_name(&percent_decoded(name))
                    || looks_like_token(&percent_decoded(value));
                out.push_str(name);
                out.push('=');
                if secret && !value.is_empty() {
                    out.push_str(MASK);
                    if in_fragment {
                        counts.url_tokens += 1;
                    } else {
                        counts.query += 1;
                    }
                } else {
                    out.push_str(value);
                }
            }
            None if looks_like_token(&percent_decoded(pair)) => {
                out.push_str(MASK);
                counts.query += 1;
            }
            None => out.push_str(pair),
        }
    }
}

fn percent_decoded(s: &str) -> String {
    if !s.contains('%') && !s.contains('+') {
        return s.to_owned();
    }
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(url: &str) -> (String, Redactions) {
        let mut counts = Redactions::default();
        (redact_url(url, &mut counts), counts)
    }

    #[test]
    fn queries_keep_names_and_lose_secret_values() {
        let (url, counts) = redacted(
            "https://api.example/v1/search?q=shoes&api_key=AbC123&page=2&access_token=xyz",
        );
        assert_eq!(url, "https://api.example/v1/search?q=shoes&api_key=[redacted]&page=2&access_token=[redacted]");
        assert_eq!(counts.query, 2);
    }

    #[test]
    fn tokens_in_paths_fragments_and_user_info() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let (url, _) = redacted(&format!("https://a.example/reset/{jwt}/confirm"));
        assert_eq!(url, "https://a.example/reset/[redacted]/confirm");
        let (url, _) =
            redacted("https://a.example/cb#access_token=abc&token_type=bearer&expires_in=3600");
        assert_eq!(
            url,
            "https://a.example/cb#access_token=[redacted]&token_type=bearer&expires_in=3600"
        );
        let (url, _) = redacted("https://bob:hunter2@a.example/x");
        assert_eq!(url, "https://bob:[redacted]@a.example/x");
        let (url, _) = redacted("https://a.example/shop;jsessionid=0A1B2C3D4E5F/cart");
        assert_eq!(url, "https://a.example/shop;jsessionid=[redacted]/cart");
        let (url, _) = redacted("https://a.example/keys/sk_live_4eC39HqLyjWDarjtT1zdp7dc");
        assert_eq!(url, "https://a.example/keys/[redacted]");
    }

    #[test]
    fn ordinary_urls_are_untouched() {
        for url in [
            "https://cdn.example/static/js/main.3f9a2b1c.chunk.js",
            "https://api.example/orders/0f8fad5b-d9cb-469f-a165-70867728950e?expand=items",
            "https://news.example/2026/11/how-to-configure-the-2nd-server",
            "data:image/png;base64,iVBORw0KGgo=",
            "https://a.example/",
            "https://a.example",
        ] {
            let (out, counts) = redacted(url);
            assert_eq!(out, url);
            assert_eq!(counts.total(), 0, "{url}");
        }
    }
}
