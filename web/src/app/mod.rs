//! The page: a drop zone, then the report, waterfall, request table and request detail.
//!
//! Every string from a capture reaches the DOM as text through Leptos' views (never as HTML),
//! and links are never built from capture URLs.

mod detail;
mod flame;
pub mod format;
mod input;
pub mod profile;
mod report;
pub mod settings;
mod share;
pub mod state;
pub mod table;
pub mod waterfall;

use leptos::ev;
use leptos::prelude::*;

use state::{AppState, Status};

pub fn start() {
    let state = AppState::new(settings::from_url());
    // A panic must not leave a dead page: show what happened, in the page, as text.
    std::panic::set_hook(Box::new(move |info| {
        let message = format!("{info}");
        web_sys::console::error_1(&message.clone().into());
        state.crashed.set(Some(message));
    }));
    leptos::mount::mount_to_body(move || view! { <App state=state /> });
    open_link_in_address(state);
    // A link pasted into this tab's address bar changes only the fragment: no reload.
    let _ = window_event_listener(ev::hashchange, move |_| open_link_in_address(state));
    state::prepare_spare(state);
}

/// Opens the report link in the address's fragment, if there is one.
fn open_link_in_address(state: AppState) {
    let hash = window().location().hash().unwrap_or_default();
    // `#r1.…`; any other fragment is not a link (and newer formats get their message).
    if hash.starts_with("#r") && hash.contains('.') {
        state.open_link(&hash);
    }
}

/// The whole page, for tests that mount it.
#[component]
pub fn App(state: AppState) -> impl IntoView {
    input::listen_for_drops_and_pastes(state);
    view! {
        <header class="top">
            <h1 class="brand">"harscope"</h1>
            <p class="tagline">"What went wrong in a HAR capture or a React profile: failed calls, slow servers, blocking requests, slow renders. Nothing leaves your machine."</p>
            <input::Toolbar state=state />
        </header>
        <main id="main">
            {move || state.crashed.get().map(|message| view! {
                <div class="crash" role="alert">
                    <strong>"harscope hit an internal error. "</strong>
                    <span>{message}</span>
                    <span>" Reload the page to continue."</span>
                </div>
            })}
            {move || match state.status.get() {
                Status::Idle => view! { <input::Welcome state=state /> }.into_any(),
                Status::Loading { name, progress } => view! { <input::Loading name=name progress=progress /> }.into_any(),
                Status::Failed { name, failure } => view! { <input::Failed name=name failure=failure /> }.into_any(),
                Status::Ready { .. } if state.profile.with(Option::is_some) => {
                    view! { <profile::ProfileView state=state /> }.into_any()
                }
                Status::Ready { .. } => view! { <report::Report state=state /> }.into_any(),
            }}
        </main>
        <input::DropOverlay />
    }
}
