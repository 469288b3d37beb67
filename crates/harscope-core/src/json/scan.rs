//! Finding where a JSON string ends, 64 bytes at a time.
//!
//! Response bodies are most of a capture's bytes and are skipped unread, so the speed of the
//! whole reader is the speed of this scan. It classifies a 64-byte block into bitmasks of
//! quotes and backslashes (SSE2 on x86-64, a portable loop elsewhere), works out which
//! characters are escaped with carry-propagating arithmetic (the technique simdjson
//! published), and stops at the first quote that is not escaped.

/// Where the string whose content starts at `start` ends: the index of its closing quote, and
/// whether the content holds a backslash (so it must be unescaped to be read). `None` when the
/// input ends first.
pub fn string_end(buf: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut i = start;
    let mut next_escaped = 0u64;
    let mut any_backslash = false;
    while i + 64 <= buf.len() {
        let (quotes, backslashes) = masks(&buf[i..i + 64]);
        if backslashes == 0 && next_escaped == 0 {
            if quotes != 0 {
                return Some((i + quotes.trailing_zeros() as usize, any_backslash));
            }
            i += 64;
            continue;
        }
        let escaped = escaped_chars(backslashes, &mut next_escaped);
        let real_quotes = quotes & !escaped;
        if real_quotes != 0 {
            let bit = real_quotes.trailing_zeros();
            any_backslash |= backslashes & ((1u64 << bit) - 1) != 0;
            return Some((i + bit as usize, any_backslash));
        }
        any_backslash |= backslashes != 0;
        i += 64;
    }
    string_end_scalar(buf, i, next_escaped != 0, any_backslash)
}

/// The byte-by-byte scan, for the tail of the input and as the reference in tests.
fn string_end_scalar(
    buf: &[u8],
    mut i: usize,
    first_escaped: bool,
    mut any_backslash: bool,
) -> Option<(usize, bool)> {
    if first_escaped {
        i += 1;
    }
    while i < buf.len() {
        match buf[i] {
            b'\\' => {
                any_backslash = true;
                i += 2;
            }
            b'"' => return Some((i, any_backslash)),
            _ => i += 1,
        }
    }
    None
}

/// Bit `n` of the result is set when character `n` of the block is escaped (preceded by an
/// odd run of backslashes). `next_escaped` carries a run that crosses into the next block.
fn escaped_chars(backslashes: u64, next_escaped: &mut u64) -> u64 {
    const ODD_BITS: u64 = 0xAAAA_AAAA_AAAA_AAAA;
    if backslashes == 0 {
        return std::mem::take(next_escaped);
    }
    // A backslash that is itself escaped does not escape what follows it.
    let potential = backslashes & !*next_escaped;
    // Subtracting each run of backslashes from the odd bits carries across the run, which
    // marks where runs of odd length end.
    let maybe_escaped = potential << 1;
    let escape_and_terminal = (maybe_escaped | ODD_BITS).wrapping_sub(potential) ^ ODD_BITS;
    let escaped = escape_and_terminal ^ (backslashes | *next_escaped);
    let escape = escape_and_terminal & backslashes;
    *next_escaped = escape >> 63;
    escaped
}

/// Bitmasks of `"` and `\` in a 64-byte block.
#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8]) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    assert!(block.len() >= 64);
    let mut quotes = 0u64;
    let mut backslashes = 0u64;
    // SAFETY: SSE2 is part of the x86-64 baseline; each unaligned 16-byte load reads inside
    // `block`, whose length was checked above.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let q = _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) as u16 as u64;
            let b = _mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) as u16 as u64;
            quotes |= q << (16 * k);
            backslashes |= b << (16 * k);
        }
    }
    (quotes, backslashes)
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8]) -> (u64, u64) {
    let mut quotes = 0u64;
    let mut backslashes = 0u64;
    for (i, &c) in block[..64].iter().enumerate() {
        quotes |= u64::from(c == b'"') << i;
        backslashes |= u64::from(c == b'\\') << i;
    }
    (quotes, backslashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator, so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn agrees_with_the_byte_scan_on_dense_escapes() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let alphabet = [b'\\', b'\\', b'"', b'a', b'b', b'\\'];
        for round in 0..20_000 {
            let len = (rng.next() % 300) as usize;
            let buf: Vec<u8> = (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect();
            let start = if len > 0 {
                (rng.next() as usize) % len
            } else {
                0
            };
            assert_eq!(
                string_end(&buf, start),
                string_end_scalar(&buf, start, false, false),
                "round {round}: {:?} from {start}",
                String::from_utf8_lossy(&buf)
            );
        }
    }

    #[test]
    fn runs_of_backslashes_across_block_edges() {
        for run in 0..140 {
            for offset in 0..70 {
                let mut buf = vec![b'x'; offset];
                buf.extend(std::iter::repeat_n(b'\\', run));
                buf.extend_from_slice(b"\"tail\"");
                buf.extend(std::iter::repeat_n(b'y', 80));
                assert_eq!(
                    string_end(&buf, 0),
                    string_end_scalar(&buf, 0, false, false),
                    "run {run} offset {offset}"
                );
            }
        }
    }

    #[test]
    fn plain_and_unterminated_strings() {
        let long = format!("{}\"rest", "z".repeat(1000));
        assert_eq!(string_end(long.as_bytes(), 0), Some((1000, false)));
        assert_eq!(string_end(b"abc", 0), None);
        assert_eq!(string_end(br#"a\"b"#, 0), None);
        assert_eq!(string_end(br#"a\\"b"#, 0), Some((3, true)));
    }
}
