//! `n-plus-one`: many calls to one endpoint that differ only by an id.
//!
//! What it checks: API calls (fetch and XHR requests, or responses that are JSON, XML or
//! GraphQL) grouped by method and URL pattern, where the pattern replaces path segments that
//! are ids (numbers, UUIDs, hex hashes, long random tokens) and query values by placeholders:
//! `/api/items/17` and `/api/items/18` are both `/api/items/{id}`; `?id=3` and `?id=4` are both
//! `?id={}`. POSTs to one URL (GraphQL) count as different calls when their bodies differ. A
//! pattern called with at least the threshold's number of different URLs or bodies (10 by
//! default, `--n-plus-one`) is reported, saying whether the calls ran one after another
//! (each starting after the previous ended: the costly case, a warning; an error from four
//! times the threshold) or overlapped (parallel: information, the browser's connection limit
//! still queues them).
//!
//! Why it matters: this is the frontend face of an N+1 query: a list fetched, then one request
//! per item. Page time grows with the data; sequential calls add their round trips end to end,
//! and every call costs the server a query or more.
//!
//! How to fix it: fetch the items in one call (`GET /api/items?ids=1,2,3`, backed by
//! `WHERE id IN (...)`), have the list endpoint include what each item needs (eager loading,
//! a JOIN or an ORM `include`), or batch per-field GraphQL resolvers with a DataLoader.

use std::collections::HashMap;

use serde_json::json;

use super::{graded, request_finding, Rule};
use crate::capture::{resource_type, Capture};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms};
use crate::har::Entry;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "n-plus-one",
    title: "Many calls to one endpoint, one per id (N+1)",
    check,
};

/// A call starting this soon before the previous one ended still counts as waiting for it
/// (timestamps are rounded; a promise chain takes a moment to issue the next call).
const SEQUENTIAL_SLACK_MS: f64 = 5.0;

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    if t.n_plus_one == 0 {
        return;
    }
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (index, entry) in cx.har.entries.iter().enumerate() {
        if !is_api_call(entry) {
            continue;
        }
        let Some(pattern) = pattern(&entry.request.method, &entry.request.url) else {
            continue;
        };
        let group = groups.entry(pattern.clone()).or_default();
        if group.is_empty() {
            order.push(pattern);
        }
        group.push(index);
    }
    for pattern in order {
        let members = &groups[&pattern];
        let mut distinct: Vec<(&str, &str)> = members
            .iter()
            .map(|&i| {
                let e = cx.entry(i);
                let body = e
                    .request
                    .post_data
                    .as_ref()
                    .and_then(|p| p.text.as_ref())
                    .map_or("", |t| t.text.as_ref());
                (e.request.url.as_ref(), body)
            })
            .collect();
        crate::sort::sort_by(&mut distinct, |a, b| a.cmp(b));
        distinct.dedup();
        if distinct.len() < t.n_plus_one || distinct.len() < 2 {
            continue;
        }
        out.push(finding(cx, t, &pattern, members, distinct.len()));
    }
}

fn finding(
    cx: &Capture,
    t: &Thresholds,
    pattern: &str,
    members: &[usize],
    distinct: usize,
) -> Finding {
    // In start order; calls without a start time go last, in file order.
    let mut calls: Vec<usize> = members.to_vec();
    crate::sort::sort_by(&mut calls, |&a, &b| {
        let (x, y) = (cx.spans[a].start, cx.spans[b].start);
        match (x, y) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        }
    });
    let timed: Vec<(f64, f64)> = calls
        .iter()
        .filter_map(|&i| Some((cx.spans[i].start?, cx.spans[i].end()?)))
        .collect();
    let waits = timed
        .windows(2)
        .filter(|w| w[1].0 >= w[0].1 - SEQUENTIAL_SLACK_MS)
        .count();
    let gaps = timed.len().saturating_sub(1);
    let mode = if gaps == 0 {
        "unknown"
    } else if waits * 10 >= gaps * 8 {
        "sequential"
    } else if waits * 10 <= gaps * 2 {
        "parallel"
    } else {
        "mixed"
    };
    let span = match (timed.first(), timed.iter().map(|x| x.1).reduce(f64::max)) {
        (Some(first), Some(last)) => Some(last - first.0),
        _ => None,
    };
    let busy: f64 = timed.iter().map(|(s, e)| e - s).sum();
    let (method, shown) = pattern.split_once(' ').unwrap_or(("", pattern));
    let shown = shown
        .strip_prefix("https://")
        .or_else(|| shown.strip_prefix("http://"))
        .unwrap_or(shown);
    let n = calls.len();
    let how = match mode {
        "sequential" => format!(
            ", one after another: each waited for the previous, {} in all",
            span.map(duration).unwrap_or_default()
        ),
        "parallel" => format!(
            ", in parallel over {}",
            span.map(duration).unwrap_or_default()
        ),
        "mixed" => format!(
            ", partly one after another, over {}",
            span.map(duration).unwrap_or_default()
        ),
        _ => String::new(),
    };
    let severity = match mode {
        "sequential" => graded(distinct as f64, t.n_plus_one as f64),
        "mixed" => Severity::Warning,
        _ => Severity::Info,
    };
    let message = format!(
        "{method} {shown} was called {n} times with {distinct} different ids{how} (threshold {}).",
        t.n_plus_one
    );
    let advice = format!(
        "This is an N+1 pattern: one request per item instead of one for the list. Fetch the items in one call (e.g. `{method} {}` with all the ids, backed by `WHERE id IN (...)`), have the list endpoint include what each item needs (eager loading, a JOIN), or batch per-field GraphQL resolvers with a DataLoader.{}",
        batched_example(shown),
        if mode == "sequential" {
            " Sequential calls add their round trips end to end: even before batching, issuing them together would cut the wait."
        } else {
            ""
        }
    );
    let examples: Vec<&str> = calls
        .iter()
        .take(3)
        .map(|&i| cx.entry(i).request.url.as_ref())
        .collect();
    request_finding(
        cx,
        RULE.id,
        severity,
        calls,
        message,
        advice,
        json!({
            "pattern": pattern,
            "calls": n,
            "distinct": distinct,
            "threshold": t.n_plus_one,
            "mode": mode,
            "span_ms": span.map(round_ms),
            "busy_ms": round_ms(busy),
            "examples": examples,
        }),
    )
}

/// `/api/items/{id}` -> `/api/items?ids=...`, to show what one call could look like.
fn batched_example(shown: &str) -> String {
    let path = shown.split('?').next().unwrap_or(shown);
    match path.rsplit_once("/{") {
        Some((base, _)) => format!("{base}?ids=…"),
        None => format!("{path}?ids=…"),
    }
}

/// Calls to an API rather than documents and static assets.
fn is_api_call(e: &Entry) -> bool {
    match resource_type(e) {
        "fetch" | "xhr" => true,
        "document" | "stylesheet" | "script" | "image" | "font" | "media" | "websocket"
        | "manifest" | "texttrack" | "ping" | "preflight" | "eventsource" => false,
        _ => {
            let mime = e.response.content.mime_type.to_ascii_lowercase();
            mime.contains("json") || mime.contains("xml") || mime.contains("graphql")
        }
    }
}

/// `METHOD scheme://host/path/{id}?key={}`: the call with its ids taken out. `None` for URLs
/// without an id or query value to vary (those are the same call, for `duplicate-request`).
pub(crate) fn pattern(method: &str, url: &str) -> Option<String> {
    let (without_fragment, _) = url.split_once('#').unwrap_or((url, ""));
    let (base, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let (origin, path) = match base.find("://") {
        Some(s) => match base[s + 3..].find('/') {
            Some(p) => base.split_at(s + 3 + p),
            None => (base, ""),
        },
        None => ("", base),
    };
    let mut varies = false;
    let mut out = format!("{method} {origin}");
    for segment in path.split('/').skip(1) {
        out.push('/');
        match id_kind(segment) {
            Some(kind) => {
                varies = true;
                out.push_str(kind);
            }
            None => out.push_str(segment),
        }
    }
    if !query.is_empty() {
        let mut keys: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').map_or(p, |(k, _)| k))
            .collect();
        crate::sort::sort_by(&mut keys, |a, b| a.cmp(b));
        keys.dedup();
        varies |= !keys.is_empty();
        out.push('?');
        out.push_str(
            &keys
                .iter()
                .map(|k| format!("{k}={{}}"))
                .collect::<Vec<_>>()
                .join("&"),
        );
    }
    // A POST body can vary too (GraphQL): the URL alone is then the pattern.
    (varies || method != "GET").then_some(out)
}

/// What kind of id a path segment is, if it is one.
fn id_kind(segment: &str) -> Option<&'static str> {
    let s = segment;
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Some("{id}");
    }
    let hex_groups: Vec<&str> = s.split('-').collect();
    if s.len() == 36
        && hex_groups.len() == 5
        && hex_groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Some("{uuid}");
    }
    if s.len() >= 8
        && s.bytes().all(|b| b.is_ascii_hexdigit())
        && s.bytes().any(|b| b.is_ascii_digit())
    {
        return Some("{hash}");
    }
    if crate::redact::looks_like_token(s) {
        return Some("{token}");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::pattern;
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    #[test]
    fn patterns_take_the_ids_out() {
        assert_eq!(
            pattern("GET", "https://a.example/api/items/17?lang=en").as_deref(),
            Some("GET https://a.example/api/items/{id}?lang={}")
        );
        assert_eq!(
            pattern(
                "GET",
                "https://a.example/api/users/0f8fad5b-d9cb-469f-a165-70867728950e/avatar"
            )
            .as_deref(),
            Some("GET https://a.example/api/users/{uuid}/avatar")
        );
        assert_eq!(
            pattern("GET", "https://a.example/api/item?id=4&b=2&id=5").as_deref(),
            Some("GET https://a.example/api/item?b={}&id={}")
        );
        assert_eq!(pattern("GET", "https://a.example/api/items"), None);
        assert_eq!(
            pattern("POST", "https://a.example/graphql").as_deref(),
            Some("POST https://a.example/graphql")
        );
        assert_eq!(
            pattern("GET", "https://a.example/v2/blob/3f2a9c81d0e4").as_deref(),
            Some("GET https://a.example/v2/blob/{hash}")
        );
        // Words and versions are not ids.
        assert_eq!(pattern("GET", "https://a.example/v2/items/latest"), None);
    }

    fn calls(n: usize, gap: f64, duration: f64) -> Vec<crate::rules::testing::EntryBuilder> {
        (0..n)
            .map(|i| {
                entry(
                    &format!("https://app.example/api/items/{}", i + 1),
                    i as f64 * gap,
                )
                .resource("fetch")
                .wait(duration - 2.0)
            })
            .collect()
    }

    #[test]
    fn sequential_calls_are_a_warning_parallel_ones_information() {
        let mut doc = calls(12, 50.0, 40.0);
        doc.insert(
            0,
            entry("https://app.example/api/items", 0.0).resource("fetch"),
        );
        let findings = run(&har(&doc), "n-plus-one", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.entries.len(), 12);
        assert_eq!(f.evidence["mode"], "sequential");
        assert_eq!(
            f.evidence["pattern"],
            "GET https://app.example/api/items/{id}"
        );
        assert!(
            f.message
                .contains("12 times with 12 different ids, one after another"),
            "{}",
            f.message
        );

        let parallel = run(
            &har(&calls(12, 1.0, 40.0)),
            "n-plus-one",
            &Thresholds::default(),
        );
        assert_eq!(parallel[0].severity, Severity::Info);
        assert_eq!(parallel[0].evidence["mode"], "parallel");
    }

    #[test]
    fn below_the_threshold_and_static_assets_are_not_reported() {
        assert!(run(
            &har(&calls(9, 50.0, 40.0)),
            "n-plus-one",
            &Thresholds::default()
        )
        .is_empty());
        let t = Thresholds {
            n_plus_one: 5,
            ..Thresholds::default()
        };
        assert_eq!(run(&har(&calls(9, 50.0, 40.0)), "n-plus-one", &t).len(), 1);
        let images: Vec<_> = (0..20)
            .map(|i| entry(&format!("https://app.example/img/{i}.png"), i as f64))
            .collect();
        assert!(run(&har(&images), "n-plus-one", &Thresholds::default()).is_empty());
        // The same URL twenty times is not N+1 (that is a duplicate).
        let same: Vec<_> = (0..20)
            .map(|i| entry("https://app.example/api/items/1", i as f64 * 50.0).resource("fetch"))
            .collect();
        assert!(run(&har(&same), "n-plus-one", &Thresholds::default()).is_empty());
    }
}
