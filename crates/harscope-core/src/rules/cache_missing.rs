//! `cache-missing`: static assets the browser may not keep, or must ask about every time.
//!
//! What it checks: scripts, stylesheets, fonts and images whose response headers did not let
//! the browser keep them (`no-store`: never kept; `no-cache` or `max-age=0`: revalidated on
//! every load; no `max-age`, `s-maxage` or `Expires`: no lifetime; or a lifetime shorter than
//! the threshold, 1 day by default, `--cache-min-s`), when the capture shows the cost: a
//! `no-store` asset fetched again, an asset without a lifetime (or `no-cache`) answered 304
//! (the browser had a copy but had to ask the server again), or a short-lived one loaded again
//! after its lifetime ran out. Loading again within the lifetime is not counted: it means a
//! reload, a disabled cache or separate sessions (WebPageTest's first views). Findings are
//! grouped by host, naming the assets. Images under 2 KB (tracking pixels are uncacheable on
//! purpose) and responses without recorded headers are skipped.
//!
//! Why it matters: on a repeat visit, every asset that must be fetched or revalidated again
//! costs a round trip (often several, queued behind each other) that a cached copy would
//! have saved; pages feel slow after the first visit exactly where caching should help.
//!
//! How to fix it: give versioned assets (a hash or version in the file name) a long lifetime
//! and `immutable` (`Cache-Control: public, max-age=31536000, immutable`), and give files
//! whose name does not change a lifetime with an `ETag` so revalidation stays cheap. Set it
//! where the assets are served (the CDN, nginx `expires`, the framework's static handler).

use std::collections::HashMap;

use serde_json::json;

use super::{request_finding, Rule};
use crate::capture::{resource_type, url_host, Capture};
use crate::config::Thresholds;
use crate::fmt::short_url;
use crate::har::Entry;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "cache-missing",
    title: "Static assets without a useful cache lifetime",
    check,
};

/// What the headers let the browser do with a response.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Policy {
    NoStore,
    Revalidate,
    NoLifetime,
    Short(u64),
    Fine,
}

impl Policy {
    fn label(self) -> &'static str {
        match self {
            Policy::NoStore => "no-store (never kept)",
            Policy::Revalidate => "revalidated on every load (no-cache or max-age=0)",
            Policy::NoLifetime => "no cache lifetime (no max-age or Expires)",
            Policy::Short(_) => "a short lifetime",
            Policy::Fine => "fine",
        }
    }
}

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    // URL -> (policy, entries fetched from the network, revalidated).
    let mut assets: HashMap<&str, (Policy, Vec<usize>, bool)> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (index, entry) in cx.har.entries.iter().enumerate() {
        let status = entry.response.status.unwrap_or(0);
        if !matches!(status, 200 | 304)
            || entry.from_cache.is_some()
            || entry.response.headers.is_empty()
            || !is_static(entry)
            || !entry.request.url.starts_with("http")
            || (resource_type(entry) == "image"
                && crate::capture::content_bytes(entry).is_some_and(|b| b < 2048))
        {
            continue;
        }
        let url = entry.request.url.as_ref();
        let slot = assets.entry(url).or_insert_with(|| {
            order.push(url);
            (Policy::Fine, Vec::new(), false)
        });
        if status == 200 || slot.0 == Policy::Fine {
            slot.0 = policy(entry, t.cache_min_s);
        }
        slot.1.push(index);
        slot.2 |= status == 304;
    }
    // Per host, in first-seen order.
    let mut hosts: Vec<(&str, Vec<&str>)> = Vec::new();
    for url in order {
        let (policy, fetched, _) = &assets[url];
        if *policy == Policy::Fine || !cost_shown(cx, *policy, fetched) {
            continue;
        }
        let host = url_host(url);
        match hosts.iter_mut().find(|(h, _)| *h == host) {
            Some((_, urls)) => urls.push(url),
            None => hosts.push((host, vec![url])),
        }
    }
    for (host, urls) in hosts {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for u in &urls {
            let label = assets[u].0.label();
            match counts.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => counts.push((label, 1)),
            }
        }
        let entries: Vec<usize> = urls.iter().flat_map(|u| assets[u].1.clone()).collect();
        let n = urls.len();
        let summary: Vec<String> = counts.iter().map(|(l, c)| format!("{c} {l}")).collect();
        let loads: usize = urls.iter().map(|u| assets[u].1.len()).sum();
        let message = format!(
            "{n} static asset{} from {host} went to the network {loads} times in this capture because the browser could not keep {}: {} ({}{}).",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" },
            summary.join(", "),
            urls.iter().take(3).map(|u| short_url(u)).collect::<Vec<_>>().join(", "),
            if n > 3 { ", …" } else { "" }
        );
        let details: Vec<serde_json::Value> = urls
            .iter()
            .map(|u| {
                let (p, fetched, revalidated) = &assets[u];
                let e = cx.entry(fetched[0]);
                json!({
                    "url": u,
                    "policy": match p {
                        Policy::NoStore => "no-store",
                        Policy::Revalidate => "revalidate",
                        Policy::NoLifetime => "none",
                        Policy::Short(_) => "short",
                        Policy::Fine => "fine",
                    },
                    "max_age_s": match p { Policy::Short(s) => Some(*s), _ => None },
                    "cache_control": e.response_header("cache-control"),
                    "fetched": fetched.len(),
                    "revalidated": revalidated,
                })
            })
            .collect();
        out.push(request_finding(
            cx,
            RULE.id,
            Severity::Warning,
            entries,
            message,
            "Give versioned assets (a hash or version in the file name) a long lifetime: `Cache-Control: public, max-age=31536000, immutable`. Files whose name does not change need a lifetime and an ETag, so revalidation stays cheap. Set it where the assets are served: the CDN, nginx `expires`, or the framework's static file handler.".to_owned(),
            json!({
                "host": host,
                "assets": details,
                "min_lifetime_s": t.cache_min_s,
            }),
        ));
    }
}

/// A script, stylesheet, font or image, by how it was loaded or by what it is (a script
/// fetched with `fetch()` is still a script).
pub(crate) fn is_static(e: &Entry) -> bool {
    if matches!(resource_type(e), "script" | "stylesheet" | "font" | "image") {
        return true;
    }
    let mime = e.response.content.mime_type.to_ascii_lowercase();
    mime.contains("javascript")
        || mime.starts_with("text/css")
        || mime.starts_with("font/")
        || mime.starts_with("image/")
}

/// Whether the capture shows the browser paying for the policy: a `no-store` asset fetched
/// again, an asset without a lifetime (or `no-cache`) answered 304 (the browser had a copy but
/// had to ask), a short-lived one loaded again after its lifetime ran out. Loading again within
/// the lifetime says the page was reloaded, the cache was off or the loads were separate
/// sessions (WebPageTest's first views), not that the headers were wrong.
fn cost_shown(cx: &Capture, policy: Policy, loads: &[usize]) -> bool {
    loads.windows(2).any(|w| {
        let (previous, load) = (w[0], w[1]);
        let revalidated = cx.entry(load).response.status == Some(304);
        match policy {
            Policy::NoStore => true,
            Policy::Revalidate | Policy::NoLifetime => revalidated,
            // Within its lifetime a copy is only asked about again on a reload.
            Policy::Short(s) => match (cx.spans[previous].start, cx.spans[load].start) {
                (Some(a), Some(b)) => b - a >= s as f64 * 1000.0,
                _ => false,
            },
            Policy::Fine => false,
        }
    })
}

/// The policy a response's headers set; `min_s` is the shortest lifetime not called short.
fn policy(e: &Entry, min_s: u64) -> Policy {
    let cc = e
        .response_header("cache-control")
        .unwrap_or("")
        .to_ascii_lowercase();
    let directive = |name: &str| {
        cc.split(',').map(str::trim).find_map(|d| {
            let (k, v) = d.split_once('=').unwrap_or((d, ""));
            (k.trim() == name).then(|| v.trim().trim_matches('"').to_owned())
        })
    };
    if directive("no-store").is_some() {
        return Policy::NoStore;
    }
    if directive("no-cache").is_some() {
        return Policy::Revalidate;
    }
    let max_age = directive("s-maxage")
        .or_else(|| directive("max-age"))
        .and_then(|v| v.parse::<u64>().ok());
    let lifetime = max_age.or_else(|| expires_lifetime(e));
    match lifetime {
        Some(0) => Policy::Revalidate,
        Some(s) if s < min_s => Policy::Short(s),
        Some(_) => Policy::Fine,
        // Immutable without max-age still says "keep it".
        None if directive("immutable").is_some() => Policy::Fine,
        None => Policy::NoLifetime,
    }
}

/// `Expires` minus `Date`, in seconds (0 when already past or unreadable as a future date).
fn expires_lifetime(e: &Entry) -> Option<u64> {
    let expires = e.response_header("expires")?;
    let expires = http_date(expires).unwrap_or(0);
    let date = e.response_header("date").and_then(http_date).or_else(|| {
        e.started_date_time
            .as_deref()
            .and_then(crate::har::time::parse_timestamp_ms)
            .map(|ms| (ms / 1000.0) as i64)
    })?;
    Some(expires.saturating_sub(date).max(0) as u64)
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) in seconds since the epoch.
fn http_date(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, _] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(month))? + 1;
    let iso = format!("{year}-{m:02}-{:0>2}T{time}Z", day);
    crate::har::time::parse_timestamp_ms(&iso).map(|ms| (ms / 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    fn asset(url: &str, at: f64, cc: Option<&str>) -> crate::rules::testing::EntryBuilder {
        let e = entry(url, at).response_header("Content-Type", "application/javascript");
        match cc {
            Some(v) => e.response_header("Cache-Control", v),
            None => e,
        }
    }

    #[test]
    fn assets_whose_reloads_show_the_cost_are_grouped_by_host() {
        let doc = har(&[
            // No lifetime, revalidated: shown.
            asset("https://app.example/a.js", 0.0, None),
            asset("https://app.example/a.js", 900.0, None).status(304),
            // A minute's lifetime, fetched again two minutes later: shown.
            asset("https://app.example/c.js", 0.0, Some("public, max-age=60")),
            asset(
                "https://app.example/c.js",
                120_000.0,
                Some("public, max-age=60"),
            ),
            // Fetched again within its lifetime: the cache was off, not the headers' fault.
            asset("https://app.example/b.js", 0.0, Some("max-age=600")),
            asset("https://app.example/b.js", 5_000.0, Some("max-age=600")),
            asset(
                "https://app.example/d.js",
                0.0,
                Some("max-age=31536000, immutable"),
            ),
            asset(
                "https://app.example/d.js",
                900.0,
                Some("max-age=31536000, immutable"),
            )
            .status(304),
            asset("https://cdn.example/e.js", 0.0, Some("no-store")),
            asset("https://cdn.example/e.js", 900.0, Some("no-store")),
            // Loaded once: no cost shown. An API response is not a static asset.
            asset("https://app.example/once.js", 0.0, Some("no-cache")),
            entry("https://app.example/api", 0.0)
                .response_header("Content-Type", "application/json"),
            entry("https://app.example/api", 900.0)
                .response_header("Content-Type", "application/json")
                .status(304),
        ]);
        let findings = run(&doc, "cache-missing", &Thresholds::default());
        assert_eq!(findings.len(), 2, "{findings:#?}");
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.entries, vec![0, 1, 2, 3]);
        assert!(
            f.message
                .starts_with("2 static assets from app.example went to the network 4 times"),
            "{}",
            f.message
        );
        assert!(f.message.contains("1 no cache lifetime"), "{}", f.message);
        assert!(f.message.contains("1 a short lifetime"), "{}", f.message);
        assert_eq!(f.evidence["assets"][1]["max_age_s"], 60);
        assert!(
            findings[1].message.contains("no-store"),
            "{}",
            findings[1].message
        );
    }

    #[test]
    fn revalidating_counts_as_loading_again() {
        let doc = har(&[
            asset("https://app.example/app.js", 0.0, Some("no-cache")),
            asset("https://app.example/app.js", 900.0, Some("no-cache")).status(304),
        ]);
        let findings = run(&doc, "cache-missing", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].entries, vec![0, 1]);
        assert!(
            findings[0].message.contains("revalidated on every load"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn expires_counts_as_a_lifetime() {
        let dated = |url: &str, at: f64, expires: &str| {
            asset(url, at, None)
                .response_header("Date", "Thu, 01 Jan 2026 00:00:00 GMT")
                .response_header("Expires", expires)
        };
        let doc = har(&[
            dated(
                "https://app.example/x.js",
                0.0,
                "Fri, 01 Jan 2027 00:00:00 GMT",
            ),
            dated(
                "https://app.example/x.js",
                500.0,
                "Fri, 01 Jan 2027 00:00:00 GMT",
            )
            .status(304),
            dated("https://app.example/y.js", 0.0, "0"),
            dated("https://app.example/y.js", 500.0, "0").status(304),
        ]);
        let findings = run(&doc, "cache-missing", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].entries, vec![2, 3]);
        assert!(
            findings[0].message.contains("revalidated on every load"),
            "{}",
            findings[0].message
        );
    }
}
