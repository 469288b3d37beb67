//! harscope's engine: reads HAR captures, runs the rules, builds the report.
//!
//! Pure Rust with no I/O, so the same code runs in the CLI and, as WebAssembly, in the browser.
//!
//! ```
//! let har = br#"{"log": {"version": "1.2", "entries": [{
//!     "startedDateTime": "2026-01-01T00:00:00Z", "time": 30,
//!     "request": {"method": "GET", "url": "https://api.example/x", "headers": []},
//!     "response": {"status": 503, "headers": [], "content": {"size": 0, "mimeType": ""}},
//!     "timings": {"send": 0, "wait": 30, "receive": 0}}]}}"#;
//! let report = harscope_core::analyze_bytes(har, Some("x.har"), &Default::default()).unwrap();
//! assert_eq!(report.findings[0].rule, "http-error");
//! ```

mod analyze;
pub mod capture;
pub mod config;
pub mod fmt;
pub mod har;
mod json;
pub mod link;
pub mod profile;
pub mod redact;
pub mod render;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod sort;
mod summary;
pub mod view;

pub use analyze::{
    analyze, analyze_and_share, analyze_any, analyze_bytes, analyze_bytes_with_progress,
    AnalyzeError, AnyReport, Expect, Options,
};
pub use config::Thresholds;
pub use har::ParseError;
pub use report::{Finding, ProfileReport, Report, Severity};
