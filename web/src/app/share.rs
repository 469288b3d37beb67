//! Sharing: the "Copy link" button with what the link masked and left out, and the banner of a
//! report opened from a link.

use harscope_core::redact::Redactions;
use leptos::prelude::*;

use harscope_core::sanitize::Bodies;

use super::format::bytes as format_bytes;
use super::state::{AppState, LinkStatus, SanitizeStatus};

/// "3 header values, 2 query values" from redaction counts.
fn redacted_words(r: &Redactions) -> String {
    let parts = r.describe();
    if parts.is_empty() {
        "nothing needed masking".to_owned()
    } else {
        format!("masked {}", parts.join(", "))
    }
}

#[component]
pub fn ShareBar(state: AppState) -> impl IntoView {
    let status = move || match state.link.get() {
        LinkStatus::None => ().into_any(),
        LinkStatus::Making => view! { <p class="link-status">"Making the link…"</p> }.into_any(),
        LinkStatus::Made {
            url,
            omitted,
            redactions,
            copied,
        } => {
            let size = format!("{:.1} KB", url.len() as f64 / 1000.0);
            let headline = match copied {
                Some(true) => format!("Link copied ({size})."),
                Some(false) => format!("The clipboard refused; copy the link below ({size})."),
                None => format!("Link ready ({size})."),
            };
            view! {
                <div class="link-made" role="status">
                    <p class="link-status">{headline}" It holds the report, not the capture: no cookies, credentials, bodies or secret-looking values; "{redacted_words(&redactions)}"."</p>
                    {(!omitted.is_empty()).then(|| view! {
                        <p class="link-omitted">{format!("Left out to keep it short: {}.", omitted.join("; "))}</p>
                    })}
                    <input class="link-url" id="link-url" type="text" readonly aria-label="Report link" prop:value=url
                        on:focus=move |e| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        } />
                </div>
            }
            .into_any()
        }
    };
    view! {
        <div class="share">
            <div class="share-actions">
                <button type="button" id="copy-link" on:click=move |_| state.make_link()>"Copy link"</button>
                <Sanitize state=state />
            </div>
            {status}
            <SanitizeStatusLine state=state />
        </div>
    }
}

/// "Download sanitized HAR", with the choice of bodies kept; only with a capture behind the
/// report (not for a report opened from a link).
#[component]
fn Sanitize(state: AppState) -> impl IntoView {
    move || {
        state.shared.get().is_none().then(|| {
            view! {
                <button type="button" id="download-sanitized" on:click=move |_| state.make_sanitized()
                    title="The capture itself with cookies, credentials and secret-looking values masked: safe to attach to a ticket">
                    "Download sanitized HAR"
                </button>
                <label class="sanitize-bodies">"Bodies: "
                    <select id="sanitize-bodies" on:change=move |e| {
                        state.bodies.set(match event_target_value(&e).as_str() {
                            "none" => Bodies::None,
                            "all" => Bodies::All,
                            _ => Bodies::Errors,
                        });
                    }>
                        <option value="errors" selected>"of failed requests"</option>
                        <option value="none">"none"</option>
                        <option value="all">"all"</option>
                    </select>
                </label>
            }
        })
    }
}

#[component]
fn SanitizeStatusLine(state: AppState) -> impl IntoView {
    move || {
        match state.sanitize.get() {
        SanitizeStatus::None => ().into_any(),
        SanitizeStatus::Making => {
            view! { <p class="link-status">"Making the sanitized copy…"</p> }.into_any()
        }
        SanitizeStatus::Made {
            url,
            file_name,
            bytes,
            redactions,
        } => {
            let parts = redactions.describe();
            let what = if parts.is_empty() {
                "nothing needed redacting".to_owned()
            } else {
                format!("redacted {}", parts.join(", "))
            };
            view! {
                <p class="link-status" id="sanitized-status" role="status">
                    {format!("Saved {file_name} ({}): {what}. Made here; nothing was uploaded. ", format_bytes(bytes as u64))}
                    <a id="sanitized-file" href=url download=file_name.clone()>"Save again"</a>
                </p>
            }
            .into_any()
        }
        SanitizeStatus::Failed(error) => view! {
            <p class="link-status error" role="alert">{format!("The sanitized copy could not be made: {error}")}</p>
        }
        .into_any(),
    }
    }
}

/// Says that this report came from a link: when the capture was made, by which release, what
/// the link left out, and that nothing can be re-analyzed.
#[component]
pub fn SharedBanner(state: AppState) -> impl IntoView {
    move || {
        state.shared.get().map(|s| {
            view! {
                <div class="shared-banner" id="shared-banner" role="note">
                    <strong>"Shared report"</strong>
                    <span>{format!(
                        " · capture from {} · made by {} · {}",
                        s.captured.clone().unwrap_or_else(|| "an unknown date".to_owned()),
                        s.made_by,
                        redacted_words(&s.redactions)
                    )}</span>
                    {(!s.omitted.is_empty()).then(|| view! {
                        <p class="link-omitted">{format!("This link left out {}.", s.omitted.join("; "))}</p>
                    })}
                    <p class="hint">"Opened from the link itself: no file and no server. Thresholds cannot change here; drop the capture to analyze it again."</p>
                </div>
            }
        })
    }
}
