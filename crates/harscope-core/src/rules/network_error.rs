//! `network-error`: a request that got no HTTP response at all.
//!
//! What it checks: requests with status 0 or below (Playwright writes -1, WebPageTest -2) or
//! with a failure note from the producer (`_error` from Chrome and Safari, `_failureText` from
//! Playwright, `_wasAborted`). Each is classified from the browser's error text:
//! - `timeout` (`net::ERR_TIMED_OUT`, `ETIMEDOUT`, `NS_ERROR_NET_TIMEOUT`),
//! - `connection-refused` (nothing listening on that host and port),
//! - `connection-reset` (the connection dropped mid-request),
//! - `dns` (the host name did not resolve),
//! - `tls` (certificate or handshake failures),
//! - `cors` (the browser withheld a cross-origin response: a cross-origin request that failed
//!   with `net::ERR_FAILED`, an explicit CORS error, or a failed preflight),
//! - `redirect-loop` (the client gave up following redirects),
//! - `aborted` (cancelled by the page or the user: info only),
//! - `blocked-by-client` (an ad or privacy blocker: info only),
//! - `other`, with the producer's text.
//!
//! Why it matters: without a response the page cannot render what it asked for, and the
//! error text is the only clue. Each kind points at a different owner: the service (refused,
//! reset, timeout), DNS, certificates, the API's CORS configuration, or the page's own code.
//!
//! How to fix it: follow the advice for the kind; it names what to check first.

use std::collections::HashSet;

use serde_json::json;

use super::{request_finding, Rule};
use crate::capture::{url_host, url_origin, Capture, PageGroup};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms, short_url};
use crate::har::Entry;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "network-error",
    title: "Request failed without an HTTP response",
    check,
};

fn check(cx: &Capture, _: &Thresholds, out: &mut Vec<Finding>) {
    for group in &cx.pages {
        let page_origin = page_origin(cx, group);
        let rejected = rejected_preflights(cx, group);
        for &index in &group.entries {
            let entry = cx.entry(index);
            let gave_up = entry.was_aborted == Some(true) || entry.failure_text().is_some();
            // An entry with no status at all is a gap in the capture, not a failed request.
            let failed = entry.response.status.is_some_and(|s| s <= 0);
            if !failed && !gave_up {
                continue;
            }
            out.push(finding(cx, index, entry, page_origin.as_deref(), &rejected));
        }
    }
}

/// The origin the page was loaded from: its document's URL, else a URL-like page title
/// (Chrome titles pages with their URL), else its first request's.
fn page_origin(cx: &Capture, group: &PageGroup) -> Option<String> {
    group
        .document
        .and_then(|d| url_origin(&cx.entry(d).request.url))
        .or_else(|| {
            group
                .page
                .and_then(|p| p.title.as_deref())
                .and_then(url_origin)
        })
        .or_else(|| {
            group
                .entries
                .first()
                .and_then(|&i| url_origin(&cx.entry(i).request.url))
        })
}

fn finding(
    cx: &Capture,
    index: usize,
    entry: &Entry,
    page_origin: Option<&str>,
    rejected_preflights: &HashSet<&str>,
) -> Finding {
    let text = entry.failure_text().unwrap_or("").trim();
    let cross_origin = match (page_origin, url_origin(&entry.request.url)) {
        (Some(page), Some(req)) => Some(page != req),
        _ => None,
    };
    let preflight = failed_preflight(entry, rejected_preflights);
    let kind = classify(
        text,
        entry.was_aborted == Some(true),
        cross_origin,
        preflight,
    );
    let elapsed = entry.duration_ms();
    let host = url_host(&entry.request.url);
    let reason = if text.is_empty() {
        match entry.response.status {
            _ if entry.was_aborted == Some(true) => {
                "marked `_wasAborted` by the recorder".to_owned()
            }
            Some(-2) => "no response (WebPageTest status -2) and no reason recorded".to_owned(),
            _ => "no response and no reason recorded".to_owned(),
        }
    } else {
        text.to_owned()
    };
    let took = elapsed
        .filter(|e| *e > 0.0)
        .map(|e| format!(" after {}", duration(e)))
        .unwrap_or_default();
    let outcome = match entry.response.status.filter(|s| *s > 0) {
        // A response arrived, but the client gave up on the exchange (a redirect loop, say).
        Some(status) => format!("got {status}, then failed"),
        None => "failed".to_owned(),
    };
    let message = format!(
        "{} {} {}{} with no usable HTTP response: {} ({}).",
        entry.request.method,
        short_url(&entry.request.url),
        outcome,
        took,
        label(kind),
        reason
    );
    let severity = match kind {
        "aborted" | "blocked-by-client" => Severity::Info,
        "other" if text.is_empty() => Severity::Warning,
        _ => Severity::Error,
    };
    request_finding(
        cx,
        RULE.id,
        severity,
        vec![index],
        message,
        advice(kind, host, page_origin),
        json!({
            "kind": kind,
            "error": (!text.is_empty()).then_some(text),
            "status": entry.response.status,
            "elapsed_ms": elapsed.map(round_ms),
            "cross_origin": cross_origin,
            "page_origin": page_origin,
            "failed_preflight": preflight,
            "method": entry.request.method,
        }),
    )
}

/// URLs of the page whose OPTIONS preflight got no 2xx answer, gathered once per page.
fn rejected_preflights<'h>(cx: &Capture<'h, '_>, group: &PageGroup) -> HashSet<&'h str> {
    group
        .entries
        .iter()
        .map(|&i| cx.entry(i))
        .filter(|e| {
            e.request.method.eq_ignore_ascii_case("OPTIONS")
                && e.response.status.is_none_or(|s| !(200..300).contains(&s))
        })
        .map(|e| e.request.url.as_ref())
        .collect()
}

/// Whether this request is a failed preflight, or one whose preflight was rejected.
fn failed_preflight(entry: &Entry, rejected_preflights: &HashSet<&str>) -> bool {
    if entry.request.method.eq_ignore_ascii_case("OPTIONS") {
        return entry
            .request_header("access-control-request-method")
            .is_some();
    }
    rejected_preflights.contains(entry.request.url.as_ref())
}

/// The failure's kind, from the producer's error text.
pub fn classify(
    text: &str,
    aborted_flag: bool,
    cross_origin: Option<bool>,
    preflight: bool,
) -> &'static str {
    let t = text.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| t.contains(n));
    if has(&[
        "blocked_by_client",
        "blocked_by_administrator",
        "blocked by content blocker",
    ]) {
        "blocked-by-client"
    } else if has(&["connection_aborted", "econnaborted", "connection aborted"]) {
        "connection-reset"
    } else if aborted_flag || has(&["aborted", "cancelled", "canceled", "binding_abort"]) {
        "aborted"
    } else if has(&[
        "cors",
        "access-control",
        "preflight",
        "blocked_by_response",
        "blocked_by_orb",
        "blocked_by_corb",
    ]) {
        "cors"
    } else if has(&[
        "too_many_redirects",
        "redirects exceeded",
        "redirect loop",
        "maxredirects",
    ]) {
        "redirect-loop"
    } else if has(&[
        "name_not_resolved",
        "name_resolution",
        "enotfound",
        "eai_again",
        "unknown_host",
        "could not be found",
        "dns",
    ]) {
        "dns"
    } else if has(&[
        "cert",
        "ssl",
        "tls",
        "insecure_response",
        "sec_error",
        "handshake",
    ]) {
        "tls"
    } else if has(&["timed_out", "timedout", "timeout", "timed out"]) {
        "timeout"
    } else if has(&[
        "refused",
        "could not connect",
        "connection_failed",
        "address_unreachable",
    ]) {
        "connection-refused"
    } else if has(&[
        "reset",
        "connection_closed",
        "empty_response",
        "net_interrupt",
        "connection was lost",
        "socket hang up",
        "econnaborted",
    ]) {
        "connection-reset"
    } else if (t.is_empty() || t.contains("err_failed"))
        && (preflight || cross_origin == Some(true) && !t.is_empty())
    {
        // Chrome reports a response withheld by CORS as a bare net::ERR_FAILED.
        "cors"
    } else {
        "other"
    }
}

fn label(kind: &str) -> &'static str {
    match kind {
        "timeout" => "timed out",
        "connection-refused" => "connection refused",
        "connection-reset" => "connection reset",
        "dns" => "host name did not resolve",
        "tls" => "TLS or certificate failure",
        "cors" => "blocked by CORS",
        "aborted" => "aborted by the client",
        "blocked-by-client" => "blocked by an extension",
        "redirect-loop" => "too many redirects",
        _ => "failed",
    }
}

fn advice(kind: &str, host: &str, page_origin: Option<&str>) -> String {
    match kind {
        "timeout" => format!("No answer arrived in time. Check that {host} is healthy and reachable from the user's network (firewalls, VPN, load balancer), and whether the endpoint does slow work that should be asynchronous."),
        "connection-refused" => format!("Nothing accepted the connection at {host}: the service is down or restarting, or the URL points at the wrong host, port or environment (a `localhost` URL in production is a classic)."),
        "connection-reset" => format!("The connection to {host} dropped mid-request: a crashing server process, a proxy or load balancer idle timeout, or a protocol error. Check the server's and the proxy's logs at that time."),
        "dns" => format!("The name {host} did not resolve: check the URL for a typo or a wrong environment, the DNS record itself, and the resolver (in Kubernetes: CoreDNS health and `ndots` settings)."),
        "tls" => format!("The TLS handshake with {host} failed: an expired or mis-issued certificate, a wrong host name, or a missing intermediate. Check it with `openssl s_client -connect {host}:443 -servername {host}` and alert on certificates expiring within 14 days."),
        "cors" => format!(
            "The browser withheld the response because {host} did not allow the page's origin{}. Fix it on the server or its proxy: answer with Access-Control-Allow-Origin for that origin and, for credentials or custom headers, a preflight (OPTIONS) that allows them. The server's logs often show the request succeeded.",
            page_origin.map(|o| format!(" ({o})")).unwrap_or_default()
        ),
        "redirect-loop" => format!("The client gave up following redirects from {host}: the redirects form a loop or a chain too long to follow. Check the Location headers along the chain: a loop between http and https, between two host names, or a login page redirecting to itself (often a cookie that is not set or not sent) are the usual causes."),
        "aborted" => "The request was cancelled by the page (navigation, AbortController, a component unmounting, a superseded search) or by the user. Harmless when intended; if not, look for client-side timeouts that give up too early.".to_owned(),
        "blocked-by-client" => "A browser extension (ad or privacy blocker) blocked this request. Make sure the page works without it: no critical feature should depend on URLs that blockers match.".to_owned(),
        _ => "The capture records no HTTP response. Reproduce with the browser's console open to see its reason, and check the server's logs for the request.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::classify;
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    #[test]
    fn classifies_the_browsers_error_texts() {
        let c = |t: &str| classify(t, false, Some(false), false);
        assert_eq!(c("net::ERR_CONNECTION_TIMED_OUT"), "timeout");
        assert_eq!(c("net::ERR_TIMED_OUT"), "timeout");
        assert_eq!(c("net::ERR_CONNECTION_REFUSED"), "connection-refused");
        assert_eq!(c("Could not connect to the server."), "connection-refused");
        assert_eq!(c("net::ERR_CONNECTION_RESET"), "connection-reset");
        assert_eq!(c("net::ERR_EMPTY_RESPONSE"), "connection-reset");
        assert_eq!(c("net::ERR_CONNECTION_ABORTED"), "connection-reset");
        assert_eq!(c("ECONNABORTED"), "connection-reset");
        assert_eq!(
            c("Preflight response is not successful. Status code: 403"),
            "cors"
        );
        assert_eq!(c("net::ERR_NAME_NOT_RESOLVED"), "dns");
        assert_eq!(
            c("A server with the specified hostname could not be found."),
            "dns"
        );
        assert_eq!(c("net::ERR_CERT_DATE_INVALID"), "tls");
        assert_eq!(c("net::ERR_INSECURE_RESPONSE"), "tls");
        assert_eq!(c("net::ERR_ABORTED"), "aborted");
        assert_eq!(c("cancelled"), "aborted");
        assert_eq!(c("net::ERR_BLOCKED_BY_CLIENT"), "blocked-by-client");
        assert_eq!(c("net::ERR_TOO_MANY_REDIRECTS"), "redirect-loop");
        assert_eq!(c("Max redirects exceeded (MAXREDIRECTS)"), "redirect-loop");
        assert_eq!(
            c("Cross-Origin Request Blocked: CORS header missing"),
            "cors"
        );
        assert_eq!(c("net::ERR_FAILED"), "other");
        assert_eq!(
            classify("net::ERR_FAILED", false, Some(true), false),
            "cors"
        );
        assert_eq!(classify("", true, None, false), "aborted");
        assert_eq!(classify("", false, None, false), "other");
    }

    #[test]
    fn cross_origin_err_failed_is_cors() {
        let doc = har(&[
            entry("https://app.example/", 0.0).resource("document"),
            entry("https://api.other.example/data", 10.0)
                .status(0)
                .error("net::ERR_FAILED"),
            entry("https://app.example/local", 10.0)
                .status(0)
                .error("net::ERR_FAILED"),
        ]);
        let f = run(&doc, "network-error", &Thresholds::default());
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].evidence["kind"], "cors");
        assert_eq!(f[0].evidence["cross_origin"], true);
        assert_eq!(f[0].evidence["page_origin"], "https://app.example");
        assert!(f[0].advice.contains("Access-Control-Allow-Origin"));
        assert_eq!(f[1].evidence["kind"], "other");
        assert_eq!(f[1].severity, Severity::Error);
    }

    #[test]
    fn playwright_failure_text_and_status_minus_one() {
        let doc = har(&[entry("http://localhost:9/api", 0.0)
            .status(-1)
            .failure_text("net::ERR_CONNECTION_REFUSED")]);
        let f = &run(&doc, "network-error", &Thresholds::default())[0];
        assert_eq!(f.evidence["kind"], "connection-refused");
        assert_eq!(f.evidence["status"], -1);
        assert!(f.advice.contains("localhost"));
    }

    #[test]
    fn aborted_is_info_and_unexplained_is_a_warning() {
        let doc = har(&[
            entry("https://app.example/search?q=a", 0.0)
                .status(0)
                .error("net::ERR_ABORTED"),
            entry("https://app.example/x", 0.0).status(0),
        ]);
        let f = run(&doc, "network-error", &Thresholds::default());
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(f[1].severity, Severity::Warning);
        assert_eq!(f[1].evidence["kind"], "other");
    }
}
