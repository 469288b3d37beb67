//! Why a capture could not be read, with the position and what was expected.

use crate::json::{self, Category};

/// A capture that could not be read. `Display` gives one line: `LINE:COLUMN: what went wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the file is empty: expected a HAR document (JSON with a `log` object)")]
    Empty,
    #[error("the file is gzip-compressed: decompress it first (e.g. `gunzip -k FILE`), then analyze the .har")]
    Gzip,
    #[error("the file is UTF-16 text: harscope reads HAR files as UTF-8 (re-save or convert it with `iconv -f UTF-16 -t UTF-8`)")]
    Utf16,
    #[error("the file is a zip archive: extract the .har from it first (e.g. `unzip FILE`)")]
    Zip,
    #[error("the file is zstd-compressed: decompress it first (e.g. `zstd -d FILE`), then analyze the .har")]
    Zstd,
    #[error("the file is binary data, not JSON text (it starts with bytes {0}): expected a HAR document")]
    Binary(String),
    #[error("{line}:{column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
}

impl ParseError {
    /// Line and column (1-based) of the problem, when there is one.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            ParseError::Json { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// Builds the message from the reader's error and, for a data error, the JSON path
    /// (`log.entries[3].response.status`) where it happened.
    /// `what` names the kind of document expected ("HAR", "React profile").
    pub(crate) fn from_json(
        input: &[u8],
        err: &json::Error,
        path: Option<String>,
        what: &str,
    ) -> Self {
        // serde speaks of maps and sequences; JSON and its users, of objects and arrays.
        let detail = err
            .message
            .replace("a sequence", "an array")
            .replace("type: sequence", "type: array")
            .replace("type: map", "type: object");
        let detail = detail.as_str();
        let message = match err.category {
            Category::Eof => format!(
                "the file ends in the middle of the JSON ({detail}): it looks truncated; export it again"
            ),
            Category::Syntax => format!("invalid JSON: {detail}"),
            Category::Data if detail == "missing field `log`" => {
                "not a HAR file: expected a JSON object with a `log` member".to_owned()
            }
            Category::Data => match path.filter(|p| !p.is_empty() && p != ".") {
                Some(p) => format!("not a valid {what}: {detail} (at `{p}`)"),
                None => format!("not a valid {what}: {detail}"),
            },
        };
        let (line, column) = err.line_column(input);
        ParseError::Json {
            line,
            column,
            message,
        }
    }
}
