//! `startedDateTime` values as milliseconds since the Unix epoch.
//!
//! Read by hand rather than with a date library: this is the only date the engine reads, and
//! the web app's worker is smaller without one (chrono's parser was 30 KB of its wasm). The
//! tests compare it with chrono on many timestamps.

/// Parses an ISO 8601 timestamp as producers write it: `T`, `t` or a space between date and
/// time, 0 to 9 fractional digits (Fiddler writes 7; more are read and dropped), and `Z`, an
/// offset (`+01:00` or `+0100`), or no zone (read as UTC).
pub fn parse_timestamp_ms(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                nanos = nanos * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..9 {
            nanos *= 10;
        }
    }
    let offset_minutes = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let hours = num(i + 1, 2)?;
            let colon = usize::from(b.get(i + 3) == Some(&b':'));
            let minutes = num(i + 3 + colon, 2)?;
            if i + 5 + colon != b.len() || hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(secs as f64 * 1000.0 + nanos as f64 / 1e6)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (the "days from civil" algorithm:
/// years counted from March, so the leap day ends a year).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
        assert_eq!(parse_timestamp_ms("2017-03-21T22:13:00.786+0100"), Some(z));
        assert_eq!(parse_timestamp_ms("2017-03-21T20:13:00.786-01:00"), Some(z));
        let fiddler = parse_timestamp_ms("2016-06-28T21:42:03.0141641+01:00").unwrap();
        assert!((fiddler - 1_467_146_523_014.164).abs() < 0.001);
        let short = parse_timestamp_ms("2016-06-28T19:01:11.75+00:00").unwrap();
        assert_eq!(short, 1_467_140_471_750.0);
        let naive = parse_timestamp_ms("2017-03-21T21:13:00.786").unwrap();
        assert_eq!(naive, z);
        assert_eq!(parse_timestamp_ms("2017-03-21 21:13:00.786"), Some(z));
        assert_eq!(parse_timestamp_ms(" 2017-03-21T21:13:00.786Z\n"), Some(z));
        for bad in [
            "yesterday",
            "",
            "2017-03-21",
            "2017-02-29T00:00:00Z",
            "2017-13-01T00:00:00Z",
            "2017-03-21T24:00:00Z",
            "2017-03-21T21:13:00.Z",
            "2017-03-21T21:13:00ZZ",
            "2017-03-21T21:13:00+1:00",
            "2017-03-21T21:13:00+01:00x",
            "2017-03-21X21:13:00Z",
            "２017-03-21T21:13:00Z",
        ] {
            assert_eq!(parse_timestamp_ms(bad), None, "{bad}");
        }
        assert!(parse_timestamp_ms("2016-02-29T12:00:00Z").is_some());
        assert!(parse_timestamp_ms("2000-02-29T12:00:00Z").is_some());
        assert!(parse_timestamp_ms("1900-02-29T12:00:00Z").is_none());
    }

    /// The same instants chrono reads, over four centuries of dates, times and offsets.
    #[test]
    fn agrees_with_chrono() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..20_000 {
            let ms = (next(12_000_000_000_000) as i64) - 2_000_000_000_000;
            let t = chrono::DateTime::from_timestamp_millis(ms).unwrap();
            let offset_min = next(2 * 1439 + 1) as i32 - 1439;
            let zone = chrono::FixedOffset::east_opt(offset_min * 60).unwrap();
            let local = t.with_timezone(&zone);
            let (text, expected) = match next(4) {
                0 => (
                    local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    ms - ms.rem_euclid(1000),
                ),
                1 => (local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(), ms),
                2 => (local.format("%Y-%m-%d %H:%M:%S%.6f%z").to_string(), ms),
                _ => (
                    local.format("%Y-%m-%dt%H:%M:%S%.9fZ").to_string(),
                    ms + i64::from(offset_min) * 60_000,
                ),
            };
            let got = parse_timestamp_ms(&text);
            assert_eq!(got, Some(expected as f64), "{text}");
        }
    }
}
