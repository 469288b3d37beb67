//! `duplicate-request`: the same request sent twice (a double submit, a retry storm).
//!
//! What it checks: mutating requests (POST, PUT, PATCH, DELETE) with the same method, URL and
//! body sent again within a short window of each other (2 s by default,
//! `--duplicate-window-ms`): a warning, an error when two or more of them succeeded (the
//! action probably happened twice). Identical GET calls to an API (fetch and XHR; not
//! scripts, styles, fonts or images, which `cache-missing` covers) made more than once in one
//! page load, none served from the browser's cache, are information: a
//! missing cache, or two components fetching the same data. CORS preflights, documents and
//! static assets are left out.
//!
//! Why it matters: a double-submitted order, payment or message is a race condition with
//! real consequences (two orders, two charges), and retries that pile up without backing off
//! make an overloaded server worse. Repeated reads cost round trips and server work for data
//! the page already had.
//!
//! How to fix it: disable the submit button (or ignore clicks) while a request is in flight,
//! deduplicate in-flight requests in the data layer, and make mutating endpoints idempotent
//! (an `Idempotency-Key` header the server remembers). For repeated reads, share one request
//! between components (a query cache such as React Query or SWR) or let HTTP caching answer.

use std::collections::HashMap;

use serde_json::json;

use super::{request_finding, Rule};
use crate::capture::{resource_type, Capture};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms, short_url};
use crate::har::Entry;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "duplicate-request",
    title: "The same request sent twice (double submit, repeated fetch)",
    check,
};

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    // Requests by (page, method, URL, body), in start order.
    let mut groups: HashMap<(Option<&str>, &str, &str, &str), Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (index, entry) in cx.har.entries.iter().enumerate() {
        let method = entry.request.method.as_ref();
        let mutating = matches!(method, "POST" | "PUT" | "PATCH" | "DELETE");
        let api_read = method == "GET"
            && matches!(resource_type(entry), "fetch" | "xhr")
            && !super::cache_missing::is_static(entry);
        if !(mutating || api_read) || cx.spans[index].start.is_none() || is_browser_own(entry) {
            continue;
        }
        let body = entry
            .request
            .post_data
            .as_ref()
            .and_then(|p| p.text.as_ref())
            .map_or("", |t| t.text.as_ref());
        let key = (cx.page_of(index), method, entry.request.url.as_ref(), body);
        let group = groups.entry(key).or_default();
        if group.is_empty() {
            order.push(key);
        }
        group.push(index);
    }
    for key in order {
        let mut members = groups[&key].clone();
        if members.len() < 2 {
            continue;
        }
        crate::sort::sort_by(&mut members, |&a, &b| {
            let (x, y) = (cx.spans[a].start, cx.spans[b].start);
            x.unwrap_or(0.0)
                .total_cmp(&y.unwrap_or(0.0))
                .then(a.cmp(&b))
        });
        if key.1 == "GET" {
            let network: Vec<usize> = members
                .into_iter()
                .filter(|&i| cx.entry(i).from_cache.is_none() && !cx.entry(i).has_no_response())
                .collect();
            if network.len() >= 2 {
                out.push(repeated_read(cx, network));
            }
            continue;
        }
        // Runs of sends each within the window of the previous one.
        let mut run = vec![members[0]];
        for &next in &members[1..] {
            let previous = *run.last().unwrap_or(&next);
            let gap = start(cx, next) - start(cx, previous);
            if gap <= t.duplicate_window_ms {
                run.push(next);
            } else {
                if run.len() >= 2 {
                    out.push(double_submit(cx, t, std::mem::take(&mut run)));
                }
                run = vec![next];
            }
        }
        if run.len() >= 2 {
            out.push(double_submit(cx, t, run));
        }
    }
}

/// Certificate status checks (OCSP) that Firefox records beside the page's own requests: the
/// browser sends the same query for each connection it opens.
fn is_browser_own(e: &Entry) -> bool {
    let request_mime = e
        .request
        .post_data
        .as_ref()
        .and_then(|p| p.mime_type.as_deref())
        .unwrap_or("");
    request_mime.contains("ocsp") || e.response.content.mime_type.contains("ocsp")
}

fn start(cx: &Capture, i: usize) -> f64 {
    cx.spans[i].start.unwrap_or(0.0)
}

fn succeeded(e: &Entry) -> bool {
    e.response.status.is_some_and(|s| (200..300).contains(&s))
}

fn double_submit(cx: &Capture, t: &Thresholds, run: Vec<usize>) -> Finding {
    let first = cx.entry(run[0]);
    let n = run.len();
    let within = start(cx, run[n - 1]) - start(cx, run[0]);
    let ok = run.iter().filter(|&&i| succeeded(cx.entry(i))).count();
    let statuses: Vec<Option<i64>> = run.iter().map(|&i| cx.entry(i).response.status).collect();
    let severity = if ok >= 2 {
        Severity::Error
    } else {
        Severity::Warning
    };
    let outcome = if ok >= 2 {
        format!("; {ok} of them succeeded, so the action probably happened {ok} times")
    } else {
        String::new()
    };
    request_finding(
        cx,
        RULE.id,
        severity,
        run.clone(),
        format!(
            "{} {} was sent {n} times within {} with the same body{outcome}.",
            first.request.method,
            short_url(&first.request.url),
            duration(within)
        ),
        "A double submit or a retry storm: a race-condition risk. Disable the button (or ignore clicks) while the request is in flight, deduplicate in-flight requests, and make the endpoint idempotent: send an Idempotency-Key header and have the server return the first result for a key it has seen.".to_owned(),
        json!({
            "method": first.request.method,
            "times": n,
            "within_ms": round_ms(within),
            "window_ms": t.duplicate_window_ms,
            "succeeded": ok,
            "statuses": statuses,
            "gaps_ms": run.windows(2).map(|w| round_ms(start(cx, w[1]) - start(cx, w[0]))).collect::<Vec<_>>(),
        }),
    )
}

fn repeated_read(cx: &Capture, calls: Vec<usize>) -> Finding {
    let first = cx.entry(calls[0]);
    let n = calls.len();
    request_finding(
        cx,
        RULE.id,
        Severity::Info,
        calls.clone(),
        format!(
            "GET {} was fetched {n} times during one page load, none from the browser's cache.",
            short_url(&first.request.url)
        ),
        "The page asked the server for the same data more than once: two components fetching it, or a refetch on every render. Share one request between them (a query cache such as React Query or SWR, or a module-level promise), or let HTTP caching answer (Cache-Control with a max-age, or an ETag).".to_owned(),
        json!({
            "method": "GET",
            "times": n,
            "starts_ms": calls.iter().map(|&i| round_ms(start(cx, i))).collect::<Vec<_>>(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    #[test]
    fn a_double_submit_is_reported_with_its_outcome() {
        let doc = har(&[
            entry("https://shop.example/api/orders", 100.0)
                .method("POST")
                .post("application/json", r#"{"cart":"c-1"}"#),
            entry("https://shop.example/api/orders", 400.0)
                .method("POST")
                .post("application/json", r#"{"cart":"c-1"}"#),
            // Another body: another order.
            entry("https://shop.example/api/orders", 500.0)
                .method("POST")
                .post("application/json", r#"{"cart":"c-2"}"#),
        ]);
        let findings = run(&doc, "duplicate-request", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.entries, vec![0, 1]);
        assert_eq!(f.evidence["within_ms"], 300.0);
        assert!(
            f.message.contains("sent 2 times within 300 ms"),
            "{}",
            f.message
        );
        assert!(f.message.contains("2 of them succeeded"), "{}", f.message);
    }

    #[test]
    fn outside_the_window_is_not_a_duplicate() {
        let doc = har(&[
            entry("https://shop.example/api/orders", 0.0)
                .method("POST")
                .post("application/json", "a=1"),
            entry("https://shop.example/api/orders", 2500.0)
                .method("POST")
                .post("application/json", "a=1")
                .status(409),
        ]);
        assert!(run(&doc, "duplicate-request", &Thresholds::default()).is_empty());
        let t = Thresholds {
            duplicate_window_ms: 3000.0,
            ..Thresholds::default()
        };
        let findings = run(&doc, "duplicate-request", &t);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn repeated_api_reads_are_information_static_assets_are_not_reported() {
        let doc = har(&[
            entry("https://app.example/api/me", 0.0).resource("fetch"),
            entry("https://app.example/api/me", 80.0).resource("fetch"),
            entry("https://app.example/logo.png", 0.0),
            entry("https://app.example/logo.png", 90.0),
            entry("https://app.example/api/flags", 0.0).resource("fetch"),
            entry("https://app.example/api/flags", 50.0)
                .resource("fetch")
                .cached_in("memory"),
        ]);
        let findings = run(&doc, "duplicate-request", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Info);
        assert_eq!(findings[0].entries, vec![0, 1]);
    }
}
