//! The terminal report: a header per capture, one block per page, findings by severity.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::{counts, page_name, page_numbers, source_line};
use crate::fmt::{bytes, duration, short_url};
use crate::report::{Finding, Report, Severity};

/// Width advice lines are wrapped to.
const WIDTH: usize = 100;

fn paint(style: Style, s: &str, color: bool) -> String {
    if color {
        format!("{}{s}{}", style.render(), style.render_reset())
    } else {
        s.to_owned()
    }
}

pub(super) fn bold(s: &str, color: bool) -> String {
    paint(Style::new().bold(), s, color)
}

/// Renders a report for a terminal; `color` adds ANSI styles.
pub fn text(report: &Report, color: bool) -> String {
    let dim = Style::new().dimmed();
    let mut out = String::new();
    let name = report.source.file.as_deref().unwrap_or("(stdin)");
    let _ = writeln!(out, "{}", bold(&format!("harscope · {name}"), color));
    let _ = writeln!(out, "  {}", source_line(&report.source));
    for page in &report.summary {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", bold(&format!("Page {}", page_name(page)), color));
        let _ = writeln!(out, "  {}", page_numbers(page));
        let mut extremes = Vec::new();
        if let Some(s) = &page.slowest {
            extremes.push(format!(
                "slowest {} {}",
                duration(s.value),
                short_url(&s.url)
            ));
        }
        if let Some(l) = &page.largest {
            extremes.push(format!(
                "largest {} {}",
                bytes(l.value as u64),
                short_url(&l.url)
            ));
        }
        if !extremes.is_empty() {
            let _ = writeln!(out, "  {}", paint(dim, &extremes.join(" · "), color));
        }
    }
    let _ = writeln!(out);
    out.push_str(&findings_text(&report.findings, &counts(report), color));
    out
}

/// The findings block: a count line, then each finding with its advice and URL.
pub(super) fn findings_text(findings: &[Finding], counts: &str, color: bool) -> String {
    let mut out = String::new();
    let dim = Style::new().dimmed();
    let _ = writeln!(out, "{}", bold(&format!("Findings: {counts}"), color));
    for f in findings {
        let (label, style) = match f.severity {
            Severity::Error => (
                "ERROR",
                Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            ),
            Severity::Warning => (
                "WARN ",
                Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
            ),
            Severity::Info => ("INFO ", Style::new().fg_color(Some(AnsiColor::Blue.into()))),
        };
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {} {}",
            paint(style, label, color),
            bold(&f.rule, color),
            one_line(&f.message)
        );
        let indent = "      ";
        for line in wrap(&format!("→ {}", one_line(&f.advice)), WIDTH - indent.len()) {
            let _ = writeln!(out, "{indent}{line}");
        }
        if let Some(url) = &f.url {
            let _ = writeln!(out, "{indent}{}", paint(dim, &one_line(url), color));
        }
    }
    out
}

/// Capture text may hold newlines and control characters; a report line must not.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str("  ");
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{one_line, wrap};

    #[test]
    fn wraps_on_words_and_strips_control_characters() {
        let lines = wrap("aaa bbb ccc ddd", 8);
        assert_eq!(lines, vec!["aaa bbb", "  ccc", "  ddd"]);
        assert_eq!(one_line("a\nb\x1b[31m"), "a b [31m");
    }
}
