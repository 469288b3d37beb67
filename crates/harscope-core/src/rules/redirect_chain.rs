//! `redirect-chain`: a request that went through several redirects, or round in a loop.
//!
//! What it checks: responses 301, 302, 303, 307 and 308 are followed to the request for the
//! address they name (`redirectURL`, else the `Location` header, resolved against the
//! request's URL) to rebuild each chain of redirects. A chain of at least the threshold's
//! number of redirects (2 by default, `--redirect-hops`) is a warning listing the hops, their
//! statuses, the total time and which hops changed origin; a chain that comes back to an
//! address it already visited is a redirect loop, an error. A single redirect (`http://` to
//! `https://`, a trailing slash) is normal and not reported.
//!
//! Why it matters: every redirect is a full round trip (often a new connection, DNS and TLS
//! when the origin changes) before the real response can even start: on a page's document
//! it delays everything, on an API call it doubles the latency. A loop never ends: the
//! browser gives up after 20 hops with `ERR_TOO_MANY_REDIRECTS`.
//!
//! How to fix it: link to the final address directly (update links, API base URLs and
//! configuration), collapse server rules so one redirect goes straight to the end
//! (`http://example.com` to `https://www.example.com/en/` in one hop), and add HSTS so
//! browsers skip the `http://` hop. For a loop, look at the rules that send each address to
//! the next: typically a proxy that speaks HTTP to the app while the app insists on HTTPS
//! (check `X-Forwarded-Proto`), or two rules that undo each other (trailing slash, `www`).

use std::collections::{HashMap, HashSet};

use serde_json::json;

use super::{request_finding, Rule};
use crate::capture::{url_origin, Capture};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms, short_url};
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "redirect-chain",
    title: "Chains of redirects and redirect loops",
    check,
};

fn is_redirect(status: Option<i64>) -> bool {
    matches!(status, Some(301 | 302 | 303 | 307 | 308))
}

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    if t.redirect_hops == 0 {
        return;
    }
    let entries = &cx.har.entries;
    // Requests by URL, in file order.
    let mut by_url: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_url
            .entry(without_fragment(&e.request.url))
            .or_default()
            .push(i);
    }
    let mut next: HashMap<usize, usize> = HashMap::new();
    let mut targeted: HashSet<usize> = HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        if !is_redirect(e.response.status) {
            continue;
        }
        let Some(target) = location(e) else { continue };
        let target = resolve(&e.request.url, &target);
        let start = cx.spans[i].start;
        let candidate = by_url.get(without_fragment(&target)).and_then(|list| {
            list.iter().copied().find(|&j| {
                j != i
                    && !targeted.contains(&j)
                    && match (start, cx.spans[j].start) {
                        (Some(a), Some(b)) => b >= a,
                        _ => j > i,
                    }
            })
        });
        if let Some(j) = candidate {
            next.insert(i, j);
            targeted.insert(j);
        }
    }
    for (i, e) in entries.iter().enumerate() {
        if !is_redirect(e.response.status) || targeted.contains(&i) {
            continue;
        }
        let mut chain = vec![i];
        let mut seen: HashSet<&str> = HashSet::from([without_fragment(&e.request.url)]);
        let mut looped = false;
        let mut at = i;
        while let Some(&j) = next.get(&at) {
            chain.push(j);
            if !seen.insert(without_fragment(&entries[j].request.url)) {
                looped = true;
            }
            if !is_redirect(entries[j].response.status) || chain.len() > 64 {
                break;
            }
            at = j;
        }
        let redirects = chain
            .iter()
            .filter(|&&k| is_redirect(entries[k].response.status))
            .count();
        if looped || redirects >= t.redirect_hops {
            out.push(finding(cx, t, chain, redirects, looped));
        }
    }
}

fn finding(
    cx: &Capture,
    t: &Thresholds,
    chain: Vec<usize>,
    redirects: usize,
    looped: bool,
) -> Finding {
    let entries = &cx.har.entries;
    let first = &entries[chain[0]];
    let last = &entries[*chain.last().unwrap_or(&chain[0])];
    let hops: Vec<serde_json::Value> = chain
        .iter()
        .map(|&k| {
            json!({
                "url": entries[k].request.url,
                "status": entries[k].response.status,
                "ms": cx.spans[k].duration.map(round_ms),
            })
        })
        .collect();
    let cross_origin = chain
        .windows(2)
        .filter(|w| {
            url_origin(&entries[w[0]].request.url) != url_origin(&entries[w[1]].request.url)
        })
        .count();
    let spent: f64 = chain
        [..chain.len() - usize::from(!looped && !is_redirect(last.response.status))]
        .iter()
        .filter_map(|&k| cx.spans[k].duration)
        .sum();
    // Plain-HTTP hops keep their scheme: `http://a → a` is the hop to HTTPS.
    let shown = |k: usize| {
        let url = &entries[k].request.url;
        if url.starts_with("http://") {
            format!("http://{}", short_url(url))
        } else {
            short_url(url)
        }
    };
    let mut path: Vec<String> = chain.iter().map(|&k| shown(k)).collect();
    if path.len() > 5 {
        let hidden = path.len() - 4;
        path.splice(2..path.len() - 2, [format!("({hidden} more)")]);
    }
    let message = if looped {
        format!(
            "{} {} redirects round in a loop: {} (after {redirects} redirects the chain comes back to an address it visited).",
            first.request.method,
            shown(chain[0]),
            path.join(" → ")
        )
    } else {
        format!(
            "{} {} went through {redirects} redirects{} {}, spending {} on them: {}.",
            first.request.method,
            shown(chain[0]),
            if cross_origin > 0 {
                format!(" ({cross_origin} to another origin)")
            } else {
                String::new()
            },
            if is_redirect(last.response.status) {
                "(the capture has no request for where the last one points)"
            } else {
                "before its response"
            },
            duration(spent),
            path.join(" → ")
        )
    };
    let advice = if looped {
        "A redirect loop never ends (browsers stop after 20 hops with ERR_TOO_MANY_REDIRECTS). Look at the rules that send each address to the next: typically a proxy or load balancer that speaks HTTP to the app while the app insists on HTTPS (check X-Forwarded-Proto), or two rules that undo each other (trailing slash, www, language prefix).".to_owned()
    } else {
        "Each redirect costs a round trip (and a new connection, DNS and TLS when the origin changes) before the real response starts. Link to the final address directly, make one server rule go straight to the end, and send HSTS so browsers skip the http:// hop.".to_owned()
    };
    request_finding(
        cx,
        RULE.id,
        if looped {
            Severity::Error
        } else {
            Severity::Warning
        },
        chain,
        message,
        advice,
        json!({
            "redirects": redirects,
            "threshold": t.redirect_hops,
            "loop": looped,
            "cross_origin_hops": cross_origin,
            "redirect_ms": round_ms(spent),
            "hops": hops,
        }),
    )
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Where a redirect sends the browser: the producer's `redirectURL`, else `Location`.
fn location(e: &crate::har::Entry) -> Option<String> {
    Some(e.response.redirect_url.as_ref())
        .filter(|u| !u.is_empty())
        .or_else(|| e.response_header("location"))
        .map(str::to_owned)
}

/// `target` resolved against `base`, for the forms a Location header takes.
fn resolve(base: &str, target: &str) -> String {
    let target = target.trim();
    if target.contains("://") {
        return target.to_owned();
    }
    let scheme_end = base.find("://").map_or(0, |p| p + 3);
    if let Some(rest) = target.strip_prefix("//") {
        return format!("{}{rest}", &base[..scheme_end]);
    }
    let authority_end = base[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |p| scheme_end + p);
    if target.starts_with('/') {
        return format!("{}{target}", &base[..authority_end]);
    }
    if target.starts_with('?') {
        let path_end = base.find(['?', '#']).unwrap_or(base.len());
        return format!("{}{target}", &base[..path_end]);
    }
    let path_end = base[authority_end..]
        .find(['?', '#'])
        .map_or(base.len(), |p| authority_end + p);
    let dir_end = base[authority_end..path_end]
        .rfind('/')
        .map_or(authority_end, |p| authority_end + p + 1);
    if dir_end == authority_end {
        format!("{}/{target}", &base[..authority_end])
    } else {
        format!("{}{target}", &base[..dir_end])
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    #[test]
    fn locations_resolve_as_browsers_do() {
        let base = "https://a.example/shop/cart?x=1";
        assert_eq!(resolve(base, "https://b.example/"), "https://b.example/");
        assert_eq!(resolve(base, "//c.example/p"), "https://c.example/p");
        assert_eq!(resolve(base, "/login"), "https://a.example/login");
        assert_eq!(resolve(base, "?y=2"), "https://a.example/shop/cart?y=2");
        assert_eq!(resolve(base, "checkout"), "https://a.example/shop/checkout");
        assert_eq!(resolve("https://a.example", "x"), "https://a.example/x");
    }

    fn hop(url: &str, at: f64, status: i64, to: &str) -> crate::rules::testing::EntryBuilder {
        entry(url, at)
            .status(status)
            .response_header("Location", to)
            .duration(40.0)
    }

    #[test]
    fn a_chain_of_redirects_is_reported_with_its_hops() {
        let doc = har(&[
            hop("http://shop.example/", 0.0, 301, "https://shop.example/"),
            hop(
                "https://shop.example/",
                50.0,
                302,
                "https://www.shop.example/",
            ),
            hop("https://www.shop.example/", 100.0, 302, "/en/"),
            entry("https://www.shop.example/en/", 150.0).duration(80.0),
            // A single redirect is normal.
            hop(
                "https://shop.example/logo",
                10.0,
                301,
                "https://cdn.example/logo.png",
            ),
            entry("https://cdn.example/logo.png", 60.0),
        ]);
        let findings = run(&doc, "redirect-chain", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.entries, vec![0, 1, 2, 3]);
        assert_eq!(f.evidence["redirects"], 3);
        assert_eq!(f.evidence["cross_origin_hops"], 2);
        assert_eq!(f.evidence["redirect_ms"], 120.0);
        assert!(
            f.message
                .contains("went through 3 redirects (2 to another origin)"),
            "{}",
            f.message
        );
        let t = Thresholds {
            redirect_hops: 4,
            ..Thresholds::default()
        };
        assert!(run(&doc, "redirect-chain", &t).is_empty());
    }

    #[test]
    fn a_loop_is_an_error() {
        let doc = har(&[
            hop("https://app.example/a", 0.0, 302, "/b"),
            hop("https://app.example/b", 50.0, 302, "/a"),
            hop("https://app.example/a", 100.0, 302, "/b"),
        ]);
        let findings = run(&doc, "redirect-chain", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Error);
        assert_eq!(findings[0].evidence["loop"], true);
        assert!(
            findings[0].message.contains("redirects round in a loop"),
            "{}",
            findings[0].message
        );
    }
}
