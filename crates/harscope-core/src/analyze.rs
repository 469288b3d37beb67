//! Runs the rules over a capture and assembles the report.

use crate::capture::Capture;
use crate::config::Thresholds;
use crate::har::{self, Har, ParseError};
use serde::{Deserialize, Serialize};

use crate::profile::{self, ProfileError};
use crate::report::{ProfileReport, Report, Severity, Source, Tool, SCHEMA};
use crate::rules::RULES;

/// What to check and how strictly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub thresholds: Thresholds,
    /// Thresholds of the React profile rules.
    pub profile: crate::profile::ProfileThresholds,
    /// Rule ids to leave out.
    pub skip: Vec<String>,
}

/// The report on either kind of input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnyReport {
    Har(Report),
    Profile(ProfileReport),
}

impl AnyReport {
    pub fn worst(&self) -> Option<Severity> {
        match self {
            AnyReport::Har(r) => r.worst(),
            AnyReport::Profile(r) => r.worst(),
        }
    }
}

/// What the caller expects a file to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Either; told apart by content.
    Any,
    Profile,
}

/// Why a file could not be analyzed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyzeError {
    #[error(transparent)]
    Har(#[from] ParseError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

impl AnalyzeError {
    /// Line and column of a JSON error.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            AnalyzeError::Har(e) | AnalyzeError::Profile(ProfileError::Json(e)) => e.position(),
            AnalyzeError::Profile(_) => None,
        }
    }
}

/// Analyzes a HAR capture or a React profile, told apart by content (never by file name).
pub fn analyze_any(
    bytes: &[u8],
    file: Option<&str>,
    options: &Options,
    expect: Expect,
    progress: &mut dyn FnMut(usize),
) -> Result<AnyReport, AnalyzeError> {
    let kind = profile::detect(bytes);
    if expect == Expect::Profile || kind == profile::Kind::Profile {
        let parsed = profile::parse(bytes)?;
        let profile_options = profile::ProfileOptions {
            thresholds: options.profile,
            skip: options.skip.clone(),
        };
        return Ok(AnyReport::Profile(profile::analyze(
            &parsed,
            file,
            &profile_options,
        )));
    }
    Ok(AnyReport::Har(analyze_bytes_with_progress(
        bytes, file, options, progress,
    )?))
}

/// Parses and analyzes a capture in one go. `file` is the name shown in the report.
pub fn analyze_bytes(
    bytes: &[u8],
    file: Option<&str>,
    options: &Options,
) -> Result<Report, ParseError> {
    analyze_bytes_with_progress(bytes, file, options, &mut |_| {})
}

/// Like [`analyze_bytes`], reporting how many bytes have been read, about every MiB.
pub fn analyze_bytes_with_progress(
    bytes: &[u8],
    file: Option<&str>,
    options: &Options,
    progress: &mut dyn FnMut(usize),
) -> Result<Report, ParseError> {
    let har = har::parse_with_progress(bytes, progress)?;
    Ok(analyze(&har, file, options))
}

pub fn analyze(har: &Har, file: Option<&str>, options: &Options) -> Report {
    let cx = Capture::new(har);
    let mut findings = Vec::new();
    let mut order = Vec::new();
    for (rank, rule) in RULES.iter().enumerate() {
        if options.skip.iter().any(|s| s == rule.id) {
            continue;
        }
        let before = findings.len();
        (rule.check)(&cx, &options.thresholds, &mut findings);
        order.extend(std::iter::repeat_n(rank, findings.len() - before));
    }
    let mut ranked: Vec<_> = order.into_iter().zip(findings).collect();
    crate::sort::sort_by(&mut ranked, |(ra, a), (rb, b)| {
        b.severity
            .cmp(&a.severity)
            .then(ra.cmp(rb))
            .then(a.entries.first().cmp(&b.entries.first()))
    });
    Report {
        schema: SCHEMA.to_owned(),
        tool: Tool::current(),
        source: source(har, file),
        thresholds: options.thresholds,
        summary: crate::summary::summarize(&cx),
        findings: ranked.into_iter().map(|(_, f)| f).collect(),
    }
}

fn source(har: &Har, file: Option<&str>) -> Source {
    let product = |p: &Option<har::Product>| {
        p.as_ref()
            .map(|p| format!("{} {}", p.name, p.version).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    Source {
        file: file.map(str::to_owned),
        creator: product(&har.creator),
        browser: product(&har.browser),
        har_version: Some(har.version.to_string()).filter(|v| !v.is_empty()),
        entries: har.entries.len(),
        pages: har.pages.len(),
    }
}

/// Parses and analyzes a capture, and prepares its report link (redacted, nothing left out
/// yet: [`crate::link::encode`] fits it to a size).
pub fn analyze_and_share(
    bytes: &[u8],
    file: Option<&str>,
    options: &Options,
    progress: &mut dyn FnMut(usize),
) -> Result<(Report, crate::link::SharedReport), ParseError> {
    let har = har::parse_with_progress(bytes, progress)?;
    let report = analyze(&har, file, options);
    let shared = crate::link::share(&har, &report);
    Ok((report, shared))
}
