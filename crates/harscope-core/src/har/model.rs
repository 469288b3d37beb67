//! The parts of a HAR capture the analysis needs, borrowed from the input buffer.
//!
//! Unknown fields are skipped without building anything; response bodies are skipped unless the
//! response failed (see [`super::response`]). Every field a producer may leave out has a
//! default, so partial entries (Insomnia's fixtures, mitmproxy's incomplete logs) still load.

use std::borrow::Cow;

use serde::Deserialize;

use super::lenient::{self, Excerpt};
pub use super::response::{Content, Response};

/// The document: `{"log": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a HAR document (an object with a `log` member)")]
pub(crate) struct Document<'a> {
    #[serde(borrow)]
    pub log: Har<'a>,
}

/// A HAR `log`.
#[derive(Debug, Default, Deserialize)]
#[serde(expecting = "a HAR `log` object")]
pub struct Har<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::str_or_empty")]
    pub version: Cow<'a, str>,
    #[serde(default, borrow)]
    pub creator: Option<Product<'a>>,
    #[serde(default, borrow)]
    pub browser: Option<Product<'a>>,
    #[serde(default, borrow, deserialize_with = "pages_or_null")]
    pub pages: Vec<Page<'a>>,
    #[serde(borrow, deserialize_with = "bounded_entries")]
    pub entries: Vec<Entry<'a>>,
}

thread_local! {
    /// How many entries the document being read may hold; see [`entry_budget`].
    static ENTRY_BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Sets how many entries the next parse accepts. A real entry takes hundreds of bytes, while
/// its model takes about a kilobyte; a document of millions of empty objects would otherwise
/// turn a few megabytes into gigabytes of memory.
pub(crate) fn entry_budget(input_len: usize) {
    ENTRY_BUDGET.with(|b| b.set(entry_budget_for(input_len)));
}

pub(crate) fn entry_budget_for(input_len: usize) -> usize {
    20_000 + input_len / 128
}

thread_local! {
    /// Set while reading a document whose entries were read already (see `parse_around_entries`).
    static ENTRIES_READ: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Reads the document `body` except its entries array (at `start..end`), whose entries were
/// read already, as they arrived. `None` when the document did not read the same way (the
/// caller then reads it whole).
pub(crate) fn parse_around_entries<'a>(
    body: &'a [u8],
    start: usize,
    end: usize,
    entries: Vec<Entry<'a>>,
) -> Option<Har<'a>> {
    ENTRIES_READ.with(|r| r.set(true));
    let de = crate::json::Deserializer::new(body).with_jump(start, end);
    let doc = crate::json::from_deserializer::<Document>(de);
    ENTRIES_READ.with(|r| r.set(false));
    let jumped = crate::json::took_jump();
    let mut har = doc.ok().filter(|_| jumped)?.log;
    har.entries = entries;
    Some(har)
}

fn bounded_entries<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Entry<'de>>, D::Error> {
    if ENTRIES_READ.with(|r| r.get()) {
        serde::de::IgnoredAny::deserialize(d)?;
        return Ok(Vec::new());
    }
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<Entry<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of HAR entries")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let budget = ENTRY_BUDGET.with(|b| b.get());
            let mut out = Vec::new();
            while let Some(entry) = seq.next_element()? {
                if out.len() == budget {
                    return Err(serde::de::Error::custom(format!(
                        "more than {budget} entries for a file this size: these are not entries a browser recorded"
                    )));
                }
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Entries)
}

fn pages_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Page<'de>>, D::Error> {
    Ok(Option::<Vec<Page<'de>>>::deserialize(d)?.unwrap_or_default())
}

/// `creator` or `browser`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, expecting = "an object with `name` and `version`")]
pub struct Product<'a> {
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub name: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub version: Cow<'a, str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "a HAR page object")]
pub struct Page<'a> {
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub id: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "lenient::opt_str")]
    pub title: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::opt_str")]
    pub started_date_time: Option<Cow<'a, str>>,
    pub page_timings: PageTimings,
}

/// Milliseconds from the page's start; `-1` and missing both mean "not recorded".
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(
    default,
    rename_all = "camelCase",
    expecting = "a HAR pageTimings object"
)]
pub struct PageTimings {
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub on_content_load: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub on_load: Option<f64>,
}

impl PageTimings {
    pub fn on_content_load(&self) -> Option<f64> {
        known(self.on_content_load)
    }
    pub fn on_load(&self) -> Option<f64> {
        known(self.on_load)
    }
}

/// A recorded duration or size, or `None` when the producer wrote a negative "unknown".
pub fn known(v: Option<f64>) -> Option<f64> {
    v.filter(|n| *n >= 0.0)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "a HAR entry object")]
pub struct Entry<'a> {
    #[serde(borrow, deserialize_with = "lenient::opt_str")]
    pub pageref: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::opt_str")]
    pub started_date_time: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub time: Option<f64>,
    #[serde(borrow)]
    pub request: Request<'a>,
    #[serde(borrow)]
    pub response: Response<'a>,
    pub timings: Timings,
    #[serde(
        rename = "serverIPAddress",
        borrow,
        deserialize_with = "lenient::loose_str"
    )]
    pub server_ip_address: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::loose_str")]
    pub connection: Option<Cow<'a, str>>,
    /// Chrome's resource type: document, script, stylesheet, xhr, fetch, image, ...
    #[serde(
        rename = "_resourceType",
        borrow,
        deserialize_with = "lenient::loose_str"
    )]
    pub resource_type: Option<Cow<'a, str>>,
    #[serde(rename = "_initiator", borrow)]
    pub initiator: Option<Initiator<'a>>,
    /// chrome-har writes the initiator's type beside a string `_initiator`.
    #[serde(
        rename = "_initiator_type",
        borrow,
        deserialize_with = "lenient::loose_str"
    )]
    pub initiator_type: Option<Cow<'a, str>>,
    #[serde(rename = "_priority", borrow, deserialize_with = "lenient::loose_str")]
    pub priority: Option<Cow<'a, str>>,
    /// "memory" or "disk" when Chrome served the response from its cache.
    #[serde(
        rename = "_fromCache",
        borrow,
        deserialize_with = "lenient::loose_cache"
    )]
    pub from_cache: Option<Cow<'a, str>>,
    /// Some producers put `_error` on the entry rather than the response.
    #[serde(rename = "_error", borrow, deserialize_with = "lenient::loose_error")]
    pub error: Option<Cow<'a, str>>,
    #[serde(rename = "_wasAborted", deserialize_with = "lenient::loose_bool")]
    pub was_aborted: Option<bool>,
    /// Playwright's record of the connection's TLS certificate.
    #[serde(
        rename = "_securityDetails",
        borrow,
        deserialize_with = "security_or_null"
    )]
    pub security: Option<SecurityDetails<'a>>,
}

/// The TLS certificate a connection presented, as Playwright records it (dates in seconds
/// since the Unix epoch).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(
    default,
    rename_all = "camelCase",
    expecting = "a _securityDetails object"
)]
pub struct SecurityDetails<'a> {
    #[serde(borrow, deserialize_with = "lenient::loose_str")]
    pub protocol: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::loose_str")]
    pub subject_name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::loose_str")]
    pub issuer: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "lenient::loose_f64")]
    pub valid_from: Option<f64>,
    #[serde(deserialize_with = "lenient::loose_f64")]
    pub valid_to: Option<f64>,
}

/// `_securityDetails`, when it says anything (Playwright writes `{}` for plain HTTP).
fn security_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<SecurityDetails<'de>>, D::Error> {
    Ok(Option::<SecurityDetails<'de>>::deserialize(d)?
        .filter(|s| s.valid_to.is_some() || s.issuer.is_some()))
}

/// Who started a request: Chrome writes `{type, url, stack}`, chrome-har a bare URL string.
#[derive(Debug, Default, Clone)]
pub struct Initiator<'a> {
    pub kind: Option<Cow<'a, str>>,
    pub url: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Initiator<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(InitiatorVisitor(std::marker::PhantomData))
    }
}

/// Hand-written so that Chrome's call stacks are skipped, not buffered.
struct InitiatorVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for InitiatorVisitor<'a> {
    type Value = Initiator<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an initiator object or URL")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Initiator::default();
        while let Some(lenient::Key(k)) = map.next_key()? {
            match k.as_ref() {
                "type" => out.kind = map.next_value_seed(lenient::LooseStrSeed)?,
                "url" => out.url = map.next_value_seed(lenient::LooseStrSeed)?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Initiator::<'a> {
            kind: None,
            url: (!v.is_empty()).then_some(Cow::Borrowed(v)),
        })
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Initiator {
            kind: None,
            url: (!v.is_empty()).then(|| Cow::Owned(v.to_owned())),
        })
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Initiator::default())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Initiator::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Initiator::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Initiator::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Initiator::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Initiator::default())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "a HAR request object")]
pub struct Request<'a> {
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub method: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub url: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub http_version: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "headers_or_null")]
    pub headers: Vec<Header<'a>>,
    #[serde(deserialize_with = "lenient::cookie_count")]
    pub cookies: usize,
    #[serde(borrow)]
    pub post_data: Option<PostData<'a>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub headers_size: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub body_size: Option<i64>,
}

pub(crate) fn headers_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Header<'de>>, D::Error> {
    Ok(Option::<Vec<Header<'de>>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, expecting = "a header object with `name` and `value`")]
pub struct Header<'a> {
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub name: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "lenient::str_or_empty")]
    pub value: Cow<'a, str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "a HAR postData object")]
pub struct PostData<'a> {
    #[serde(borrow, deserialize_with = "lenient::opt_str")]
    pub mime_type: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::opt_excerpt")]
    pub text: Option<Excerpt<'a>>,
}

/// The phases of a request, in milliseconds; `None` when not recorded (-1 or missing).
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(default, expecting = "a HAR timings object")]
pub struct Timings {
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub blocked: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub dns: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub connect: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub ssl: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub send: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub wait: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub receive: Option<f64>,
}

impl Timings {
    /// Phases in the Network panel's order, each `None` when not recorded.
    pub fn phases(&self) -> [(&'static str, Option<f64>); 7] {
        [
            ("blocked", known(self.blocked)),
            ("dns", known(self.dns)),
            ("connect", known(self.connect)),
            ("ssl", known(self.ssl)),
            ("send", known(self.send)),
            ("wait", known(self.wait)),
            ("receive", known(self.receive)),
        ]
    }

    /// The sum of the recorded phases. `ssl` is part of `connect` per the spec, so not added.
    pub fn total(&self) -> Option<f64> {
        let mut any = false;
        let mut sum = 0.0;
        for (name, v) in self.phases() {
            if let (Some(v), false) = (v, name == "ssl") {
                any = true;
                sum += v;
            }
        }
        any.then_some(sum)
    }
}

impl<'a> Entry<'a> {
    /// Case-insensitive request header lookup.
    pub fn request_header(&self, name: &str) -> Option<&str> {
        find_header(&self.request.headers, name)
    }

    pub fn response_header(&self, name: &str) -> Option<&str> {
        find_header(&self.response.headers, name)
    }

    /// Total duration: `time`, or the sum of the phases when `time` is missing.
    pub fn duration_ms(&self) -> Option<f64> {
        known(self.time).or_else(|| self.timings.total())
    }

    /// Why the producer says the request failed, if it says.
    pub fn failure_text(&self) -> Option<&str> {
        self.response
            .error
            .as_deref()
            .or(self.response.failure_text.as_deref())
            .or(self.error.as_deref())
    }

    /// True when no HTTP response was received (status 0 or negative, or missing).
    pub fn has_no_response(&self) -> bool {
        self.response.status.is_none_or(|s| s <= 0)
    }
}

pub fn find_header<'h>(headers: &'h [Header<'_>], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_ref())
}
