//! What sanitizing changes in one entry or page.

use super::tree::{Node, Text};
use super::Bodies;
use crate::redact::{is_secret_header, is_secret_name, looks_like_token, redact_text, redact_url};
use crate::redact::{Redactions, Secrets, MASK};

pub struct Context<'s> {
    pub secrets: &'s Secrets,
    pub counts: &'s mut Redactions,
    pub bodies: Bodies,
}

impl Context<'_> {
    fn url(&mut self, s: &str) -> String {
        let shaped = redact_url(s, self.counts);
        self.secrets.scrub(&shaped, self.counts).into_owned()
    }

    fn text(&mut self, s: &str) -> String {
        let shaped = redact_text(s, self.counts);
        self.secrets.scrub(&shaped, self.counts).into_owned()
    }

    fn scrub(&mut self, s: &str) -> Option<String> {
        match self.secrets.scrub(s, self.counts) {
            std::borrow::Cow::Owned(changed) => Some(changed),
            std::borrow::Cow::Borrowed(_) => None,
        }
    }
}

fn masked() -> Node<'static> {
    Node::String(Text::New(MASK.to_owned()))
}

/// Replaces a string value by `f(value)` when that differs.
fn rewrite(node: &mut Node, f: impl FnOnce(&str) -> String) {
    if let Some(value) = node.str() {
        let new = f(&value);
        if new != value {
            *node = Node::String(Text::New(new));
        }
    }
}

fn is_nonempty_str(node: &Node) -> bool {
    node.str().is_some_and(|s| !s.is_empty())
}

pub fn entry(e: &mut Node, cx: &mut Context) {
    let status = e
        .get("response")
        .and_then(|r| r.get("status"))
        .and_then(Node::number);
    let failed = status.is_none_or(|s| s >= 400.0 || s <= 0.0);
    let keep_bodies = match cx.bodies {
        Bodies::All => true,
        Bodies::Errors => failed,
        Bodies::None => false,
    };
    if let Some(request) = e.get_mut("request") {
        if let Some(url) = request.get_mut("url") {
            rewrite(url, |u| cx.url(u));
        }
        headers(request.get_mut("headers"), cx);
        query(request.get_mut("queryString"), cx);
        cookies(request.get_mut("cookies"), cx);
        if let Some(post) = request.get_mut("postData") {
            post_data(post, keep_bodies, cx);
        }
    }
    if let Some(response) = e.get_mut("response") {
        headers(response.get_mut("headers"), cx);
        cookies(response.get_mut("cookies"), cx);
        if let Some(url) = response.get_mut("redirectURL") {
            rewrite(url, |u| cx.url(u));
        }
        if let Some(content) = response.get_mut("content") {
            content_text(content, keep_bodies, cx);
        }
    }
    // Chrome's WebSocket frames are bodies too.
    if let Some(Node::Array(frames)) = e.get_mut("_webSocketMessages") {
        if keep_bodies {
            for frame in frames.items.iter_mut().map(|i| &mut i.value) {
                if let Some(data) = frame.get_mut("data") {
                    rewrite(data, |d| cx.text(d));
                }
            }
        } else if !frames.items.is_empty() {
            cx.counts.bodies += frames.items.len();
            frames.items.clear();
            frames.inner = b"";
        }
    }
    rest(e, cx);
}

pub fn page(p: &mut Node, cx: &mut Context) {
    if let Some(title) = p.get_mut("title") {
        rewrite(title, |t| cx.text(t));
    }
    rest(p, cx);
}

/// Every string not rewritten above (producers' custom fields, initiators, comments): URLs
/// by the URL rules, and the capture's own secrets wherever they are echoed.
fn rest(node: &mut Node, cx: &mut Context) {
    match node {
        Node::String(Text::Written(_)) => {
            let Some(value) = node.str().map(|v| v.into_owned()) else {
                return;
            };
            let new = if value.starts_with("http://")
                || value.starts_with("https://")
                || value.starts_with("wss://")
            {
                Some(cx.url(&value)).filter(|n| *n != value)
            } else {
                cx.scrub(&value)
            };
            if let Some(new) = new {
                *node = Node::String(Text::New(new));
            }
        }
        Node::Object(o) => {
            for m in o.items.iter_mut() {
                rest(&mut m.value, cx);
            }
        }
        Node::Array(a) => {
            for item in a.items.iter_mut() {
                rest(&mut item.value, cx);
            }
        }
        _ => {}
    }
}

/// `[{name, value}]` headers: credentials masked (names kept), URLs in Location, Referer and
/// the like redacted, echoed secrets masked.
fn headers(list: Option<&mut Node>, cx: &mut Context) {
    let Some(list) = list else {
        return;
    };
    for h in list.values_mut() {
        let name = h
            .get("name")
            .and_then(|n| n.str().map(|s| s.into_owned()))
            .unwrap_or_default();
        let Some(value) = h.get_mut("value") else {
            continue;
        };
        if is_secret_header(&name) {
            if is_nonempty_str(value) {
                cx.counts.headers += 1;
                *value = masked();
            }
        } else if is_url_header(&name) {
            rewrite(value, |v| cx.url(v));
        }
    }
}

fn is_url_header(name: &str) -> bool {
    [
        "location",
        "referer",
        "origin",
        "content-location",
        "link",
        "refresh",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

/// `[{name, value}]` query parameters: secret-looking names or token-shaped values masked.
fn query(list: Option<&mut Node>, cx: &mut Context) {
    let Some(list) = list else {
        return;
    };
    for q in list.values_mut() {
        let name = q
            .get("name")
            .and_then(|n| n.str().map(|s| s.into_owned()))
            .unwrap_or_default();
        let Some(value) = q.get_mut("value") else {
            continue;
        };
        let secret = value
            .str()
            .is_some_and(|v| !v.is_empty() && (is_secret_name(&name) || looks_like_token(&v)));
        if secret {
            cx.counts.query += 1;
            *value = masked();
        }
    }
}

/// `[{name, value, ...}]` cookies: every value masked; names and attributes kept.
fn cookies(list: Option<&mut Node>, cx: &mut Context) {
    let Some(list) = list else {
        return;
    };
    for c in list.values_mut() {
        if let Some(value) = c.get_mut("value") {
            if is_nonempty_str(value) {
                cx.counts.cookies += 1;
                *value = masked();
            }
        }
    }
}

fn post_data(post: &mut Node, keep: bool, cx: &mut Context) {
    if keep {
        if let Some(text) = post.get_mut("text") {
            rewrite(text, |t| cx.text(t));
        }
        if let Some(params) = post.get_mut("params") {
            for p in params.values_mut() {
                let name = p
                    .get("name")
                    .and_then(|n| n.str().map(|s| s.into_owned()))
                    .unwrap_or_default();
                if let Some(value) = p.get_mut("value") {
                    if is_secret_name(&name) && is_nonempty_str(value) {
                        cx.counts.query += 1;
                        *value = masked();
                    } else {
                        rewrite(value, |v| cx.text(v));
                    }
                }
            }
        }
        return;
    }
    let had_text = post.get("text").is_some_and(is_nonempty_str);
    let had_params = matches!(post.get("params"), Some(Node::Array(p)) if !p.items.is_empty());
    if had_text || had_params {
        cx.counts.bodies += 1;
    }
    if let Some(text) = post.get_mut("text") {
        *text = Node::String(Text::New(String::new()));
    }
    post.remove("params");
}

fn content_text(content: &mut Node, keep: bool, cx: &mut Context) {
    let base64 = content
        .get("encoding")
        .and_then(|e| e.str().map(|s| s.eq_ignore_ascii_case("base64")))
        .unwrap_or(false);
    if keep {
        if let Some(text) = content.get_mut("text") {
            if base64 {
                rewrite(text, |t| redact_base64(t, cx));
            } else {
                rewrite(text, |t| cx.text(t));
            }
        }
        return;
    }
    if content.get("text").is_some_and(is_nonempty_str) {
        cx.counts.bodies += 1;
    }
    content.remove("text");
    content.remove("encoding");
}

/// A base64 body kept: when it decodes to text (producers encode JSON and HTML this way too),
/// that text is redacted and encoded again; binary bodies are left as they are.
fn redact_base64(encoded: &str, cx: &mut Context) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let Ok(bytes) = engine.decode(encoded.trim()) else {
        return encoded.to_owned();
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return encoded.to_owned();
    };
    let redacted = cx.text(text);
    if redacted == text {
        encoded.to_owned()
    } else {
        engine.encode(redacted)
    }
}
