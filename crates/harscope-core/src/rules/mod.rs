//! The rules, one module each, named after their stable id.

pub mod cache_missing;
pub mod common;
pub mod duplicate_request;
pub mod frequent_rerender;
pub mod http_error;
pub mod large_payload;
pub mod n_plus_one;
pub mod network_error;
pub mod redirect_chain;
pub mod slow_commit;
pub mod slow_connection;
pub mod slow_ttfb;
pub mod too_many_requests;
pub mod uncompressed_text;
pub mod waterfall_blocking;

use serde_json::{Map, Value};

use crate::capture::Capture;
use crate::config::Thresholds;
use crate::report::{Finding, Severity};

pub use common::{server_message, trace_ids, TraceId};

/// Each rule module's documentation, extracted by the build script.
mod docs {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// A rule: its stable id (used in reports, flags and links), a title, and its check.
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub check: fn(&Capture, &Thresholds, &mut Vec<Finding>),
}

/// Every rule, in report order.
pub const RULES: &[Rule] = &[
    http_error::RULE,
    network_error::RULE,
    waterfall_blocking::RULE,
    slow_ttfb::RULE,
    large_payload::RULE,
    too_many_requests::RULE,
    n_plus_one::RULE,
    duplicate_request::RULE,
    uncompressed_text::RULE,
    redirect_chain::RULE,
    slow_connection::RULE,
    cache_missing::RULE,
];

pub fn by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A rule on React profiles.
pub struct ProfileRule {
    pub id: &'static str,
    pub title: &'static str,
    pub check: fn(
        &crate::profile::analyze_context::ProfileContext,
        &crate::profile::ProfileThresholds,
        &mut Vec<Finding>,
    ),
}

/// Every profile rule, in report order.
pub const PROFILE_RULES: &[ProfileRule] = &[slow_commit::RULE, frequent_rerender::RULE];

pub fn profile_rule_by_id(id: &str) -> Option<&'static ProfileRule> {
    PROFILE_RULES.iter().find(|r| r.id == id)
}

/// The id, title and explanation of any rule, HAR or profile.
pub fn describe(id: &str) -> Option<(&'static str, &'static str, &'static str)> {
    by_id(id)
        .map(|r| (r.id, r.title))
        .or_else(|| profile_rule_by_id(id).map(|r| (r.id, r.title)))
        .map(|(id, title)| (id, title, docs::explanation(id).unwrap_or_default()))
}

/// A finding about one request (the first of `entries`).
pub(crate) fn request_finding(
    cx: &Capture,
    rule: &str,
    severity: Severity,
    entries: Vec<usize>,
    message: String,
    advice: String,
    evidence: Value,
) -> Finding {
    let main = entries[0];
    Finding {
        rule: rule.to_owned(),
        severity,
        url: Some(cx.entry(main).request.url.to_string()),
        page: cx.page_of(main).map(str::to_owned),
        entries,
        message,
        advice,
        evidence: into_map(evidence),
    }
}

fn into_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Warning past the threshold, error past [`crate::config::ERROR_FACTOR`] times it.
pub(crate) fn graded(value: f64, threshold: f64) -> Severity {
    if value >= threshold * crate::config::ERROR_FACTOR {
        Severity::Error
    } else {
        Severity::Warning
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod docs_tests {
    #[test]
    fn every_rule_is_explained_by_its_own_module() {
        let ids = super::RULES
            .iter()
            .map(|r| r.id)
            .chain(super::PROFILE_RULES.iter().map(|r| r.id));
        for id in ids {
            let (_, _, text) = super::describe(id).unwrap();
            assert!(text.starts_with(&format!("`{id}`")), "{id}: {text}");
            assert!(text.contains("How to fix it"), "{id}");
        }
    }
}
