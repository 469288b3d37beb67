//! `startedDateTime` values as milliseconds since the Unix epoch.

use chrono::{DateTime, NaiveDateTime};

/// Parses an ISO 8601 timestamp as producers write it: with a `Z` or an offset, with 0 to 9
/// fractional digits (Fiddler writes 7), or without a zone (read as UTC).
pub fn parse_timestamp_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(to_ms(dt.timestamp(), dt.timestamp_subsec_nanos()));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, format) {
            let utc = dt.and_utc();
            return Some(to_ms(utc.timestamp(), utc.timestamp_subsec_nanos()));
        }
    }
    None
}

fn to_ms(secs: i64, nanos: u32) -> f64 {
    secs as f64 * 1000.0 + f64::from(nanos) / 1e6
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp_ms;

    #[test]
    fn producers_formats() {
        let z = parse_timestamp_ms("2017-03-21T21:13:00.786Z").unwrap();
        assert_eq!(z, 1_490_130_780_786.0);
        let offset = parse_timestamp_ms("2017-03-21T22:13:00.786+01:00").unwrap();
        assert_eq!(offset, z);
        let fiddler = parse_timestamp_ms("2016-06-28T21:42:03.0141641+01:00").unwrap();
        assert!((fiddler - 1_467_146_523_014.164).abs() < 0.001);
        let short = parse_timestamp_ms("2016-06-28T19:01:11.75+00:00").unwrap();
        assert_eq!(short, 1_467_140_471_750.0);
        let naive = parse_timestamp_ms("2017-03-21T21:13:00.786").unwrap();
        assert_eq!(naive, z);
        assert_eq!(parse_timestamp_ms("yesterday"), None);
        assert_eq!(parse_timestamp_ms(""), None);
    }
}
