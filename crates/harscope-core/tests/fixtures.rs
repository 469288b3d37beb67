//! Fixture tests: each capture under `fixtures/` (recorded from the scenario site, or written
//! by hand for producers' quirks) with the report it must produce, in `fixtures/expected/`.
//! After an intended change, review the new reports with `INSTA_UPDATE=always cargo test` and
//! `git diff fixtures/expected`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use harscope_core::{analyze_bytes, render, Options, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn report(group: &str, file: &str) -> Report {
    let path = fixtures().join(group).join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    analyze_bytes(&bytes, Some(file), &Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(fixtures().join("expected"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s.add_redaction(".tool.version", "[version]");
    s
}

macro_rules! fixture_tests {
    ($($test:ident: $group:literal / $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                let report = report($group, $file);
                settings().bind(|| insta::assert_json_snapshot!(stringify!($test), report));
            }
        )*

        const LISTED: &[&str] = &[$(concat!($group, "/", $file)),*];
    };
}

fixture_tests! {
    scenario_sample: "scenarios/har" / "sample.har",
    scenario_clean: "scenarios/har" / "clean.har",
    scenario_slow_ttfb: "scenarios/har" / "slow-ttfb.har",
    scenario_large_payload: "scenarios/har" / "large-payload.har",
    scenario_many_requests: "scenarios/har" / "many-requests.har",
    scenario_blocking: "scenarios/har" / "blocking.har",
    scenario_http_errors: "scenarios/har" / "http-errors.har",
    scenario_network_errors: "scenarios/har" / "network-errors.har",
    scenario_n_plus_one: "scenarios/har" / "n-plus-one.har",
    scenario_double_submit: "scenarios/har" / "double-submit.har",
    scenario_uncompressed: "scenarios/har" / "uncompressed.har",
    scenario_redirects: "scenarios/har" / "redirects.har",
    scenario_slow_connection: "scenarios/har" / "slow-connection.har",
    scenario_cache: "scenarios/har" / "cache.har",
    hand_chrome_parser_blocking: "hand" / "chrome-parser-blocking.har",
    hand_chrome_two_pages: "hand" / "chrome-two-pages.har",
    hand_chrome_sanitized_401: "hand" / "chrome-sanitized-401.har",
    hand_chrome_cors_blocked_redirect_loop: "hand" / "chrome-cors-blocked-redirect-loop.har",
    hand_firefox_bom_no_pages: "hand" / "firefox-bom-no-pages.har",
    hand_playwright_failures: "hand" / "playwright-failures.har",
    hand_webpagetest_quirks: "hand" / "webpagetest-quirks.har",
    hand_planted_secrets: "hand" / "planted-secrets.har",
    hand_chrome_repeat_view: "hand" / "chrome-repeat-view.har",
    hand_hostile_markup: "hand" / "hostile-markup.har",
}

#[test]
fn every_fixture_capture_has_a_test() {
    let mut on_disk = BTreeSet::new();
    for group in ["scenarios/har", "hand"] {
        for entry in std::fs::read_dir(fixtures().join(group)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".har") {
                on_disk.insert(format!("{group}/{name}"));
            }
        }
    }
    let listed: BTreeSet<String> = LISTED.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "add new fixture captures to fixture_tests!"
    );
}

/// The recorded scenarios show every rule at least once, and the clean page shows nothing.
#[test]
fn scenarios_cover_every_rule_and_the_clean_page_is_clean() {
    assert!(report("scenarios/har", "clean.har").findings.is_empty());
    let mut seen = BTreeSet::new();
    for file in LISTED
        .iter()
        .filter_map(|f| f.strip_prefix("scenarios/har/"))
    {
        for f in report("scenarios/har", file).findings {
            seen.insert(f.rule);
        }
    }
    for rule in harscope_core::rules::RULES {
        assert!(seen.contains(rule.id), "no scenario shows `{}`", rule.id);
    }
}

#[test]
fn text_and_markdown_renderings() {
    let report = report("scenarios/har", "http-errors.har");
    settings().bind(|| {
        insta::assert_snapshot!("render_http_errors_text", render::text(&report, false));
        insta::assert_snapshot!("render_http_errors_markdown", render::markdown(&report));
    });
}
