//! Report links: every fixture capture's report survives a link, redacted; sizes; damaged,
//! tampered and oversized links are errors.

use std::path::{Path, PathBuf};

use harscope_core::link::{self, LinkError, SharedReport, DEFAULT_BUDGET};
use harscope_core::{analyze, har, Options};

mod common;
use common::{fixtures, planted};

fn shared(path: &Path) -> SharedReport {
    let bytes = std::fs::read(path).unwrap();
    let har = har::parse(&bytes).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    let report = analyze(&har, Some(name), &Options::default());
    link::share(&har, &report)
}

#[test]
fn every_fixture_round_trips_through_a_link() {
    for path in fixtures() {
        let full = shared(&path);
        let (fragment, carried) = link::encode(&full, DEFAULT_BUDGET);
        let decoded = link::decode(&link::url("http://127.0.0.1:8080/", &fragment)).unwrap();
        assert_eq!(decoded, carried, "{}", path.display());
        // The findings always survive, whatever the budget dropped.
        assert_eq!(decoded.report.findings.len(), full.report.findings.len());
        for (a, b) in decoded.report.findings.iter().zip(&full.report.findings) {
            assert_eq!(
                (&a.rule, a.severity, &a.message),
                (&b.rule, b.severity, &b.message)
            );
        }
        println!(
            "{:<40} {:>4} requests {:>6} bytes, omitted {:?}",
            path.file_name().unwrap().to_string_lossy(),
            full.rows.len(),
            fragment.len(),
            decoded.omitted.describe()
        );
    }
}

/// The shared corpus of third-party captures (when `../shared/corpus/har` is present): each makes
/// a link that reads back as it was written.
#[test]
fn corpus_captures_round_trip_and_their_sizes() {
    let dir = std::env::var_os("HARSCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/har")
        });
    let Ok(listing) = std::fs::read_dir(&dir) else {
        eprintln!("no corpus at {}: skipped", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = listing
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "har"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let full = shared(&path);
        let (fragment, carried) = link::encode(&full, DEFAULT_BUDGET);
        assert_eq!(link::decode(&fragment).unwrap(), carried);
        let (unbounded, _) = link::encode(&full, usize::MAX);
        // Up to 200 requests, the whole report fits in 16 KB; larger ones degrade to fit.
        assert!(fragment.len() <= DEFAULT_BUDGET, "{}", path.display());
        if full.rows.len() <= 200 {
            assert!(unbounded.len() < 16_000, "{}", path.display());
            assert!(carried.omitted.describe().is_empty(), "{}", path.display());
        }
        println!(
            "{:<50} {:>5} requests {:>3} findings: full {:>7} bytes, link {:>6} bytes, omitted {:?}",
            path.file_name().unwrap().to_string_lossy(),
            full.rows.len(),
            full.report.findings.len(),
            unbounded.len(),
            fragment.len(),
            carried.omitted.describe()
        );
    }
}

#[test]
fn no_planted_secret_reaches_a_link() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hand/planted-secrets.har");
    let raw = std::fs::read_to_string(&path).unwrap();
    for secret in &planted() {
        assert!(raw.contains(secret), "the fixture plants {secret}");
    }
    let full = shared(&path);
    let (fragment, _) = link::encode(&full, DEFAULT_BUDGET);
    let carried = serde_json::to_string(&link::decode(&fragment).unwrap()).unwrap();
    for secret in &planted() {
        assert!(
            !carried.contains(secret),
            "{secret} leaked into the link: {carried}"
        );
        assert!(!fragment.contains(secret));
    }
    // What it keeps: that a credential was sent, the header names, the findings.
    assert!(
        carried.contains("\"authorization\""),
        "header names are kept"
    );
    assert!(carried.contains("A credential was sent and rejected"));
    assert_eq!(full.report.findings.len(), 6);
    let r = &full.redactions;
    assert!(
        r.headers >= 4 && r.query >= 1 && r.url_tokens >= 3 && r.text_tokens >= 3,
        "{r:?}"
    );
}

#[test]
fn damaged_tampered_and_oversized_links_are_errors() {
    let full = shared(&fixtures()[0]);
    let (fragment, _) = link::encode(&full, DEFAULT_BUDGET);
    // Cut short, anywhere.
    for cut in (4..fragment.len()).step_by(37) {
        let err = link::decode(&fragment[..cut]).unwrap_err();
        assert!(matches!(err, LinkError::Damaged(_)), "cut at {cut}: {err}");
    }
    // A character changed.
    let mut bytes = fragment.clone().into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    assert!(link::decode(std::str::from_utf8(&bytes).unwrap()).is_err());
    // Not base64url.
    assert!(matches!(
        link::decode("r1.@@@@"),
        Err(LinkError::Damaged(_))
    ));
    // Valid compression of something else.
    let other = miniz_oxide::deflate::compress_to_vec(br#"{"schema": "x"}"#, 6);
    let tampered = format!("r1.{}", base64_url(&other));
    assert!(matches!(
        link::decode(&tampered),
        Err(LinkError::Damaged(_))
    ));
    // A decompression bomb: 64 MB of spaces in a few kilobytes.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 64 << 20], 9);
    assert!(bomb.len() < 200_000);
    assert_eq!(
        link::decode(&format!("r1.{}", base64_url(&bomb))),
        Err(LinkError::TooLarge)
    );
    // Other formats and things that are not links.
    assert!(matches!(link::decode("r2.abc"), Err(LinkError::NewerFormat(f)) if f == "r2"));
    assert_eq!(
        link::decode("https://example.com/"),
        Err(LinkError::NotALink)
    );
    assert_eq!(link::decode(""), Err(LinkError::NotALink));
    assert!(link::decode("http://127.0.0.1:8080/#r2.xyz")
        .unwrap_err()
        .to_string()
        .contains("newer harscope"));
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn over_budget_links_degrade_in_order_and_say_what_went() {
    let full = shared(
        &fixtures()
            .into_iter()
            .find(|p| p.ends_with("many-requests.har"))
            .unwrap(),
    );
    let sizes: Vec<(usize, Vec<String>)> = [usize::MAX, 3000, 2000, 1500, 1000, 10]
        .iter()
        .map(|&budget| {
            let (fragment, carried) = link::encode(&full, budget);
            assert_eq!(link::decode(&fragment).unwrap(), carried);
            (fragment.len(), carried.omitted.describe())
        })
        .collect();
    assert!(sizes[0].1.is_empty());
    assert!(sizes.windows(2).all(|w| w[1].0 <= w[0].0), "{sizes:?}");
    let (_, last) = link::encode(&full, 10);
    assert!(last.omitted.waterfall && last.omitted.evidence && last.rows.is_empty());
    assert_eq!(last.report.findings.len(), full.report.findings.len());
}

/// A capture of `n` failed requests with long, unlike URLs (of words, which redaction keeps),
/// each on its own page or all on one.
fn failing_capture(n: usize, page_each: bool) -> Vec<u8> {
    const WORDS: [&str; 8] = [
        "orders", "cart", "users", "items", "search", "checkout", "review", "stock",
    ];
    let mut x: u32 = 7;
    let mut words = |len: usize, sep: &str| -> String {
        let mut out = String::new();
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            out.push_str(&format!("{sep}{}{}", WORDS[(x % 8) as usize], x % 100));
        }
        out
    };
    let page = |i: usize| {
        if page_each {
            format!("p{i}")
        } else {
            "p0".to_owned()
        }
    };
    let pages: Vec<serde_json::Value> = (0..if page_each { n } else { 1 })
        .map(|i| serde_json::json!({"id": page(i), "title": words(300, " "), "startedDateTime": "2026-01-01T00:00:00Z"}))
        .collect();
    let entries: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "pageref": page(i), "startedDateTime": "2026-01-01T00:00:00Z", "time": 700,
                "request": {"method": "GET", "url": format!("https://a.example{}", words(1500, "/")), "headers": []},
                "response": {"status": 500, "content": {"size": 400, "mimeType": "text/plain", "text": words(400, " ")}},
                "timings": {"wait": 690, "receive": 10}
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"log": {"pages": pages, "entries": entries}})).unwrap()
}

#[test]
fn a_link_too_large_to_open_keeps_the_most_severe_findings_that_fit() {
    for page_each in [false, true] {
        // A browser's limits, scaled down with the capture (decoding takes the small ones).
        let limits = link::Limits {
            fragment: 40_000,
            payload: 160_000,
        };
        let bytes = failing_capture(60, page_each);
        let har = har::parse(&bytes).unwrap();
        let report = analyze(&har, Some("failing.har"), &Options::default());
        let full = link::share(&har, &report);
        let (fragment, carried) = link::encode_within(&full, 4000, limits);
        assert!(fragment.len() <= limits.fragment, "{}", fragment.len());
        assert!(serde_json::to_vec(&carried).unwrap().len() <= limits.payload);
        assert_eq!(link::decode(&fragment).unwrap(), carried);
        let kept = &carried.report.findings;
        assert!(!kept.is_empty() && kept.len() < full.report.findings.len());
        let essence = |f: &harscope_core::report::Finding| {
            (
                f.rule.clone(),
                f.severity,
                f.message.clone(),
                f.entries.clone(),
            )
        };
        assert!(kept
            .iter()
            .map(essence)
            .eq(full.report.findings[..kept.len()].iter().map(essence)));
        assert_eq!(
            carried.omitted.findings,
            full.report.findings.len() - kept.len()
        );
        let said = carried.omitted.describe().join("; ");
        assert!(said.contains("least severe findings"), "{said}");
        if page_each {
            // The pages' summaries alone were too many: those of the kept findings' pages stay.
            assert!(carried.omitted.pages > 0);
            assert!(carried
                .report
                .summary
                .iter()
                .all(|p| kept.iter().any(|f| f.page == p.page)));
            assert!(said.contains("no kept finding is on"), "{said}");
        } else {
            assert_eq!(carried.omitted.pages, 0);
            assert_eq!(carried.report.summary, full.report.summary);
        }
        // As many as fit: one more finding (with its page's summary) does not.
        let mut more = carried.clone();
        let next = &full.report.findings[kept.len()];
        more.report.findings.push(next.clone());
        more.report.findings.last_mut().unwrap().evidence.clear();
        more.omitted.findings -= 1;
        if !more.report.summary.iter().any(|p| p.page == next.page) {
            let page = full.report.summary.iter().find(|p| p.page == next.page);
            more.report.summary.extend(page.cloned());
            more.omitted.pages -= 1;
        }
        let (packed, _) = link::encode_within(&more, usize::MAX, link::OPENABLE);
        let json = serde_json::to_vec(&more).unwrap().len();
        assert!(
            packed.len() > limits.fragment || json > limits.payload,
            "{} findings would fit",
            kept.len() + 1
        );
        // A budget past the limits still drops the waterfall, details and evidence before
        // any finding.
        let (_, roomy) = link::encode_within(&full, usize::MAX, limits);
        assert!(roomy.omitted.waterfall && roomy.omitted.evidence);
        assert_eq!(roomy.report.findings.len(), kept.len());
    }
}
