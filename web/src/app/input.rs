//! Getting a capture in: drag and drop anywhere, the file picker, pasted JSON, the sample; and
//! what shows while it loads or when it cannot be read.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, HtmlInputElement};

use super::format::bytes;
use super::state::{text_blob, AppState};
use crate::protocol::{Failure, Progress};

/// Whether a drag is over the page, for the overlay.
#[derive(Clone, Copy)]
struct Dragging(RwSignal<bool>);

/// Drops anywhere on the page, and pastes outside text fields, load a capture.
pub fn listen_for_drops_and_pastes(state: AppState) {
    let dragging = RwSignal::new(false);
    provide_context(Dragging(dragging));
    let carries_files = |e: &web_sys::DragEvent| {
        e.data_transfer()
            .map(|dt| dt.types().includes(&"Files".into(), 0))
            .unwrap_or(false)
    };
    let _ = window_event_listener(ev::dragenter, move |e| {
        if carries_files(&e) {
            e.prevent_default();
            dragging.set(true);
        }
    });
    let _ = window_event_listener(ev::dragover, move |e| {
        if carries_files(&e) {
            e.prevent_default();
        }
    });
    let _ = window_event_listener(ev::dragleave, move |e| {
        // Leaving the window, not moving between elements.
        if e.related_target().is_none() {
            dragging.set(false);
        }
    });
    let _ = window_event_listener(ev::drop, move |e| {
        e.prevent_default();
        dragging.set(false);
        let file = e
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            load_file(state, file);
        }
    });
    let _ = window_event_listener(ev::paste, move |e| {
        let in_field = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        if in_field {
            return;
        }
        let text = e
            .clipboard_data()
            .and_then(|d| d.get_data("text").ok())
            .unwrap_or_default();
        if text.trim_start().starts_with('{') {
            e.prevent_default();
            load_text(state, &text);
        }
    });
}

fn load_file(state: AppState, file: File) {
    let name = file.name();
    state.load(file.unchecked_into::<Blob>(), name);
}

fn load_text(state: AppState, text: &str) {
    if let Some(blob) = text_blob(text) {
        state.load(blob, "pasted.har".to_owned());
    }
}

/// Fetches the bundled sample capture (served beside the page, so no other origin).
fn load_sample(state: AppState) {
    leptos::task::spawn_local(async move {
        let fetched = async {
            let response: web_sys::Response =
                wasm_bindgen_futures::JsFuture::from(window().fetch_with_str("./sample.har"))
                    .await?
                    .dyn_into()?;
            let blob: Blob = wasm_bindgen_futures::JsFuture::from(response.blob()?)
                .await?
                .dyn_into()?;
            Ok::<Blob, wasm_bindgen::JsValue>(blob)
        };
        match fetched.await {
            Ok(blob) => state.load(blob, "sample.har".to_owned()),
            Err(e) => web_sys::console::error_2(&"the sample could not be fetched".into(), &e),
        }
    });
}

#[component]
pub fn Toolbar(state: AppState) -> impl IntoView {
    let picker = NodeRef::<leptos::html::Input>::new();
    let on_pick = move |ev: ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            load_file(state, file);
        }
        input.set_value("");
    };
    view! {
        <nav class="toolbar" aria-label="Load a capture">
            <input
                node_ref=picker
                id="file-input"
                class="visually-hidden"
                type="file"
                accept=".har,.json,.gz,application/json,application/gzip"
                on:change=on_pick
            />
            <button type="button" class="primary" on:click=move |_| {
                if let Some(input) = picker.get() {
                    input.click();
                }
            }>"Open a file"</button>
            <button type="button" id="sample-button" on:click=move |_| load_sample(state)>"Try a sample"</button>
            <super::settings::Settings state=state />
        </nav>
    }
}

#[component]
pub fn Welcome(state: AppState) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    view! {
        <section class="welcome">
            <div class="drop-zone">
                <p class="drop-title">"Drop a HAR file or a React profile anywhere on this page"</p>
                <p>"or use “Open a file”, or paste its JSON below. It is read here, in your browser: nothing is uploaded."</p>
                <p class="hint">"Export one from the browser's Network tab (right-click, “Save all as HAR”), from Playwright's recordHar, a proxy or WebPageTest. Gzip-compressed files (.har.gz) are read as they are."</p>
            </div>
            <details class="paste">
                <summary>"Paste HAR JSON"</summary>
                <label for="paste-area" class="visually-hidden">"HAR JSON"</label>
                <textarea
                    id="paste-area"
                    rows="8"
                    placeholder="{\"log\": {\"entries\": [...]}}"
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
                <button type="button" on:click=move |_| load_text(state, &pasted.get_untracked())>
                    "Analyze pasted JSON"
                </button>
            </details>
        </section>
    }
}

#[component]
pub fn Loading(name: String, progress: Option<Progress>) -> impl IntoView {
    let (phase, done, total) = match progress {
        Some(p) => (p.phase.label(), p.done, p.total),
        None => ("Starting", 0.0, 1.0),
    };
    let percent = if total > 0.0 {
        (done / total * 100.0).min(100.0)
    } else {
        0.0
    };
    // A compressed file's decompressed size is known only at its end.
    let known = total > 0.0;
    let text = if known {
        format!(
            "{phase}: {} of {} ({percent:.0}%)",
            bytes(done as u64),
            bytes(total as u64)
        )
    } else {
        format!("{phase}: {} so far", bytes(done as u64))
    };
    view! {
        <section class="loading" aria-live="polite">
            <h2>{format!("{phase} {name}")}</h2>
            {if known {
                view! { <progress id="load-progress" max="100" value=format!("{percent:.1}")></progress> }.into_any()
            } else {
                view! { <progress id="load-progress"></progress> }.into_any()
            }}
            <p class="progress-text">{text}</p>
        </section>
    }
}

#[component]
pub fn Failed(name: String, failure: Failure) -> impl IntoView {
    let place = match failure.position {
        Some((line, column)) => format!(" (line {line}, column {column})"),
        None => String::new(),
    };
    view! {
        <section class="failed" role="alert" id="load-error">
            <h2>{format!("{name} could not be analyzed")}</h2>
            <p class="error-message">{format!("{}{place}", failure.message)}</p>
            <p class="hint">"harscope reads HAR files (JSON with a “log” object), as exported by browsers, Playwright, proxies and WebPageTest, and React DevTools Profiler exports (“Save profile”)."</p>
        </section>
    }
}

#[component]
pub fn DropOverlay() -> impl IntoView {
    let dragging = use_context::<Dragging>()
        .map(|d| d.0)
        .unwrap_or(RwSignal::new(false));
    view! {
        <div class="drop-overlay" class:visible=move || dragging.get() aria-hidden="true">
            <p>"Drop the capture to analyze it"</p>
        </div>
    }
}
