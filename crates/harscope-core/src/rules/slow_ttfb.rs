//! `slow-ttfb`: the server took too long to start answering.
//!
//! What it checks: every response whose `timings.wait` (from the last byte of the request to
//! the first byte of the response, "Waiting for server response" in DevTools) is above the
//! TTFB threshold, 500 ms by default (`--ttfb-ms`). Four times the threshold is an error.
//! Responses served from the browser's cache and requests that got no response are skipped.
//!
//! Why it matters: waiting time is almost all server processing: the application, its
//! database queries and the services it calls. The network is not to blame here (DNS, connect
//! and TLS are separate phases, listed beside it). A slow HTML document delays everything on
//! the page; a slow API call delays whatever the page renders from it.
//!
//! How to fix it: find the request in the backend's logs or traces (the finding lists any
//! trace or request id the capture holds) and see where the time went: slow or repeated
//! database queries (N+1 patterns, missing indexes), cold caches, calls to slow upstream
//! services, lock waits. Cache what can be cached, move slow work out of the request path, and
//! for documents consider edge caching or streaming the HTML early.

use serde_json::json;

use super::{common, graded, request_finding, Rule};
use crate::capture::{resource_type, wait_ms, Capture};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms, short_url};
use crate::report::Finding;

pub const RULE: Rule = Rule {
    id: "slow-ttfb",
    title: "Slow server response (time to first byte)",
    check,
};

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    for (index, entry) in cx.har.entries.iter().enumerate() {
        if entry.has_no_response()
            || entry.from_cache.is_some()
            || entry.response.status == Some(101)
        {
            continue;
        }
        let Some(wait) = wait_ms(entry) else { continue };
        if wait <= t.ttfb_ms {
            continue;
        }
        let phases: serde_json::Map<String, serde_json::Value> = crate::sort::map_from(
            entry
                .timings
                .phases()
                .iter()
                .map(|(name, v)| ((*name).to_owned(), json!(v.map(round_ms)))),
        );
        let total = entry.duration_ms();
        let kind = resource_type(entry);
        let traces = common::trace_ids(entry);
        let mut advice = if kind == "document" {
            "The page's HTML itself was slow, so everything else waited for it. Look at the server-side rendering time, database calls and upstream services behind this URL; cache the page (or its data) at the edge where possible.".to_owned()
        } else {
            "This is server processing time, not network. Look at what the endpoint does: slow or repeated database queries, missing indexes, cold caches, calls to slow upstream services. Cache or precompute what you can and move slow work out of the request path.".to_owned()
        };
        if let Some(first) = traces.first() {
            advice.push_str(&format!(
                " Search the backend's logs and traces for {}: {}.",
                first.header, first.value
            ));
        }
        out.push(request_finding(
            cx,
            RULE.id,
            graded(wait, t.ttfb_ms),
            vec![index],
            format!(
                "{} {} waited {} for the first byte of the response (threshold {}).",
                entry.request.method,
                short_url(&entry.request.url),
                duration(wait),
                duration(t.ttfb_ms)
            ),
            advice,
            json!({
                "wait_ms": round_ms(wait),
                "threshold_ms": t.ttfb_ms,
                "total_ms": total.map(round_ms),
                "wait_share": total.filter(|d| *d > 0.0).map(|d| (wait / d * 100.0).round() / 100.0),
                "status": entry.response.status,
                "resource_type": kind,
                "phases": phases,
                "trace_ids": traces,
            }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    #[test]
    fn flags_wait_over_threshold_with_its_phases() {
        let doc = har(&[
            entry("https://app.example/", 0.0).wait(120.0),
            entry("https://app.example/api/slow", 200.0)
                .wait(1_234.5)
                .resource("fetch"),
            entry("https://app.example/api/fast", 210.0).wait(499.0),
        ]);
        let findings = run(&doc, "slow-ttfb", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.url.as_deref(), Some("https://app.example/api/slow"));
        assert_eq!(f.entries, vec![1]);
        assert_eq!(f.evidence["wait_ms"], 1234.5);
        assert_eq!(f.evidence["phases"]["wait"], 1234.5);
        assert!(f.message.contains("1.23 s"), "{}", f.message);
    }

    #[test]
    fn threshold_is_configurable_and_grades_severity() {
        let doc = har(&[entry("https://app.example/api", 0.0).wait(2_500.0)]);
        let t = Thresholds {
            ttfb_ms: 600.0,
            ..Thresholds::default()
        };
        assert_eq!(run(&doc, "slow-ttfb", &t)[0].severity, Severity::Error);
        let t = Thresholds {
            ttfb_ms: 3_000.0,
            ..Thresholds::default()
        };
        assert!(run(&doc, "slow-ttfb", &t).is_empty());
    }

    #[test]
    fn skips_cached_and_failed_requests() {
        let doc = har(&[
            entry("https://app.example/a.js", 0.0)
                .wait(900.0)
                .cached_in("disk"),
            entry("https://app.example/b", 0.0).wait(900.0).status(0),
        ]);
        assert!(run(&doc, "slow-ttfb", &Thresholds::default()).is_empty());
    }
}
