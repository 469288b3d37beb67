//! Numbers and URLs as people read them in messages.

/// Milliseconds rounded to a tenth, for evidence fields.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// `0.8 ms`, `850 ms`, `1.25 s`, `12.3 s`, `2.5 h`, `3.0 days`.
pub fn duration(ms: f64) -> String {
    const HOUR: f64 = 3_600_000.0;
    if ms >= 48.0 * HOUR {
        format!("{:.1} days", ms / (24.0 * HOUR))
    } else if ms >= HOUR {
        format!("{:.1} h", ms / HOUR)
    } else if ms < 9.95 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{} ms", ms.round() as i64)
    } else if ms < 10_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// `512 B`, `3.4 KiB`, `1.50 MiB`.
pub fn bytes(n: u64) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if f < KIB {
        format!("{n} B")
    } else if f < KIB * KIB {
        format!("{:.1} KiB", f / KIB)
    } else if f < KIB * KIB * KIB {
        format!("{:.2} MiB", f / (KIB * KIB))
    } else {
        format!("{:.2} GiB", f / (KIB * KIB * KIB))
    }
}

/// A URL for a sentence: without the scheme, shortened in the middle past 96 characters.
pub fn short_url(url: &str) -> String {
    const MAX: usize = 96;
    let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
    let chars: Vec<char> = bare.chars().collect();
    if chars.len() <= MAX {
        return bare.to_owned();
    }
    let head: String = chars[..MAX * 2 / 3].iter().collect();
    let tail: String = chars[chars.len() - MAX / 3 + 1..].iter().collect();
    format!("{head}…{tail}")
}

/// Cuts text to `max` characters, marking the cut.
pub fn clip(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers() {
        assert_eq!(duration(850.4), "850 ms");
        assert_eq!(duration(0.84), "0.8 ms");
        assert_eq!(duration(9.96), "10 ms");
        assert_eq!(duration(1250.0), "1.25 s");
        assert_eq!(duration(12_345.0), "12.3 s");
        assert_eq!(duration(9_000_000.0), "2.5 h");
        assert_eq!(duration(259_200_000.0), "3.0 days");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1_572_864), "1.50 MiB");
        assert_eq!(round_ms(12.345_67), 12.3);
    }

    #[test]
    fn urls_are_shortened_in_the_middle() {
        assert_eq!(short_url("https://a.example/x"), "a.example/x");
        let long = format!("https://a.example/{}", "x".repeat(200));
        let s = short_url(&long);
        assert_eq!(s.chars().count(), 96);
        assert!(s.contains('…'));
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(clip("hé", 2), "hé");
    }
}
