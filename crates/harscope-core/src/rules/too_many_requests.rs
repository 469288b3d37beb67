//! `too-many-requests`: the initial load makes too many requests.
//!
//! What it checks: per page, the requests started before the page's `onLoad` event, against
//! a limit of 50 (`--max-requests`); four times the limit is an error. When the capture has no
//! page timings (`pages` missing, or `onLoad` of -1), the load is taken to end when the
//! network first goes quiet: the first moment, after the page starts, when no request is in
//! flight for 500 ms (the "network idle" that load tools wait for). The finding says which
//! basis it used and breaks the count down by resource type and by host.
//!
//! Why it matters: each request costs a round trip, a connection slot and priority juggling;
//! past a few dozen the browser queues them, and every third-party host adds DNS, TCP and TLS
//! setup. Pages with hundreds of requests load slowly on real networks even when each request
//! is small.
//!
//! How to fix it: bundle scripts and styles, lazy-load images and iframes below the fold, drop
//! or defer third-party tags (analytics, ads, widgets; the host breakdown shows who they are),
//! inline tiny assets, and avoid fetching data the first view does not show.

use std::collections::HashMap;

use serde_json::json;

use super::{graded, Rule};
use crate::capture::{resource_type, url_authority, Capture, PageGroup};
use crate::config::Thresholds;
use crate::fmt::duration;
use crate::report::Finding;

pub const RULE: Rule = Rule {
    id: "too-many-requests",
    title: "Too many requests on initial load",
    check,
};

/// How long the network must stay quiet for the load to count as over, without onLoad.
const QUIET_MS: f64 = 500.0;
/// How many types and hosts the breakdown lists before "others".
const BREAKDOWN_MAX: usize = 10;

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    for group in &cx.pages {
        let (basis, cutoff) = load_end(cx, group);
        let counted: Vec<usize> = group
            .entries
            .iter()
            .copied()
            .filter(|&i| match (cutoff, cx.spans[i].start) {
                (Some(end), Some(start)) => start <= end,
                _ => true,
            })
            .collect();
        if counted.len() <= t.max_requests {
            continue;
        }
        let by_type = breakdown(counted.iter().map(|&i| resource_type(cx.entry(i))));
        let authorities: Vec<String> = counted
            .iter()
            .map(|&i| url_authority(&cx.entry(i).request.url))
            .collect();
        let by_host = breakdown(authorities.iter().map(String::as_str));
        let hosts = by_host.len();
        let cutoff_ms = match (cutoff, group.start) {
            (Some(end), Some(start)) => Some(((end - start) * 10.0).round() / 10.0),
            _ => None,
        };
        let page_name = group
            .page
            .and_then(|p| p.title.as_deref())
            .filter(|t| !t.is_empty())
            .or(group.id)
            .unwrap_or("(requests outside any page)");
        let when = match (basis, cutoff_ms) {
            ("onLoad", Some(ms)) => format!("before onLoad ({})", duration(ms)),
            ("network-idle", Some(ms)) => format!(
                "before the network first went quiet ({}; the capture has no onLoad)",
                duration(ms)
            ),
            _ => "in all (the capture has no load timings)".to_owned(),
        };
        let types_text: Vec<String> = by_type
            .iter()
            .take(4)
            .map(|(name, n)| format!("{n} {name}"))
            .collect();
        out.push(Finding {
            rule: RULE.id.to_owned(),
            severity: graded(counted.len() as f64, t.max_requests as f64),
            url: None,
            page: group.id.map(str::to_owned),
            entries: Vec::new(),
            message: format!(
                "Page \"{}\" started {} requests {} (threshold {}): {}.",
                crate::fmt::clip(page_name, 80),
                counted.len(),
                when,
                t.max_requests,
                types_text.join(", ")
            ),
            advice: advice(hosts),
            evidence: json!({
                "count": counted.len(),
                "threshold": t.max_requests,
                "basis": basis,
                "cutoff_ms": cutoff_ms,
                "by_type": by_type.iter().map(|(k, n)| json!({"type": k, "count": n})).collect::<Vec<_>>(),
                "by_host": by_host.iter().map(|(k, n)| json!({"host": k, "count": n})).collect::<Vec<_>>(),
                "hosts": hosts,
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        });
    }
}

fn advice(hosts: usize) -> String {
    let mut advice = "Bundle scripts and styles, lazy-load images and iframes below the fold, inline tiny assets, and fetch only the data the first view shows.".to_owned();
    if hosts > 5 {
        advice.push_str(&format!(
            " The page talks to {hosts} hosts: each costs DNS, TCP and TLS setup. Review the third-party tags (analytics, ads, widgets) and defer or drop the ones the first view does not need."
        ));
    }
    advice
}

/// When the initial load ended: onLoad, else the first network-idle moment, else unknown.
fn load_end(cx: &Capture, group: &PageGroup) -> (&'static str, Option<f64>) {
    if let Some(at) = group.on_load_at() {
        return ("onLoad", Some(at));
    }
    let mut in_flight_until: Option<f64> = None;
    for &i in &group.entries {
        let Some(start) = cx.spans[i].start else {
            break;
        };
        if let Some(until) = in_flight_until {
            if start - until >= QUIET_MS {
                return ("network-idle", Some(until));
            }
        }
        let end = cx.spans[i].end().unwrap_or(start);
        in_flight_until = Some(in_flight_until.map_or(end, |u: f64| u.max(end)));
    }
    match in_flight_until {
        Some(until) => ("network-idle", Some(until)),
        None => ("all-requests", None),
    }
}

/// Counts per key, largest first (ties by name), the tail folded into "others".
fn breakdown<'k>(keys: impl Iterator<Item = &'k str>) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for k in keys {
        *counts
            .entry(if k.is_empty() { "(none)" } else { k })
            .or_default() += 1;
    }
    let mut sorted: Vec<(String, usize)> =
        counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    crate::sort::sort_by(&mut sorted, |a, b| {
        b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
    });
    if sorted.len() > BREAKDOWN_MAX {
        let rest: usize = sorted[BREAKDOWN_MAX - 1..].iter().map(|(_, n)| n).sum();
        sorted.truncate(BREAKDOWN_MAX - 1);
        sorted.push(("others".to_owned(), rest));
    }
    sorted
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, har_with_load, run, EntryBuilder};

    fn many(n: usize, every_ms: f64) -> Vec<EntryBuilder> {
        let mut v = vec![entry("https://app.example/", 0.0).resource("document")];
        for i in 1..n {
            let url = if i % 2 == 0 {
                format!("https://cdn.example/img{i}.png")
            } else {
                format!("https://app.example/s{i}.js")
            };
            v.push(entry(&url, i as f64 * every_ms));
        }
        v
    }

    #[test]
    fn counts_requests_before_onload_with_breakdown() {
        // 61 requests, one every 10 ms (each 61 ms long); onLoad at 550 ms counts 56 of them.
        let doc = har_with_load(Some(300.0), Some(550.0), &many(61, 10.0));
        let f = &run(&doc, "too-many-requests", &Thresholds::default())[0];
        assert_eq!(f.evidence["count"], 56);
        assert_eq!(f.evidence["basis"], "onLoad");
        assert_eq!(f.evidence["cutoff_ms"], 550.0);
        assert_eq!(f.evidence["by_type"][0]["type"], "script");
        assert_eq!(f.evidence["by_type"][0]["count"], 28);
        assert_eq!(f.evidence["by_type"][1]["type"], "image");
        assert_eq!(f.evidence["by_type"][1]["count"], 27);
        assert_eq!(f.evidence["by_host"][0]["host"], "app.example");
        assert_eq!(f.url, None);
        assert_eq!(f.page.as_deref(), Some("page_1"));
        assert_eq!(f.severity, Severity::Warning);
    }

    #[test]
    fn under_the_limit_before_onload_is_fine() {
        let doc = har_with_load(None, Some(300.0), &many(61, 10.0));
        assert!(run(&doc, "too-many-requests", &Thresholds::default()).is_empty());
    }

    #[test]
    fn falls_back_to_network_idle_without_onload() {
        let mut entries = many(55, 10.0);
        // After a quiet second, a late burst that is not part of the load.
        for i in 0..20 {
            entries.push(entry(
                &format!("https://app.example/late{i}"),
                2_000.0 + i as f64,
            ));
        }
        let doc = har(&entries);
        let f = &run(&doc, "too-many-requests", &Thresholds::default())[0];
        assert_eq!(f.evidence["basis"], "network-idle");
        assert_eq!(f.evidence["count"], 55);
        let t = Thresholds {
            max_requests: 60,
            ..Thresholds::default()
        };
        assert!(run(&doc, "too-many-requests", &t).is_empty());
    }

    #[test]
    fn hundreds_of_requests_are_an_error() {
        let doc = har_with_load(None, Some(10_000.0), &many(210, 5.0));
        let f = &run(&doc, "too-many-requests", &Thresholds::default())[0];
        assert_eq!(f.severity, Severity::Error);
    }
}
