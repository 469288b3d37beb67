//! Writes a deterministic, Chrome-like HAR of a given size, bodies included.
//!
//! `gen-har --size 200MB --out big.har [--seed 7]`. The same size and seed always give the
//! same bytes, so benchmark runs compare like with like. Entries look like a DevTools export:
//! pages with timings, 10 to 25 headers per side, `_initiator` stacks, `_resourceType`,
//! `_priority`, `_transferSize`; JSON, HTML, script and base64 image bodies; a few failures.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

/// A small deterministic generator (xorshift64*): no dependency, same numbers everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const HOSTS: [&str; 6] = [
    "shop.example",
    "api.shop.example",
    "cdn.shop.example",
    "static.analytics.example",
    "fonts.example",
    "img.shop.example",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut size: u64 = 200_000_000;
    let mut out: Option<String> = None;
    let mut seed: u64 = 7;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--size" => size = parse_size(&value).unwrap_or(size),
            "--out" => out = Some(value),
            "--seed" => seed = value.parse().unwrap_or(seed),
            _ => {
                eprintln!("usage: gen-har --size 200MB --out FILE [--seed N]");
                return ExitCode::from(2);
            }
        }
        i += 2;
    }
    let Some(out) = out else {
        eprintln!("usage: gen-har --size 200MB --out FILE [--seed N]");
        return ExitCode::from(2);
    };
    match write_har(&out, size, seed) {
        Ok(n) => {
            eprintln!("wrote {out}: {size} bytes target, {n} entries");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-har: {out}: {e}");
            ExitCode::from(1)
        }
    }
}

fn parse_size(s: &str) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    let (num, factor) = if let Some(n) = lower.strip_suffix("mb") {
        (n, 1_000_000)
    } else if let Some(n) = lower.strip_suffix("kb") {
        (n, 1_000)
    } else if let Some(n) = lower.strip_suffix("gb") {
        (n, 1_000_000_000)
    } else {
        (lower.as_str(), 1)
    };
    Some(num.trim().parse::<u64>().ok()? * factor)
}

/// A JSON string literal.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn iso(ms: u64) -> String {
    // 2026-03-01T00:00:00Z plus ms; days do not roll over within a benchmark capture.
    let (s, ms) = (ms / 1000, ms % 1000);
    format!(
        "2026-03-01T{:02}:{:02}:{:02}.{ms:03}Z",
        (s / 3600) % 24,
        (s / 60) % 60,
        s % 60
    )
}

fn write_har(path: &str, target: u64, seed: u64) -> std::io::Result<usize> {
    let mut w = CountingWriter {
        inner: BufWriter::with_capacity(1 << 20, File::create(path)?),
        written: 0,
    };
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let pages = 8;
    write!(
        w,
        "{{\"log\":{{\"version\":\"1.2\",\"creator\":{{\"name\":\"WebInspector\",\"version\":\"537.36\"}},\"pages\":["
    )?;
    for p in 0..pages {
        write!(
            w,
            "{}{{\"startedDateTime\":{},\"id\":\"page_{p}\",\"title\":\"https://shop.example/page/{p}\",\"pageTimings\":{{\"onContentLoad\":{},\"onLoad\":{}}}}}",
            if p == 0 { "" } else { "," },
            q(&iso(p * 60_000)),
            800 + rng.below(900),
            1800 + rng.below(3000)
        )?;
    }
    write!(w, "],\"entries\":[")?;
    let mut n = 0usize;
    while w.written < target.saturating_sub(300_000) {
        if n > 0 {
            write!(w, ",")?;
        }
        let page = (w.written * pages / target.max(1)).min(pages - 1);
        write_entry(&mut w, &mut rng, n, page)?;
        n += 1;
    }
    write!(w, "]}}}}")?;
    w.inner.flush()?;
    Ok(n)
}

fn write_entry(w: &mut impl Write, rng: &mut Rng, n: usize, page: u64) -> std::io::Result<()> {
    let kind = rng.pick(&[
        "fetch",
        "fetch",
        "script",
        "image",
        "stylesheet",
        "document",
        "font",
        "xhr",
    ]);
    let host = HOSTS[rng.below(HOSTS.len() as u64) as usize];
    let url = format!(
        "https://{host}/{kind}/{n}/item?id={}&lang=en",
        rng.below(100_000)
    );
    let status = match rng.below(200) {
        0 => 500,
        1 => 404,
        2 => 401,
        3 => 0,
        4 => 422,
        _ => 200,
    };
    let (mime, body, encoding) = body_for(rng, kind, status);
    let slow = rng.below(20) == 0;
    let wait = 20 + rng.below(if slow { 2_000 } else { 300 });
    let receive = rng.below(200);
    let start = page * 60_000 + n as u64 % 5_000;
    let mut req_headers = String::new();
    for i in 0..(10 + rng.below(15)) {
        if i > 0 {
            req_headers.push(',');
        }
        req_headers.push_str(&format!(
            "{{\"name\":{},\"value\":{}}}",
            q(&format!("x-header-{i}")),
            q(&format!(
                "value-{}-{}",
                rng.next() % 1_000_000,
                "lorem ipsum dolor sit amet"
            ))
        ));
    }
    let resp_headers = req_headers.replace("x-header", "x-resp");
    let error = if status == 0 {
        ",\"_error\":\"net::ERR_CONNECTION_RESET\""
    } else {
        ""
    };
    write!(
        w,
        "{{\"_initiator\":{{\"type\":\"script\",\"stack\":{{\"callFrames\":[{{\"functionName\":\"load\",\"scriptId\":\"42\",\"url\":\"https://shop.example/app.js\",\"lineNumber\":{},\"columnNumber\":{}}}]}}}},\
\"_priority\":\"High\",\"_resourceType\":{},\"cache\":{{}},\"connection\":\"{}\",\"pageref\":\"page_{page}\",\
\"request\":{{\"method\":\"GET\",\"url\":{},\"httpVersion\":\"http/2.0\",\"headers\":[{req_headers}],\"queryString\":[{{\"name\":\"lang\",\"value\":\"en\"}}],\"cookies\":[],\"headersSize\":-1,\"bodySize\":0}},\
\"response\":{{\"status\":{status},\"statusText\":\"\",\"httpVersion\":\"http/2.0\",\"headers\":[{resp_headers}],\"cookies\":[],\
\"content\":{{\"size\":{},\"mimeType\":{},\"text\":{}{}}},\"redirectURL\":\"\",\"headersSize\":-1,\"bodySize\":-1,\"_transferSize\":{}{error}}},\
\"serverIPAddress\":\"192.0.2.{}\",\"startedDateTime\":{},\"time\":{},\
\"timings\":{{\"blocked\":1.5,\"dns\":-1,\"ssl\":-1,\"connect\":-1,\"send\":0.2,\"wait\":{wait},\"receive\":{receive},\"_blocked_queueing\":1.1}}}}",
        rng.below(5000),
        rng.below(200),
        q(kind),
        rng.below(100),
        q(&url),
        body.len(),
        q(mime),
        q(&body),
        encoding,
        body.len() / 3 + 300,
        rng.below(255),
        q(&iso(start)),
        1.7 + (wait + receive) as f64,
    )
}

/// A body like the kind's, 1 KB to about 120 KB (a few much larger).
fn body_for(rng: &mut Rng, kind: &str, status: i64) -> (&'static str, String, &'static str) {
    let big = rng.below(50) == 0;
    let len = if big {
        400_000 + rng.below(800_000)
    } else {
        1_000 + rng.below(100_000)
    } as usize;
    if status >= 400 {
        return (
            "application/json",
            format!("{{\"error\":{{\"code\":{status},\"message\":\"request failed: upstream said no ({})\"}}}}", rng.next() % 1000),
            "",
        );
    }
    match kind {
        "image" | "font" => {
            const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let text: String = (0..len / 4 * 4)
                .map(|_| B64[rng.below(64) as usize] as char)
                .collect();
            ("image/png", text, ",\"encoding\":\"base64\"")
        }
        "document" => {
            let mut s =
                String::from("<!doctype html>\n<html><head><title>Shop</title></head><body>\n");
            while s.len() < len {
                s.push_str(&format!(
                    "<div class=\"item\" data-id=\"{}\">Item \"{}\" – €{}.99</div>\n",
                    rng.below(1_000_000),
                    rng.below(999),
                    rng.below(100)
                ));
            }
            ("text/html", s, "")
        }
        "script" | "stylesheet" => {
            let mut s = String::new();
            while s.len() < len {
                s.push_str(&format!(
                    "function f{}(a,b){{return \"x\\ty\"+a*{}+b;}}\n",
                    rng.below(1_000_000),
                    rng.below(100)
                ));
            }
            ("application/javascript", s, "")
        }
        _ => {
            let mut s = String::from("{\"items\":[");
            while s.len() < len {
                s.push_str(&format!(
                    "{{\"id\":{},\"name\":\"item {}\",\"tags\":[\"a\",\"b\"],\"price\":{}.5}},",
                    rng.below(1_000_000),
                    rng.below(1000),
                    rng.below(500)
                ));
            }
            s.push_str("{}]}");
            ("application/json", s, "")
        }
    }
}

struct CountingWriter<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
