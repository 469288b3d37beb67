//! `slow-connection`: slow DNS, TCP or TLS setup, and certificates about to expire.
//!
//! What it checks: each request's connection phases: `dns`, the TCP part of `connect` and
//! `ssl` (the TLS handshake, which HAR counts inside `connect`), against the threshold (200 ms
//! by default, `--slow-connection-ms`); four times the threshold is an error. Where the
//! producer records the connection's certificate (Playwright's `_securityDetails`: issuer,
//! subject, validity dates), a certificate that expires within 14 days of the capture
//! (`--cert-expiry-days`) is a warning, one already expired an error; one finding per
//! certificate.
//!
//! Why it matters: DNS and TLS trouble shows up here first, before anything fails outright: an
//! overloaded or distant resolver, a short DNS TTL under load, a TLS handshake slowed by a
//! long certificate chain, missing OCSP stapling, no session resumption, or a server far from
//! the user. Every new connection pays it before the first byte of the request is sent. An
//! expiring certificate becomes an outage the day it lapses.
//!
//! How to fix it: for DNS, check the resolver's health and latency and the records' TTLs
//! (`dig +stats`, CoreDNS metrics in Kubernetes; `ndots` settings that multiply lookups); for
//! TCP, serve from closer (a CDN) and reuse connections (keep-alive, HTTP/2); for TLS, enable
//! TLS 1.3 and session resumption, staple OCSP, trim the certificate chain. Browsers can
//! start all three early with `<link rel="preconnect">`. Renew certificates well before they
//! expire, automate renewal (cert-manager, ACME) and alert 14 days ahead.

use std::collections::HashMap;

use serde_json::json;

use super::{graded, request_finding, Rule};
use crate::capture::{url_host, Capture};
use crate::config::Thresholds;
use crate::fmt::{duration, round_ms, short_url};
use crate::har::time::parse_timestamp_ms;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "slow-connection",
    title: "Slow DNS, connection or TLS setup; expiring certificates",
    check,
};

const DAY_MS: f64 = 86_400_000.0;

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    for (index, entry) in cx.har.entries.iter().enumerate() {
        let timings = &entry.timings;
        let known = |v: Option<f64>| v.filter(|x| *x >= 0.0);
        let (dns, connect, ssl) = (
            known(timings.dns),
            known(timings.connect),
            known(timings.ssl),
        );
        // HAR counts the TLS handshake inside `connect`; what remains is TCP.
        let tcp = match (connect, ssl) {
            (Some(c), Some(s)) if s <= c => Some(c - s),
            (c, _) => c,
        };
        let slow: Vec<(&str, f64)> = [("DNS", dns), ("TCP connect", tcp), ("TLS", ssl)]
            .into_iter()
            .filter_map(|(name, v)| {
                v.filter(|ms| *ms > t.slow_connection_ms)
                    .map(|ms| (name, ms))
            })
            .collect();
        let Some(worst) = slow.iter().map(|(_, ms)| *ms).reduce(f64::max) else {
            continue;
        };
        let host = url_host(&entry.request.url);
        let what: Vec<String> = slow
            .iter()
            .map(|(name, ms)| format!("{name} {}", duration(*ms)))
            .collect();
        let mut advice = Vec::new();
        for (name, _) in &slow {
            advice.push(match *name {
                "DNS" => "DNS: check the resolver's health and latency and the records' TTLs (dig +stats; CoreDNS metrics and ndots settings in Kubernetes).",
                "TCP connect" => "TCP: the server is far or busy accepting: serve from closer (a CDN), and reuse connections (keep-alive, HTTP/2) so fewer are opened.",
                _ => "TLS: enable TLS 1.3 and session resumption, staple OCSP and trim the certificate chain.",
            });
        }
        advice.push("A `<link rel=\"preconnect\">` to this origin lets the browser set the connection up early.");
        out.push(request_finding(
            cx,
            RULE.id,
            graded(worst, t.slow_connection_ms),
            vec![index],
            format!(
                "Connecting to {host} for {} was slow: {} (threshold {}).",
                short_url(&entry.request.url),
                what.join(", "),
                duration(t.slow_connection_ms)
            ),
            advice.join(" "),
            json!({
                "host": host,
                "dns_ms": dns.map(round_ms),
                "tcp_ms": tcp.map(round_ms),
                "tls_ms": ssl.map(round_ms),
                "threshold_ms": t.slow_connection_ms,
                "server_ip": entry.server_ip_address,
            }),
        ));
    }
    certificates(cx, t, out);
}

/// One finding per certificate (host and expiry) that expires soon after the capture.
fn certificates(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    let mut seen: HashMap<(String, i64), usize> = HashMap::new();
    let mut order = Vec::new();
    let mut uses: Vec<Vec<usize>> = Vec::new();
    for (index, entry) in cx.har.entries.iter().enumerate() {
        let Some(cert) = &entry.security else {
            continue;
        };
        let Some(valid_to) = cert.valid_to else {
            continue;
        };
        let Some(at) = entry
            .started_date_time
            .as_deref()
            .and_then(parse_timestamp_ms)
        else {
            continue;
        };
        let days_left = (valid_to * 1000.0 - at) / DAY_MS;
        if days_left >= t.cert_expiry_days {
            continue;
        }
        let key = (url_host(&entry.request.url).to_owned(), valid_to as i64);
        match seen.get(&key) {
            Some(&k) => uses[k].push(index),
            None => {
                seen.insert(key, uses.len());
                order.push((index, days_left));
                uses.push(vec![index]);
            }
        }
    }
    for ((index, days_left), entries) in order.into_iter().zip(uses) {
        let entry = cx.entry(index);
        let Some(cert) = &entry.security else {
            continue;
        };
        let host = url_host(&entry.request.url);
        let expired = days_left < 0.0;
        let when = if expired {
            format!("expired {} before the capture", days(-days_left))
        } else {
            format!("expires {} after the capture", days(days_left))
        };
        out.push(request_finding(
            cx,
            RULE.id,
            if expired { Severity::Error } else { Severity::Warning },
            entries,
            format!(
                "The TLS certificate of {host} ({}issued by {}) {when}.",
                cert.subject_name
                    .as_deref()
                    .map(|s| format!("for {s}, "))
                    .unwrap_or_default(),
                cert.issuer.as_deref().unwrap_or("an unrecorded issuer")
            ),
            "Renew the certificate now and automate renewal (cert-manager, an ACME client) so it happens well before expiry; alert 14 days ahead. If it is renewed already, the server (or one behind a load balancer) still presents the old one: reload it. Check with `openssl s_client -connect HOST:443 -servername HOST | openssl x509 -noout -dates`.".to_owned(),
            json!({
                "host": host,
                "subject": cert.subject_name,
                "issuer": cert.issuer,
                "protocol": cert.protocol,
                "valid_from": cert.valid_from,
                "valid_to": cert.valid_to,
                "days_left": (days_left * 10.0).round() / 10.0,
                "threshold_days": t.cert_expiry_days,
            }),
        ));
    }
}

fn days(d: f64) -> String {
    let (n, unit) = if d < 1.0 {
        ((d * 24.0).round(), "hour")
    } else {
        (d.floor(), "day")
    };
    format!("{n} {unit}{}", if n == 1.0 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    fn timings(dns: f64, connect: f64, ssl: f64) -> serde_json::Value {
        json!({"blocked": 1, "dns": dns, "connect": connect, "ssl": ssl, "send": 1, "wait": 50, "receive": 5})
    }

    #[test]
    fn slow_phases_are_named_tls_apart_from_tcp() {
        let doc = har(&[
            entry("https://api.example/a", 0.0).set_json(&["timings"], timings(20.0, 950.0, 900.0)),
            entry("https://cdn.example/b", 0.0).set_json(&["timings"], timings(350.0, 40.0, 30.0)),
            entry("https://ok.example/c", 0.0).set_json(&["timings"], timings(20.0, 150.0, 120.0)),
            entry("https://reused.example/d", 0.0)
                .set_json(&["timings"], timings(-1.0, -1.0, -1.0)),
        ]);
        let findings = run(&doc, "slow-connection", &Thresholds::default());
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].severity, Severity::Error);
        assert!(
            findings[0].message.contains("TLS 900 ms"),
            "{}",
            findings[0].message
        );
        assert!(
            !findings[0].message.contains("TCP"),
            "{}",
            findings[0].message
        );
        assert_eq!(findings[1].severity, Severity::Warning);
        assert!(
            findings[1].message.contains("DNS 350 ms"),
            "{}",
            findings[1].message
        );
    }

    #[test]
    fn certificates_expiring_soon_are_reported_once() {
        // The builder's captures start on 2026-01-01T00:00:00Z (1767225600 s).
        let cert = |days: f64| {
            json!({"protocol": "TLS 1.3", "subjectName": "shop.example", "issuer": "Example CA",
                   "validFrom": 1_700_000_000, "validTo": 1_767_225_600.0 + days * 86_400.0})
        };
        let doc = har(&[
            entry("https://shop.example/", 0.0).set_json(&["_securityDetails"], cert(5.5)),
            entry("https://shop.example/app.js", 10.0).set_json(&["_securityDetails"], cert(5.5)),
            entry("https://old.example/", 0.0).set_json(&["_securityDetails"], cert(-2.0)),
            entry("https://fine.example/", 0.0).set_json(&["_securityDetails"], cert(90.0)),
            entry("http://plain.example/", 0.0).set_json(&["_securityDetails"], json!({})),
        ]);
        let findings = run(&doc, "slow-connection", &Thresholds::default());
        assert_eq!(findings.len(), 2, "{findings:#?}");
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(findings[0].entries, vec![0, 1]);
        assert!(
            findings[0]
                .message
                .contains("expires 5 days after the capture"),
            "{}",
            findings[0].message
        );
        assert_eq!(findings[1].severity, Severity::Error);
        assert!(
            findings[1].message.contains("expired 2 days before"),
            "{}",
            findings[1].message
        );
    }
}
