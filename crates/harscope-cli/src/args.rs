//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use harscope_core::profile::ProfileThresholds;
use harscope_core::{Options, Thresholds};

const EXAMPLES: &str = "\
Examples:
  harscope analyze checkout.har
      Findings for a capture, as text.
  harscope analyze --format markdown checkout.har > incident.md
      A report to paste into an incident ticket.
  harscope analyze --format json --fail-on error *.har
      For CI: a JSON report on stdout, exit 1 when any capture has an error.
  harscope analyze --ttfb-ms 800 --payload-bytes 2MiB --max-requests 80 capture.har
      Looser thresholds.
  curl -s https://ci.example/artifacts/run.har | harscope analyze -
      Read a capture from standard input.
  harscope profile profiling-data.json
      Renders, slow commits and why components rendered, from a React DevTools profile.
  harscope analyze checkout.har --link https://harscope.example/
      A report link to share: redacted (no cookies, tokens or bodies), opens in the web app.
  harscope link decode 'http://127.0.0.1:8080/#r1.…'
      Exactly what a link carries, as JSON.
  harscope sanitize checkout.har -o checkout.shared.har
      The capture itself, safe to attach: cookies, credentials, tokens masked.
  harscope rules http-error
      What a rule checks, why it matters and how to fix it.

Exit codes: 0 ok; 1 a finding at the --fail-on severity; 2 unreadable input or bad usage.";

/// Reads HAR captures (browser DevTools, Playwright, proxies, WebPageTest) and React DevTools
/// Profiler exports, and says what went wrong: failed calls and why, slow server responses,
/// large payloads, too many requests, requests that block the waterfall, slow React commits
/// and needless re-renders.
#[derive(Debug, Parser)]
#[command(name = "harscope", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze HAR captures or React DevTools profiles (told apart by content) and print a report.
    #[command(after_help = EXAMPLES)]
    Analyze(Analyze),
    /// Analyze React DevTools Profiler exports ("Save profile"): renders, slow commits, why.
    #[command(after_help = EXAMPLES)]
    Profile(Analyze),
    /// Write a copy of a HAR capture with its secrets redacted, to share the capture itself.
    #[command(after_help = SANITIZE_EXAMPLES)]
    Sanitize(Sanitize),
    /// Report links: see what a link carries.
    Link {
        #[command(subcommand)]
        command: LinkCommand,
    },
    /// List the rules, or explain one.
    Rules {
        /// A rule id, e.g. `slow-ttfb`.
        rule: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Print, as JSON, exactly what a report link carries (the report contract, plus the
    /// waterfall rows, request details, what was left out and what was redacted).
    Decode {
        /// The link, or only its fragment; `-` reads it from standard input.
        link: String,
    },
}

const SANITIZE_EXAMPLES: &str = "\
Examples:
  harscope sanitize checkout.har -o checkout.shared.har
      Credentials, cookies and secret-looking values masked; successful responses' bodies
      dropped, failed ones' kept (redacted) so the capture analyzes to the same findings.
  harscope sanitize checkout.har -o - --bodies none | gzip > shared.har.gz
      No bodies at all, to standard output.

What was redacted, counted by kind, goes to standard error.";

#[derive(Debug, Args)]
pub struct Sanitize {
    /// The HAR capture; `-` reads standard input.
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// Where to write the sanitized capture; `-` is standard output. Default: IN with
    /// `.sanitized.har` in place of its extension.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Which request and response bodies to keep (kept bodies are redacted too).
    #[arg(long, value_enum, default_value_t = BodiesArg::Errors, value_name = "WHICH")]
    pub bodies: BodiesArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BodiesArg {
    /// Drop every body.
    None,
    /// Keep those of failed requests (status 400 and above, or no response): their messages.
    Errors,
    /// Keep them all.
    All,
}

impl From<BodiesArg> for harscope_core::sanitize::Bodies {
    fn from(b: BodiesArg) -> Self {
        match b {
            BodiesArg::None => Self::None,
            BodiesArg::Errors => Self::Errors,
            BodiesArg::All => Self::All,
        }
    }
}

/// Where report links open by default: the web app as `scripts/run.sh` serves it.
pub const DEFAULT_LINK_BASE: &str = "http://127.0.0.1:8080/";

#[derive(Debug, Args)]
pub struct Analyze {
    /// Files to analyze (HAR captures or React profiles); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with code 1 when a finding at this severity or above exists.
    #[arg(long, value_enum, default_value_t = FailOn::Never, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// slow-ttfb: server wait above this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = Thresholds::default().ttfb_ms, value_parser = positive_ms)]
    pub ttfb_ms: f64,

    /// large-payload: responses above this size (bytes; KiB, MiB, KB and MB suffixes work).
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes)]
    pub payload_bytes: u64,

    /// too-many-requests: more requests than this before onLoad.
    #[arg(long, value_name = "N", default_value_t = Thresholds::default().max_requests)]
    pub max_requests: usize,

    /// waterfall-blocking: no other request starting for this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = Thresholds::default().blocking_ms, value_parser = positive_ms)]
    pub blocking_ms: f64,

    /// n-plus-one: this many calls to one endpoint with different ids (0 turns it off).
    #[arg(long, value_name = "N", default_value_t = Thresholds::default().n_plus_one)]
    pub n_plus_one: usize,

    /// duplicate-request: the same POST/PUT/PATCH/DELETE again within this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = Thresholds::default().duplicate_window_ms, value_parser = positive_ms)]
    pub duplicate_window_ms: f64,

    /// uncompressed-text: text bodies above this size sent without compression (0 turns it off).
    #[arg(long, value_name = "BYTES", default_value = "20480", value_parser = parse_bytes)]
    pub uncompressed_bytes: u64,

    /// redirect-chain: chains of this many redirects or more (0 turns it off; loops always count).
    #[arg(long, value_name = "N", default_value_t = Thresholds::default().redirect_hops)]
    pub redirect_hops: usize,

    /// slow-connection: DNS, TCP or TLS setup longer than this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = Thresholds::default().slow_connection_ms, value_parser = positive_ms)]
    pub slow_connection_ms: f64,

    /// slow-connection: certificates that expire within this many days of the capture.
    #[arg(long, value_name = "DAYS", default_value_t = Thresholds::default().cert_expiry_days, value_parser = positive_ms)]
    pub cert_expiry_days: f64,

    /// cache-missing: static assets cached for less than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = Thresholds::default().cache_min_s)]
    pub cache_min_s: u64,

    /// slow-commit: React commits longer than this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = ProfileThresholds::default().slow_commit_ms, value_parser = positive_ms)]
    pub slow_commit_ms: f64,

    /// frequent-rerender: this many avoidable re-renders of one component.
    #[arg(long, value_name = "N", default_value_t = ProfileThresholds::default().rerenders)]
    pub rerenders: usize,

    /// Leave out a rule (repeat, or separate ids with commas).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = rule_id)]
    pub skip: Vec<String>,

    /// Colors in text output: auto uses them on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print a report link instead of the report: the web app's address (default
    /// http://127.0.0.1:8080/) with the redacted report in its fragment.
    #[arg(long, value_name = "BASE_URL", num_args = 0..=1, default_missing_value = DEFAULT_LINK_BASE, value_parser = base_url)]
    pub link: Option<String>,

    /// With --link: the largest link fragment, in bytes; bigger reports leave out detail.
    #[arg(long, value_name = "BYTES", default_value_t = harscope_core::link::DEFAULT_BUDGET, requires = "link")]
    pub link_budget: usize,
}

impl Analyze {
    pub fn options(&self) -> Options {
        Options {
            thresholds: Thresholds {
                ttfb_ms: self.ttfb_ms,
                payload_bytes: self.payload_bytes,
                max_requests: self.max_requests,
                blocking_ms: self.blocking_ms,
                n_plus_one: self.n_plus_one,
                duplicate_window_ms: self.duplicate_window_ms,
                uncompressed_bytes: self.uncompressed_bytes,
                redirect_hops: self.redirect_hops,
                slow_connection_ms: self.slow_connection_ms,
                cert_expiry_days: self.cert_expiry_days,
                cache_min_s: self.cache_min_s,
            },
            profile: ProfileThresholds {
                slow_commit_ms: self.slow_commit_ms,
                rerenders: self.rerenders,
            },
            skip: self.skip.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

fn positive_ms(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a duration in milliseconds (e.g. 500)"
        )),
    }
}

/// `1048576`, `1MiB`, `512KiB`, `2MB`, `1.5MiB`.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(format!("`{s}` is not a size (e.g. 1048576, 1MiB, 500KB)")),
    };
    match num.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok((n * factor).round() as u64),
        _ => Err(format!("`{s}` is not a size (e.g. 1048576, 1MiB, 500KB)")),
    }
}

fn base_url(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.starts_with("http://") || t.starts_with("https://") {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "`{s}` is not the web app's address (http://... or https://...); put --link after the files"
        ))
    }
}

fn rule_id(s: &str) -> Result<String, String> {
    match harscope_core::rules::describe(s) {
        Some((id, _, _)) => Ok(id.to_owned()),
        None => {
            let ids: Vec<&str> = harscope_core::rules::RULES.iter().map(|r| r.id).collect();
            Err(format!("no rule `{s}`; the rules are: {}", ids.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_bytes("1048576"), Ok(1_048_576));
        assert_eq!(parse_bytes("1MiB"), Ok(1_048_576));
        assert_eq!(parse_bytes("1.5 MiB"), Ok(1_572_864));
        assert_eq!(parse_bytes("500KB"), Ok(500_000));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("-1").is_err());
    }
}
