//! `harscope sanitize`: the capture itself, redacted, written next to it or to stdout.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use harscope_core::sanitize::{Bodies, SanitizeOptions};

use crate::args::Sanitize;
use crate::input::sanitize_path;
use crate::EXIT_BAD_INPUT;

pub fn run(a: &Sanitize) -> ExitCode {
    let options = SanitizeOptions {
        bodies: a.bodies.into(),
    };
    let stdin = a.input.as_os_str() == "-";
    let output = match &a.output {
        Some(o) => o.clone(),
        None if stdin => PathBuf::from("-"),
        None => default_output(&a.input),
    };
    let shown_in = if stdin {
        "<stdin>".to_owned()
    } else {
        a.input.display().to_string()
    };
    let counts = if output.as_os_str() == "-" {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let result = sanitize_path(&a.input, &options, &mut out);
        match result.map(|c| out.flush().map(|_| c)) {
            Ok(Ok(c)) => c,
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Ok(Err(e)) => return fail(&format!("standard output: {e}")),
            Err(e) => return fail(&e.to_string()),
        }
    } else {
        if !stdin && same_file(&a.input, &output) {
            return fail(&format!(
                "{}: is the input itself; write the sanitized capture to another file",
                output.display()
            ));
        }
        match write_file(&a.input, &output, &options) {
            Ok(c) => c,
            Err(e) => return fail(&e),
        }
    };
    let shown_out = if output.as_os_str() == "-" {
        "<stdout>".to_owned()
    } else {
        output.display().to_string()
    };
    let redacted = counts.describe();
    let kept = match options.bodies {
        Bodies::None => "no bodies kept",
        Bodies::Errors => "bodies of failed requests kept (redacted)",
        Bodies::All => "all bodies kept (redacted)",
    };
    eprintln!(
        "{shown_in} -> {shown_out}: {}; {kept}",
        if redacted.is_empty() {
            "nothing needed redacting".to_owned()
        } else {
            format!("redacted {}", redacted.join(", "))
        }
    );
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("harscope: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// `checkout.har` -> `checkout.sanitized.har`, beside it.
fn default_output(input: &Path) -> PathBuf {
    let name = input.file_name().unwrap_or_default().to_string_lossy();
    input.with_file_name(harscope_core::sanitize::sanitized_name(&name))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes beside the destination and renames, so a failure never leaves half a capture
/// under the name asked for.
fn write_file(
    input: &Path,
    output: &Path,
    options: &SanitizeOptions,
) -> Result<harscope_core::redact::Redactions, String> {
    let name = output.file_name().unwrap_or_default().to_string_lossy();
    let partial = output.with_file_name(format!(".{name}.partial"));
    let file = File::create(&partial)
        .map_err(|e| format!("{}: cannot write it: {e}", output.display()))?;
    let mut out = BufWriter::new(file);
    let result = sanitize_path(input, options, &mut out)
        .map_err(|e| e.to_string())
        .and_then(|c| {
            out.flush()
                .map_err(|e| format!("{}: cannot write it: {e}", output.display()))?;
            Ok(c)
        });
    drop(out);
    match result {
        Ok(c) => {
            std::fs::rename(&partial, output).map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                format!("{}: cannot write it: {e}", output.display())
            })?;
            Ok(c)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}
