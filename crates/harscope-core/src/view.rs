//! What the web app shows besides the report: one row per request for the waterfall and the
//! request table, and the detail of one request on demand.
//!
//! Rows hold only what a table and a waterfall need, so that thousands of them cross from the
//! parsing worker to the page cheaply; the detail (headers, query, payload) is fetched for the
//! one request a person opens.

use serde::{Deserialize, Serialize};

use crate::capture::{
    content_bytes, resource_type, transfer_bytes, url_authority, wait_ms, Capture,
};
use crate::fmt::round_ms;
use crate::har::{known, Entry, Har};
use crate::rules::{common, server_message};

/// One request, placed on its page's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRow {
    /// Index in `log.entries`.
    pub entry: usize,
    /// The page id, or `None` for requests outside any page.
    pub page: Option<String>,
    pub method: String,
    pub url: String,
    /// `host[:port]`.
    pub host: String,
    /// 0 or negative when no response arrived; `None` when not recorded.
    pub status: Option<i64>,
    pub status_text: String,
    pub resource_type: String,
    pub mime_type: String,
    /// Start, in milliseconds from the page's start.
    pub start_ms: Option<f64>,
    pub duration_ms: Option<f64>,
    pub wait_ms: Option<f64>,
    pub phases: Phases,
    pub content_bytes: Option<u64>,
    pub transfer_bytes: Option<u64>,
    /// The producer's failure text (`_error`, `_failureText`), if any.
    pub failure: Option<String>,
    /// "memory" or "disk" when served from the browser's cache.
    pub from_cache: Option<String>,
}

/// Timing phases in milliseconds; `None` when not recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    pub blocked: Option<f64>,
    pub dns: Option<f64>,
    pub connect: Option<f64>,
    pub ssl: Option<f64>,
    pub send: Option<f64>,
    pub wait: Option<f64>,
    pub receive: Option<f64>,
}

/// Rows for every entry, in `log.entries` order.
pub fn request_rows(har: &Har) -> Vec<RequestRow> {
    let cx = Capture::new(har);
    let mut rows: Vec<Option<RequestRow>> = vec![None; har.entries.len()];
    for group in &cx.pages {
        for &i in &group.entries {
            let e = cx.entry(i);
            let span = cx.spans[i];
            let t = &e.timings;
            rows[i] = Some(RequestRow {
                entry: i,
                page: group.id.map(str::to_owned),
                method: e.request.method.to_string(),
                url: e.request.url.to_string(),
                host: url_authority(&e.request.url),
                status: e.response.status,
                status_text: e.response.status_text.to_string(),
                resource_type: resource_type(e).to_owned(),
                mime_type: e.response.content.mime_type.to_string(),
                start_ms: match (span.start, group.start) {
                    (Some(s), Some(p)) => Some(round_ms(s - p)),
                    _ => None,
                },
                duration_ms: span.duration.map(round_ms),
                wait_ms: wait_ms(e).map(round_ms),
                phases: Phases {
                    blocked: known(t.blocked).map(round_ms),
                    dns: known(t.dns).map(round_ms),
                    connect: known(t.connect).map(round_ms),
                    ssl: known(t.ssl).map(round_ms),
                    send: known(t.send).map(round_ms),
                    wait: known(t.wait).map(round_ms),
                    receive: known(t.receive).map(round_ms),
                },
                content_bytes: content_bytes(e),
                transfer_bytes: transfer_bytes(e),
                failure: e.failure_text().map(str::to_owned),
                from_cache: e.from_cache.as_deref().map(str::to_owned),
            });
        }
    }
    rows.into_iter().flatten().collect()
}

/// The row of entry `entry`. Rows are in entry order but need not hold every entry (a shared
/// report's link may carry only the requests findings name).
pub fn find_row(rows: &[RequestRow], entry: usize) -> Option<&RequestRow> {
    match rows.binary_search_by_key(&entry, |r| r.entry) {
        Ok(at) => rows.get(at),
        Err(_) => rows.iter().find(|r| r.entry == entry),
    }
}

/// Everything the capture holds about one request, for its detail view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryDetail {
    pub entry: usize,
    pub method: String,
    pub url: String,
    pub http_version: String,
    pub started: Option<String>,
    pub server_ip: Option<String>,
    pub connection: Option<String>,
    pub priority: Option<String>,
    pub initiator: Option<String>,
    pub request_headers: Vec<NameValue>,
    pub response_headers: Vec<NameValue>,
    /// The query string, decoded.
    pub query: Vec<NameValue>,
    pub request_cookies: usize,
    pub post_mime_type: Option<String>,
    /// The request body's first bytes, and whether it was cut.
    pub post_text: Option<String>,
    pub post_truncated: bool,
    pub status: Option<i64>,
    pub status_text: String,
    pub mime_type: String,
    /// A failed response's body, first bytes only.
    pub response_text: Option<String>,
    pub server_message: Option<String>,
    pub redirect_url: String,
    pub trace_ids: Vec<common::TraceId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

/// The detail of entry `index`, or `None` when there is no such entry.
pub fn entry_detail(har: &Har, index: usize) -> Option<EntryDetail> {
    let e: &Entry = har.entries.get(index)?;
    let pairs = |headers: &[crate::har::Header]| -> Vec<NameValue> {
        headers
            .iter()
            .map(|h| NameValue {
                name: h.name.to_string(),
                value: h.value.to_string(),
            })
            .collect()
    };
    let query = e
        .request
        .url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(name, value)| NameValue {
                    name: name.into_owned(),
                    value: value.into_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    let post = e.request.post_data.as_ref();
    let initiator = e
        .initiator
        .as_ref()
        .map(|i| match (i.kind.as_deref(), i.url.as_deref()) {
            (Some(k), Some(u)) => format!("{k}: {u}"),
            (Some(k), None) => k.to_owned(),
            (None, Some(u)) => u.to_owned(),
            (None, None) => String::new(),
        })
        .filter(|s| !s.is_empty())
        .or_else(|| e.initiator_type.as_deref().map(str::to_owned));
    Some(EntryDetail {
        entry: index,
        method: e.request.method.to_string(),
        url: e.request.url.to_string(),
        http_version: e.request.http_version.to_string(),
        started: e.started_date_time.as_deref().map(str::to_owned),
        server_ip: e.server_ip_address.as_deref().map(str::to_owned),
        connection: e.connection.as_deref().map(str::to_owned),
        priority: e.priority.as_deref().map(str::to_owned),
        initiator,
        request_headers: pairs(&e.request.headers),
        response_headers: pairs(&e.response.headers),
        query,
        request_cookies: e.request.cookies,
        post_mime_type: post.and_then(|p| p.mime_type.as_deref()).map(str::to_owned),
        post_text: post
            .and_then(|p| p.text.as_ref())
            .map(|t| t.text.to_string()),
        post_truncated: post
            .and_then(|p| p.text.as_ref())
            .is_some_and(|t| t.is_truncated()),
        status: e.response.status,
        status_text: e.response.status_text.to_string(),
        mime_type: e.response.content.mime_type.to_string(),
        response_text: e.response.content.text.as_ref().map(|t| t.text.to_string()),
        server_message: server_message(e),
        redirect_url: e.response.redirect_url.to_string(),
        trace_ids: common::trace_ids(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{entry, har_with_load};

    #[test]
    fn rows_place_requests_on_their_page_timeline() {
        let doc = har_with_load(
            Some(300.0),
            Some(500.0),
            &[
                entry("https://app.example/", 0.0).resource("document"),
                entry("https://api.example:8443/v1/items?page=2", 120.0)
                    .status(503)
                    .wait(80.0)
                    .transfer_size(900),
            ],
        );
        let har = crate::har::parse(doc.as_bytes()).unwrap();
        let rows = request_rows(&har);
        assert_eq!(rows.len(), 2);
        let api = &rows[1];
        assert_eq!(api.entry, 1);
        assert_eq!(api.page.as_deref(), Some("page_1"));
        assert_eq!(api.host, "api.example:8443");
        assert_eq!(api.start_ms, Some(120.0));
        assert_eq!(api.wait_ms, Some(80.0));
        assert_eq!(api.phases.dns, None);
        assert_eq!(api.status, Some(503));
        assert_eq!(api.transfer_bytes, Some(900));
        assert_eq!(api.resource_type, "fetch");
    }

    #[test]
    fn detail_decodes_the_query_and_keeps_failed_bodies() {
        let doc = har_with_load(
            None,
            None,
            &[entry(
                "https://api.example/search?q=caf%C3%A9+au+lait&page=2#top",
                0.0,
            )
            .status(500)
            .request_header("x-request-id", "abc-123")
            .post("application/json", r#"{"q": 1}"#)
            .body(r#"{"message": "search backend down"}"#)],
        );
        let har = crate::har::parse(doc.as_bytes()).unwrap();
        let d = entry_detail(&har, 0).unwrap();
        let query: Vec<(&str, &str)> = d
            .query
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(query, vec![("q", "café au lait"), ("page", "2")]);
        assert_eq!(d.server_message.as_deref(), Some("search backend down"));
        assert_eq!(d.post_text.as_deref(), Some(r#"{"q": 1}"#));
        assert_eq!(d.trace_ids[0].value, "abc-123");
        assert!(entry_detail(&har, 1).is_none());
    }
}
