//! What the page and the worker say to each other. Messages are JS objects with a `type`; the
//! structured parts travel as JSON text (`json`), the dropped file as a `File` (`file`), which
//! crosses to the worker as a handle, not a copy.

use harscope_core::profile::ProfileThresholds;
use harscope_core::view::EntryDetail;
use harscope_core::{Report, Thresholds};
use serde::{Deserialize, Serialize};

/// Page to worker: read and analyze this file (`file`: a File or Blob).
pub const ANALYZE: &str = "analyze";
/// Page to worker: analyze the loaded capture again with other thresholds.
pub const REANALYZE: &str = "reanalyze";
/// Page to worker: send the detail of one request.
pub const DETAIL: &str = "detail";
/// Page to worker: make a report link of the loaded capture (payload: [`Settings`]).
pub const LINK: &str = "link";
/// Page to worker: make a sanitized copy of the loaded capture (payload:
/// [`harscope_core::sanitize::SanitizeOptions`]).
pub const SANITIZE: &str = "sanitize";

/// Worker to page: listening (messages sent before this are lost).
pub const READY: &str = "ready";
/// Worker to page: [`Progress`].
pub const PROGRESS: &str = "progress";
/// Worker to page: [`Loaded`], after `analyze`; the rows follow in [`ROWS`].
pub const LOADED: &str = "loaded";
/// Worker to page: the capture's `Vec<RequestRow>`, right after [`LOADED`] (apart, so the
/// findings show before the page has taken in thousands of rows).
pub const ROWS: &str = "rows";
/// Worker to page: a [`Report`], after `reanalyze`.
pub const REPORT: &str = "report";
/// Worker to page: a [`harscope_core::ProfileReport`], after `analyze` or `reanalyze` of a
/// React profile.
pub const PROFILE: &str = "profile";
/// Worker to page: an [`EntryDetail`].
pub const ENTRY: &str = "entry";
/// Worker to page: [`LinkMade`], after `link`.
pub const LINK_MADE: &str = "link-made";
/// Worker to page: [`Sanitized`], with the copy as a `Blob` in `blob`, after `sanitize`.
pub const SANITIZED: &str = "sanitized";
/// Worker to page: [`Failure`]: the file could not be read or analyzed.
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalyzeRequest {
    pub name: String,
    pub settings: Settings,
}

/// Every threshold the page sets: the HAR rules' and the profile rules'.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub thresholds: Thresholds,
    pub profile: ProfileThresholds,
}

impl Settings {
    pub fn options(&self) -> harscope_core::Options {
        harscope_core::Options {
            thresholds: self.thresholds,
            profile: self.profile,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: f64,
    pub total: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Reading,
    /// Reading a gzip-compressed file: `done` counts decompressed bytes, of an unknown total.
    Decompressing,
    Parsing,
    Analyzing,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Reading => "Reading",
            Phase::Decompressing => "Decompressing",
            Phase::Parsing => "Parsing",
            Phase::Analyzing => "Analyzing",
        }
    }
}

/// A capture read and analyzed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Loaded {
    pub report: Report,
    /// Milliseconds spent reading, parsing and analyzing, for the status line and benchmarks.
    pub timings: LoadTimings,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadTimings {
    pub read_ms: f64,
    pub parse_ms: f64,
    pub analyze_ms: f64,
    /// The worker's memory once the capture is read (bytes).
    pub memory_bytes: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// What went wrong, in words a person understands.
    pub message: String,
    /// Line and column in the file, for JSON errors.
    pub position: Option<(usize, usize)>,
}

/// A report link's fragment (without `#`), and what it left out and masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkMade {
    pub fragment: String,
    pub omitted: Vec<String>,
    pub redactions: harscope_core::redact::Redactions,
}

/// A sanitized copy made (its bytes travel beside this, as a `Blob`), or why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sanitized {
    /// The name to save it under.
    pub file_name: String,
    pub bytes: usize,
    pub redactions: harscope_core::redact::Redactions,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DetailRequest {
    pub entry: usize,
}

pub type Detail = EntryDetail;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_as_json() {
        let p = Progress {
            phase: Phase::Parsing,
            done: 10.0,
            total: 20.0,
        };
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(text, r#"{"phase":"parsing","done":10.0,"total":20.0}"#);
        assert_eq!(serde_json::from_str::<Progress>(&text).unwrap(), p);
    }
}
