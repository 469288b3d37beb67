//! Reader errors, with the byte offset they happened at.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// The input ended in the middle of a value.
    Eof,
    /// Not JSON.
    Syntax,
    /// JSON, but not the shape the model expects.
    Data,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub category: Category,
    pub message: String,
    /// Byte offset in the input; filled in where the error surfaces if the visitor that raised
    /// it could not know it.
    pub offset: Option<usize>,
}

impl Error {
    pub(crate) fn at(category: Category, message: impl Into<String>, offset: usize) -> Self {
        Error {
            category,
            message: message.into(),
            offset: Some(offset),
        }
    }

    /// 1-based line and column (in bytes) of the error in `input`.
    pub fn line_column(&self, input: &[u8]) -> (usize, usize) {
        let offset = self.offset.unwrap_or(0).min(input.len());
        let before = &input[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        (line, offset - line_start + 1)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            category: Category::Data,
            message: msg.to_string(),
            offset: None,
        }
    }
}
