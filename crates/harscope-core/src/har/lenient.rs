//! Deserializers that accept what real HAR producers write rather than what the spec says.
//!
//! Two strengths: the plain ones accept every known variant of a spec field (numbers as
//! strings, `null` for "unknown") and reject anything else with a clear "expected ..." error;
//! the `loose_*` ones are for producers' custom `_` fields, where a surprise is ignored
//! instead of failing a whole capture.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// How much of a body the model keeps: enough for a server's error message.
pub const EXCERPT_LIMIT: usize = 16 * 1024;

/// A number written as a number, a numeric string, or `null` (unknown).
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(NumberVisitor { strict: true })
}

/// Like [`opt_f64`], but anything that is not a number becomes `None`.
pub fn loose_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(NumberVisitor { strict: false })
}

/// An integer (a status code or a size); a float is truncated, a numeric string parsed.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(opt_f64(d)?.map(f64_to_i64))
}

/// Like [`opt_i64`] for custom fields.
pub fn loose_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(loose_f64(d)?.map(f64_to_i64))
}

fn f64_to_i64(n: f64) -> i64 {
    // `as` saturates and maps NaN to 0, which is what a size or status of nonsense deserves.
    n as i64
}

/// Strings that stand for "no number" (JavaScript's and Python's spellings).
const NOT_A_NUMBER: [&str; 6] = ["NaN", "Infinity", "-Infinity", "inf", "-inf", "undefined"];

/// No size or time a browser records comes near this (10^15 bytes is a petabyte, 10^15 ms
/// thirty thousand years): larger numbers, and infinities (`1e309`), are taken as not recorded,
/// so that sums stay finite and messages readable.
const IMPLAUSIBLE: f64 = 1e15;

fn plausible(v: f64) -> Option<f64> {
    (v.abs() < IMPLAUSIBLE).then_some(v)
}

struct NumberVisitor {
    strict: bool,
}

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(plausible(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(plausible(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(plausible(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let trimmed = v.trim();
        // Empty, or what a serializer writes for a float that is not a number.
        if trimmed.is_empty() || NOT_A_NUMBER.iter().any(|n| trimmed.eq_ignore_ascii_case(n)) {
            return Ok(None);
        }
        match trimmed.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(plausible(n)),
            _ if self.strict => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
            _ => Ok(None),
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.reject(de::Unexpected::Bool(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.strict {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if self.strict {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl NumberVisitor {
    fn reject<E: de::Error>(self, what: de::Unexpected) -> Result<Option<f64>, E> {
        if self.strict {
            Err(E::invalid_type(what, &self))
        } else {
            Ok(None)
        }
    }
}

/// A string, borrowed from the input when it has no escapes. `null` gives `None`; numbers and
/// booleans are kept as their text, since some producers write header values unquoted.
pub fn opt_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(StrVisitor {
        strict: true,
        limit: usize::MAX,
    })
}

/// A string field that must be present in meaning but may be `null` or missing: empty if so.
pub fn str_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    Ok(opt_str(d)?.unwrap_or_default())
}

/// Like [`opt_str`] for custom fields: objects and arrays become `None`.
pub fn loose_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(StrVisitor {
        strict: false,
        limit: usize::MAX,
    })
}

/// A possibly huge string (a body) of which only the first [`EXCERPT_LIMIT`] bytes are kept.
pub fn opt_excerpt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Excerpt<'de>>, D::Error> {
    d.deserialize_any(ExcerptVisitor)
}

/// The first bytes of a body, and how long the whole was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt<'a> {
    pub text: Cow<'a, str>,
    /// Length of the whole string in bytes (after JSON unescaping).
    pub full_len: usize,
}

impl Excerpt<'_> {
    pub fn is_truncated(&self) -> bool {
        self.text.len() < self.full_len
    }
}

fn cut(s: &str, limit: usize) -> &str {
    if s.len() <= limit {
        return s;
    }
    let mut end = limit;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

struct StrVisitor {
    strict: bool,
    limit: usize,
}

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(cut(v, self.limit))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(cut(v, self.limit).to_owned())))
    }
    fn visit_string<E>(self, mut v: String) -> Result<Self::Value, E> {
        let keep = cut(&v, self.limit).len();
        v.truncate(keep);
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.strict {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if self.strict {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

struct ExcerptVisitor;

impl<'de> Visitor<'de> for ExcerptVisitor {
    type Value = Option<Excerpt<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Excerpt {
            text: Cow::Borrowed(cut(v, EXCERPT_LIMIT)),
            full_len: v.len(),
        }))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Excerpt {
            text: Cow::Owned(cut(v, EXCERPT_LIMIT).to_owned()),
            full_len: v.len(),
        }))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A key of a JSON object, borrowed when it can be.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_str(StrVisitor {
            strict: true,
            limit: usize::MAX,
        })?;
        Ok(Key(s.unwrap_or_default()))
    }
}

/// The number of cookies: an array of cookies, or (IE11) a single cookie object.
pub fn cookie_count<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    struct CountVisitor;
    impl<'de> Visitor<'de> for CountVisitor {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of cookies")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            let mut n = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(n)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
            let mut keys = 0;
            let mut has_name = false;
            while let Some(Key(k)) = map.next_key::<Key>()? {
                map.next_value::<IgnoredAny>()?;
                has_name |= k == "name";
                keys += 1;
            }
            // {name, value, ...} is one cookie; anything else is read as name -> value pairs.
            Ok(if has_name { 1 } else { keys })
        }
        fn visit_unit<E>(self) -> Result<usize, E> {
            Ok(0)
        }
        fn visit_none<E>(self) -> Result<usize, E> {
            Ok(0)
        }
    }
    d.deserialize_any(CountVisitor)
}

/// A producer's error note: a string (Chrome, Safari), or an object with `message` and `code`
/// (capture-har). Anything else is ignored.
pub fn loose_error<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct ErrorVisitor;
    impl<'de> Visitor<'de> for ErrorVisitor {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an error message")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok((!v.is_empty()).then_some(Cow::Borrowed(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok((!v.is_empty()).then(|| Cow::Owned(v.to_owned())))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut message = None;
            let mut code = None;
            while let Some(Key(k)) = map.next_key::<Key>()? {
                match k.as_ref() {
                    "message" => message = map.next_value_seed(LooseStrSeed)?,
                    "code" => code = map.next_value_seed(LooseStrSeed)?,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(match (message, code) {
                (Some(m), Some(c)) => Some(Cow::Owned(format!("{m} ({c})"))),
                (m, c) => m.or(c),
            })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(ErrorVisitor)
}

/// Chrome's `_fromCache` ("memory", "disk"); some tools write booleans. `false`, `"false"`
/// and empty mean "not from the cache", `true` means a cache of unknown kind.
pub fn loose_cache<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct CacheVisitor;
    impl<'de> Visitor<'de> for CacheVisitor {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a cache name or a boolean")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(v.then_some(Cow::Borrowed("cache")))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            Ok((!t.is_empty() && !t.eq_ignore_ascii_case("false"))
                .then(|| Cow::Owned(t.to_owned())))
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            let t = v.trim();
            Ok((!t.is_empty() && !t.eq_ignore_ascii_case("false")).then_some(Cow::Borrowed(t)))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(CacheVisitor)
}

/// `true`, `false`, or anything else as `None`.
pub fn loose_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct BoolVisitor;
    impl<'de> Visitor<'de> for BoolVisitor {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(BoolVisitor)
}

/// Seed form of [`loose_str`], for hand-written map visitors.
pub struct LooseStrSeed;

impl<'de> de::DeserializeSeed<'de> for LooseStrSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        loose_str(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_no_browser_records_are_not_recorded() {
        let doc = br#"{"log": {"entries": [{"time": 1e309, "request": {"bodySize": -1e400},
            "response": {"status": 200, "content": {"size": 1e20}, "_transferSize": "NaN"},
            "timings": {"wait": 1e308, "receive": "Infinity", "send": -5, "blocked": "-inf"}},
            {"time": 12.5, "timings": {"wait": "1e3", "dns": 1e14}}]}}"#;
        let har = crate::har::parse(doc).unwrap();
        let [a, b] = &har.entries[..] else { panic!() };
        assert_eq!(a.time, None);
        assert_eq!(a.request.body_size, None);
        assert_eq!(a.response.content.size, None);
        assert_eq!(a.response.transfer_size, None);
        assert_eq!((a.timings.wait, a.timings.receive), (None, None));
        assert_eq!((a.timings.send, a.timings.blocked), (Some(-5.0), None));
        assert_eq!(a.duration_ms(), None);
        assert_eq!(
            (b.time, b.timings.wait, b.timings.dns),
            (Some(12.5), Some(1000.0), Some(1e14))
        );
    }
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Probe<'a> {
        #[serde(default, deserialize_with = "opt_f64")]
        n: Option<f64>,
        #[serde(default, deserialize_with = "loose_f64")]
        loose: Option<f64>,
        #[serde(default, borrow, deserialize_with = "opt_str")]
        s: Option<Cow<'a, str>>,
        #[serde(default, deserialize_with = "cookie_count")]
        cookies: usize,
        #[serde(default, borrow, deserialize_with = "loose_error")]
        error: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "opt_excerpt")]
        body: Option<Excerpt<'a>>,
        #[serde(default, borrow, deserialize_with = "loose_cache")]
        cache: Option<Cow<'a, str>>,
    }

    fn probe(json: &str) -> Result<Probe<'_>, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_in_every_spelling() {
        assert_eq!(probe(r#"{"n": 12}"#).unwrap().n, Some(12.0));
        assert_eq!(probe(r#"{"n": -1.5}"#).unwrap().n, Some(-1.5));
        assert_eq!(probe(r#"{"n": "42"}"#).unwrap().n, Some(42.0));
        assert_eq!(probe(r#"{"n": null}"#).unwrap().n, None);
        assert_eq!(probe(r#"{"n": ""}"#).unwrap().n, None);
        let err = probe(r#"{"n": "abc"}"#).unwrap_err().to_string();
        assert!(err.contains("expected a number"), "{err}");
        let err = probe(r#"{"n": {}}"#).unwrap_err().to_string();
        assert!(err.contains("expected a number"), "{err}");
        assert_eq!(probe(r#"{"loose": {"a": [1]}}"#).unwrap().loose, None);
        assert_eq!(probe(r#"{"loose": "x"}"#).unwrap().loose, None);
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let p = probe(r#"{"s": "plain"}"#).unwrap();
        assert!(matches!(p.s, Some(Cow::Borrowed("plain"))));
        let p = probe(r#"{"s": "a\"b"}"#).unwrap();
        assert_eq!(p.s.as_deref(), Some("a\"b"));
        assert_eq!(probe(r#"{"s": 5}"#).unwrap().s.as_deref(), Some("5"));
        assert!(probe(r#"{"s": []}"#).is_err());
    }

    #[test]
    fn cookies_as_array_or_object() {
        assert_eq!(
            probe(r#"{"cookies": [{"name":"a"},{"name":"b"}]}"#)
                .unwrap()
                .cookies,
            2
        );
        assert_eq!(
            probe(r#"{"cookies": {"name":"a","value":"1"}}"#)
                .unwrap()
                .cookies,
            1
        );
        assert_eq!(
            probe(r#"{"cookies": {"a":"1","b":"2"}}"#).unwrap().cookies,
            2
        );
        assert_eq!(probe(r#"{"cookies": null}"#).unwrap().cookies, 0);
    }

    #[test]
    fn producer_errors_as_string_or_object() {
        let p = probe(r#"{"error": "net::ERR_FAILED"}"#).unwrap();
        assert_eq!(p.error.as_deref(), Some("net::ERR_FAILED"));
        let p =
            probe(r#"{"error": {"message": "Max redirects", "code": "MAXREDIRECTS"}}"#).unwrap();
        assert_eq!(p.error.as_deref(), Some("Max redirects (MAXREDIRECTS)"));
        assert_eq!(probe(r#"{"error": ""}"#).unwrap().error, None);
        assert_eq!(probe(r#"{"error": null}"#).unwrap().error, None);
    }

    #[test]
    fn cache_markers_in_every_spelling() {
        assert_eq!(
            probe(r#"{"cache": "disk"}"#).unwrap().cache.as_deref(),
            Some("disk")
        );
        assert_eq!(
            probe(r#"{"cache": true}"#).unwrap().cache.as_deref(),
            Some("cache")
        );
        assert_eq!(probe(r#"{"cache": false}"#).unwrap().cache, None);
        assert_eq!(probe(r#"{"cache": "false"}"#).unwrap().cache, None);
        assert_eq!(probe(r#"{"cache": ""}"#).unwrap().cache, None);
    }

    #[test]
    fn excerpts_are_bounded_at_a_char_boundary() {
        let long = "é".repeat(EXCERPT_LIMIT);
        let json = format!(r#"{{"body": "{long}"}}"#);
        let p = probe(&json).unwrap();
        let body = p.body.unwrap();
        assert!(body.text.len() <= EXCERPT_LIMIT);
        assert_eq!(body.full_len, long.len());
        assert!(body.is_truncated());
    }
}
