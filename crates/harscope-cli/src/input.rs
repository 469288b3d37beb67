//! Reading a capture from a file or stdin, with a progress bar for big files on a terminal.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

use harscope_core::har;
use harscope_core::link::SharedReport;
use harscope_core::redact::Redactions;
use harscope_core::sanitize::{sanitize, SanitizeError, SanitizeOptions};
use harscope_core::{
    analyze_and_share, analyze_any, AnalyzeError, AnyReport, Expect, Options, Report,
};
use indicatif::{ProgressBar, ProgressStyle};

/// Files smaller than this are read before a progress bar would even show.
const PROGRESS_MIN_BYTES: u64 = 32 * 1024 * 1024;

/// Why a capture could not be analyzed, naming the file.
#[derive(Debug)]
pub struct InputError {
    file: String,
    what: Problem,
}

#[derive(Debug)]
enum Problem {
    Io(io::Error),
    Directory,
    Parse(AnalyzeError),
    /// `--link` on a React profile.
    ProfileLink,
    /// `sanitize` on a React profile.
    ProfileSanitize,
    Sanitize(SanitizeError),
    /// Gzip that would not decompress, or decompressed past the bound.
    Gunzip(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.what {
            Problem::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                write!(f, "{}: no such file", self.file)
            }
            Problem::Io(e) => write!(f, "{}: cannot read it: {e}", self.file),
            Problem::Directory => write!(
                f,
                "{}: is a directory; expected a HAR file (try {}/*.har)",
                self.file,
                self.file.trim_end_matches('/')
            ),
            // ParseError's Display starts with `line:column:` when it has a position.
            Problem::Parse(e) if e.position().is_some() => write!(f, "{}:{e}", self.file),
            Problem::Parse(e) => write!(f, "{}: {e}", self.file),
            Problem::ProfileLink => write!(
                f,
                "{}: is a React profile; report links are made for HAR captures",
                self.file
            ),
            Problem::ProfileSanitize => write!(
                f,
                "{}: is a React profile; it holds component names and timings, no secrets to redact",
                self.file
            ),
            Problem::Gunzip(why) => write!(f, "{}: {why}", self.file),
            Problem::Sanitize(e) if e.position().is_some() => write!(f, "{}:{e}", self.file),
            Problem::Sanitize(e) => write!(f, "{}: {e}", self.file),
        }
    }
}

/// A capture's bytes: mapped from a file, or read into memory (stdin, pipes).
enum Bytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Read(v) => v,
        }
    }
}

/// Reads one input; `-` is standard input. Returns the name to show and the bytes.
fn read(path: &Path) -> Result<(String, Bytes), InputError> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let fail = |what| InputError {
        file: name.clone(),
        what,
    };
    let bytes = if stdin {
        read_stream(&mut io::stdin().lock()).map_err(fail)?
    } else {
        open(path).map_err(fail)?
    };
    let bytes = if bytes.starts_with(&GZIP_MAGIC) {
        Bytes::Read(gunzip(&bytes).map_err(fail)?)
    } else {
        bytes
    };
    // UTF-16 (as PowerShell saves text) is read as the UTF-8 it stands for.
    if let Some(utf8) = har::utf16::to_utf8(&bytes) {
        return Ok((name, Bytes::Read(utf8)));
    }
    Ok((name, bytes))
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decompressed captures are held in memory: this bounds what a small file can ask for.
/// Captures compress 5 to 30 times; a gzip bomb, a thousand.
const GUNZIP_RATIO: u64 = 64;
const GUNZIP_MIN: u64 = 256 << 20;

/// A gzip-compressed capture (`.har.gz`, as WebPageTest and many CI systems store them),
/// decompressed: at most [`GUNZIP_RATIO`] times its size (or [`GUNZIP_MIN`]).
fn gunzip(compressed: &[u8]) -> Result<Vec<u8>, Problem> {
    let bound = (compressed.len() as u64)
        .saturating_mul(GUNZIP_RATIO)
        .max(GUNZIP_MIN);
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(compressed)
        .take(bound + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            Problem::Gunzip(format!(
                "the file is gzip-compressed and could not be decompressed (is it damaged or cut short?): {e}"
            ))
        })?;
    if out.len() as u64 > bound {
        return Err(Problem::Gunzip(format!(
            "the file is gzip-compressed and decompresses to more than {} MiB, the most harscope holds in memory for a compressed file this size: if it is a capture, decompress it yourself (e.g. `gunzip -k FILE`) and analyze the .har, which is read without holding it",
            bound >> 20
        )));
    }
    Ok(out)
}

/// Runs `work` on the input with a progress bar for big files on a terminal.
fn with_progress<T>(
    name: &str,
    bytes: &[u8],
    show_progress: bool,
    work: impl FnOnce(&mut dyn FnMut(usize)) -> T,
) -> T {
    let bar = (show_progress && bytes.len() as u64 >= PROGRESS_MIN_BYTES)
        .then(|| progress_bar(name, bytes.len() as u64));
    let mut report_progress = |done: usize| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    };
    let result = work(&mut report_progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// Reads and analyzes one capture or profile; `-` is standard input.
pub fn analyze_path(
    path: &Path,
    options: &Options,
    expect: Expect,
    show_progress: bool,
) -> Result<AnyReport, InputError> {
    let (name, bytes) = read(path)?;
    with_progress(&name, &bytes, show_progress, |progress| {
        analyze_any(&bytes, Some(&name), options, expect, progress)
    })
    .map_err(|e| InputError {
        file: name.clone(),
        what: Problem::Parse(e),
    })
}

/// Reads and analyzes one capture, and prepares its report link.
pub fn share_path(
    path: &Path,
    options: &Options,
    show_progress: bool,
) -> Result<(Report, SharedReport), InputError> {
    let (name, bytes) = read(path)?;
    let fail = |what| InputError {
        file: name.clone(),
        what,
    };
    if harscope_core::profile::detect(&bytes) == harscope_core::profile::Kind::Profile {
        return Err(fail(Problem::ProfileLink));
    }
    with_progress(&name, &bytes, show_progress, |progress| {
        analyze_and_share(&bytes, Some(&name), options, progress)
    })
    .map_err(|e| fail(Problem::Parse(e.into())))
}

/// Sanitizes one capture into `out` (see `harscope sanitize`).
pub fn sanitize_path(
    path: &Path,
    options: &SanitizeOptions,
    out: &mut dyn std::io::Write,
) -> Result<Redactions, InputError> {
    let (name, bytes) = read(path)?;
    let fail = |what| InputError {
        file: name.clone(),
        what,
    };
    if harscope_core::profile::detect(&bytes) == harscope_core::profile::Kind::Profile {
        return Err(fail(Problem::ProfileSanitize));
    }
    sanitize(&bytes, options, out).map_err(|e| fail(Problem::Sanitize(e)))
}

/// Reading happens as the mapped file is parsed, so the bar follows the parser.
fn progress_bar(name: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template(
            "reading {msg} {bar:30} {bytes}/{total_bytes} ({bytes_per_sec})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(name.to_owned());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn open(path: &Path) -> Result<Bytes, Problem> {
    let file = File::open(path).map_err(Problem::Io)?;
    let meta = file.metadata().map_err(Problem::Io)?;
    if meta.is_dir() {
        return Err(Problem::Directory);
    }
    if meta.is_file() && meta.len() > 0 {
        // Mapping skips copying the whole file into the heap: the page cache is read in place.
        // SAFETY: the map is only read, and dropped before this function's caller returns. If
        // another process truncates the file meanwhile, reads past the new end fault, as they
        // would for any tool that maps its input (ripgrep, for one); that is accepted.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(Bytes::Mapped(map));
        }
    }
    // Pipes, special files and empty files are read the ordinary way.
    read_stream(&mut &file)
}

/// Reads a stream to its end, held in memory; one that starts with what no capture starts
/// with (`/dev/zero`, `/dev/urandom`, an archive) is refused at its first kilobyte instead
/// of filling the memory.
fn read_stream(stream: &mut dyn Read) -> Result<Bytes, Problem> {
    let mut buf = Vec::new();
    stream
        .take(har::SNIFF_LEN as u64)
        .read_to_end(&mut buf)
        .map_err(Problem::Io)?;
    // A UTF-16 stream is checked as the text it stands for (its last unit may be cut); a
    // gzip one is read, and told apart, by what `read` does with it.
    let utf8;
    let head = match har::utf16::to_utf8(&buf[..buf.len() & !1]) {
        Some(text) => {
            utf8 = text;
            &utf8[..]
        }
        None => &buf[..],
    };
    if !buf.starts_with(&GZIP_MAGIC) {
        if let Err(e) = har::sniff_start(head) {
            return Err(Problem::Parse(e.into()));
        }
    }
    stream.read_to_end(&mut buf).map_err(Problem::Io)?;
    Ok(Bytes::Read(buf))
}
