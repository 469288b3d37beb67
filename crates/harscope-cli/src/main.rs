//! `harscope`: reads HAR captures and says what went wrong, for people and for CI.

mod args;
mod input;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use harscope_core::{render, rules, AnyReport, Expect};

use args::{Cli, Command, FailOn, Format};

/// Exit codes: findings at the `--fail-on` severity, and unreadable input (also clap's usage code).
const EXIT_FINDINGS: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(a) => analyze(a, Expect::Any),
        Command::Profile(a) => analyze(a, Expect::Profile),
        Command::Rules { rule } => explain_rules(rule.as_deref()),
    }
}

fn analyze(a: args::Analyze, expect: Expect) -> ExitCode {
    let options = a.options();
    let show_progress = std::io::stderr().is_terminal();
    let mut reports: Vec<AnyReport> = Vec::new();
    let mut bad_input = false;
    for path in &a.files {
        match input::analyze_path(path, &options, expect, show_progress) {
            Ok(report) => reports.push(report),
            Err(e) => {
                bad_input = true;
                eprintln!("harscope: {e}");
            }
        }
    }
    let color = a.color.enabled(std::io::stdout().is_terminal());
    let rendered = match a.format {
        Format::Json => {
            let json = if a.files.len() == 1 {
                reports.first().map(serde_json::to_string_pretty)
            } else {
                Some(serde_json::to_string_pretty(&reports))
            };
            json.map(|j| j.expect("reports serialize") + "\n")
                .unwrap_or_default()
        }
        Format::Text => join(reports.iter().map(|r| match r {
            AnyReport::Har(r) => render::text(r, color),
            AnyReport::Profile(r) => render::profile_text(r, color),
        })),
        Format::Markdown => join(reports.iter().map(|r| match r {
            AnyReport::Har(r) => render::markdown(r),
            AnyReport::Profile(r) => render::profile_markdown(r),
        })),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(rendered.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        // A closed pipe (`| head`) is not a reason to fail loudly.
        return ExitCode::SUCCESS;
    }
    if bad_input {
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let threshold = match a.fail_on {
        FailOn::Never => None,
        FailOn::Warning => Some(harscope_core::Severity::Warning),
        FailOn::Error => Some(harscope_core::Severity::Error),
    };
    let failed = threshold.is_some_and(|t| reports.iter().any(|r| r.worst() >= Some(t)));
    if failed {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join("\n")
}

fn explain_rules(rule: Option<&str>) -> ExitCode {
    let text = match rule {
        None => {
            let mut t = String::from("On HAR captures:\n");
            for r in rules::RULES {
                t.push_str(&format!("  {:<20} {}\n", r.id, r.title));
            }
            t.push_str("On React DevTools profiles:\n");
            for r in rules::PROFILE_RULES {
                t.push_str(&format!("  {:<20} {}\n", r.id, r.title));
            }
            t.push_str("\nRun `harscope rules <ID>` for what a rule checks, why it matters and how to fix it.\n");
            t
        }
        Some(id) => match rules::describe(id) {
            Some((_, _, explanation)) => format!("{explanation}\n"),
            None => {
                let ids: Vec<&str> = rules::RULES
                    .iter()
                    .map(|r| r.id)
                    .chain(rules::PROFILE_RULES.iter().map(|r| r.id))
                    .collect();
                eprintln!(
                    "harscope: no rule `{id}`; the rules are: {}",
                    ids.join(", ")
                );
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
    };
    // A closed pipe (`| head`) ends the output quietly.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}
