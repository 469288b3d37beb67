//! The page's state, and the worker that fills it.
//!
//! A capture is handed to a fresh worker; the worker's messages update the signals the views
//! read. The previous worker is terminated first, which is the only way to give its memory
//! back.

use std::cell::RefCell;
use std::sync::Arc;

use harscope_core::profile::ProfileThresholds;
use harscope_core::view::{EntryDetail, RequestRow};
use harscope_core::{ProfileReport, Report, Thresholds};
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};

use harscope_core::link;
use harscope_core::redact::Redactions;

use harscope_core::sanitize::{Bodies, SanitizeOptions};

use crate::protocol::{
    self, AnalyzeRequest, DetailRequest, Failure, LinkMade, LoadTimings, Loaded, Progress,
    Sanitized, Settings,
};

/// A report opened from a link: what the report itself does not say.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    /// When the capture was recorded.
    pub captured: Option<String>,
    /// The harscope release that made the link.
    pub made_by: String,
    /// What the link left out to fit.
    pub omitted: Vec<String>,
    /// The detail of the requests findings name.
    pub details: Vec<EntryDetail>,
    pub redactions: Redactions,
}

/// The "Copy link" button's progress.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkStatus {
    None,
    Making,
    Made {
        url: String,
        omitted: Vec<String>,
        redactions: Redactions,
        /// Whether the clipboard took it (it may refuse: no permission, no secure context).
        copied: Option<bool>,
    },
}

/// The "Download sanitized HAR" button's progress.
#[derive(Debug, Clone, PartialEq)]
pub enum SanitizeStatus {
    None,
    Making,
    /// Saved: `url` is the copy's `blob:` address (revoked when the next copy or capture
    /// replaces it).
    Made {
        url: String,
        file_name: String,
        bytes: usize,
        redactions: Redactions,
    },
    Failed(String),
}

/// Where the page is with the current capture.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Nothing loaded yet.
    Idle,
    Loading {
        name: String,
        progress: Option<Progress>,
    },
    Failed {
        name: String,
        failure: Failure,
    },
    Ready {
        name: String,
        timings: LoadTimings,
    },
}

/// Everything the views read. `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct AppState {
    pub status: RwSignal<Status>,
    pub report: RwSignal<Option<Arc<Report>>>,
    pub rows: RwSignal<Arc<Vec<RequestRow>>>,
    pub thresholds: RwSignal<Thresholds>,
    pub profile_thresholds: RwSignal<ProfileThresholds>,
    /// The report on a React profile, when one is loaded.
    pub profile: RwSignal<Option<Arc<ProfileReport>>>,
    /// The page shown; `None` shows every page.
    pub page: RwSignal<Option<String>>,
    /// The request whose detail is open.
    pub selected: RwSignal<Option<usize>>,
    pub detail: RwSignal<Option<EntryDetail>>,
    /// Requests named by the finding last clicked, highlighted in the waterfall and table.
    pub highlighted: RwSignal<Vec<usize>>,
    /// A panic's message, shown instead of a dead page.
    pub crashed: RwSignal<Option<String>>,
    /// Set when the report came from a link rather than a file.
    pub shared: RwSignal<Option<Arc<Shared>>>,
    pub link: RwSignal<LinkStatus>,
    pub sanitize: RwSignal<SanitizeStatus>,
    /// Which bodies a sanitized copy keeps.
    pub bodies: RwSignal<Bodies>,
}

impl AppState {
    pub fn new(settings: Settings) -> Self {
        AppState {
            status: RwSignal::new(Status::Idle),
            report: RwSignal::new(None),
            rows: RwSignal::new(Arc::new(Vec::new())),
            thresholds: RwSignal::new(settings.thresholds),
            profile_thresholds: RwSignal::new(settings.profile),
            profile: RwSignal::new(None),
            page: RwSignal::new(None),
            selected: RwSignal::new(None),
            detail: RwSignal::new(None),
            highlighted: RwSignal::new(Vec::new()),
            crashed: RwSignal::new(None),
            shared: RwSignal::new(None),
            link: RwSignal::new(LinkStatus::None),
            sanitize: RwSignal::new(SanitizeStatus::None),
            bodies: RwSignal::new(Bodies::default()),
        }
    }

    /// Shows the report a link carries (`text`: the link, or its fragment). Nothing is read
    /// from any server: the report is in the fragment.
    pub fn open_link(self, text: &str) {
        self.clear();
        match link::decode(text) {
            Ok(shared) => {
                let report = shared.report;
                let name = report
                    .source
                    .file
                    .clone()
                    .unwrap_or_else(|| "shared report".to_owned());
                let several = report.summary.len() > 1;
                let first_page = report.summary.first().and_then(|p| p.page.clone());
                self.page.set(if several { first_page } else { None });
                self.shared.set(Some(Arc::new(Shared {
                    captured: shared.captured,
                    made_by: format!("{} {}", report.tool.name, report.tool.version),
                    omitted: shared.omitted.describe(),
                    details: shared.details,
                    redactions: shared.redactions,
                })));
                self.thresholds.set(report.thresholds);
                self.report.set(Some(Arc::new(report)));
                self.rows.set(Arc::new(shared.rows));
                self.status.set(Status::Ready {
                    name,
                    timings: LoadTimings::default(),
                });
            }
            Err(e) => self.status.set(Status::Failed {
                name: "This report link".to_owned(),
                failure: Failure {
                    message: e.to_string(),
                    position: None,
                },
            }),
        }
    }

    /// Forgets the report shown, before another is loaded.
    fn clear(self) {
        self.report.set(None);
        self.profile.set(None);
        self.rows.set(Arc::new(Vec::new()));
        self.selected.set(None);
        self.detail.set(None);
        self.highlighted.set(Vec::new());
        self.shared.set(None);
        self.link.set(LinkStatus::None);
        self.set_sanitize(SanitizeStatus::None);
    }

    /// Replaces the sanitize status, giving back the previous copy's `blob:` address.
    fn set_sanitize(self, next: SanitizeStatus) {
        if let SanitizeStatus::Made { url, .. } = self.sanitize.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        self.sanitize.set(next);
    }

    /// Asks the worker for a sanitized copy of the capture; it is saved when it arrives.
    pub fn make_sanitized(self) {
        if self.shared.get_untracked().is_some() || self.report.get_untracked().is_none() {
            return;
        }
        self.set_sanitize(SanitizeStatus::Making);
        send(message(
            protocol::SANITIZE,
            &SanitizeOptions {
                bodies: self.bodies.get_untracked(),
            },
        ));
    }

    /// The worker's sanitized copy: offered as a download at once.
    fn receive_sanitized(self, json: &str, blob: Option<Blob>) {
        let made = match serde_json::from_str::<Sanitized>(json) {
            Ok(made) => made,
            Err(e) => {
                self.set_sanitize(SanitizeStatus::Failed(format!(
                    "the worker's answer could not be read: {e}"
                )));
                return;
            }
        };
        let url = match (made.error, blob) {
            (Some(error), _) => {
                self.set_sanitize(SanitizeStatus::Failed(error));
                return;
            }
            (None, None) => {
                self.set_sanitize(SanitizeStatus::Failed("the worker sent no file".to_owned()));
                return;
            }
            (None, Some(blob)) => match web_sys::Url::create_object_url_with_blob(&blob) {
                Ok(url) => url,
                Err(e) => {
                    self.set_sanitize(SanitizeStatus::Failed(format!("{e:?}")));
                    return;
                }
            },
        };
        save_as(&url, &made.file_name);
        self.set_sanitize(SanitizeStatus::Made {
            url,
            file_name: made.file_name,
            bytes: made.bytes,
            redactions: made.redactions,
        });
    }

    /// Asks the worker for a link to the report shown, with the thresholds shown.
    pub fn make_link(self) {
        if self.shared.get_untracked().is_some() {
            // A shared report's link is the address it was opened from.
            let url = window().location().href().unwrap_or_default();
            let shared = self.shared.get_untracked();
            self.link.set(LinkStatus::Made {
                url: url.clone(),
                omitted: shared
                    .as_ref()
                    .map(|s| s.omitted.clone())
                    .unwrap_or_default(),
                redactions: shared.map(|s| s.redactions.clone()).unwrap_or_default(),
                copied: None,
            });
            copy_to_clipboard(self, url);
            return;
        }
        self.link.set(LinkStatus::Making);
        send(message(protocol::LINK, &self.settings()));
    }

    /// Reads and analyzes a file (or pasted text, or the sample) in a fresh worker.
    pub fn load(self, blob: Blob, name: String) {
        self.status.set(Status::Loading {
            name: name.clone(),
            progress: None,
        });
        self.clear();
        forget_link_in_address();
        let request = AnalyzeRequest {
            name: name.clone(),
            settings: self.settings(),
        };
        let message = message(protocol::ANALYZE, &request);
        let _ = Reflect::set(&message, &"file".into(), &blob);
        if let Err(e) = start_worker(self, message) {
            self.status.set(Status::Failed {
                name,
                failure: Failure {
                    message: format!("the analysis worker could not start: {e}"),
                    position: None,
                },
            });
        }
    }

    /// Every threshold, as the settings hold them now.
    pub fn settings(self) -> Settings {
        Settings {
            thresholds: self.thresholds.get_untracked(),
            profile: self.profile_thresholds.get_untracked(),
        }
    }

    /// Runs the rules again with the current thresholds, on what the worker holds.
    pub fn reanalyze(self) {
        // A shared report has no capture behind it to analyze again.
        if self.shared.get_untracked().is_some() {
            return;
        }
        if self.report.get_untracked().is_some() || self.profile.get_untracked().is_some() {
            send(message(protocol::REANALYZE, &self.settings()));
        }
    }

    /// Opens a request's detail (the worker sends it).
    pub fn open(self, entry: usize) {
        self.selected.set(Some(entry));
        self.detail.set(None);
        if let Some(shared) = self.shared.get_untracked() {
            self.detail
                .set(shared.details.iter().find(|d| d.entry == entry).cloned());
            return;
        }
        send(message(protocol::DETAIL, &DetailRequest { entry }));
    }

    fn receive(self, kind: &str, json: &str) {
        match kind {
            protocol::PROGRESS => {
                if let Ok(progress) = serde_json::from_str::<Progress>(json) {
                    self.status.update(|s| {
                        if let Status::Loading { progress: p, .. } = s {
                            *p = Some(progress);
                        }
                    });
                }
            }
            protocol::LOADED => match serde_json::from_str::<Loaded>(json) {
                Ok(loaded) => {
                    prepare_spare_later(self);
                    let name = loaded.report.source.file.clone().unwrap_or_default();
                    let first_page = loaded.report.summary.first().and_then(|p| p.page.clone());
                    let several = loaded.report.summary.len() > 1;
                    self.page.set(if several { first_page } else { None });
                    self.report.set(Some(Arc::new(loaded.report)));
                    self.status.set(Status::Ready {
                        name,
                        timings: loaded.timings,
                    });
                }
                Err(e) => self.fail(format!("the worker's answer could not be read: {e}")),
            },
            protocol::ROWS => match serde_json::from_str::<Vec<RequestRow>>(json) {
                Ok(rows) => self.rows.set(Arc::new(rows)),
                Err(e) => self.fail(format!("the worker's answer could not be read: {e}")),
            },
            protocol::PROFILE => match serde_json::from_str::<ProfileReport>(json) {
                Ok(report) => {
                    let first = matches!(self.status.get_untracked(), Status::Loading { .. });
                    let name = report.source.file.clone().unwrap_or_default();
                    self.profile.set(Some(Arc::new(report)));
                    if first {
                        prepare_spare_later(self);
                        self.status.set(Status::Ready {
                            name,
                            timings: LoadTimings::default(),
                        });
                    }
                }
                Err(e) => self.fail(format!("the worker's answer could not be read: {e}")),
            },
            protocol::REPORT => {
                if let Ok(report) = serde_json::from_str::<Report>(json) {
                    self.report.set(Some(Arc::new(report)));
                }
            }
            protocol::LINK_MADE => {
                if let Ok(made) = serde_json::from_str::<LinkMade>(json) {
                    let url = link::url(&app_address(), &made.fragment);
                    self.link.set(LinkStatus::Made {
                        url: url.clone(),
                        omitted: made.omitted,
                        redactions: made.redactions,
                        copied: None,
                    });
                    copy_to_clipboard(self, url);
                }
            }
            protocol::ENTRY => {
                if let Ok(detail) = serde_json::from_str::<EntryDetail>(json) {
                    if self.selected.get_untracked() == Some(detail.entry) {
                        self.detail.set(Some(detail));
                    }
                }
            }
            protocol::FAILED => {
                let failure = serde_json::from_str::<Failure>(json).unwrap_or(Failure {
                    message: json.to_owned(),
                    position: None,
                });
                let name = match self.status.get_untracked() {
                    Status::Loading { name, .. } | Status::Ready { name, .. } => name,
                    Status::Failed { name, .. } => name,
                    Status::Idle => String::new(),
                };
                self.status.set(Status::Failed { name, failure });
                prepare_spare(self);
            }
            _ => {}
        }
    }

    fn fail(self, message: String) {
        self.status.set(Status::Failed {
            name: String::new(),
            failure: Failure {
                message,
                position: None,
            },
        });
    }
}

/// This page's address without its fragment: where links open.
fn app_address() -> String {
    let location = window().location();
    format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

/// Drops a shared report's fragment from the address bar once a file replaces it, so that
/// reloading shows the file's page, not the old link.
fn forget_link_in_address() {
    let location = window().location();
    if location.hash().is_ok_and(|h| !h.is_empty()) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&app_address()));
        }
    }
}

/// Starts the browser's download of `url` under `file_name`.
fn save_as(url: &str, file_name: &str) {
    let Some(document) = window().document() else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        let _ = a.set_attribute("href", url);
        let _ = a.set_attribute("download", file_name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
}

/// Puts the link on the clipboard, and records whether that worked.
fn copy_to_clipboard(state: AppState, url: String) {
    let promise = window().navigator().clipboard().write_text(&url);
    wasm_bindgen_futures::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        state.link.update(|l| {
            if let LinkStatus::Made {
                url: made,
                copied: c,
                ..
            } = l
            {
                if *made == url {
                    *c = Some(copied);
                }
            }
        });
    });
}

/// A worker, and what waits for it to be ready.
struct Connection {
    id: u32,
    worker: Worker,
    ready: bool,
    queued: Vec<Object>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// The worker holding the current capture, and a spare one started ahead of time: a fresh
/// worker needs its WebAssembly fetched, compiled and warmed up, which should not happen
/// while someone waits for a report.
#[derive(Default)]
struct Workers {
    current: Option<Connection>,
    spare: Option<Connection>,
    next_id: u32,
}

thread_local! {
    static WORKERS: RefCell<Workers> = RefCell::new(Workers::default());
}

fn message<T: serde::Serialize>(kind: &str, payload: &T) -> Object {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &kind.into());
    let json = serde_json::to_string(payload).unwrap_or_default();
    let _ = Reflect::set(&message, &"json".into(), &json.into());
    message
}

fn spawn(state: AppState) -> Result<Connection, String> {
    let id = WORKERS.with_borrow_mut(|w| {
        w.next_id += 1;
        w.next_id
    });
    let worker = Worker::new("./worker_loader.js").map_err(|e| format!("{e:?}"))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let field = |name: &str| {
            Reflect::get(&data, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let kind = field("type");
        // The worker sends its JSON as UTF-8 bytes.
        let json = || {
            Reflect::get(&data, &"json".into())
                .ok()
                .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
                .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
                .unwrap_or_default()
        };
        if kind == protocol::READY {
            let queued = WORKERS.with_borrow_mut(|w| {
                [w.current.as_mut(), w.spare.as_mut()]
                    .into_iter()
                    .flatten()
                    .find(|c| c.id == id)
                    .map(|c| {
                        c.ready = true;
                        std::mem::take(&mut c.queued)
                    })
                    .unwrap_or_default()
            });
            for m in queued {
                send(m);
            }
            return;
        }
        // Only the current worker's answers count; an old one's are stale.
        if WORKERS.with_borrow(|w| w.current.as_ref().is_some_and(|c| c.id == id)) {
            if kind == protocol::SANITIZED {
                let blob = Reflect::get(&data, &"blob".into())
                    .ok()
                    .and_then(|b| b.dyn_into::<Blob>().ok());
                state.receive_sanitized(&json(), blob);
            } else {
                state.receive(&kind, &json());
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if WORKERS.with_borrow(|w| w.current.as_ref().is_some_and(|c| c.id == id)) {
            state.fail("the analysis worker stopped unexpectedly (out of memory?)".to_owned());
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Connection {
        id,
        worker,
        ready: false,
        queued: Vec::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Starts the spare worker once the report is drawn: its start-up (compiling, warming up)
/// would otherwise compete with drawing the report for the machine's cores.
fn prepare_spare_later(state: AppState) {
    set_timeout(
        move || prepare_spare(state),
        std::time::Duration::from_millis(SPARE_DELAY_MS),
    );
}

/// How long after a report arrives the spare worker starts: after the waterfall and table
/// are drawn, long before a person drops the next file.
const SPARE_DELAY_MS: u64 = 1500;

/// Starts the spare worker if there is none.
pub fn prepare_spare(state: AppState) {
    if WORKERS.with_borrow(|w| w.spare.is_some()) {
        return;
    }
    if let Ok(c) = spawn(state) {
        WORKERS.with_borrow_mut(|w| w.spare = Some(c));
    }
}

/// Makes the spare worker (or a new one) current, ends the old one, and sends it `first`.
fn start_worker(state: AppState, first: Object) -> Result<(), String> {
    let spare = WORKERS.with_borrow_mut(|w| w.spare.take());
    let mut next = match spare {
        Some(c) => c,
        None => spawn(state)?,
    };
    next.queued.push(first);
    let old = WORKERS.with_borrow_mut(|w| w.current.replace(next));
    if let Some(old) = old {
        old.worker.terminate();
    }
    // A ready spare gets its message at once.
    let queued = WORKERS.with_borrow_mut(|w| {
        w.current
            .as_mut()
            .filter(|c| c.ready)
            .map(|c| std::mem::take(&mut c.queued))
            .unwrap_or_default()
    });
    for m in queued {
        send(m);
    }
    Ok(())
}

/// Posts a message to the current worker, or queues it until the worker is ready.
fn send(message: Object) {
    WORKERS.with_borrow_mut(|w| match w.current.as_mut() {
        Some(c) if c.ready => {
            let _ = c.worker.post_message(&message);
        }
        Some(c) => c.queued.push(message),
        None => {}
    });
}

/// A `Blob` holding text (pasted JSON).
pub fn text_blob(text: &str) -> Option<Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    Blob::new_with_str_sequence(&parts).ok()
}
