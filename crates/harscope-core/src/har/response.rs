//! The response, read by hand so that bodies of successful responses are skipped unread.
//!
//! Bodies are most of a big capture's bytes. Producers write `status` before `content` (the
//! spec's order), so by the time the body arrives we know whether it can hold a server's error
//! message; when `status` comes later the body is excerpted and dropped afterwards.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::lenient::{self, Excerpt, Key};
use super::model::Header;

#[derive(Debug, Default)]
pub struct Response<'a> {
    /// The HTTP status; 0 or negative when no response arrived (`None` when missing).
    pub status: Option<i64>,
    pub status_text: Cow<'a, str>,
    pub http_version: Cow<'a, str>,
    pub headers: Vec<Header<'a>>,
    pub cookies: usize,
    pub content: Content<'a>,
    pub redirect_url: Cow<'a, str>,
    pub headers_size: Option<i64>,
    pub body_size: Option<i64>,
    /// Chrome's and Playwright's bytes on the wire, headers included.
    pub transfer_size: Option<i64>,
    /// Chrome's and Safari's `_error` (e.g. `net::ERR_CONNECTION_REFUSED`).
    pub error: Option<Cow<'a, str>>,
    /// Playwright's `_failureText`.
    pub failure_text: Option<Cow<'a, str>>,
}

#[derive(Debug, Default)]
pub struct Content<'a> {
    /// Decoded body size in bytes; `None` when not recorded.
    pub size: Option<i64>,
    pub compression: Option<i64>,
    pub mime_type: Cow<'a, str>,
    /// The first bytes of the body, kept only for failed responses.
    pub text: Option<Excerpt<'a>>,
    pub encoding: Option<Cow<'a, str>>,
}

/// Statuses whose body may carry the server's explanation.
fn body_worth_keeping(status: Option<i64>) -> bool {
    status.is_none_or(|s| s >= 400 || s <= 0)
}

impl<'de: 'a, 'a> Deserialize<'de> for Response<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ResponseVisitor(std::marker::PhantomData))
    }
}

struct ResponseVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ResponseVisitor<'a> {
    type Value = Response<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR response object")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Response::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut r = Response::default();
        let mut status_seen = false;
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "status" => {
                    r.status = map.next_value_seed(OptI64)?;
                    status_seen = true;
                }
                "statusText" => r.status_text = map.next_value_seed(StrOrEmpty)?,
                "httpVersion" => r.http_version = map.next_value_seed(StrOrEmpty)?,
                "headers" => r.headers = map.next_value_seed(Headers)?,
                "cookies" => r.cookies = map.next_value_seed(CookieCount)?,
                "content" => {
                    let keep_text = !status_seen || body_worth_keeping(r.status);
                    r.content = map.next_value_seed(ContentSeed { keep_text })?;
                }
                "redirectURL" => r.redirect_url = map.next_value_seed(StrOrEmpty)?,
                "headersSize" => r.headers_size = map.next_value_seed(OptI64)?,
                "bodySize" => r.body_size = map.next_value_seed(OptI64)?,
                "_transferSize" => r.transfer_size = map.next_value_seed(LooseI64)?,
                "_error" => r.error = map.next_value_seed(LooseError)?,
                "_failureText" => r.failure_text = map.next_value_seed(LooseError)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !body_worth_keeping(r.status) {
            r.content.text = None;
        }
        Ok(r)
    }
}

/// Seeds that run the `lenient` helpers from hand-written map visitors.
macro_rules! seed {
    ($name:ident, $f:path, $($ty:tt)*) => {
        struct $name;
        impl<'de> DeserializeSeed<'de> for $name {
            type Value = $($ty)*;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                $f(d)
            }
        }
    };
}

seed!(OptI64, lenient::opt_i64, Option<i64>);
seed!(LooseI64, lenient::loose_i64, Option<i64>);
seed!(StrOrEmpty, lenient::str_or_empty, Cow<'de, str>);
seed!(LooseStr, lenient::loose_str, Option<Cow<'de, str>>);
seed!(LooseError, lenient::loose_error, Option<Cow<'de, str>>);
seed!(Headers, super::model::headers_or_null, Vec<Header<'de>>);
seed!(CookieCount, lenient::cookie_count, usize);
seed!(OptExcerpt, lenient::opt_excerpt, Option<Excerpt<'de>>);

struct ContentSeed {
    keep_text: bool,
}

impl<'de> DeserializeSeed<'de> for ContentSeed {
    type Value = Content<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ContentSeed {
    type Value = Content<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR content object")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Content::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut c = Content::default();
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "size" => c.size = map.next_value_seed(OptI64)?,
                "compression" => c.compression = map.next_value_seed(LooseI64)?,
                "mimeType" => c.mime_type = map.next_value_seed(StrOrEmpty)?,
                "text" if self.keep_text => c.text = map.next_value_seed(OptExcerpt)?,
                "encoding" => c.encoding = map.next_value_seed(LooseStr)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
}
