//! Finding where a JSON string ends, 64 bytes at a time.
//!
//! Response bodies are most of a capture's bytes and are skipped unread, so the speed of the
//! whole reader is the speed of this scan. It classifies a 64-byte block into bitmasks of
//! quotes and backslashes (SSE2 on x86-64, SIMD128 in WebAssembly, a portable loop elsewhere),
//! works out which characters are escaped with carry-propagating arithmetic (the technique
//! simdjson published), and stops at the first quote that is not escaped.

/// Where a string ends, and what its content holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringEnd {
    /// Index of the closing quote.
    pub end: usize,
    /// The content holds a backslash, so it must be unescaped to be read.
    pub escaped: bool,
    /// The content is all ASCII, so it is valid UTF-8 without checking.
    pub ascii: bool,
}

/// Where the string whose content starts at `start` ends. `None` when the input ends first.
pub fn string_end(buf: &[u8], start: usize) -> Option<StringEnd> {
    let mut i = start;
    let mut next_escaped = 0u64;
    let mut any_backslash = false;
    let mut any_high = false;
    while i + 64 <= buf.len() {
        let Masks {
            quotes,
            backslashes,
            high,
        } = masks(&buf[i..i + 64]);
        let real_quotes = if backslashes == 0 && next_escaped == 0 {
            quotes
        } else {
            quotes & !escaped_chars(backslashes, &mut next_escaped)
        };
        if real_quotes != 0 {
            let bit = real_quotes.trailing_zeros();
            let before = (1u64 << bit) - 1;
            return Some(StringEnd {
                end: i + bit as usize,
                escaped: any_backslash || backslashes & before != 0,
                ascii: !any_high && high & before == 0,
            });
        }
        any_backslash |= backslashes != 0;
        any_high |= high != 0;
        i += 64;
    }
    string_end_scalar(buf, i, next_escaped != 0, any_backslash, any_high)
}

/// The byte-by-byte scan, for the tail of the input and as the reference in tests.
fn string_end_scalar(
    buf: &[u8],
    mut i: usize,
    first_escaped: bool,
    mut escaped: bool,
    mut high: bool,
) -> Option<StringEnd> {
    if first_escaped {
        high |= buf.get(i).is_some_and(|b| *b >= 0x80);
        i += 1;
    }
    while i < buf.len() {
        match buf[i] {
            b'\\' => {
                escaped = true;
                high |= buf.get(i + 1).is_some_and(|b| *b >= 0x80);
                i += 2;
            }
            b'"' => {
                return Some(StringEnd {
                    end: i,
                    escaped,
                    ascii: !high,
                })
            }
            b => {
                high |= b >= 0x80;
                i += 1;
            }
        }
    }
    None
}

/// A 64-byte block's quotes, backslashes and bytes with the high bit set, one bit per byte.
struct Masks {
    quotes: u64,
    backslashes: u64,
    high: u64,
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
fn masks(block: &[u8]) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    assert!(block.len() >= 64);
    let mut m = Masks {
        quotes: 0,
        backslashes: 0,
        high: 0,
    };
    // SAFETY: SSE2 is part of the x86-64 baseline; each unaligned 16-byte load reads inside
    // `block`, whose length was checked above.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let q = _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) as u16 as u64;
            let b = _mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) as u16 as u64;
            let h = _mm_movemask_epi8(v) as u16 as u64;
            m.quotes |= q << (16 * k);
            m.backslashes |= b << (16 * k);
            m.high |= h << (16 * k);
        }
    }
    m
}

/// Bitmasks of `"` and `\` in a 64-byte block, with WebAssembly's 128-bit SIMD.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn masks(block: &[u8]) -> Masks {
    use std::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load};
    assert!(block.len() >= 64);
    let quote = u8x16_splat(b'"');
    let backslash = u8x16_splat(b'\\');
    let mut m = Masks {
        quotes: 0,
        backslashes: 0,
        high: 0,
    };
    for k in 0..4 {
        // SAFETY: each unaligned 16-byte load reads inside `block`, whose length was checked
        // above; `v128_load` has no alignment requirement.
        let v = unsafe { v128_load(block.as_ptr().add(16 * k).cast::<v128>()) };
        m.quotes |= u64::from(u8x16_bitmask(u8x16_eq(v, quote))) << (16 * k);
        m.backslashes |= u64::from(u8x16_bitmask(u8x16_eq(v, backslash))) << (16 * k);
        m.high |= u64::from(u8x16_bitmask(v)) << (16 * k);
    }
    m
}

/// The portable version, for targets without either SIMD path.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
fn masks(block: &[u8]) -> Masks {
    masks_portable(block)
}

#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
fn masks_portable(block: &[u8]) -> Masks {
    let mut m = Masks {
        quotes: 0,
        backslashes: 0,
        high: 0,
    };
    for (i, &c) in block[..64].iter().enumerate() {
        m.quotes |= u64::from(c == b'"') << i;
        m.backslashes |= u64::from(c == b'\\') << i;
        m.high |= u64::from(c >= 0x80) << i;
    }
    m
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
        let alphabet = [b'\\', b'\\', b'"', b'a', b'b', b'\\', 0xc3];
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
                string_end_scalar(&buf, start, false, false, false),
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
                    string_end_scalar(&buf, 0, false, false, false),
                    "run {run} offset {offset}"
                );
            }
        }
    }

    #[test]
    fn simd_masks_equal_the_portable_ones() {
        let mut rng = Rng(0xfeed_beef_1234_5678);
        for _ in 0..5_000 {
            let block: Vec<u8> = (0..64)
                .map(|_| [b'"', b'\\', b'a', 0xff, b'\n'][(rng.next() % 5) as usize])
                .collect();
            let (a, b) = (masks(&block), masks_portable(&block));
            assert_eq!(
                (a.quotes, a.backslashes, a.high),
                (b.quotes, b.backslashes, b.high)
            );
        }
    }

    #[test]
    fn plain_and_unterminated_strings() {
        let end = |buf: &[u8]| string_end(buf, 0).map(|e| (e.end, e.escaped, e.ascii));
        let long = format!("{}\"rest", "z".repeat(1000));
        assert_eq!(end(long.as_bytes()), Some((1000, false, true)));
        let accented = format!("{}é\"", "z".repeat(100));
        assert_eq!(end(accented.as_bytes()), Some((102, false, false)));
        let after = format!("{}\"é{}", "z".repeat(10), "y".repeat(100));
        assert_eq!(end(after.as_bytes()), Some((10, false, true)));
        assert_eq!(end(b"abc"), None);
        assert_eq!(end(br#"a\"b"#), None);
        assert_eq!(end(br#"a\\"b"#), Some((3, true, true)));
    }
}
