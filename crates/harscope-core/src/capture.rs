//! What the rules see: the parsed capture plus its timeline, computed once.
//!
//! Entries are grouped by page (entries without a known page form a group of their own),
//! each group sorted by start time, with the page's main document and load events located.

use std::collections::HashMap;

use crate::har::{self, known, Entry, Har, Page};

/// One request's place on the timeline, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub start: Option<f64>,
    pub duration: Option<f64>,
}

impl Span {
    pub fn end(&self) -> Option<f64> {
        Some(self.start? + self.duration.unwrap_or(0.0))
    }
}

/// A page, or the requests that belong to no recorded page.
#[derive(Debug)]
pub struct PageGroup<'h, 'a> {
    /// The recorded page, if any.
    pub page: Option<&'h Page<'a>>,
    /// The page id as entries refer to it; `None` for requests with no page.
    pub id: Option<&'h str>,
    /// When the page started: its `startedDateTime`, else its first request.
    pub start: Option<f64>,
    /// Entry indices, by start time (entries without a start time last, in file order).
    pub entries: Vec<usize>,
    /// The page's main document request, if it can be told.
    pub document: Option<usize>,
}

impl PageGroup<'_, '_> {
    /// onLoad as an absolute time.
    pub fn on_load_at(&self) -> Option<f64> {
        Some(self.start? + self.page?.page_timings.on_load()?)
    }
}

pub struct Capture<'h, 'a> {
    pub har: &'h Har<'a>,
    pub spans: Vec<Span>,
    pub pages: Vec<PageGroup<'h, 'a>>,
    /// Whether any request or response carries a cookie or credential header. A capture with
    /// none was probably sanitized (Chrome 130+ strips them by default), so "no token sent"
    /// cannot be told from "token removed".
    pub credentials_visible: bool,
}

impl<'h, 'a> Capture<'h, 'a> {
    pub fn new(har: &'h Har<'a>) -> Self {
        let spans: Vec<Span> = har.entries.iter().map(span_of).collect();
        let pages = group_pages(har, &spans);
        let credentials_visible = har.entries.iter().any(carries_credentials);
        Capture {
            har,
            spans,
            pages,
            credentials_visible,
        }
    }

    pub fn entry(&self, index: usize) -> &'h Entry<'a> {
        &self.har.entries[index]
    }

    /// The page id of the group an entry belongs to.
    pub fn page_of(&self, index: usize) -> Option<&'h str> {
        self.har.entries[index].pageref.as_deref()
    }

    /// Whether the capture comes from Chrome or Edge DevTools (which sanitize by default).
    pub fn from_chromium_devtools(&self) -> bool {
        self.har
            .creator
            .as_ref()
            .is_some_and(|c| c.name.contains("WebInspector"))
    }
}

fn span_of(entry: &Entry) -> Span {
    Span {
        start: entry
            .started_date_time
            .as_deref()
            .and_then(har::time::parse_timestamp_ms),
        duration: entry.duration_ms(),
    }
}

fn carries_credentials(entry: &Entry) -> bool {
    entry.request.cookies > 0
        || entry.response.cookies > 0
        || entry
            .request
            .headers
            .iter()
            .any(|h| is_credential_header(&h.name) || h.name.eq_ignore_ascii_case("cookie"))
        || entry
            .response
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("set-cookie"))
}

/// Request headers that carry a credential.
pub fn is_credential_header(name: &str) -> bool {
    const NAMES: [&str; 6] = [
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "x-auth-token",
        "x-access-token",
    ];
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
}

fn group_pages<'h, 'a>(har: &'h Har<'a>, spans: &[Span]) -> Vec<PageGroup<'h, 'a>> {
    let mut groups: Vec<PageGroup> = har
        .pages
        .iter()
        .map(|p| PageGroup {
            page: Some(p),
            id: Some(p.id.as_ref()),
            start: p
                .started_date_time
                .as_deref()
                .and_then(har::time::parse_timestamp_ms),
            entries: Vec::new(),
            document: None,
        })
        .collect();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(id) = g.id {
            by_id.entry(id).or_insert(i);
        }
    }
    let mut orphans: Option<usize> = None;
    for (index, entry) in har.entries.iter().enumerate() {
        let group = match entry.pageref.as_deref() {
            Some(id) => *by_id.entry(id).or_insert_with(|| {
                groups.push(PageGroup {
                    page: None,
                    id: Some(id),
                    start: None,
                    entries: Vec::new(),
                    document: None,
                });
                groups.len() - 1
            }),
            None => *orphans.get_or_insert_with(|| {
                groups.push(PageGroup {
                    page: None,
                    id: None,
                    start: None,
                    entries: Vec::new(),
                    document: None,
                });
                groups.len() - 1
            }),
        };
        groups[group].entries.push(index);
    }
    for g in &mut groups {
        // Stable sort: same-time and undated entries keep file order.
        crate::sort::sort_by(&mut g.entries, |a, b| {
            let (sa, sb) = (spans[*a].start, spans[*b].start);
            match (sa, sb) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        let first_start = g.entries.first().and_then(|i| spans[*i].start);
        g.start = g.start.or(first_start);
        g.document = find_document(har, g);
    }
    // Pages that no entry refers to say nothing about requests; keep them only if recorded.
    groups.retain(|g| g.page.is_some() || !g.entries.is_empty());
    groups
}

/// The page's first HTML document request (after any redirects that lead to it).
fn find_document(har: &Har, group: &PageGroup) -> Option<usize> {
    group.entries.iter().copied().take(20).find(|&i| {
        let e = &har.entries[i];
        let status = e.response.status.unwrap_or(0);
        resource_type(e) == "document" && !(300..400).contains(&status)
    })
}

/// The resource type: the producer's `_resourceType` when given, else inferred from the
/// response's MIME type and the URL's extension. Uses DevTools' names.
pub fn resource_type<'e>(entry: &'e Entry) -> &'e str {
    if let Some(t) = entry.resource_type.as_deref().filter(|t| !t.is_empty()) {
        return t;
    }
    if entry.response.status == Some(101) {
        return "websocket";
    }
    let mime = entry.response.content.mime_type.to_ascii_lowercase();
    let mime = mime.split(';').next().unwrap_or("").trim();
    let by_mime = match mime {
        "text/html" | "application/xhtml+xml" => Some("document"),
        "text/css" => Some("stylesheet"),
        m if m.contains("javascript") || m == "text/ecmascript" => Some("script"),
        m if m.starts_with("image/") => Some("image"),
        m if m.starts_with("font/") || m.contains("font") => Some("font"),
        m if m.starts_with("video/") || m.starts_with("audio/") => Some("media"),
        m if m.contains("json") || m.contains("xml") || m.contains("protobuf") => Some("fetch"),
        "text/event-stream" => Some("eventsource"),
        _ => None,
    };
    if let Some(t) = by_mime {
        return t;
    }
    let path = url_path(&entry.request.url).to_ascii_lowercase();
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "js" | "mjs" => "script",
        "css" => "stylesheet",
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "ico" | "bmp" => "image",
        "woff" | "woff2" | "ttf" | "otf" | "eot" => "font",
        "html" | "htm" => "document",
        "mp4" | "webm" | "mp3" | "m4a" | "ogg" => "media",
        "json" => "fetch",
        _ => "other",
    }
}

/// The path of a URL, without query or fragment.
pub fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or("")
}

/// `scheme://host[:port]` of a URL, lower-cased host, or `None` for a relative URL.
pub fn url_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

/// `host[:port]` of a URL, lower-cased, or "" when there is none. Two ports on one host are
/// two servers (and two origins), so breakdowns by server use this.
pub fn url_authority(url: &str) -> String {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// The host of a URL (no port), or "" when there is none.
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.split(':').next().unwrap_or(host)
}

/// Bytes on the wire: `_transferSize`, else headers plus body as recorded.
pub fn transfer_bytes(entry: &Entry) -> Option<u64> {
    let r = &entry.response;
    if let Some(t) = r.transfer_size.filter(|t| *t >= 0) {
        return Some(t as u64);
    }
    let body = r.body_size.filter(|b| *b >= 0)?;
    let headers = r.headers_size.filter(|h| *h >= 0).unwrap_or(0);
    Some(body.saturating_add(headers) as u64)
}

/// Decoded body size, when recorded.
pub fn content_bytes(entry: &Entry) -> Option<u64> {
    entry
        .response
        .content
        .size
        .filter(|s| *s >= 0)
        .map(|s| s as u64)
}

/// Milliseconds of `wait` (time to first byte after sending), when recorded.
pub fn wait_ms(entry: &Entry) -> Option<f64> {
    known(entry.timings.wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_parts() {
        assert_eq!(url_path("https://a.example/x/y.js?v=1#f"), "/x/y.js");
        assert_eq!(url_path("https://a.example"), "");
        assert_eq!(
            url_origin("HTTPS://User@A.Example:8443/x").as_deref(),
            Some("https://a.example:8443")
        );
        assert_eq!(url_origin("/relative"), None);
        assert_eq!(url_host("http://h.example:80/p"), "h.example");
        assert_eq!(
            url_authority("http://u:p@H.example:8080/p"),
            "h.example:8080"
        );
        assert_eq!(url_host("http://[::1]:8080/p"), "[::1]");
        assert_eq!(url_host("data:image/png;base64,xx"), "");
    }
}
