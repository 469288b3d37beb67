//! Threshold settings: re-run the analysis at once, and live in the URL's query so a reload
//! (or a bookmark) keeps them.

use harscope_core::profile::ProfileThresholds;
use harscope_core::Thresholds;

use crate::protocol::Settings;
use leptos::prelude::*;
use web_sys::UrlSearchParams;

use super::state::AppState;

/// Query keys for each threshold: the HAR rules', then the profile rules'.
const KEYS: [&str; 13] = [
    "ttfb",
    "payload",
    "requests",
    "blocking",
    "commit",
    "rerenders",
    "nplusone",
    "duplicates",
    "uncompressed",
    "redirects",
    "connection",
    "certdays",
    "cachemin",
];

/// Thresholds from the page's query string; defaults for anything missing or invalid.
pub fn from_url() -> Settings {
    let mut settings = Settings::default();
    let Some(search) = window().location().search().ok() else {
        return settings;
    };
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return settings;
    };
    let t = &mut settings.thresholds;
    let number = |key: &str| {
        params
            .get(key)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    if let Some(v) = number(KEYS[0]) {
        t.ttfb_ms = v;
    }
    if let Some(v) = number(KEYS[1]) {
        t.payload_bytes = v as u64;
    }
    if let Some(v) = number(KEYS[2]) {
        t.max_requests = v as usize;
    }
    if let Some(v) = number(KEYS[3]) {
        t.blocking_ms = v;
    }
    if let Some(v) = number(KEYS[6]) {
        t.n_plus_one = v as usize;
    }
    if let Some(v) = number(KEYS[7]) {
        t.duplicate_window_ms = v;
    }
    if let Some(v) = number(KEYS[8]) {
        t.uncompressed_bytes = v as u64;
    }
    if let Some(v) = number(KEYS[9]) {
        t.redirect_hops = v as usize;
    }
    if let Some(v) = number(KEYS[10]) {
        t.slow_connection_ms = v;
    }
    if let Some(v) = number(KEYS[11]) {
        t.cert_expiry_days = v;
    }
    if let Some(v) = number(KEYS[12]) {
        t.cache_min_s = v as u64;
    }
    let p = &mut settings.profile;
    if let Some(v) = number(KEYS[4]) {
        p.slow_commit_ms = v;
    }
    if let Some(v) = number(KEYS[5]) {
        p.rerenders = v as usize;
    }
    settings
}

/// Writes the thresholds into the URL's query without reloading or adding history entries.
/// Defaults are left out, so a plain URL stays plain.
fn to_url(settings: &Settings) {
    let t = &settings.thresholds;
    let p = &settings.profile;
    let location = window().location();
    let Ok(params) = UrlSearchParams::new_with_str(&location.search().unwrap_or_default()) else {
        return;
    };
    let d = Thresholds::default();
    let dp = ProfileThresholds::default();
    let values = [
        (t.ttfb_ms != d.ttfb_ms).then(|| t.ttfb_ms.to_string()),
        (t.payload_bytes != d.payload_bytes).then(|| t.payload_bytes.to_string()),
        (t.max_requests != d.max_requests).then(|| t.max_requests.to_string()),
        (t.blocking_ms != d.blocking_ms).then(|| t.blocking_ms.to_string()),
        (p.slow_commit_ms != dp.slow_commit_ms).then(|| p.slow_commit_ms.to_string()),
        (p.rerenders != dp.rerenders).then(|| p.rerenders.to_string()),
        (t.n_plus_one != d.n_plus_one).then(|| t.n_plus_one.to_string()),
        (t.duplicate_window_ms != d.duplicate_window_ms).then(|| t.duplicate_window_ms.to_string()),
        (t.uncompressed_bytes != d.uncompressed_bytes).then(|| t.uncompressed_bytes.to_string()),
        (t.redirect_hops != d.redirect_hops).then(|| t.redirect_hops.to_string()),
        (t.slow_connection_ms != d.slow_connection_ms).then(|| t.slow_connection_ms.to_string()),
        (t.cert_expiry_days != d.cert_expiry_days).then(|| t.cert_expiry_days.to_string()),
        (t.cache_min_s != d.cache_min_s).then(|| t.cache_min_s.to_string()),
    ];
    for (key, value) in KEYS.iter().zip(values) {
        match value {
            Some(v) => params.set(key, &v),
            None => params.delete(key),
        }
    }
    let query = String::from(params.to_string());
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[component]
pub fn Settings(state: AppState) -> impl IntoView {
    Effect::new(move |previous: Option<Settings>| {
        let now = Settings {
            thresholds: state.thresholds.get(),
            profile: state.profile_thresholds.get(),
        };
        to_url(&now);
        if previous.is_some_and(|p| p != now) {
            state.reanalyze();
        }
        now
    });
    let field = move |label: &'static str,
                      unit: &'static str,
                      get: fn(&Thresholds) -> f64,
                      set: fn(&mut Thresholds, f64)| {
        let id = format!("threshold-{}", label.to_ascii_lowercase().replace(' ', "-"));
        let input_id = id.clone();
        view! {
            <label class="threshold" for=id>
                <span>{label}</span>
                <input
                    id=input_id
                    type="number"
                    min="0"
                    prop:value=move || get(&state.thresholds.get()).to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            if v.is_finite() && v >= 0.0 {
                                state.thresholds.update(|t| set(t, v));
                            }
                        }
                    }
                />
                <span class="unit">{unit}</span>
            </label>
        }
    };
    let profile_field = move |label: &'static str,
                              unit: &'static str,
                              get: fn(&ProfileThresholds) -> f64,
                              set: fn(&mut ProfileThresholds, f64)| {
        let id = format!("threshold-{}", label.to_ascii_lowercase().replace(' ', "-"));
        let input_id = id.clone();
        view! {
            <label class="threshold" for=id>
                <span>{label}</span>
                <input
                    id=input_id
                    type="number"
                    min="0"
                    prop:value=move || get(&state.profile_thresholds.get()).to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            if v.is_finite() && v >= 0.0 {
                                state.profile_thresholds.update(|p| set(p, v));
                            }
                        }
                    }
                />
                <span class="unit">{unit}</span>
            </label>
        }
    };
    view! {
        <details class="settings">
            <summary>"Thresholds"</summary>
            // A shared report has no capture behind it to analyze again.
            <fieldset class="thresholds" prop:disabled=move || state.shared.get().is_some()
                title=move || state.shared.get().map(|_| "A shared report cannot be re-analyzed: drop the capture to change thresholds")>
                {field("Slow TTFB", "ms", |t| t.ttfb_ms, |t, v| t.ttfb_ms = v)}
                {field("Large payload", "bytes", |t| t.payload_bytes as f64, |t, v| t.payload_bytes = v as u64)}
                {field("Max requests", "before onLoad", |t| t.max_requests as f64, |t, v| t.max_requests = v as usize)}
                {field("Blocking", "ms", |t| t.blocking_ms, |t, v| t.blocking_ms = v)}
                {field("N+1 calls", "per endpoint (0: off)", |t| t.n_plus_one as f64, |t, v| t.n_plus_one = v as usize)}
                {field("Duplicate window", "ms", |t| t.duplicate_window_ms, |t, v| t.duplicate_window_ms = v)}
                {field("Uncompressed text", "bytes (0: off)", |t| t.uncompressed_bytes as f64, |t, v| t.uncompressed_bytes = v as u64)}
                {field("Redirects", "in a chain (0: off)", |t| t.redirect_hops as f64, |t, v| t.redirect_hops = v as usize)}
                {field("Slow connection", "ms (DNS, TCP, TLS)", |t| t.slow_connection_ms, |t, v| t.slow_connection_ms = v)}
                {field("Certificate expiry", "days", |t| t.cert_expiry_days, |t, v| t.cert_expiry_days = v)}
                {field("Cache lifetime", "seconds, at least", |t| t.cache_min_s as f64, |t, v| t.cache_min_s = v as u64)}
                {profile_field("Slow commit", "ms (React)", |p| p.slow_commit_ms, |p, v| p.slow_commit_ms = v)}
                {profile_field("Re-renders", "per component (React)", |p| p.rerenders as f64, |p, v| p.rerenders = v as usize)}
                <button type="button" on:click=move |_| {
                    state.thresholds.set(Thresholds::default());
                    state.profile_thresholds.set(ProfileThresholds::default());
                }>
                    "Defaults"
                </button>
            </fieldset>
        </details>
    }
}
