//! `http-error`: a request the server answered with a 4xx or 5xx status.
//!
//! What it checks: every response with status 400 or above. 5xx are errors, 4xx warnings (a
//! missing favicon is only info). Each finding carries what a person would look at next in the
//! Network tab:
//! - what the status means: 401 authentication, 403 permissions, 404 endpoint or resource,
//!   400/422 validation, 415 payload type, 429 rate limiting, 5xx the server or a gateway;
//! - the server's own error message, taken from a JSON body (`message`, `error`, `detail`,
//!   field errors), an HTML error page's title, or plain text;
//! - whether the request carried an Authorization-like header and cookies: "sent", "not sent",
//!   or "unknown" when the capture cannot tell (no headers recorded, or an export that strips
//!   every credential, as Chrome 130+ does by default);
//! - whether the request's Content-Type matches its body, and whether an API call got HTML
//!   back (a proxy's or a login page instead of the application's answer);
//! - how long it took to fail: an immediate failure is a decision (routing, auth, validation),
//!   a failure after many seconds is a timeout somewhere upstream;
//! - trace or correlation ids (`traceparent`, `x-request-id`, `x-correlation-id`,
//!   `x-amzn-trace-id`, ...) from the request or response, to find it in the backend's logs.
//!
//! Why it matters: a failed API call is the most common cause of a broken page, and the status
//! alone rarely says why. The message and the request's headers usually do.
//!
//! How to fix it: depends on the status; the advice in each finding is specific to it.

use serde_json::json;

use super::common::{self, credentials, Presence};
use super::{request_finding, Rule};
use crate::capture::{resource_type, url_path, Capture};
use crate::config::Thresholds;
use crate::fmt::{clip, duration, round_ms, short_url};
use crate::har::Entry;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "http-error",
    title: "HTTP error response",
    check,
};

/// A failure faster than this (server wait) was decided without real work.
const FAST_FAIL_MS: f64 = 100.0;
/// A failure slower than this points at a timeout upstream.
const SLOW_FAIL_MS: f64 = 10_000.0;

fn check(cx: &Capture, _: &Thresholds, out: &mut Vec<Finding>) {
    for (index, entry) in cx.har.entries.iter().enumerate() {
        let Some(status) = entry.response.status.filter(|s| *s >= 400) else {
            continue;
        };
        out.push(finding(cx, index, entry, status));
    }
}

fn finding(cx: &Capture, index: usize, entry: &Entry, status: i64) -> Finding {
    let (category, meaning) = meaning(status);
    let message_text = common::server_message(entry);
    let (auth, cookie) = credentials(cx, entry);
    let request_ct = entry
        .request_header("content-type")
        .or(entry
            .request
            .post_data
            .as_ref()
            .and_then(|p| p.mime_type.as_deref()))
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let body = entry
        .request
        .post_data
        .as_ref()
        .and_then(|p| p.text.as_ref());
    let body_kind = body.map(|b| common::body_kind(&b.text));
    let ct_fits = match (request_ct, body_kind) {
        (Some(ct), Some(kind)) => common::content_type_fits(ct, kind),
        _ => None,
    };
    let kind = resource_type(entry);
    let response_ct = entry.response.content.mime_type.as_ref();
    let html_for_api =
        is_api_call(entry, kind) && response_ct.to_ascii_lowercase().contains("html");
    let elapsed = entry.duration_ms();
    let wait = crate::har::known(entry.timings.wait);
    let speed = match (elapsed, wait) {
        (Some(e), _) if e >= SLOW_FAIL_MS => "slow",
        (_, Some(w)) if w < FAST_FAIL_MS => "fast",
        (Some(_), _) | (_, Some(_)) => "normal",
        _ => "unknown",
    };
    let traces = common::trace_ids(entry);
    let retry_after = entry.response_header("retry-after").map(str::to_owned);

    let status_text = entry.response.status_text.trim();
    let mut message = format!(
        "{} {} failed with {}{}{}",
        entry.request.method,
        short_url(&entry.request.url),
        status,
        if status_text.is_empty() { "" } else { " " },
        status_text
    );
    match &message_text {
        Some(m) => message.push_str(&format!(": \"{}\".", clip(m, 160))),
        None => message.push_str(&format!(" ({meaning}).")),
    }

    let preflight = entry.request.method.eq_ignore_ascii_case("OPTIONS")
        && entry
            .request_header("access-control-request-method")
            .is_some();
    let sanitized = !cx.credentials_visible && cx.from_chromium_devtools();
    let mut advice = vec![status_advice(status, auth, cookie, sanitized)];
    if preflight {
        advice.insert(0, "This is a CORS preflight: the server refused to let the page's origin make this call, so the browser never sent the real request. Allow the origin, method and headers for OPTIONS on the server or its proxy (and make sure OPTIONS skips authentication).".to_owned());
    }
    if ct_fits == Some(false) {
        advice.push(format!(
            "The request says Content-Type {} but its body looks like {}: fix the header or the serialization (a `fetch` with a string body and no Content-Type sends text/plain).",
            request_ct.unwrap_or("?"),
            body_kind.map(|k| k.to_ascii_uppercase()).unwrap_or_default()
        ));
    }
    if html_for_api {
        advice.push("An API call got an HTML page back: that is usually a proxy, gateway or login page answering instead of the application.".to_owned());
    }
    match (speed, elapsed) {
        ("slow", Some(e)) => advice.push(format!(
            "It failed only after {}: a timeout upstream (gateway, proxy or a slow dependency), not a quick refusal.",
            duration(e)
        )),
        ("fast", _) if status >= 500 => advice.push(format!(
            "It failed within {}: not a timeout, but an error raised early or a dependency that refused at once.",
            duration(wait.unwrap_or(0.0))
        )),
        _ => {}
    }
    if let Some(t) = traces.first() {
        advice.push(format!(
            "Search the backend's logs for {}: {}.",
            t.header, t.value
        ));
    } else if status >= 500 {
        advice.push(
            "The capture holds no trace or request id: search the server's logs by time and URL."
                .to_owned(),
        );
    }
    if let Some(r) = &retry_after {
        let when = if r.trim().bytes().all(|b| b.is_ascii_digit()) {
            format!("{} s", r.trim())
        } else {
            r.trim().to_owned()
        };
        advice.push(format!(
            "The server asked to retry after {when} (Retry-After)."
        ));
    }

    request_finding(
        cx,
        RULE.id,
        severity(status, entry),
        vec![index],
        message,
        advice.join(" "),
        json!({
            "status": status,
            "status_text": status_text,
            "category": category,
            "meaning": meaning,
            "server_message": message_text,
            "authorization": auth.as_str(),
            "cookie": cookie.as_str(),
            "request_content_type": request_ct,
            "body_kind": body_kind,
            "content_type_matches": ct_fits,
            "response_content_type": response_ct,
            "html_for_api_call": html_for_api,
            "elapsed_ms": elapsed.map(round_ms),
            "wait_ms": wait.map(round_ms),
            "failure_speed": speed,
            "trace_ids": traces,
            "retry_after": retry_after,
            "method": entry.request.method,
            "resource_type": kind,
            "cors_preflight": preflight,
        }),
    )
}

fn severity(status: i64, entry: &Entry) -> Severity {
    if (500..600).contains(&status) {
        Severity::Error
    } else if status == 404 && url_path(&entry.request.url).ends_with("favicon.ico") {
        Severity::Info
    } else {
        Severity::Warning
    }
}

fn is_api_call(entry: &Entry, kind: &str) -> bool {
    kind == "fetch"
        || kind == "xhr"
        || entry
            .request_header("accept")
            .is_some_and(|a| a.contains("json") && !a.contains("html"))
}

/// A category id and a few words on what the status means.
fn meaning(status: i64) -> (&'static str, &'static str) {
    match status {
        400 => ("validation", "the server rejected the request as malformed"),
        401 => (
            "auth",
            "not authenticated: missing, expired or invalid credentials",
        ),
        403 => ("permissions", "authenticated, but not allowed to do this"),
        404 => ("endpoint", "no such endpoint or resource"),
        405 => ("endpoint", "the endpoint does not accept this method"),
        406 => (
            "payload",
            "the server cannot produce what the Accept header asks for",
        ),
        408 => ("timeout", "the server gave up waiting for the request"),
        409 => ("conflict", "conflict with the resource's current state"),
        410 => ("endpoint", "the resource is gone for good"),
        413 => ("payload", "the request body is too large"),
        415 => (
            "payload",
            "the server does not accept this request body's type",
        ),
        422 => (
            "validation",
            "the server understood the request but rejected its content",
        ),
        429 => ("rate-limit", "too many requests: rate limited"),
        s if s < 500 => ("client", "the server refused the request"),
        502 => (
            "gateway",
            "a gateway got a bad answer from the service behind it",
        ),
        503 => ("unavailable", "the service is unavailable or overloaded"),
        504 => (
            "gateway-timeout",
            "a gateway timed out waiting for the service behind it",
        ),
        s if s > 599 => ("nonstandard", "a status code outside HTTP's range"),
        _ => ("server", "the server failed while handling the request"),
    }
}

/// What a 401 means given what the capture shows of the request's credentials.
fn unauthorized_advice(auth: Presence, cookie: Presence, sanitized: bool) -> String {
    let s = match (auth, cookie) {
        (Presence::Sent, _) => "A credential was sent and rejected: it is probably expired, revoked, malformed (check the `Bearer ` prefix) or issued for another environment or audience.",
        (Presence::NotSent, Presence::Sent) => "Only cookies were sent: if this API expects a bearer token, the client did not attach it; if it uses a session cookie, the session has probably expired.",
        (Presence::Unknown, Presence::Sent) => "Cookies were sent (a session that may have expired), but the capture records no request headers, so whether an Authorization header went out is unknown.",
        (Presence::NotSent, Presence::NotSent) => "No Authorization header and no cookie were sent: the client lost its token or never attached it. Check the code that adds the header (fetch wrapper, interceptor), the token refresh, and for cross-origin calls `credentials: 'include'` and the cookie's SameSite and Domain.",
        _ if sanitized => "This capture shows no Authorization headers or cookies at all, so it cannot tell whether a token was sent: Chrome 130+ strips them on export by default. Re-export with sensitive data allowed (DevTools setting \"Allow to generate HAR with sensitive data\") to check.",
        _ => "The capture records no request headers for this call, so it cannot tell whether a token was sent. Capture it again with headers (a browser's DevTools export, or a proxy) to check.",
    };
    s.to_owned()
}

fn status_advice(status: i64, auth: Presence, cookie: Presence, sanitized: bool) -> String {
    let s = match status {
        401 => return unauthorized_advice(auth, cookie, sanitized),
        403 => "The server knows the caller but refuses: check the user's roles and scopes, who owns the resource, CSRF tokens, and any WAF or IP rules in front of the service. Compare with an account that works.",
        404 | 410 => "Check the URL the client calls against the server's routes: base URL, path, API version, a trailing slash. A frontend deployed ahead of its backend, or an id that no longer exists, also gives a 404.",
        405 => "Check the HTTP method against the API: the route exists but not for this method.",
        400 | 422 => "Compare the request body with what the API expects: required fields, types, formats. The server's message usually names the field.",
        413 => "Send less in one request (paginate or upload in chunks), or raise the server's or proxy's body limit.",
        415 | 406 => "Check the Content-Type and Accept headers against what the API accepts.",
        408 => "The client sent its request too slowly: check for slow uploads or a stalled connection.",
        409 => "The resource changed underneath the request: refetch it and retry, or handle concurrent edits (version numbers, ETags).",
        429 => "The client sent too many requests: back off and retry later, and look for loops, duplicate calls or missing caching that multiply requests.",
        502 => "The gateway could not talk to the service behind it: the service is probably crashing, restarting or out of capacity. Check its health and logs at that time.",
        503 => "The service is down, overloaded or in maintenance. Check its health checks, autoscaling and recent deploys.",
        504 => "The service behind the gateway took longer than the gateway's timeout: find the slow operation (queries, upstream calls) or make the endpoint asynchronous.",
        500..=599 => "The server hit an unhandled error: its logs hold the stack trace.",
        s if s > 599 => "A status above 599 is not HTTP's: a proxy, a load balancer or the producer of the capture wrote it. Check what sits between the browser and the server.",
        _ => "The server refused the request: compare it with what the API expects.",
    };
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    fn one(doc: &str) -> crate::report::Finding {
        let mut f = run(doc, "http-error", &Thresholds::default());
        assert_eq!(f.len(), 1, "{f:?}");
        f.remove(0)
    }

    #[test]
    fn server_error_with_message_and_trace_id() {
        let doc = har(&[entry("https://api.example/orders", 0.0)
            .method("POST")
            .status(500)
            .post("application/json", r#"{"item": 1}"#)
            .request_header("Content-Type", "application/json")
            .request_header(
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            )
            .mime("application/json")
            .body(r#"{"error": {"message": "database timeout"}}"#)]);
        let f = one(&doc);
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.evidence["server_message"], "database timeout");
        assert_eq!(f.evidence["category"], "server");
        assert_eq!(f.evidence["content_type_matches"], true);
        assert_eq!(f.evidence["trace_ids"][0]["header"], "traceparent");
        assert!(f.message.contains("\"database timeout\""), "{}", f.message);
        assert!(
            f.advice.contains("4bf92f3577b34da6a3ce929d0e0e4736"),
            "{}",
            f.advice
        );
    }

    #[test]
    fn unauthorized_without_any_credential() {
        let doc = har(&[
            entry("https://app.example/", 0.0).request_cookie("session"),
            entry("https://api.example/me", 10.0).status(401),
        ]);
        let f = one(&doc);
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.evidence["authorization"], "not sent");
        assert_eq!(f.evidence["cookie"], "not sent");
        assert_eq!(f.evidence["category"], "auth");
        assert!(f.advice.contains("never attached"), "{}", f.advice);
    }

    #[test]
    fn unauthorized_with_a_rejected_token() {
        let doc = har(&[entry("https://api.example/me", 0.0)
            .status(401)
            .request_header("Authorization", "Bearer abc")]);
        let f = one(&doc);
        assert_eq!(f.evidence["authorization"], "sent");
        assert!(f.advice.contains("expired"), "{}", f.advice);
    }

    #[test]
    fn credentials_are_unknown_in_a_sanitized_devtools_export() {
        let doc = har(&[entry("https://api.example/me", 0.0).status(401)])
            .replace("harscope-tests", "WebInspector");
        let f = one(&doc);
        assert_eq!(f.evidence["authorization"], "unknown");
        assert!(f.advice.contains("Chrome 130"), "{}", f.advice);
    }

    #[test]
    fn validation_error_lists_fields_and_content_type_mismatch() {
        let doc = har(&[entry("https://api.example/signup", 0.0)
            .method("POST")
            .status(422)
            .post("text/plain;charset=UTF-8", r#"{"email": "x"}"#)
            .request_header("Content-Type", "text/plain;charset=UTF-8")
            .body(
                r#"{"detail": [{"loc": ["body", "email"], "msg": "value is not a valid email"}]}"#,
            )]);
        let f = one(&doc);
        assert_eq!(
            f.evidence["server_message"],
            "body.email: value is not a valid email"
        );
        assert_eq!(f.evidence["content_type_matches"], false);
        assert_eq!(f.evidence["body_kind"], "json");
        assert!(f.advice.contains("Content-Type text/plain"), "{}", f.advice);
    }

    #[test]
    fn gateway_timeout_after_thirty_seconds_with_html_page() {
        let doc = har(&[entry("https://api.example/report", 0.0)
            .resource("fetch")
            .status(504)
            .wait(30_000.0)
            .mime("text/html")
            .body("<html><head><title>504 Gateway Time-out</title></head></html>")]);
        let f = one(&doc);
        assert_eq!(f.evidence["failure_speed"], "slow");
        assert_eq!(f.evidence["html_for_api_call"], true);
        assert_eq!(f.evidence["server_message"], "504 Gateway Time-out");
        assert!(f.advice.contains("timeout upstream"), "{}", f.advice);
    }

    #[test]
    fn cookies_without_recorded_headers_are_not_called_a_sanitized_export() {
        let mut doc: serde_json::Value =
            serde_json::from_str(&har(&[entry("https://api.example/me", 0.0)
                .status(401)
                .request_cookie("session")]))
            .unwrap();
        doc["log"]["entries"][0]["request"]["headers"] = serde_json::json!([]);
        let f = one(&doc.to_string());
        assert_eq!(f.evidence["cookie"], "sent");
        assert_eq!(f.evidence["authorization"], "unknown");
        assert!(f.advice.contains("Cookies were sent"), "{}", f.advice);
        assert!(!f.advice.contains("Chrome 130"), "{}", f.advice);
    }

    #[test]
    fn statuses_beyond_http_are_not_server_errors() {
        let f = one(&har(&[entry("https://api.example/x", 0.0).status(999)]));
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.evidence["category"], "nonstandard");
    }

    #[test]
    fn missing_favicon_is_info_and_successes_are_ignored() {
        let doc = har(&[
            entry("https://app.example/favicon.ico", 0.0).status(404),
            entry("https://app.example/ok", 0.0).status(204),
            entry("https://app.example/moved", 0.0).status(302),
        ]);
        assert_eq!(one(&doc).severity, Severity::Info);
    }
}
