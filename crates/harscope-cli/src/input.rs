//! Reading a capture from a file or stdin, with a progress bar for big files on a terminal.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

use harscope_core::{analyze_bytes, Options, ParseError, Report};
use indicatif::{ProgressBar, ProgressStyle};

/// Files smaller than this are read before a progress bar would even show.
const PROGRESS_MIN_BYTES: u64 = 32 * 1024 * 1024;
const CHUNK: usize = 8 * 1024 * 1024;

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
    Parse(ParseError),
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
        }
    }
}

/// Reads and analyzes one capture; `-` is standard input.
pub fn analyze_path(
    path: &Path,
    options: &Options,
    show_progress: bool,
) -> Result<Report, InputError> {
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
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| fail(Problem::Io(e)))?;
        buf
    } else {
        read_file(path, show_progress).map_err(fail)?
    };
    let spinner = (show_progress && bytes.len() as u64 >= PROGRESS_MIN_BYTES).then(|| {
        let s = ProgressBar::new_spinner().with_message(format!("analyzing {name}"));
        s.enable_steady_tick(Duration::from_millis(100));
        s
    });
    let result = analyze_bytes(&bytes, Some(&name), options);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    result.map_err(|e| fail(Problem::Parse(e)))
}

fn read_file(path: &Path, show_progress: bool) -> Result<Vec<u8>, Problem> {
    let mut file = File::open(path).map_err(Problem::Io)?;
    let meta = file.metadata().map_err(Problem::Io)?;
    if meta.is_dir() {
        return Err(Problem::Directory);
    }
    let size = meta.len();
    // Exactly the file's size, so peak memory stays close to it.
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    if !show_progress || size < PROGRESS_MIN_BYTES {
        file.read_to_end(&mut buf).map_err(Problem::Io)?;
        return Ok(buf);
    }
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template(
            "reading {msg} {bar:30} {bytes}/{total_bytes} ({bytes_per_sec})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(path.display().to_string());
    loop {
        let before = buf.len();
        let n = (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(Problem::Io)?;
        bar.inc((buf.len() - before) as u64);
        if n == 0 {
            break;
        }
    }
    bar.finish_and_clear();
    Ok(buf)
}
