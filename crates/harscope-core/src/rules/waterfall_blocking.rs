//! `waterfall-blocking`: one request holds all the others back.
//!
//! What it checks: gaps in the waterfall where no request starts for at least the blocking
//! threshold, 500 ms by default (`--blocking-ms`), while a request is in flight, and where new
//! requests start as soon as (within 300 ms after) that request ends. That request is the
//! blocker; the finding gives the idle gap, the blocker's timing and the requests that waited
//! for it. Where the capture says (Chrome's `_initiator`, `_priority`, `_resourceType`), it
//! tells a parser-blocking script or a render-blocking stylesheet from other requests. Four
//! times the threshold is an error.
//!
//! Not blocking: requests that merely run long while others start beside them; gaps where
//! nothing was in flight (the page was busy or idle, not waiting on the network); a request
//! followed only by a repeat of itself (polling); the page's icon, which browsers fetch on
//! their own after the load; and the page's own HTML document, which everything waits for by
//! design (its slowness is `slow-ttfb`'s to report).
//!
//! Why it matters: while the blocker is in flight the browser discovers nothing new, so its
//! whole duration adds to the load time. Typical blockers are synchronous scripts in the
//! `<head>`, stylesheets that hide imports, and API calls chained one after another.
//!
//! How to fix it: give scripts `defer`, `async` or `type="module"`; inline critical CSS and load
//! the rest without blocking; preload resources the parser finds late; start independent API
//! calls in parallel instead of one after another; and make the blocker itself faster.

use std::collections::{BTreeSet, HashSet};

use serde_json::json;

use super::{graded, request_finding, Rule};
use crate::capture::{resource_type, url_path, wait_ms, Capture, PageGroup};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms, short_url};
use crate::report::Finding;

pub const RULE: Rule = Rule {
    id: "waterfall-blocking",
    title: "Request blocking the waterfall",
    check,
};

/// Requests that start this soon after the blocker ends are the ones it held back.
const FOLLOW_MS: f64 = 300.0;
/// Rounding slack between one request's end and the next one's start.
const SLACK_MS: f64 = 5.0;
/// How many waiting requests a finding lists.
const WAITED_MAX: usize = 20;

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    for group in &cx.pages {
        check_page(cx, group, t, out);
    }
}

/// Requests that take part in the waterfall: timed, on the network, not a socket, and asked
/// for by the page (browsers fetch the page's icon on their own, after the load).
fn on_network(cx: &Capture, i: usize) -> bool {
    let e = cx.entry(i);
    cx.spans[i].start.is_some()
        && e.from_cache.is_none()
        && e.response.status != Some(101)
        && !is_icon(e)
}

fn is_icon(e: &crate::har::Entry) -> bool {
    url_path(&e.request.url)
        .to_ascii_lowercase()
        .ends_with(".ico")
        || e.response
            .content
            .mime_type
            .to_ascii_lowercase()
            .contains("icon")
}

/// The document request and any redirects leading to it: everything waits for them.
fn by_design(cx: &Capture, group: &PageGroup) -> Vec<usize> {
    let Some(doc) = group.document else {
        return Vec::new();
    };
    group
        .entries
        .iter()
        .copied()
        .take_while(|&i| i != doc)
        .filter(|&i| (300..400).contains(&cx.entry(i).response.status.unwrap_or(0)))
        .chain(std::iter::once(doc))
        .collect()
}

fn check_page(cx: &Capture, group: &PageGroup, t: &Thresholds, out: &mut Vec<Finding>) {
    let timed: Vec<usize> = group
        .entries
        .iter()
        .copied()
        .filter(|&i| on_network(cx, i))
        .collect();
    let exempt = by_design(cx, group);
    let start = |i: usize| cx.spans[i].start.unwrap_or(0.0);
    let end = |i: usize| cx.spans[i].end().unwrap_or(0.0);
    let starts: Vec<f64> = timed.iter().map(|&i| start(i)).collect();
    // Requests started so far, ordered by end time, then longest first: the last one to end
    // before a gap closes is found in O(log n), which keeps huge captures linear-ish.
    let micros = |ms: f64| (ms * 1000.0).round() as i64;
    let mut by_end: BTreeSet<(i64, i64, usize)> = BTreeSet::new();
    let mut reported: HashSet<usize> = HashSet::new();
    for k in 0..timed.len().saturating_sub(1) {
        let i = timed[k];
        by_end.insert((micros(end(i)), -micros(start(i)), i));
        let (last_start, next_start) = (starts[k], starts[k + 1]);
        let gap = next_start - last_start;
        if gap < t.blocking_ms {
            continue;
        }
        let limit = (micros(next_start + SLACK_MS), i64::MAX, usize::MAX);
        let Some(&(_, _, blocker)) = by_end.range(..=limit).next_back() else {
            continue;
        };
        let blocker_end = end(blocker);
        if blocker_end <= last_start || blocker_end < next_start - FOLLOW_MS {
            continue; // nothing in flight across the gap ended as it closed
        }
        if exempt.contains(&blocker) || blocker_end - start(blocker) < t.blocking_ms {
            continue;
        }
        let released_end = starts.partition_point(|s| *s <= next_start + FOLLOW_MS);
        let released = &timed[k + 1..released_end.max(k + 1)];
        let blocker_url = &cx.entry(blocker).request.url;
        let polling = released
            .iter()
            .take(1000)
            .all(|&r| cx.entry(r).request.url == *blocker_url);
        if polling || !reported.insert(blocker) {
            continue; // polling or a reconnect; or a blocker already reported for an earlier gap
        }
        let delayed = timed.len() - (k + 1);
        out.push(finding(cx, group, t, blocker, gap, released, delayed));
    }
}

fn finding(
    cx: &Capture,
    group: &PageGroup,
    t: &Thresholds,
    blocker: usize,
    gap: f64,
    released: &[usize],
    delayed: usize,
) -> Finding {
    let entry = cx.entry(blocker);
    let span = cx.spans[blocker];
    let kind = resource_type(entry);
    let initiator = entry
        .initiator
        .as_ref()
        .and_then(|i| i.kind.as_deref())
        .or(entry.initiator_type.as_deref());
    let priority = entry.priority.as_deref();
    let (what, parser_blocking) = classify(kind, initiator, priority);
    let offset = match (span.start, group.start) {
        (Some(s), Some(p)) => Some(round_ms(s - p)),
        _ => None,
    };
    let mut entries = vec![blocker];
    entries.extend(released.iter().copied().take(WAITED_MAX));
    let waited: Vec<String> = released
        .iter()
        .take(WAITED_MAX)
        .map(|&i| cx.entry(i).request.url.to_string())
        .collect();
    let mut advice = advice(what).to_owned();
    if let Some(wait) = wait_ms(entry).filter(|w| *w > span.duration.unwrap_or(0.0) / 2.0) {
        advice.push_str(&format!(
            " Most of its time ({}) was spent waiting for the server: making that endpoint faster shortens the gap directly.",
            duration(wait)
        ));
    }
    request_finding(
        cx,
        RULE.id,
        graded(gap, t.blocking_ms),
        entries,
        format!(
            "No other request started for {} while {} {} ({}) was in flight; {} only after it finished.",
            duration(gap),
            entry.request.method,
            short_url(&entry.request.url),
            what,
            match delayed {
                1 => "1 request started".to_owned(),
                n => format!("{n} requests started"),
            }
        ),
        advice,
        json!({
            "gap_ms": round_ms(gap),
            "threshold_ms": t.blocking_ms,
            "blocker_ms": span.duration.map(round_ms),
            "blocker_start_ms": offset,
            "resource_type": kind,
            "initiator": initiator,
            "priority": priority,
            "parser_blocking": parser_blocking,
            "waited": waited,
            "waited_count": released.len(),
            "delayed_count": delayed,
        }),
    )
}

/// What kind of blocker this is, and whether it blocked the HTML parser (when the capture
/// records initiators).
fn classify(
    kind: &str,
    initiator: Option<&str>,
    priority: Option<&str>,
) -> (&'static str, Option<bool>) {
    let from_parser = initiator.map(|i| i.eq_ignore_ascii_case("parser"));
    let high = priority.is_none_or(|p| {
        p.eq_ignore_ascii_case("veryhigh")
            || p.eq_ignore_ascii_case("high")
            || p.eq_ignore_ascii_case("highest")
    });
    match (kind, from_parser) {
        ("script", Some(true)) if high => ("parser-blocking script", Some(true)),
        ("script", Some(true)) => ("async or deferred script", Some(false)),
        ("stylesheet", Some(true)) => ("render-blocking stylesheet", Some(true)),
        ("script", _) => ("script", from_parser.map(|_| false)),
        ("stylesheet", _) => ("stylesheet", from_parser.map(|_| false)),
        ("fetch" | "xhr", _) => ("API call", from_parser.map(|_| false)),
        ("font", _) => ("font", from_parser.map(|_| false)),
        ("image", _) => ("image", from_parser.map(|_| false)),
        ("document", _) => ("document", from_parser.map(|_| false)),
        _ => ("request", from_parser.map(|_| false)),
    }
}

fn advice(what: &str) -> &'static str {
    match what {
        "parser-blocking script" => "The HTML parser stopped until this script downloaded and ran. Add `defer` (or `async`, or `type=\"module\"`) so parsing goes on, inline a small critical part if the page needs it early, and load third-party scripts after the page.",
        "render-blocking stylesheet" | "stylesheet" => "Nothing else was requested until this stylesheet arrived. Inline the critical CSS, load the rest without blocking (media queries, preload), and avoid `@import` chains.",
        "script" | "async or deferred script" => "Later requests waited for this script: they are probably requested by code it runs. Preload what it fetches, or start those requests without waiting for it.",
        "API call" => "The page waited for this API response before requesting anything else: a request chain. Start independent calls in parallel (Promise.all), fetch data earlier (preload, or render it on the server), or make the endpoint faster.",
        "font" => "Requests waited for this font. Preload it, serve it from the page's origin, and use `font-display: swap`.",
        _ => "Nothing else started while this request was in flight. Find why the page waits for it: preload what follows it, or load it without blocking the rest.",
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    fn page_with_blocker(blocker_ms: f64) -> String {
        har(&[
            entry("https://app.example/", 0.0)
                .resource("document")
                .duration(100.0),
            entry("https://app.example/style.css", 110.0).duration(50.0),
            entry("https://app.example/sync.js", 120.0)
                .resource("script")
                .initiator("parser")
                .priority("High")
                .duration(blocker_ms),
            entry("https://app.example/a.png", 120.0 + blocker_ms + 20.0),
            entry("https://app.example/b.png", 120.0 + blocker_ms + 25.0),
            entry("https://app.example/c.js", 120.0 + blocker_ms + 600.0),
        ])
    }

    #[test]
    fn finds_a_parser_blocking_script_and_who_waited() {
        let findings = run(
            &page_with_blocker(900.0),
            "waterfall-blocking",
            &Thresholds::default(),
        );
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.url.as_deref(), Some("https://app.example/sync.js"));
        assert_eq!(f.evidence["gap_ms"], 920.0);
        assert_eq!(f.evidence["parser_blocking"], true);
        assert_eq!(f.evidence["waited_count"], 2);
        assert_eq!(f.evidence["delayed_count"], 3);
        assert_eq!(f.entries, vec![2, 3, 4]);
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message.contains("parser-blocking script"),
            "{}",
            f.message
        );
        assert!(f.advice.contains("defer"));
    }

    #[test]
    fn short_blockers_are_below_the_threshold() {
        assert!(run(
            &page_with_blocker(400.0),
            "waterfall-blocking",
            &Thresholds::default()
        )
        .is_empty());
        let t = Thresholds {
            blocking_ms: 300.0,
            ..Thresholds::default()
        };
        assert_eq!(
            run(&page_with_blocker(400.0), "waterfall-blocking", &t).len(),
            1
        );
    }

    #[test]
    fn long_requests_in_parallel_with_others_do_not_block() {
        let mut entries = vec![
            entry("https://app.example/", 0.0)
                .resource("document")
                .duration(100.0),
            entry("https://app.example/api/report", 110.0)
                .resource("fetch")
                .duration(3_000.0),
        ];
        for i in 0..20 {
            entries.push(entry(
                &format!("https://app.example/i{i}.png"),
                150.0 + i as f64 * 150.0,
            ));
        }
        assert!(run(&har(&entries), "waterfall-blocking", &Thresholds::default()).is_empty());
    }

    #[test]
    fn the_document_and_polling_are_not_blockers() {
        let doc = har(&[
            entry("https://app.example/", 0.0)
                .resource("document")
                .duration(2_000.0),
            entry("https://app.example/app.js", 2_010.0).duration(50.0),
            entry("https://app.example/poll", 2_100.0)
                .resource("fetch")
                .duration(5_000.0),
            entry("https://app.example/poll", 7_105.0)
                .resource("fetch")
                .duration(5_000.0),
        ]);
        assert!(run(&doc, "waterfall-blocking", &Thresholds::default()).is_empty());
    }

    #[test]
    fn chained_api_calls_are_reported_as_such_and_graded() {
        let doc = har(&[
            entry("https://app.example/", 0.0)
                .resource("document")
                .duration(50.0),
            entry("https://app.example/api/user", 60.0)
                .resource("fetch")
                .wait(2_000.0)
                .duration(2_100.0),
            entry("https://app.example/api/orders", 2_170.0).resource("fetch"),
        ]);
        let f = &run(&doc, "waterfall-blocking", &Thresholds::default())[0];
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.evidence["parser_blocking"], serde_json::Value::Null);
        assert!(f.message.contains("API call"), "{}", f.message);
        assert!(f.advice.contains("waiting for the server"), "{}", f.advice);
    }
}
