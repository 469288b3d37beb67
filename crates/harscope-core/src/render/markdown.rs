//! The Markdown report, to paste into an incident ticket. Every string from the capture is
//! escaped, so a URL or server message cannot turn into markup or link syntax (renderers that
//! turn bare URLs into links still do so for the capture's URLs).

use std::fmt::Write as _;

use super::{counts, page_name, page_numbers, source_line};
use crate::fmt::short_url;
use crate::report::{Finding, Report, Severity};

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let name = report.source.file.as_deref().unwrap_or("(stdin)");
    let _ = writeln!(out, "## harscope report: {}\n", code(name));
    let _ = writeln!(out, "{}\n", escape(&source_line(&report.source)));
    let _ = writeln!(out, "| Page | Summary |");
    let _ = writeln!(out, "|---|---|");
    for page in &report.summary {
        let _ = writeln!(
            out,
            "| {} | {} |",
            escape(&page_name(page)),
            escape(&page_numbers(page))
        );
    }
    let _ = writeln!(out);
    out.push_str(&findings_markdown(&report.findings, &counts(report)));
    out
}

/// The findings: a table, then one section each with its advice and evidence.
pub(super) fn findings_markdown(findings: &[Finding], counts: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Findings: {counts}\n");
    if findings.is_empty() {
        return out;
    }
    let _ = writeln!(out, "| # | Severity | Rule | Subject |");
    let _ = writeln!(out, "|---|---|---|---|");
    for (i, f) in findings.iter().enumerate() {
        let subject = match (&f.url, &f.page) {
            (Some(u), _) => code(&short_url(u)),
            (None, Some(p)) => escape(p),
            (None, None) => "page".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} |",
            i + 1,
            badge(f.severity),
            f.rule,
            subject
        );
    }
    for (i, f) in findings.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n#### {}. {} `{}`\n",
            i + 1,
            badge(f.severity),
            f.rule
        );
        let _ = writeln!(out, "{}\n", escape(&f.message));
        let _ = writeln!(out, "**What to do:** {}\n", escape(&f.advice));
        if let Some(url) = &f.url {
            let _ = writeln!(out, "URL: {}\n", code(url));
        }
        let evidence = serde_json::to_string_pretty(&f.evidence).unwrap_or_default();
        let fence = "`".repeat(longest_backtick_run(&evidence).max(2) + 1);
        let _ = writeln!(
            out,
            "<details><summary>Evidence</summary>\n\n{fence}json\n{evidence}\n{fence}\n\n</details>"
        );
    }
    out
}

fn badge(s: Severity) -> &'static str {
    match s {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟠 warning",
        Severity::Info => "🔵 info",
    }
}

/// Escapes text for Markdown prose and table cells.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that holds any text safely (table pipes included).
pub(super) fn code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let ticks = "`".repeat(longest_backtick_run(&clean) + 1);
    // A space keeps a backtick at either end from merging with the fence.
    if clean.starts_with('`') || clean.ends_with('`') {
        format!("{ticks} {clean} {ticks}")
    } else {
        format!("{ticks}{clean}{ticks}")
    }
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{code, escape};

    #[test]
    fn capture_text_cannot_become_markup() {
        assert_eq!(
            escape("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(escape("[click](javascript:x)"), "\\[click\\](javascript:x)");
        assert_eq!(escape("a|b\nc"), "a\\|b c");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }
}
