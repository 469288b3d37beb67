//! Tests on the shared corpus of real third-party HAR files (`../shared/corpus/har`, or
//! `$HARSCOPE_CORPUS`). They run when the folder exists; the files are read in place, never
//! copied into the project.

use std::path::PathBuf;

use harscope_core::{analyze_bytes, har, Options};

/// The corpus folder, if this machine has it.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("HARSCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/har")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}: skipping", dir.display());
        None
    }
}

fn files() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = corpus() else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "har"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_corpus_capture_loads_and_analyzes() {
    let files = files();
    if files.is_empty() {
        return;
    }
    assert_eq!(files.len(), 29, "the corpus has 29 captures");
    for (name, bytes) in &files {
        let parsed = har::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!parsed.entries.is_empty(), "{name}: no entries read");
        analyze_bytes(bytes, Some(name), &Options::default()).unwrap();
    }
}

/// What each rule reports on the corpus, reviewed by hand: a change here is a change in what
/// harscope tells people about real captures, and shows up in review as a snapshot diff.
#[test]
fn corpus_findings_are_the_reviewed_ones() {
    let files = files();
    if files.is_empty() {
        return;
    }
    let mut lines = Vec::new();
    for (name, bytes) in &files {
        let report = analyze_bytes(bytes, Some(name), &Options::default()).unwrap();
        lines.push(format!("{name}: {} findings", report.findings.len()));
        for f in &report.findings {
            let kind = f
                .evidence
                .get("kind")
                .or(f.evidence.get("status"))
                .map(|v| format!(" [{v}]"))
                .unwrap_or_default();
            let url = f
                .url
                .as_deref()
                .map(harscope_core::fmt::short_url)
                .unwrap_or_else(|| "(page)".into());
            lines.push(format!("  {} {}{kind} {url}", f.severity.as_str(), f.rule));
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/expected"),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("corpus_findings", lines.join("\n")));
}

/// A page's id, title, start and load timings.
type PageView = (String, Option<String>, String, Option<f64>, Option<f64>);
/// Creator name and version, pages, entries.
type View = (String, String, Vec<PageView>, Vec<Shared>);

/// One entry's fields that both models read, in comparable form.
#[derive(Debug, PartialEq)]
struct Shared {
    pageref: Option<String>,
    started: String,
    time: f64,
    method: String,
    url: String,
    http_version: String,
    request_headers: Vec<(String, String)>,
    request_cookies: usize,
    request_headers_size: i64,
    request_body_size: i64,
    post_mime: Option<String>,
    status: i64,
    status_text: String,
    response_headers: Vec<(String, String)>,
    response_cookies: usize,
    content_size: i64,
    mime_type: String,
    redirect_url: String,
    response_headers_size: i64,
    response_body_size: i64,
    timings: [Option<f64>; 7],
}

/// Phases as recorded: the spec's -1 and a missing value both mean "not recorded" (the `har`
/// crate fills missing optional phases with -1; the model leaves them empty).
fn recorded(phases: [Option<f64>; 7]) -> [Option<f64>; 7] {
    phases.map(|p| p.filter(|v| *v >= 0.0).map(q))
}

/// Milliseconds to the nanosecond. The `har` crate reads floats through serde_json's default
/// parser, which can be one unit in the last place off; the model's parser rounds correctly.
fn q(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

macro_rules! oracle_view {
    ($log:expr) => {{
        let log = $log;
        let pages: Vec<_> = log
            .pages
            .iter()
            .flatten()
            .map(|p| {
                (
                    p.id.clone(),
                    Some(p.title.clone()),
                    p.started_date_time.clone(),
                    p.page_timings.on_content_load.map(q),
                    p.page_timings.on_load.map(q),
                )
            })
            .collect();
        let entries: Vec<Shared> = log
            .entries
            .iter()
            .map(|e| Shared {
                pageref: e.pageref.clone(),
                started: e.started_date_time.clone(),
                time: q(e.time),
                method: e.request.method.clone(),
                url: e.request.url.clone(),
                http_version: e.request.http_version.clone(),
                request_headers: e
                    .request
                    .headers
                    .iter()
                    .map(|h| (h.name.clone(), h.value.clone()))
                    .collect(),
                request_cookies: e.request.cookies.len(),
                request_headers_size: e.request.headers_size,
                request_body_size: e.request.body_size,
                post_mime: e.request.post_data.as_ref().map(|p| p.mime_type.clone()),
                status: e.response.status,
                status_text: e.response.status_text.clone(),
                response_headers: e
                    .response
                    .headers
                    .iter()
                    .map(|h| (h.name.clone(), h.value.clone()))
                    .collect(),
                response_cookies: e.response.cookies.len(),
                content_size: e.response.content.size,
                mime_type: e.response.content.mime_type.clone().unwrap_or_default(),
                redirect_url: e.response.redirect_url.clone().unwrap_or_default(),
                response_headers_size: e.response.headers_size,
                response_body_size: e.response.body_size,
                timings: recorded([
                    e.timings.blocked,
                    e.timings.dns,
                    e.timings.connect,
                    e.timings.ssl,
                    Some(e.timings.send),
                    Some(e.timings.wait),
                    Some(e.timings.receive),
                ]),
            })
            .collect();
        (
            log.creator.name.clone(),
            log.creator.version.clone(),
            pages,
            entries,
        )
    }};
}

fn ours(h: &har::Har) -> View {
    // Sizes: the spec's -1 and a missing value both mean unknown (the `har` crate fills -1).
    let creator = h.creator.clone().unwrap_or_default();
    let pages = h
        .pages
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                p.title.as_deref().map(str::to_owned),
                p.started_date_time.as_deref().unwrap_or("").to_owned(),
                p.page_timings.on_content_load.map(q),
                p.page_timings.on_load.map(q),
            )
        })
        .collect();
    let entries = h
        .entries
        .iter()
        .map(|e| {
            let t = &e.timings;
            Shared {
                pageref: e.pageref.as_deref().map(str::to_owned),
                started: e.started_date_time.as_deref().unwrap_or("").to_owned(),
                time: q(e.time.unwrap_or(f64::NAN)),
                method: e.request.method.to_string(),
                url: e.request.url.to_string(),
                http_version: e.request.http_version.to_string(),
                request_headers: e
                    .request
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), h.value.to_string()))
                    .collect(),
                request_cookies: e.request.cookies,
                request_headers_size: e.request.headers_size.unwrap_or(-1),
                request_body_size: e.request.body_size.unwrap_or(-1),
                post_mime: e
                    .request
                    .post_data
                    .as_ref()
                    .map(|p| p.mime_type.as_deref().unwrap_or("").to_owned()),
                status: e.response.status.unwrap_or(i64::MIN),
                status_text: e.response.status_text.to_string(),
                response_headers: e
                    .response
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), h.value.to_string()))
                    .collect(),
                response_cookies: e.response.cookies,
                content_size: e.response.content.size.unwrap_or(-1),
                mime_type: e.response.content.mime_type.to_string(),
                redirect_url: e.response.redirect_url.to_string(),
                response_headers_size: e.response.headers_size.unwrap_or(-1),
                response_body_size: e.response.body_size.unwrap_or(-1),
                timings: recorded([
                    t.blocked, t.dns, t.connect, t.ssl, t.send, t.wait, t.receive,
                ]),
            }
        })
        .collect();
    (
        creator.name.to_string(),
        creator.version.to_string(),
        pages,
        entries,
    )
}

/// The `har` crate implements the spec's types strictly: on every capture it accepts, our
/// tolerant model must read the same values for the fields both have.
#[test]
fn agrees_with_the_har_crate_on_shared_fields() {
    let files = files();
    if files.is_empty() {
        return;
    }
    let mut compared = Vec::new();
    for (name, bytes) in &files {
        let Ok(reference) = ::har::from_slice(bytes) else {
            continue;
        };
        let expected = match reference.log {
            ::har::Spec::V1_2(log) => oracle_view!(log),
            ::har::Spec::V1_3(log) => oracle_view!(log),
        };
        let parsed = har::parse(bytes).unwrap();
        let (name_c, version_c, pages, entries) = ours(&parsed);
        assert_eq!(
            (name_c, version_c),
            (expected.0, expected.1),
            "{name}: creator"
        );
        assert_eq!(pages, expected.2, "{name}: pages");
        assert_eq!(entries.len(), expected.3.len(), "{name}: entry count");
        for (i, (a, b)) in entries.iter().zip(&expected.3).enumerate() {
            assert_eq!(a, b, "{name}: entry {i} differs from the har crate");
        }
        compared.push(name.clone());
    }
    eprintln!(
        "compared with the har crate: {} files: {compared:?}",
        compared.len()
    );
    assert!(
        compared.len() >= 10,
        "the oracle accepted only {compared:?}"
    );
}
