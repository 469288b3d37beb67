//! Report links: a report, redacted, in a URL fragment (`#r1.` then base64url of deflated
//! JSON), so that opening the link shows the same report with no server storing anything and
//! the fragment never sent to one.
//!
//! A link carries the findings, the per-page summary and the waterfall's rows, plus the detail
//! (headers, query, the server's message) of the requests findings name; never cookies,
//! credential header values, bodies or secret-looking query values (see [`crate::redact`]).
//! When that is over the size budget it degrades: first the query strings, then the rows, of
//! requests no finding names go, then the waterfall, then request details, then evidence; what
//! went is listed in `omitted`. Past that, a link stays over the budget, but never past what a
//! browser opens and [`decode`] accepts: the least severe findings go, and the summaries of
//! pages no kept finding is on.

mod columns;
mod redacted;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::har::Har;
use crate::redact::Redactions;
use crate::report::Report;
use crate::view::{entry_detail, request_rows, EntryDetail, RequestRow};

/// The link format this release writes. Readers accept it and refuse later ones by name.
pub const FORMAT: &str = "r1";
/// The default size budget of a link's fragment, in bytes: what chat tools and ticket
/// systems keep intact.
pub const DEFAULT_BUDGET: usize = 16_000;
/// The largest decompressed payload a link may expand to.
const MAX_PAYLOAD: usize = 8 << 20;
/// The longest fragment accepted, so a pasted megabyte of base64 is refused before decoding.
const MAX_FRAGMENT: usize = 4 << 20;
/// The largest link written.
pub const OPENABLE: Limits = Limits {
    // Chromium opens addresses up to 2 MiB, and the web app's own address comes first.
    fragment: 2_000_000,
    payload: MAX_PAYLOAD,
};

// What is written, the decoder reads.
const _: () = assert!(OPENABLE.fragment <= MAX_FRAGMENT && OPENABLE.payload <= MAX_PAYLOAD);

/// The most a link may hold, whatever its budget, so that it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the fragment.
    pub fragment: usize,
    /// Bytes of the report's JSON, decompressed (at most what [`decode`] accepts).
    pub payload: usize,
}

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedReport {
    /// `harscope.link/1`.
    pub schema: String,
    /// When the capture was recorded (its first page or request), as the capture wrote it.
    pub captured: Option<String>,
    /// The report, redacted. Its `tool` is the release that made the link.
    pub report: Report,
    /// Waterfall rows, redacted; `entry` is the index in the capture. Written column by
    /// column.
    #[serde(with = "columns")]
    pub rows: Vec<RequestRow>,
    /// Detail of the requests findings name, redacted.
    pub details: Vec<EntryDetail>,
    /// What the size budget left out.
    pub omitted: Omitted,
    /// What redaction masked, by kind.
    pub redactions: Redactions,
}

pub const SCHEMA: &str = "harscope.link/1";

/// What a link left out to fit its budget.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Omitted {
    /// Query strings of requests no finding names (their rows kept).
    #[serde(default)]
    pub queries: usize,
    /// Rows of requests no finding names.
    pub rows: usize,
    /// Request details that did not fit.
    pub details: usize,
    /// The whole waterfall.
    pub waterfall: bool,
    /// Findings' evidence objects (messages and advice kept).
    pub evidence: bool,
    /// The least severe findings, past what a browser could open.
    #[serde(default)]
    pub findings: usize,
    /// Summaries of pages no kept finding is on, past what a browser could open.
    #[serde(default)]
    pub pages: usize,
}

impl Omitted {
    pub fn any(&self) -> bool {
        self.queries > 0
            || self.rows > 0
            || self.details > 0
            || self.waterfall
            || self.evidence
            || self.findings > 0
            || self.pages > 0
    }

    /// In words, for the page and the CLI: "rows of 120 requests no finding names".
    pub fn describe(&self) -> Vec<String> {
        use crate::render::plural;
        let mut out = Vec::new();
        if self.waterfall {
            out.push("the waterfall".to_owned());
        } else if self.rows > 0 {
            out.push(format!(
                "the waterfall rows of {} no finding names",
                plural(self.rows, "request", "requests")
            ));
        } else if self.queries > 0 {
            out.push(format!(
                "the query strings of {} no finding names",
                plural(self.queries, "request", "requests")
            ));
        }
        if self.details > 0 {
            out.push(format!(
                "the detail of {}",
                plural(self.details, "request", "requests")
            ));
        }
        if self.evidence {
            out.push("the findings' evidence".to_owned());
        }
        if self.findings > 0 {
            let n = self.findings;
            let findings = if n == 1 { "finding" } else { "findings" };
            out.push(format!("the {n} least severe {findings}"));
        }
        if self.pages > 0 {
            out.push(format!(
                "the {} of {} no kept finding is on",
                if self.pages == 1 {
                    "summary"
                } else {
                    "summaries"
                },
                plural(self.pages, "page", "pages")
            ));
        }
        out
    }
}

/// Why a link could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("this is not a harscope report link: expected a URL ending in `#r1.` and the report")]
    NotALink,
    #[error("this link was made by a newer harscope (link format {0}); this release reads format r1: open it with a newer harscope")]
    NewerFormat(String),
    #[error("the link is damaged: {0}; copy it again, whole")]
    Damaged(String),
    #[error("the link's report is larger than {} MB once unpacked: refused", MAX_PAYLOAD >> 20)]
    TooLarge,
}

/// The shared report of a capture and its report, redacted, nothing left out yet.
pub fn share(har: &Har, report: &Report) -> SharedReport {
    let mut r = redacted::Redactor::for_capture(har);
    let shared_report = redacted::report(report, &mut r);
    let rows: Vec<RequestRow> = request_rows(har)
        .iter()
        .map(|row| redacted::row(row, &mut r))
        .collect();
    let mut flagged: Vec<usize> = report
        .findings
        .iter()
        .flat_map(|f| f.entries.first().copied())
        .collect();
    crate::sort::sort_by(&mut flagged, |a, b| a.cmp(b));
    flagged.dedup();
    let details = flagged
        .iter()
        .filter_map(|&i| entry_detail(har, i))
        .map(|d| redacted::detail(&d, &mut r))
        .collect();
    let captured = har
        .pages
        .iter()
        .filter_map(|p| p.started_date_time.as_deref())
        .chain(
            har.entries
                .iter()
                .filter_map(|e| e.started_date_time.as_deref()),
        )
        .min()
        .map(str::to_owned);
    SharedReport {
        schema: SCHEMA.to_owned(),
        captured,
        report: shared_report,
        rows,
        details,
        omitted: Omitted::default(),
        redactions: r.counts,
    }
}

/// The fragment for `shared` (without `#`) and what it carries: `shared` less what had to go
/// to fit `budget` bytes (listed in its `omitted`).
pub fn encode(shared: &SharedReport, budget: usize) -> (String, SharedReport) {
    encode_within(shared, budget, OPENABLE)
}

/// [`encode`], with `limits` in place of [`OPENABLE`] (tests use small ones).
pub fn encode_within(
    shared: &SharedReport,
    budget: usize,
    limits: Limits,
) -> (String, SharedReport) {
    let mut current = shared.clone();
    let named: HashSet<usize> = shared
        .report
        .findings
        .iter()
        .flat_map(|f| f.entries.iter().copied())
        .collect();
    let steps: [&dyn Fn(&mut SharedReport); 5] = [
        &|s| {
            let mut trimmed = 0;
            for r in s.rows.iter_mut().filter(|r| !named.contains(&r.entry)) {
                if let Some(at) = r.url.find('?') {
                    r.url.truncate(at);
                    r.url.push_str("?…");
                    trimmed += 1;
                }
            }
            s.omitted.queries += trimmed;
        },
        &|s| {
            let before = s.rows.len();
            s.rows.retain(|r| named.contains(&r.entry));
            s.omitted.rows += before - s.rows.len();
        },
        &|s| {
            s.omitted.queries = 0;
            s.omitted.rows = 0;
            s.omitted.waterfall = true;
            s.rows.clear();
        },
        &|s| {
            s.omitted.details += s.details.len();
            s.details.clear();
        },
        &|s| {
            s.omitted.evidence = true;
            for f in &mut s.report.findings {
                f.evidence.clear();
            }
        },
    ];
    let mut packed = pack(&current);
    for step in steps {
        if packed.fragment.len() <= budget && packed.within(limits) {
            break;
        }
        step(&mut current);
        packed = pack(&current);
    }
    if packed.within(limits) {
        return (packed.fragment, current);
    }
    fit_within(&current, limits)
}

/// A shared report packed into a fragment.
struct Packed {
    fragment: String,
    json_len: usize,
}

impl Packed {
    fn within(&self, limits: Limits) -> bool {
        self.fragment.len() <= limits.fragment && self.json_len <= limits.payload
    }
}

fn pack(shared: &SharedReport) -> Packed {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    Packed {
        fragment: format!("{FORMAT}.{}", URL_SAFE_NO_PAD.encode(deflated)),
        json_len: json.len(),
    }
}

/// `shared` with its most severe findings that fit `limits` (findings come most severe
/// first), and the summaries of their pages.
fn fit_within(shared: &SharedReport, limits: Limits) -> (String, SharedReport) {
    // With limits of a few bytes, not even no finding fits: the link stays over them.
    most_findings_within(shared, limits).unwrap_or_else(|| (pack(shared).fragment, shared.clone()))
}

/// The most findings of `shared` that fit `limits`, with the summaries of their pages; `None`
/// when not even none fit.
fn most_findings_within(shared: &SharedReport, limits: Limits) -> Option<(String, SharedReport)> {
    let total = shared.report.findings.len();
    let attempt = |keep: usize| {
        let mut s = shared.clone();
        s.report.findings.truncate(keep);
        s.omitted.findings += total - keep;
        let mut named: HashSet<&str> = HashSet::new();
        for f in &s.report.findings {
            named.insert(page_key(&f.page));
        }
        let summary = std::mem::take(&mut s.report.summary);
        s.omitted.pages += summary.len();
        for p in summary {
            if named.contains(page_key(&p.page)) {
                s.omitted.pages -= 1;
                s.report.summary.push(p);
            }
        }
        let packed = pack(&s);
        packed
            .within(limits)
            .then_some((packed.fragment, s, packed.json_len))
    };
    let (fragment, none, none_len) = attempt(0)?;
    let mut best = (fragment, none);
    // Most reports stop at the payload's bound: the JSON each finding adds on average gives a
    // first guess, close to the answer; from there, up by doubling steps while more fit (none
    // failed yet), then halving the gap. Keeping `fits` findings fits; `fails` does not
    // (`total + 1`: there are no more to keep).
    let all_len = serde_json::to_vec(shared).map_or(0, |j| j.len());
    let per_finding = all_len.saturating_sub(none_len) / total.max(1);
    let (mut fits, mut fails) = (0, total + 1);
    let mut keep = limits.payload.saturating_sub(none_len) / per_finding.max(1);
    let mut step = 1;
    while fails - fits > 1 {
        keep = keep.clamp(fits + 1, fails - 1);
        if let Some((fragment, kept, _)) = attempt(keep) {
            fits = keep;
            best = (fragment, kept);
            keep = if fails > total {
                keep + step
            } else {
                fits + (fails - fits) / 2
            };
            step *= 2;
        } else {
            fails = keep;
            keep = fits + (fails - fits) / 2;
        }
    }
    Some(best)
}

/// Reads a link: a whole URL, or its fragment with or without `#`.
pub fn decode(link: &str) -> Result<SharedReport, LinkError> {
    let link = link.trim();
    let fragment = match link.find('#') {
        Some(at) => &link[at + 1..],
        None => link,
    };
    let (format, data) = fragment.split_once('.').ok_or(LinkError::NotALink)?;
    if format != FORMAT {
        let newer = format.len() > 1
            && format.starts_with('r')
            && format[1..].bytes().all(|b| b.is_ascii_digit());
        return Err(if newer {
            LinkError::NewerFormat(format.to_owned())
        } else {
            LinkError::NotALink
        });
    }
    if data.len() > MAX_FRAGMENT {
        return Err(LinkError::TooLarge);
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|e| LinkError::Damaged(format!("not base64url ({e})")))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_PAYLOAD).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Damaged("its compressed data is cut short or corrupt".to_owned()),
        },
    )?;
    let shared: SharedReport = serde_json::from_slice(&json)
        .map_err(|e| LinkError::Damaged(format!("its report does not read ({e})")))?;
    if shared.schema != SCHEMA {
        return Err(LinkError::Damaged(format!(
            "its report says schema {:?}, expected {SCHEMA}",
            shared.schema
        )));
    }
    Ok(shared)
}

/// The whole link: `base` (the web app's address) with the fragment.
pub fn url(base: &str, fragment: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{fragment}")
}

/// A page's id as a key (the same type of set as the rules', for a smaller wasm).
fn page_key(page: &Option<String>) -> &str {
    page.as_deref().unwrap_or("")
}
