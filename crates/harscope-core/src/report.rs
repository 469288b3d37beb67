//! The report: the contract shared by the CLI's JSON, the web app and report links.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::Thresholds;

/// Identifies the JSON layout; bumped on any incompatible change.
pub const SCHEMA: &str = "harscope.report/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    pub source: Source,
    pub thresholds: Thresholds,
    /// One entry per page (and one for requests outside any page).
    pub summary: Vec<PageSummary>,
    /// Most severe first; within a severity, by rule then by request order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn current() -> Self {
        Tool {
            name: "harscope".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Where the capture came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The file name as given (no directories are added).
    pub file: Option<String>,
    /// `log.creator`, as "name version".
    pub creator: Option<String>,
    /// `log.browser`, as "name version".
    pub browser: Option<String>,
    pub har_version: Option<String>,
    pub entries: usize,
    pub pages: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's stable id, e.g. `slow-ttfb`.
    pub rule: String,
    pub severity: Severity,
    /// The request's URL, or `None` for a page-level finding.
    pub url: Option<String>,
    /// The page id, or `None` when the capture records no page for it.
    pub page: Option<String>,
    /// Indices into `log.entries` of the requests concerned, the main one first.
    pub entries: Vec<usize>,
    /// One sentence saying what happened.
    pub message: String,
    /// What to check or change, in the runbook's spirit.
    pub advice: String,
    /// Rule-specific facts (`wait_ms`, `status`, `gap_ms`, ...).
    pub evidence: Map<String, Value>,
}

/// A request named in a summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRef {
    pub entry: usize,
    pub url: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSummary {
    /// The page id, or `None` for requests outside any recorded page.
    pub page: Option<String>,
    pub title: Option<String>,
    /// The page's `startedDateTime` as recorded.
    pub started: Option<String>,
    pub requests: usize,
    /// Sum of decoded body sizes where recorded.
    pub content_bytes: u64,
    /// Sum of bytes on the wire where recorded.
    pub transfer_bytes: u64,
    pub dom_content_loaded_ms: Option<f64>,
    pub on_load_ms: Option<f64>,
    /// Requests with an HTTP status of 400 or more.
    pub http_errors: usize,
    /// Requests that got no HTTP response.
    pub network_errors: usize,
    /// Longest request; `value` in milliseconds.
    pub slowest: Option<RequestRef>,
    /// Largest response by decoded size; `value` in bytes.
    pub largest: Option<RequestRef>,
    /// First and last request start, in milliseconds from the page's start.
    pub first_request_ms: Option<f64>,
    pub last_request_ms: Option<f64>,
    /// When the last request finished, in milliseconds from the page's start.
    pub finished_ms: Option<f64>,
}

/// Identifies the JSON layout of a React profile report.
pub const PROFILE_SCHEMA: &str = "harscope.profile-report/1";

/// The report on a React DevTools Profiler export: the HAR report's contract (`schema`,
/// `source`, `summary`, `findings`) plus `components` and `commits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileReport {
    pub schema: String,
    pub tool: Tool,
    pub source: ProfileSource,
    pub thresholds: crate::profile::ProfileThresholds,
    pub summary: ProfileSummary,
    pub findings: Vec<Finding>,
    /// One per component name per root, most self time first.
    pub components: Vec<ComponentStats>,
    /// Every commit of every root, in order.
    pub commits: Vec<CommitInfo>,
}

impl ProfileReport {
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSource {
    pub file: Option<String>,
    /// `react-devtools-profile`.
    pub kind: String,
    pub export_version: i64,
    pub react_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSummary {
    /// From the profile's timeline data, when recorded.
    pub react_version: Option<String>,
    /// Root names.
    pub roots: Vec<String>,
    pub commits: usize,
    /// From the first commit's start to the last one's end.
    pub duration_ms: Option<f64>,
    /// All commits' durations added up.
    pub render_ms: f64,
    /// Whether the profile recorded why components rendered.
    pub why_recorded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentStats {
    pub name: String,
    pub root: String,
    /// Renders during the profile, first mounts not counted.
    pub renders: usize,
    pub mounts: usize,
    /// Time spent in the component itself, all its renders added up.
    pub self_ms: f64,
    /// Time in the component and its children.
    pub actual_ms: f64,
    /// Indices of the commits it rendered in.
    pub commits: Vec<usize>,
    /// Why its re-renders happened, when recorded.
    pub why: WhyCounts,
}

/// Re-renders by cause. One re-render can count under several causes (props and state).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WhyCounts {
    pub props: usize,
    pub state: usize,
    pub hooks: usize,
    pub context: usize,
    /// Nothing it receives or holds changed: its parent rendered.
    pub parent: usize,
    /// The profile did not record why.
    pub unknown: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitInfo {
    /// Index of the commit within its root.
    pub index: usize,
    pub root: String,
    pub duration_ms: f64,
    /// When the commit happened, in milliseconds since profiling started.
    pub timestamp_ms: f64,
    pub effect_ms: Option<f64>,
    pub passive_effect_ms: Option<f64>,
    pub priority: Option<String>,
    /// Components that rendered, most self time first.
    pub rendered: Vec<String>,
    /// Components whose updates scheduled the commit, when recorded.
    pub updaters: Vec<String>,
    /// Over the slow-commit threshold.
    pub slow: bool,
    /// Each component that rendered: its times and why it rendered, most self time first.
    pub components: Vec<CommitComponent>,
}

/// One component's render in one commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitComponent {
    pub name: String,
    pub self_ms: f64,
    pub actual_ms: f64,
    /// Why it rendered ("first mount", "props: onSelect", "parent rendered", ...), or `None`
    /// when the profile did not record it.
    pub why: Option<String>,
    /// Its nearest ancestor that rendered in the same commit, as an index into `components`.
    pub parent: Option<usize>,
    /// Its rank in tree order among the commit's rendered components.
    pub position: usize,
}
