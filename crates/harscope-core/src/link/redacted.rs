//! The redacted copies of a report's parts that a link carries.

use serde_json::{Map, Value};

use crate::har::Har;
use crate::redact::{
    is_secret_header, is_secret_name, redact_text, redact_url, Redactions, Secrets, MASK,
};
use crate::report::{Finding, PageSummary, Report};
use crate::view::{EntryDetail, NameValue, RequestRow};

/// Redacts by shape and name, then masks the capture's own secrets wherever they are echoed.
pub struct Redactor {
    secrets: Secrets,
    pub counts: Redactions,
}

impl Redactor {
    /// Learns the secrets `har` holds: credential headers, cookies, secret query and form values.
    pub fn for_capture(har: &Har) -> Self {
        Redactor {
            secrets: Secrets::from_har(har),
            counts: Redactions::default(),
        }
    }

    fn text(&mut self, s: &str) -> String {
        let shaped = redact_text(s, &mut self.counts);
        self.secrets.scrub(&shaped, &mut self.counts).into_owned()
    }

    fn url(&mut self, s: &str) -> String {
        let shaped = redact_url(s, &mut self.counts);
        self.secrets.scrub(&shaped, &mut self.counts).into_owned()
    }
}

/// The report with every URL, message and evidence string redacted.
pub fn report(report: &Report, r: &mut Redactor) -> Report {
    let mut out = report.clone();
    // The file's name only: its folders can say whose machine and which customer.
    let name = |f: &str| f.rsplit(['/', '\\']).next().unwrap_or(f).to_owned();
    out.source.file = out.source.file.as_deref().map(|f| r.text(&name(f)));
    for page in &mut out.summary {
        summary(page, r);
    }
    for f in &mut out.findings {
        finding(f, r);
    }
    out
}

fn summary(page: &mut PageSummary, r: &mut Redactor) {
    page.title = page.title.as_deref().map(|t| r.text(t));
    for named in [&mut page.slowest, &mut page.largest].into_iter().flatten() {
        named.url = r.url(&named.url);
    }
}

fn finding(f: &mut Finding, r: &mut Redactor) {
    f.url = f.url.as_deref().map(|u| r.url(u));
    f.message = r.text(&f.message);
    f.advice = r.text(&f.advice);
    f.evidence = evidence(&f.evidence, r);
}

/// Evidence values: strings redacted as text (URLs by their rules), values under
/// secret-looking keys masked.
fn evidence(map: &Map<String, Value>, r: &mut Redactor) -> Map<String, Value> {
    crate::sort::map_from(map.iter().map(|(k, v)| {
        let v = match v {
            Value::String(s) if is_secret_name(k) && !s.is_empty() && !is_flag_word(s) => {
                r.counts.text_tokens += 1;
                Value::String(MASK.to_owned())
            }
            other => value(other, r),
        };
        (k.clone(), v)
    }))
}

/// Evidence under a secret-looking key that only says how a credential was sent
/// (`authorization: "missing"`, `"bearer"`), not what it was.
fn is_flag_word(s: &str) -> bool {
    s.len() <= 24
        && s.bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b' ' || b == b'-' || b == b'_')
}

fn value(v: &Value, r: &mut Redactor) -> Value {
    match v {
        Value::String(s) if s.starts_with("http://") || s.starts_with("https://") => {
            Value::String(r.url(s))
        }
        Value::String(s) => Value::String(r.text(s)),
        Value::Array(items) => Value::Array(items.iter().map(|i| value(i, r)).collect()),
        Value::Object(map) => Value::Object(evidence(map, r)),
        other => other.clone(),
    }
}

/// A waterfall row with its URL and failure text redacted.
pub fn row(row: &RequestRow, r: &mut Redactor) -> RequestRow {
    let mut out = row.clone();
    out.url = r.url(&row.url);
    out.host = crate::capture::url_authority(&out.url);
    out.failure = row.failure.as_deref().map(|f| r.text(f));
    out
}

/// How much of a server's error message a link keeps.
const MESSAGE_CHARS: usize = 300;

fn excerpt(s: &str, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// A request's detail without bodies or cookie values; credential headers masked.
pub fn detail(d: &EntryDetail, r: &mut Redactor) -> EntryDetail {
    let headers = |list: &[NameValue], r: &mut Redactor| -> Vec<NameValue> {
        list.iter()
            .map(|h| NameValue {
                name: h.name.clone(),
                value: if is_secret_header(&h.name) && !h.value.is_empty() {
                    r.counts.headers += 1;
                    MASK.to_owned()
                } else if h.name.eq_ignore_ascii_case("location")
                    || h.name.eq_ignore_ascii_case("referer")
                {
                    r.url(&h.value)
                } else {
                    r.text(&h.value)
                },
            })
            .collect()
    };
    let mut out = d.clone();
    out.url = r.url(&d.url);
    out.initiator = d.initiator.as_deref().map(|i| r.url(i));
    out.request_headers = headers(&d.request_headers, r);
    out.response_headers = headers(&d.response_headers, r);
    out.query = d
        .query
        .iter()
        .map(|q| NameValue {
            name: q.name.clone(),
            value: if is_secret_name(&q.name) && !q.value.is_empty() {
                r.counts.query += 1;
                MASK.to_owned()
            } else {
                r.text(&q.value)
            },
        })
        .collect();
    r.counts.bodies += usize::from(d.post_text.is_some()) + usize::from(d.response_text.is_some());
    out.post_text = None;
    out.post_truncated = false;
    out.response_text = None;
    // The server's own words on an HTTP error; any other body text stays out.
    out.server_message = d
        .server_message
        .as_deref()
        .filter(|_| d.status.is_some_and(|s| s >= 400))
        .map(|m| r.text(&excerpt(m, MESSAGE_CHARS)));
    out.redirect_url = r.url(&d.redirect_url);
    out
}
