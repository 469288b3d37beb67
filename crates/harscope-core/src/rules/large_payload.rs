//! `large-payload`: a response bigger than it should be.
//!
//! What it checks: responses over the payload threshold, 1 MiB (1,048,576 bytes) by default
//! (`--payload-bytes`), measured two ways: the decoded body (`content.size`, what the browser
//! must parse and hold in memory) and the bytes on the wire (`_transferSize`, or headers plus
//! body size). The finding says which measure crossed the line, and when compression hides a
//! large body on the wire: a 4 MiB JSON document gzipped to 600 KiB still costs 4 MiB of
//! parsing. Four times the threshold is an error. A 304 is judged on its transfer only.
//!
//! Why it matters: big downloads are slow on real networks and mobile data, and big bodies
//! are slow to decode, parse and render: megabytes of JSON or JavaScript block the main thread
//! and inflate memory long after the download ends.
//!
//! How to fix it: for API responses, paginate, filter fields server-side, and stop sending data
//! the page does not show. For scripts, split bundles per route, drop unused dependencies and
//! load the rest lazily. For images, serve sizes that match the layout in modern formats (AVIF,
//! WebP). For fonts, subset. Compress text responses (gzip, br) when they are not already.

use serde_json::json;

use super::{graded, request_finding, Rule};
use crate::capture::{content_bytes, resource_type, transfer_bytes, Capture};
use crate::config::Thresholds;
use crate::fmt::{bytes, short_url};
use crate::report::Finding;

pub const RULE: Rule = Rule {
    id: "large-payload",
    title: "Large response payload",
    check,
};

fn check(cx: &Capture, t: &Thresholds, out: &mut Vec<Finding>) {
    let limit = t.payload_bytes;
    for (index, entry) in cx.har.entries.iter().enumerate() {
        if entry.has_no_response() {
            continue;
        }
        let status = entry.response.status.unwrap_or(0);
        let content = content_bytes(entry).filter(|_| status != 304 && status != 101);
        // A cached response crossed no wire; its transfer size (often 0) says nothing.
        let cached = entry.from_cache.is_some() || transfer_bytes(entry) == Some(0);
        let transfer = transfer_bytes(entry).filter(|_| !cached);
        let over_content = content.is_some_and(|c| c > limit);
        let over_transfer = transfer.is_some_and(|w| w > limit);
        let measured_by = match (over_content, over_transfer) {
            (true, true) => "both",
            (true, false) => "content",
            (false, true) => "transfer",
            (false, false) => continue,
        };
        let encoding = entry
            .response_header("content-encoding")
            .map(str::trim)
            .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"));
        let hidden_by_compression =
            over_content && encoding.is_some() && transfer.is_some_and(|w| w <= limit);
        let kind = resource_type(entry);
        let mime = entry.response.content.mime_type.as_ref();
        let size_text = match (content, transfer) {
            (Some(c), Some(w)) if hidden_by_compression => format!(
                "{} decoded, though only {} on the wire thanks to compression",
                bytes(c),
                bytes(w)
            ),
            (Some(c), Some(w)) => format!("{} decoded, {} on the wire", bytes(c), bytes(w)),
            (Some(c), None) if cached => format!("{} decoded (from the browser's cache)", bytes(c)),
            (Some(c), None) => format!("{} decoded", bytes(c)),
            (None, w) => format!("{} on the wire", bytes(w.unwrap_or(0))),
        };
        let biggest = content.unwrap_or(0).max(transfer.unwrap_or(0));
        out.push(request_finding(
            cx,
            RULE.id,
            graded(biggest as f64, limit as f64),
            vec![index],
            format!(
                "{} {} returned {} (threshold {}).",
                entry.request.method,
                short_url(&entry.request.url),
                size_text,
                bytes(limit)
            ),
            advice(
                kind,
                mime,
                hidden_by_compression,
                !cached && encoding.is_none() && is_text(mime),
            ),
            json!({
                "content_bytes": content,
                "transfer_bytes": transfer,
                "threshold_bytes": limit,
                "measured_by": measured_by,
                "hidden_by_compression": hidden_by_compression,
                "content_encoding": encoding,
                "mime_type": mime,
                "resource_type": kind,
                "from_cache": cached,
            }),
        ));
    }
}

fn is_text(mime: &str) -> bool {
    let m = mime.to_ascii_lowercase();
    m.starts_with("text/")
        || ["json", "javascript", "xml", "svg"]
            .iter()
            .any(|k| m.contains(k))
}

fn advice(kind: &str, mime: &str, hidden_by_compression: bool, uncompressed_text: bool) -> String {
    let mut advice = match kind {
        "script" => "Split the bundle per route, drop unused dependencies and load the rest lazily: every megabyte of JavaScript is parsed and compiled on the main thread.",
        "stylesheet" => "Remove unused CSS and split it per page; inline only the critical part.",
        "image" => "Serve an image sized for the layout it fills, in a modern format (AVIF, WebP), and lazy-load it when it is below the fold.",
        "font" => "Subset the font to the characters the page uses and serve WOFF2.",
        "media" => "Stream media (range requests, adaptive bitrate) instead of downloading it whole.",
        "document" => "Trim the HTML: inline data and markup the first view does not need can be loaded later.",
        _ if mime.contains("json") || kind == "fetch" || kind == "xhr" => "Paginate the response, filter fields on the server and send only what the page shows.",
        _ => "Check whether the page needs all of this response up front; load it lazily or in parts.",
    }
    .to_owned();
    if hidden_by_compression {
        advice.push_str(" Compression hides the size on the wire, but the browser still decodes, parses and keeps the whole body in memory.");
    }
    if uncompressed_text {
        advice.push_str(
            " The response is text sent without Content-Encoding: enable gzip or Brotli for it.",
        );
    }
    advice
}

#[cfg(test)]
mod tests {
    use crate::config::Thresholds;
    use crate::report::Severity;
    use crate::rules::testing::{entry, har, run};

    const MIB: i64 = 1_048_576;

    #[test]
    fn says_when_compression_hides_a_large_body() {
        let doc = har(&[entry("https://app.example/api/all", 0.0)
            .content_size(3 * MIB)
            .transfer_size(400_000)
            .response_header("Content-Encoding", "gzip")]);
        let f = &run(&doc, "large-payload", &Thresholds::default())[0];
        assert_eq!(f.evidence["measured_by"], "content");
        assert_eq!(f.evidence["hidden_by_compression"], true);
        assert_eq!(f.evidence["content_encoding"], "gzip");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("3.00 MiB decoded"), "{}", f.message);
        assert!(f.advice.contains("Compression hides"), "{}", f.advice);
    }

    #[test]
    fn measures_transfer_when_content_size_is_unknown() {
        let doc = har(&[entry("https://app.example/video.bin", 0.0)
            .content_size(-1)
            .transfer_size(5 * MIB)
            .mime("application/octet-stream")]);
        let f = &run(&doc, "large-payload", &Thresholds::default())[0];
        assert_eq!(f.evidence["measured_by"], "transfer");
        assert_eq!(f.evidence["content_bytes"], serde_json::Value::Null);
        assert_eq!(f.severity, Severity::Error);
    }

    #[test]
    fn exact_threshold_is_not_over_and_threshold_is_configurable() {
        let doc = har(&[entry("https://app.example/a.js", 0.0)
            .content_size(MIB)
            .transfer_size(MIB)]);
        assert!(run(&doc, "large-payload", &Thresholds::default()).is_empty());
        let t = Thresholds {
            payload_bytes: 500_000,
            ..Thresholds::default()
        };
        let f = &run(&doc, "large-payload", &t)[0];
        assert_eq!(f.evidence["measured_by"], "both");
        assert!(f.advice.contains("Split the bundle"));
        assert!(f.advice.contains("without Content-Encoding"));
    }

    #[test]
    fn cached_bodies_are_not_credited_to_compression() {
        let doc = har(&[entry("https://app.example/big.js", 0.0)
            .content_size(3 * MIB)
            .transfer_size(0)
            .cached_in("memory")]);
        let f = &run(&doc, "large-payload", &Thresholds::default())[0];
        assert_eq!(f.evidence["hidden_by_compression"], false);
        assert_eq!(f.evidence["from_cache"], true);
        assert_eq!(f.evidence["transfer_bytes"], serde_json::Value::Null);
        assert!(
            f.message.contains("from the browser's cache"),
            "{}",
            f.message
        );
        assert!(!f.advice.contains("Content-Encoding"), "{}", f.advice);
    }

    #[test]
    fn not_modified_is_judged_by_transfer_only() {
        let doc = har(&[entry("https://app.example/a.js", 0.0)
            .status(304)
            .content_size(5 * MIB)
            .transfer_size(300)]);
        assert!(run(&doc, "large-payload", &Thresholds::default()).is_empty());
    }
}
