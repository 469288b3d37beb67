//! `uncompressed-text`: a text response sent without compression.
//!
//! What it checks: responses whose body is text (HTML, CSS, JavaScript, JSON, SVG, XML, plain
//! text) and larger than the threshold (20 KiB by default, `--uncompressed-bytes`), that came
//! over the network (not from the browser's cache, not a 304) without a `Content-Encoding` of
//! gzip, br, deflate or zstd. When the capture records no response headers at all (some
//! exports strip them) the response is skipped rather than guessed at. Four times the
//! threshold is an error.
//!
//! Why it matters: text compresses to a fifth or less of its size; sent uncompressed, it
//! takes that much longer to download on every slow connection, and on a page's critical
//! path (its HTML, its scripts and styles) it delays rendering.
//!
//! How to fix it: turn on compression for text types where the response leaves your servers
//! (nginx `gzip on; gzip_types ...` or `brotli`, a CDN's compression setting, the framework's
//! compression middleware), check that a proxy between them does not strip it, and prefer
//! Brotli for static assets compressed once at build time.

use serde_json::json;

use super::{graded, request_finding, Rule};
use crate::capture::{content_bytes, transfer_bytes, Capture};
use crate::config::Thresholds;
use crate::fmt::{bytes, short_url};
use crate::har::Entry;
use crate::report::Finding;

pub const RULE: Rule = Rule {
    id: "uncompressed-text",
    title: "Text sent without compression",
    check,
};

const ENCODINGS: [&str; 5] = ["gzip", "br", "deflate", "zstd", "compress"];

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    if t.uncompressed_bytes == 0 {
        return;
    }
    for (index, entry) in cx.har.entries.iter().enumerate() {
        let status = entry.response.status.unwrap_or(0);
        if !(200..300).contains(&status)
            || entry.from_cache.is_some()
            || entry.response.headers.is_empty()
        {
            continue;
        }
        let Some(kind) = text_kind(&entry.response.content.mime_type) else {
            continue;
        };
        // Chrome records the bytes compression saved.
        if compressed(entry) || entry.response.content.compression.is_some_and(|c| c > 0) {
            continue;
        }
        let Some(size) = content_bytes(entry) else {
            continue;
        };
        if size <= t.uncompressed_bytes {
            continue;
        }
        let transferred = transfer_bytes(entry);
        // Fewer bytes on the wire than in the body: compressed after all (a header the
        // producer dropped). Nothing on the wire: served by a service worker or a cache.
        if transferred.is_some_and(|tb| tb == 0 || (tb as f64) < size as f64 * 0.9) {
            continue;
        }
        out.push(request_finding(
            cx,
            RULE.id,
            graded(size as f64, t.uncompressed_bytes as f64),
            vec![index],
            format!(
                "{} ({kind}, {}) was sent uncompressed (threshold {}).",
                short_url(&entry.request.url),
                bytes(size),
                bytes(t.uncompressed_bytes)
            ),
            format!(
                "Turn on gzip or Brotli for {kind} where this response leaves the server (nginx `gzip_types`/`brotli_types`, the CDN's compression setting, or the framework's compression middleware), and check that no proxy strips it. Text like this typically shrinks to a fifth or less of its size.{}",
                if entry.request_header("accept-encoding").is_none() {
                    " (The capture does not show the request's Accept-Encoding: if the client did not offer compression, the server was right not to use it.)"
                } else {
                    ""
                }
            ),
            json!({
                "content_bytes": size,
                "transfer_bytes": transferred,
                "threshold_bytes": t.uncompressed_bytes,
                "mime_type": entry.response.content.mime_type,
                "content_encoding": entry.response_header("content-encoding"),
                "accept_encoding": entry.request_header("accept-encoding"),
            }),
        ));
    }
}

fn compressed(e: &Entry) -> bool {
    e.response_header("content-encoding").is_some_and(|v| {
        v.split(',')
            .any(|c| ENCODINGS.contains(&c.trim().to_ascii_lowercase().as_str()))
    })
}

/// The kind of text a MIME type names, if it is text worth compressing.
fn text_kind(mime: &str) -> Option<&'static str> {
    let m = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match m.as_str() {
        "text/html" | "application/xhtml+xml" => "HTML",
        "text/css" => "CSS",
        "image/svg+xml" => "SVG",
        "text/plain" | "text/csv" | "text/markdown" => "text",
        m if m.contains("javascript") || m == "text/ecmascript" => "JavaScript",
        m if m.contains("json") => "JSON",
        m if m.ends_with("xml") || m.ends_with("+xml") => "XML",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    #[test]
    fn flags_large_text_without_content_encoding() {
        let doc = har(&[
            entry("https://app.example/api/catalog", 0.0)
                .mime("application/json")
                .content_size(300_000)
                .transfer_size(300_400)
                .response_header("Content-Type", "application/json"),
            entry("https://app.example/app.js", 0.0)
                .mime("application/javascript")
                .content_size(300_000)
                .transfer_size(80_000)
                .response_header("Content-Encoding", "br"),
            entry("https://app.example/small.css", 0.0)
                .mime("text/css")
                .content_size(2_000)
                .transfer_size(2_200)
                .response_header("Content-Type", "text/css"),
            entry("https://app.example/photo.jpg", 0.0)
                .mime("image/jpeg")
                .content_size(900_000)
                .transfer_size(900_300)
                .response_header("Content-Type", "image/jpeg"),
        ]);
        let findings = run(&doc, "uncompressed-text", &Thresholds::default());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.entries, vec![0]);
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message
                .contains("(JSON, 293.0 KiB) was sent uncompressed"),
            "{}",
            f.message
        );
    }

    #[test]
    fn compressed_by_size_cached_and_headerless_responses_are_skipped() {
        let doc = har(&[
            // No Content-Encoding recorded, but far fewer bytes on the wire: compressed.
            entry("https://app.example/a.json", 0.0)
                .mime("application/json")
                .content_size(100_000)
                .transfer_size(20_000)
                .response_header("Content-Type", "application/json"),
            entry("https://app.example/b.json", 0.0)
                .mime("application/json")
                .content_size(100_000)
                .cached_in("disk")
                .response_header("Content-Type", "application/json"),
            entry("https://app.example/c.json", 0.0)
                .mime("application/json")
                .content_size(100_000)
                .transfer_size(100_300),
        ]);
        assert!(run(&doc, "uncompressed-text", &Thresholds::default()).is_empty());
        let off = Thresholds {
            uncompressed_bytes: 0,
            ..Thresholds::default()
        };
        assert!(run(&doc, "uncompressed-text", &off).is_empty());
    }
}
