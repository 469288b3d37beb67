//! Reports as text for a terminal and as Markdown for an incident ticket. (JSON is the
//! report's serde form.)

mod markdown;
mod profile;
mod text;

pub use markdown::markdown;
pub use profile::{profile_markdown, profile_text};
pub use text::text;

use markdown::{code as code_span, escape as markdown_text};

use crate::fmt::{bytes, duration};
use crate::report::{PageSummary, Report, Severity, Source};

/// "WebInspector 537.36 · Chrome 120 · HAR 1.2 · 84 requests · 2 pages"
fn source_line(source: &Source) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = &source.creator {
        parts.push(c.clone());
    }
    if let Some(b) = source
        .browser
        .as_ref()
        .filter(|b| Some(*b) != source.creator.as_ref())
    {
        parts.push(b.clone());
    }
    if let Some(v) = &source.har_version {
        parts.push(format!("HAR {v}"));
    }
    parts.push(plural(source.entries, "request", "requests"));
    parts.push(plural(source.pages, "page", "pages"));
    parts.join(" · ")
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "84 requests · 2.31 MiB (812.4 KiB transferred) · DOMContentLoaded 1.20 s · onLoad 2.43 s"
fn page_numbers(p: &PageSummary) -> String {
    let mut parts = vec![
        plural(p.requests, "request", "requests"),
        format!(
            "{} ({} transferred)",
            bytes(p.content_bytes),
            bytes(p.transfer_bytes)
        ),
    ];
    if let Some(ms) = p.dom_content_loaded_ms {
        parts.push(format!("DOMContentLoaded {}", duration(ms)));
    }
    if let Some(ms) = p.on_load_ms {
        parts.push(format!("onLoad {}", duration(ms)));
    }
    if p.http_errors > 0 {
        parts.push(plural(p.http_errors, "HTTP error", "HTTP errors"));
    }
    if p.network_errors > 0 {
        parts.push(plural(p.network_errors, "network error", "network errors"));
    }
    parts.join(" · ")
}

fn page_name(p: &PageSummary) -> String {
    match (&p.page, &p.title) {
        (Some(id), Some(title)) if !title.is_empty() && title != id => {
            format!("{id} \"{}\"", crate::fmt::clip(title, 100))
        }
        (Some(id), _) => id.clone(),
        (None, _) => "(requests outside any page)".to_owned(),
    }
}

/// "2 errors, 3 warnings, 1 info" or "no findings".
fn counts(report: &Report) -> String {
    let parts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "info"),
    ]
    .iter()
    .filter_map(|(s, one, many)| {
        let n = report.count(*s);
        (n > 0).then(|| plural(n, one, many))
    })
    .collect();
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}
