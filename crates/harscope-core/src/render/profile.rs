//! The profile report as text and as Markdown.

use std::fmt::Write as _;

use super::{markdown_text as escape, plural};
use crate::fmt::duration;
use crate::report::{ComponentStats, ProfileReport, Severity};

/// Components listed before the rest are summed up.
const TOP_COMPONENTS: usize = 15;

fn source_line(r: &ProfileReport) -> String {
    let s = &r.summary;
    let mut parts = vec![format!(
        "React DevTools profile (export v{})",
        r.source.export_version
    )];
    parts.push(match &s.react_version {
        Some(v) => format!("React {v}"),
        None => "React version not recorded".to_owned(),
    });
    parts.push(format!(
        "{} ({})",
        plural(s.roots.len(), "root", "roots"),
        s.roots.join(", ")
    ));
    let over = s
        .duration_ms
        .map(|d| format!(" over {}", duration(d)))
        .unwrap_or_default();
    parts.push(format!("{}{over}", plural(s.commits, "commit", "commits")));
    parts.push(format!("{} rendering", duration(s.render_ms)));
    parts.push(
        if s.why_recorded {
            "why each component rendered was recorded"
        } else {
            "why components rendered was not recorded"
        }
        .to_owned(),
    );
    parts.join(" · ")
}

fn why(c: &ComponentStats) -> String {
    let w = &c.why;
    let parts: Vec<String> = [
        ("props", w.props),
        ("state", w.state),
        ("hooks", w.hooks),
        ("context", w.context),
        ("parent", w.parent),
        ("unknown", w.unknown),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| format!("{k} {n}"))
    .collect();
    parts.join(", ")
}

fn counts(r: &ProfileReport) -> String {
    let parts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "info"),
    ]
    .iter()
    .filter_map(|(s, one, many)| {
        let n = r.count(*s);
        (n > 0).then(|| plural(n, one, many))
    })
    .collect();
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The terminal rendering; `color` adds ANSI styles.
pub fn profile_text(r: &ProfileReport, color: bool) -> String {
    let mut out = String::new();
    let name = r.source.file.as_deref().unwrap_or("(stdin)");
    let _ = writeln!(
        out,
        "{}",
        super::text::bold(&format!("harscope · {name}"), color)
    );
    let _ = writeln!(out, "  {}", source_line(r));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        super::text::bold("Components (most self time first)", color)
    );
    for c in r.components.iter().take(TOP_COMPONENTS) {
        let _ = writeln!(
            out,
            "  {:<28} {:>14} {:>9}  self {:>8}  total {:>8}  {}",
            crate::fmt::clip(&c.name, 28),
            plural(c.renders, "re-render", "re-renders"),
            plural(c.mounts, "mount", "mounts"),
            duration(c.self_ms),
            duration(c.actual_ms),
            why(c)
        );
    }
    if r.components.len() > TOP_COMPONENTS {
        let _ = writeln!(out, "  … and {} more", r.components.len() - TOP_COMPONENTS);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", super::text::bold("Commits", color));
    for c in &r.commits {
        let rendered: Vec<&str> = c.rendered.iter().take(4).map(String::as_str).collect();
        let by = if c.updaters.is_empty() {
            String::new()
        } else {
            format!("  (update from {})", c.updaters.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}#{:<3} {:>8} {} {}{by}",
            if r.summary.roots.len() > 1 {
                format!("{} ", c.root)
            } else {
                String::new()
            },
            c.index + 1,
            duration(c.duration_ms),
            if c.slow { "SLOW" } else { "    " },
            rendered.join(", ")
        );
    }
    let _ = writeln!(out);
    out.push_str(&super::text::findings_text(&r.findings, &counts(r), color));
    out
}

/// The Markdown rendering.
pub fn profile_markdown(r: &ProfileReport) -> String {
    let mut out = String::new();
    let name = r.source.file.as_deref().unwrap_or("(stdin)");
    let _ = writeln!(out, "## harscope report: {}\n", super::code_span(name));
    let _ = writeln!(out, "{}\n", escape(&source_line(r)));
    let _ = writeln!(
        out,
        "| Component | Re-renders | Mounts | Self | Total | Why |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for c in r.components.iter().take(TOP_COMPONENTS) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(&c.name),
            c.renders,
            c.mounts,
            duration(c.self_ms),
            duration(c.actual_ms),
            escape(&why(c))
        );
    }
    let slow = r.commits.iter().filter(|c| c.slow).count();
    let _ = writeln!(
        out,
        "\n{} of {} commits over {}.\n",
        slow,
        r.commits.len(),
        duration(r.thresholds.slow_commit_ms)
    );
    out.push_str(&super::markdown::findings_markdown(&r.findings, &counts(r)));
    out
}
