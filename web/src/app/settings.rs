//! Threshold settings: re-run the analysis at once, and live in the URL's query so a reload
//! (or a bookmark) keeps them.

use harscope_core::profile::ProfileThresholds;
use harscope_core::Thresholds;

use crate::protocol::Settings;
use leptos::prelude::*;
use web_sys::UrlSearchParams;

use super::state::AppState;

/// One threshold: its query key, its label and unit in the settings, and where it lives.
struct Threshold {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    get: fn(&Settings) -> f64,
    set: fn(&mut Settings, f64),
}

/// Every threshold, in the order the settings show them: the HAR rules', then the profile
/// rules'. The URL, the settings and their inputs all come from this list.
const THRESHOLDS: [Threshold; 13] = [
    Threshold {
        key: "ttfb",
        label: "Slow TTFB",
        unit: "ms",
        get: |s| s.thresholds.ttfb_ms,
        set: |s, v| s.thresholds.ttfb_ms = v,
    },
    Threshold {
        key: "payload",
        label: "Large payload",
        unit: "bytes",
        get: |s| s.thresholds.payload_bytes as f64,
        set: |s, v| s.thresholds.payload_bytes = v as u64,
    },
    Threshold {
        key: "requests",
        label: "Max requests",
        unit: "before onLoad",
        get: |s| s.thresholds.max_requests as f64,
        set: |s, v| s.thresholds.max_requests = v as usize,
    },
    Threshold {
        key: "blocking",
        label: "Blocking",
        unit: "ms",
        get: |s| s.thresholds.blocking_ms,
        set: |s, v| s.thresholds.blocking_ms = v,
    },
    Threshold {
        key: "nplusone",
        label: "N+1 calls",
        unit: "per endpoint (0: off)",
        get: |s| s.thresholds.n_plus_one as f64,
        set: |s, v| s.thresholds.n_plus_one = v as usize,
    },
    Threshold {
        key: "duplicates",
        label: "Duplicate window",
        unit: "ms",
        get: |s| s.thresholds.duplicate_window_ms,
        set: |s, v| s.thresholds.duplicate_window_ms = v,
    },
    Threshold {
        key: "uncompressed",
        label: "Uncompressed text",
        unit: "bytes (0: off)",
        get: |s| s.thresholds.uncompressed_bytes as f64,
        set: |s, v| s.thresholds.uncompressed_bytes = v as u64,
    },
    Threshold {
        key: "redirects",
        label: "Redirects",
        unit: "in a chain (0: off)",
        get: |s| s.thresholds.redirect_hops as f64,
        set: |s, v| s.thresholds.redirect_hops = v as usize,
    },
    Threshold {
        key: "connection",
        label: "Slow connection",
        unit: "ms (DNS, TCP, TLS)",
        get: |s| s.thresholds.slow_connection_ms,
        set: |s, v| s.thresholds.slow_connection_ms = v,
    },
    Threshold {
        key: "certdays",
        label: "Certificate expiry",
        unit: "days",
        get: |s| s.thresholds.cert_expiry_days,
        set: |s, v| s.thresholds.cert_expiry_days = v,
    },
    Threshold {
        key: "cachemin",
        label: "Cache lifetime",
        unit: "seconds, at least",
        get: |s| s.thresholds.cache_min_s as f64,
        set: |s, v| s.thresholds.cache_min_s = v as u64,
    },
    Threshold {
        key: "commit",
        label: "Slow commit",
        unit: "ms (React)",
        get: |s| s.profile.slow_commit_ms,
        set: |s, v| s.profile.slow_commit_ms = v,
    },
    Threshold {
        key: "rerenders",
        label: "Re-renders",
        unit: "per component (React)",
        get: |s| s.profile.rerenders as f64,
        set: |s, v| s.profile.rerenders = v as usize,
    },
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
    for t in &THRESHOLDS {
        let value = params
            .get(t.key)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0);
        if let Some(v) = value {
            (t.set)(&mut settings, v);
        }
    }
    settings
}

/// Writes the thresholds into the URL's query without reloading or adding history entries.
/// Defaults are left out, so a plain URL stays plain.
fn to_url(settings: &Settings) {
    let location = window().location();
    let Ok(params) = UrlSearchParams::new_with_str(&location.search().unwrap_or_default()) else {
        return;
    };
    let defaults = Settings::default();
    for t in &THRESHOLDS {
        let value = (t.get)(settings);
        if value == (t.get)(&defaults) {
            params.delete(t.key);
        } else {
            params.set(t.key, &value.to_string());
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

/// The settings as the signals hold them (tracked: views read it).
fn current(state: AppState) -> Settings {
    Settings {
        thresholds: state.thresholds.get(),
        profile: state.profile_thresholds.get(),
    }
}

#[component]
pub fn Settings(state: AppState) -> impl IntoView {
    Effect::new(move |previous: Option<Settings>| {
        let now = current(state);
        to_url(&now);
        if previous.is_some_and(|p| p != now) {
            state.reanalyze();
        }
        now
    });
    let field = move |t: &'static Threshold| {
        let id = format!(
            "threshold-{}",
            t.label.to_ascii_lowercase().replace(' ', "-")
        );
        let input_id = id.clone();
        view! {
            <label class="threshold" for=id>
                <span>{t.label}</span>
                <input
                    id=input_id
                    type="number"
                    min="0"
                    prop:value=move || (t.get)(&current(state)).to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            if v.is_finite() && v >= 0.0 {
                                let mut s = current(state);
                                (t.set)(&mut s, v);
                                state.thresholds.set(s.thresholds);
                                state.profile_thresholds.set(s.profile);
                            }
                        }
                    }
                />
                <span class="unit">{t.unit}</span>
            </label>
        }
    };
    view! {
        <details class="settings">
            <summary>"Thresholds"</summary>
            // A shared report has no capture behind it to analyze again.
            <fieldset class="thresholds" prop:disabled=move || state.shared.get().is_some()
                title=move || state.shared.get().map(|_| "A shared report cannot be re-analyzed: drop the capture to change thresholds")>
                {THRESHOLDS.iter().map(field).collect_view()}
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
