//! The web crate in headless Chromium (wasm-bindgen-test through ChromeDriver): the engine as
//! WebAssembly, the page's pure helpers, and the mounted page itself.

#![cfg(target_arch = "wasm32")]

use harscope_core::{analyze_bytes, Options, Severity};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SANITIZED: &[u8] = include_bytes!("../../fixtures/hand/chrome-sanitized-401.har");
const HTTP_ERRORS: &[u8] = include_bytes!("../../fixtures/scenarios/har/http-errors.har");

#[wasm_bindgen_test]
fn the_engine_runs_as_webassembly() {
    let report = analyze_bytes(HTTP_ERRORS, Some("http-errors.har"), &Options::default()).unwrap();
    assert_eq!(report.findings.len(), 8);
    assert_eq!(report.count(Severity::Error), 2);
    let orders = report
        .findings
        .iter()
        .find(|f| f.url.as_deref().is_some_and(|u| u.ends_with("/api/orders")))
        .unwrap();
    assert_eq!(
        orders.evidence["server_message"],
        "could not obtain a database connection within 5000 ms"
    );
    let sanitized = analyze_bytes(SANITIZED, None, &Options::default()).unwrap();
    assert_eq!(sanitized.findings[0].evidence["authorization"], "unknown");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    for input in [
        &b""[..],
        b"{",
        b"[1]",
        b"{\"log\": {\"entries\": {}}}",
        b"\xff\xfe{",
    ] {
        assert!(analyze_bytes(input, None, &Options::default()).is_err());
    }
}

#[cfg(feature = "app")]
mod page {
    use super::*;
    use harscope_core::har;
    use harscope_core::view::request_rows;
    use harscope_web::app::table::{select, Filters, SortKey};
    use std::collections::BTreeSet;

    #[wasm_bindgen_test]
    fn the_table_filters_and_sorts() {
        let parsed = har::parse(HTTP_ERRORS).unwrap();
        let rows = request_rows(&parsed);
        let none = BTreeSet::new();
        let all = select(
            &rows,
            &None,
            &Filters::default(),
            &none,
            SortKey::Start,
            false,
        );
        assert_eq!(all.len(), 9);
        let server = Filters {
            status_class: "5xx".into(),
            ..Filters::default()
        };
        let five = select(&rows, &None, &server, &none, SortKey::Status, true);
        assert_eq!(
            five.iter().map(|&i| rows[i].status).collect::<Vec<_>>(),
            vec![Some(502), Some(500)]
        );
        let search = Filters {
            search: "SIGNUP".into(),
            ..Filters::default()
        };
        assert_eq!(
            select(&rows, &None, &search, &none, SortKey::Start, false).len(),
            1
        );
        let slowest = select(
            &rows,
            &None,
            &Filters::default(),
            &none,
            SortKey::Duration,
            true,
        );
        assert!(slowest
            .windows(2)
            .all(|w| rows[w[0]].duration_ms >= rows[w[1]].duration_ms));
    }

    #[wasm_bindgen_test]
    fn thresholds_default_without_a_query() {
        assert_eq!(
            harscope_web::app::settings::from_url(),
            harscope_web::protocol::Settings::default()
        );
    }

    #[wasm_bindgen_test]
    async fn the_page_mounts_and_invites_a_drop() {
        use leptos::prelude::*;
        let state = harscope_web::app::state::AppState::new(Default::default());
        leptos::mount::mount_to_body(move || view! { <harscope_web::app::App state=state /> });
        let body = web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .body()
            .unwrap();
        let text = body.text_content().unwrap_or_default();
        assert!(
            text.contains("Drop a HAR file or a React profile anywhere on this page"),
            "{text}"
        );
        assert!(body.query_selector("#sample-button").unwrap().is_some());
    }
}
