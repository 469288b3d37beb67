//! Facts several rules report: trace ids, credentials, content types, the server's message.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::capture::{is_credential_header, Capture};
use crate::fmt::clip;
use crate::har::Entry;

/// Longest server message quoted in a report.
const MESSAGE_MAX: usize = 300;

/// A header that lets a request be found in the backend's logs and traces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceId {
    pub header: String,
    pub value: String,
    /// `request` or `response`.
    pub sent_in: String,
}

const TRACE_HEADERS: [&str; 20] = [
    "traceparent",
    "x-request-id",
    "x-correlation-id",
    "correlation-id",
    "request-id",
    "x-amzn-trace-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-amz-cf-id",
    "x-trace-id",
    "x-b3-traceid",
    "b3",
    "x-cloud-trace-context",
    "x-datadog-trace-id",
    "cf-ray",
    "x-ms-request-id",
    "x-github-request-id",
    "x-vercel-id",
    "fly-request-id",
    "sentry-trace",
];

/// At most this many trace ids are reported for one request.
const TRACE_IDS_MAX: usize = 8;

/// Trace and correlation ids in the request's and the response's headers.
pub fn trace_ids(entry: &Entry) -> Vec<TraceId> {
    let mut out: Vec<TraceId> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let sides = [
        ("request", &entry.request.headers),
        ("response", &entry.response.headers),
    ];
    for (sent_in, headers) in sides {
        for h in headers.iter() {
            let known = TRACE_HEADERS.iter().any(|t| h.name.eq_ignore_ascii_case(t));
            let value = h.value.trim();
            if out.len() < TRACE_IDS_MAX && known && !value.is_empty() && seen.insert(value) {
                out.push(TraceId {
                    header: h.name.to_ascii_lowercase(),
                    value: value.to_owned(),
                    sent_in: sent_in.to_owned(),
                });
            }
        }
    }
    out
}

/// Whether a credential went out with a request: `sent`, `not sent` or `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    Sent,
    NotSent,
    Unknown,
}

impl Presence {
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Sent => "sent",
            Presence::NotSent => "not sent",
            Presence::Unknown => "unknown",
        }
    }
}

/// The request's Authorization-like header and cookies. "Unknown" when the capture cannot
/// tell: no headers were recorded, or the export stripped every credential (Chrome 130+).
pub fn credentials(cx: &Capture, entry: &Entry) -> (Presence, Presence) {
    let auth = entry
        .request
        .headers
        .iter()
        .any(|h| is_credential_header(&h.name));
    let cookie = entry.request.cookies > 0 || entry.request_header("cookie").is_some();
    let blind = entry.request.headers.is_empty()
        || (!cx.credentials_visible && cx.from_chromium_devtools());
    let presence = |sent: bool| match (sent, blind) {
        (true, _) => Presence::Sent,
        (false, true) => Presence::Unknown,
        (false, false) => Presence::NotSent,
    };
    (presence(auth), presence(cookie))
}

/// What a request body looks like, whatever its Content-Type says.
pub fn body_kind(text: &str) -> &'static str {
    let t = text.trim_start();
    if t.is_empty() {
        "empty"
    } else if t.starts_with('{') || t.starts_with('[') {
        "json"
    } else if t.starts_with('<') {
        "xml"
    } else if t.starts_with("--") && t.contains("Content-Disposition") {
        "multipart"
    } else if t.split('&').all(|pair| {
        pair.split_once('=')
            .is_some_and(|(k, _)| !k.is_empty() && !k.contains(char::is_whitespace))
    }) {
        "form"
    } else {
        "text"
    }
}

/// Whether a Content-Type fits a body of the given kind; `None` when either is unknown.
pub fn content_type_fits(content_type: &str, kind: &str) -> Option<bool> {
    let ct = content_type.to_ascii_lowercase();
    if ct.trim().is_empty() || kind == "empty" {
        return None;
    }
    let fits = match kind {
        "json" => ct.contains("json"),
        "form" => ct.contains("x-www-form-urlencoded") || ct.contains("text/plain"),
        "multipart" => ct.contains("multipart/"),
        "xml" => ct.contains("xml") || ct.contains("html") || ct.contains("soap"),
        _ => !ct.contains("json") && !ct.contains("x-www-form-urlencoded"),
    };
    Some(fits)
}

/// The error message a failed response's body carries, if any: a JSON API's `message`,
/// `error`, `detail` or field errors, an HTML page's title, or the first words of plain text.
pub fn server_message(entry: &Entry) -> Option<String> {
    let excerpt = entry.response.content.text.as_ref()?;
    let decoded;
    let text: &str = if entry
        .response
        .content
        .encoding
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
    {
        let raw = excerpt.text.trim().as_bytes();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&raw[..raw.len() - raw.len() % 4])
            .ok()?;
        decoded = String::from_utf8_lossy(&bytes).into_owned();
        &decoded
    } else {
        &excerpt.text
    };
    let mime = entry.response.content.mime_type.to_ascii_lowercase();
    let trimmed = text.trim_start();
    let message = if mime.contains("json") || trimmed.starts_with('{') || trimmed.starts_with('[') {
        json_message(trimmed, entry.response.status.unwrap_or(0))
    } else if mime.contains("html") || trimmed.starts_with('<') {
        html_message(trimmed)
    } else {
        Some(squash(trimmed))
    };
    message
        .map(|m| clip(&squash(&m), MESSAGE_MAX))
        .filter(|m| !m.is_empty())
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json_message(text: &str, status: i64) -> Option<String> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => pick_message(&v).or_else(|| {
            // Django REST and similar answer a 400/422 with `{field: [messages]}` only.
            (status == 400 || status == 422)
                .then(|| field_errors(&v))
                .flatten()
        }),
        // A truncated excerpt: look for the first `"message": "..."`.
        Err(_) => quoted_field(text, "message")
            .or_else(|| quoted_field(text, "error"))
            .or_else(|| quoted_field(text, "detail")),
    }
}

const MESSAGE_KEYS: [&str; 12] = [
    "message",
    "error_description",
    "detail",
    "title",
    "error",
    "msg",
    "errorMessage",
    "error_message",
    "reason",
    "description",
    "faultstring",
    "fault",
];

fn pick_message(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        Value::Object(map) => {
            let head = MESSAGE_KEYS
                .iter()
                .find_map(|k| map.get(*k).and_then(pick_message));
            let details = map.get("errors").and_then(field_errors);
            match (head, details) {
                (Some(h), Some(d)) if !h.contains(&d) => Some(format!("{h}: {d}")),
                (Some(h), _) => Some(h),
                (None, d) => d,
            }
        }
        Value::Array(items) => field_errors(&Value::Array(items.clone())),
        _ => None,
    }
}

/// Field-level errors: `[{field, message}]`, `[{loc, msg}]` (FastAPI), JSON:API's
/// `[{source: {pointer}, detail}]`, or `{field: [messages]}` (Rails, Django).
fn field_errors(v: &Value) -> Option<String> {
    let parts: Vec<String> = match v {
        Value::Array(items) => items
            .iter()
            .take(3)
            .filter_map(|item| match item {
                Value::Object(m) => {
                    let what = pick_message(&Value::Object(crate::sort::map_from(
                        m.iter()
                            .filter(|(k, _)| k.as_str() != "errors")
                            .map(|(k, v)| (k.clone(), v.clone())),
                    )))?;
                    Some(match field_name(m) {
                        Some(f) => format!("{f}: {what}"),
                        None => what,
                    })
                }
                other => pick_message(other),
            })
            .collect(),
        Value::Object(map) => map
            .iter()
            .take(3)
            .filter_map(|(field, msgs)| {
                let text = match msgs {
                    Value::Array(list) => list
                        .iter()
                        .filter_map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    Value::String(s) => s.clone(),
                    _ => return None,
                };
                (!text.is_empty()).then(|| format!("{field}: {text}"))
            })
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    };
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn field_name(m: &serde_json::Map<String, Value>) -> Option<String> {
    for key in ["field", "property", "param", "path", "name", "attribute"] {
        if let Some(Value::String(s)) = m.get(key) {
            return Some(s.clone());
        }
    }
    if let Some(Value::Array(loc)) = m.get("loc") {
        let parts: Vec<String> = loc
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        return Some(parts.join("."));
    }
    m.get("source")
        .and_then(|s| s.get("pointer").or_else(|| s.get("parameter")))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn quoted_field(text: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\"");
    let after = &text[text.find(&needle)? + needle.len()..];
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let body = after.strip_prefix('"')?;
    let mut out = String::new();
    let mut escaped = false;
    for c in body.chars() {
        match (escaped, c) {
            (true, c) => {
                out.push(c);
                escaped = false;
            }
            (false, '\\') => escaped = true,
            (false, '"') => return Some(out),
            (false, c) => out.push(c),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// An HTML error page's message: its title, completed by the page's first words when the
/// title alone says little (Express titles its error pages just "Error").
fn html_message(html: &str) -> Option<String> {
    let title = element_text(html, "title");
    let body = ["h1", "h2", "pre", "p"]
        .iter()
        .find_map(|tag| element_text(html, tag))
        .filter(|b| Some(b) != title.as_ref());
    match (title, body) {
        (Some(t), Some(b)) if t.split_whitespace().count() <= 2 => Some(format!("{t}: {b}")),
        (Some(t), _) => Some(t),
        (None, Some(b)) => Some(b),
        (None, None) => {
            let text = squash(&decode_entities(&strip_tags(html)));
            (!text.is_empty()).then_some(text)
        }
    }
}

fn element_text(html: &str, tag: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find(&format!("<{tag}"))?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find(&format!("</{tag}"))?;
    let text = squash(&decode_entities(&strip_tags(&html[start..end])));
    (!text.is_empty()).then_some(text)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(4096));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_kinds_and_content_types() {
        assert_eq!(body_kind(r#"{"a":1}"#), "json");
        assert_eq!(body_kind("a=1&b=2"), "form");
        assert_eq!(body_kind("hello world"), "text");
        assert_eq!(
            content_type_fits("application/json; charset=utf-8", "json"),
            Some(true)
        );
        assert_eq!(
            content_type_fits("application/x-www-form-urlencoded", "json"),
            Some(false)
        );
        assert_eq!(
            content_type_fits("text/plain;charset=UTF-8", "json"),
            Some(false)
        );
        assert_eq!(content_type_fits("application/json", "form"), Some(false));
        assert_eq!(content_type_fits("", "json"), None);
    }

    #[test]
    fn json_messages_from_common_api_shapes() {
        let m = |s: &str, status| json_message(s, status);
        assert_eq!(
            m(r#"{"message":"db timeout"}"#, 500).as_deref(),
            Some("db timeout")
        );
        assert_eq!(
            m(r#"{"error":{"code":7,"message":"quota exceeded"}}"#, 429).as_deref(),
            Some("quota exceeded")
        );
        assert_eq!(
            m(
                r#"{"error":"invalid_token","error_description":"expired"}"#,
                401
            )
            .as_deref(),
            Some("expired")
        );
        assert_eq!(
            m(
                r#"{"detail":[{"loc":["body","email"],"msg":"field required"}]}"#,
                422
            )
            .as_deref(),
            Some("body.email: field required")
        );
        assert_eq!(
            m(
                r#"{"message":"Invalid","errors":{"email":["is taken","is short"]}}"#,
                422
            )
            .as_deref(),
            Some("Invalid: email: is taken, is short")
        );
        assert_eq!(
            m(r#"{"email":["Enter a valid email address."]}"#, 400).as_deref(),
            Some("email: Enter a valid email address.")
        );
        assert_eq!(
            m(r#"{"errors":[{"message":"Cannot query field"}]}"#, 400).as_deref(),
            Some("Cannot query field")
        );
        assert_eq!(
            m(r#"{"message": "cut \"here"#, 500).as_deref(),
            Some("cut \"here")
        );
    }

    #[test]
    fn html_messages() {
        let page = "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>";
        assert_eq!(html_message(page).as_deref(), Some("502 Bad Gateway"));
        let page = "<html><body><h1>Service &amp; Co unavailable</h1></body></html>";
        assert_eq!(
            html_message(page).as_deref(),
            Some("Service & Co unavailable")
        );
    }
}
