//! Builders for small HAR documents in rule tests: each test states only what matters to it.

use serde_json::{json, Value};

use crate::capture::Capture;
use crate::config::Thresholds;
use crate::report::Finding;

/// 2026-01-01T00:00:00Z; entry offsets are relative to it.
const BASE_MS: i64 = 1_767_225_600_000;

fn iso(offset_ms: f64) -> String {
    let t = chrono::DateTime::from_timestamp_millis(BASE_MS + offset_ms.round() as i64).unwrap();
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub struct EntryBuilder {
    value: Value,
    duration: Option<f64>,
}

/// A GET that answered 200, starting `offset_ms` after the page started.
pub fn entry(url: &str, offset_ms: f64) -> EntryBuilder {
    let mime = if url.ends_with(".js") {
        "application/javascript"
    } else if url.ends_with(".css") {
        "text/css"
    } else if url.ends_with(".png") {
        "image/png"
    } else if url.ends_with('/') || url.ends_with(".html") {
        "text/html"
    } else {
        "application/json"
    };
    EntryBuilder {
        value: json!({
            "pageref": "page_1",
            "startedDateTime": iso(offset_ms),
            "time": 0,
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Accept", "value": "*/*"}], "cookies": [],
                        "queryString": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "headers": [], "cookies": [],
                         "content": {"size": 1000, "mimeType": mime},
                         "redirectURL": "", "headersSize": -1, "bodySize": -1},
            "cache": {},
            "timings": {"blocked": 0, "dns": -1, "connect": -1, "ssl": -1,
                        "send": 1, "wait": 50, "receive": 10}
        }),
        duration: None,
    }
}

impl EntryBuilder {
    /// Sets any field, for what no other builder method covers.
    pub fn set_json(self, path: &[&str], v: Value) -> Self {
        self.set(path, v)
    }
    fn set(mut self, path: &[&str], v: Value) -> Self {
        let (last, parents) = path.split_last().unwrap();
        let mut node = &mut self.value;
        for p in parents {
            node = &mut node[*p];
        }
        node[*last] = v;
        self
    }
    pub fn wait(self, ms: f64) -> Self {
        self.set(&["timings", "wait"], json!(ms))
    }
    /// Total time; `receive` absorbs the difference.
    pub fn duration(mut self, ms: f64) -> Self {
        self.duration = Some(ms);
        self
    }
    pub fn status(self, status: i64) -> Self {
        self.set(&["response", "status"], json!(status))
    }
    pub fn method(self, method: &str) -> Self {
        self.set(&["request", "method"], json!(method))
    }
    pub fn resource(self, kind: &str) -> Self {
        self.set(&["_resourceType"], json!(kind))
    }
    pub fn cached_in(self, kind: &str) -> Self {
        self.set(&["_fromCache"], json!(kind))
    }
    pub fn page(self, id: &str) -> Self {
        self.set(&["pageref"], json!(id))
    }
    pub fn initiator(self, kind: &str) -> Self {
        self.set(&["_initiator"], json!({"type": kind}))
    }
    pub fn priority(self, p: &str) -> Self {
        self.set(&["_priority"], json!(p))
    }
    pub fn content_size(self, n: i64) -> Self {
        self.set(&["response", "content", "size"], json!(n))
    }
    pub fn transfer_size(self, n: i64) -> Self {
        self.set(&["response", "_transferSize"], json!(n))
    }
    pub fn mime(self, m: &str) -> Self {
        self.set(&["response", "content", "mimeType"], json!(m))
    }
    pub fn body(self, text: &str) -> Self {
        self.set(&["response", "content", "text"], json!(text))
    }
    pub fn error(self, text: &str) -> Self {
        self.set(&["response", "_error"], json!(text))
    }
    pub fn failure_text(self, text: &str) -> Self {
        self.set(&["response", "_failureText"], json!(text))
    }
    pub fn post(self, mime: &str, text: &str) -> Self {
        self.set(
            &["request", "postData"],
            json!({"mimeType": mime, "text": text}),
        )
    }
    pub fn request_header(mut self, name: &str, value: &str) -> Self {
        let headers = self.value["request"]["headers"].as_array_mut().unwrap();
        headers.push(json!({"name": name, "value": value}));
        self
    }
    pub fn response_header(mut self, name: &str, value: &str) -> Self {
        let headers = self.value["response"]["headers"].as_array_mut().unwrap();
        headers.push(json!({"name": name, "value": value}));
        self
    }
    pub fn request_cookie(mut self, name: &str) -> Self {
        let cookies = self.value["request"]["cookies"].as_array_mut().unwrap();
        cookies.push(json!({"name": name, "value": "v"}));
        self
    }

    fn build(mut self) -> Value {
        let t = &mut self.value["timings"];
        let phase = |v: &Value| v.as_f64().filter(|n| *n >= 0.0).unwrap_or(0.0);
        let sum: f64 = ["blocked", "dns", "connect", "send", "wait", "receive"]
            .iter()
            .map(|p| phase(&t[*p]))
            .sum();
        let total = match self.duration {
            Some(d) => {
                t["receive"] = json!((d - (sum - phase(&t["receive"]))).max(0.0));
                d
            }
            None => sum,
        };
        self.value["time"] = json!(total);
        self.value
    }
}

/// A capture with one page (`page_1`, started at the base time) and these entries.
pub fn har(entries: &[EntryBuilder]) -> String {
    har_with_load(None, None, entries)
}

/// Like [`har`], with page timings.
pub fn har_with_load(
    on_content_load: Option<f64>,
    on_load: Option<f64>,
    entries: &[EntryBuilder],
) -> String {
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            EntryBuilder {
                value: e.value.clone(),
                duration: e.duration,
            }
            .build()
        })
        .collect();
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "harscope-tests", "version": "1"},
        "pages": [{"id": "page_1", "title": "https://app.example/", "startedDateTime": iso(0.0),
                   "pageTimings": {"onContentLoad": on_content_load.unwrap_or(-1.0),
                                   "onLoad": on_load.unwrap_or(-1.0)}}],
        "entries": entries
    }})
    .to_string()
}

/// Runs one rule on a document.
pub fn run(doc: &str, rule: &str, t: &Thresholds) -> Vec<Finding> {
    let har = crate::har::parse(doc.as_bytes()).expect("test document parses");
    let cx = Capture::new(&har);
    let mut out = Vec::new();
    (crate::rules::by_id(rule).expect("rule exists").check)(&cx, t, &mut out);
    out
}
