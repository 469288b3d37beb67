//! Small text helpers for the views (numbers come from `harscope_core::fmt`).

pub use harscope_core::fmt::{bytes, duration, short_url};

pub fn opt_duration(ms: Option<f64>) -> String {
    ms.map(duration).unwrap_or_else(|| "–".to_owned())
}

pub fn opt_bytes(n: Option<u64>) -> String {
    n.map(bytes).unwrap_or_else(|| "–".to_owned())
}

/// A status for a table cell: the code, or why there is none.
pub fn status(status: Option<i64>, failure: Option<&str>) -> String {
    match (status, failure) {
        (Some(s), _) if s > 0 => s.to_string(),
        (_, Some(f)) => format!("failed ({f})"),
        (Some(_), None) => "no response".to_owned(),
        (None, None) => "–".to_owned(),
    }
}

/// The path and query of a URL, for narrow columns.
pub fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}
