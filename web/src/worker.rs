//! The worker: reads the dropped file as a stream of bytes (never as one JavaScript string, so
//! files past V8's 512 MB string limit work), reading each entry as soon as its bytes have
//! arrived and letting the bytes go (`har::ChunkReader`), then analyzes the capture with
//! `harscope-core`, and keeps its model to answer re-analysis, detail and link requests. A
//! sanitized copy is made from the file, read again.
//!
//! One worker serves one capture: wasm memory never shrinks, so the page terminates the worker
//! and starts a new one for the next file.

use std::cell::RefCell;

use harscope_core::har::{self, Har};
use harscope_core::profile::{self, Profile, ProfileOptions};
use harscope_core::{analyze, link, view, Options, ProfileReport};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DedicatedWorkerGlobalScope, MessageEvent, ReadableStream, ReadableStreamByobReader,
    ReadableStreamDefaultReader,
};

use harscope_core::sanitize::{sanitize, sanitized_name, SanitizeOptions};
use web_sys::BlobPropertyBag;

use crate::protocol::{
    self, AnalyzeRequest, Failure, LinkMade, LoadTimings, Loaded, Phase, Progress, Sanitized,
    Settings,
};

/// The most input a worker holds at once: a `Vec<u8>` on wasm32 is capped at `isize::MAX`
/// bytes, and parsing needs some room beside the bytes. Captures the chunk reader follows
/// hold a few MB whatever their size; the rest (React profiles, unusual or broken HARs, and
/// a sanitized copy's input) are held whole, so this is their limit.
pub const MAX_BYTES: f64 = 1_900_000_000.0;

/// How many chunk reads are pending while one is worked on.
const READ_AHEAD: usize = 4;

/// Progress messages go out at most this often (milliseconds).
const PROGRESS_EVERY_MS: f64 = 50.0;

/// What this worker holds. A capture read whole (one the chunk reader did not follow) has its
/// bytes leaked so the model can borrow them; the page ends the worker to free them.
enum Held {
    Har {
        har: Har<'static>,
        name: String,
        /// The file, and how it was read: a sanitized copy is made from it.
        file: Source,
    },
    Profile {
        profile: Profile,
        name: String,
    },
}

thread_local! {
    /// A rejection handler that does nothing, for promises whose failure is told elsewhere.
    static NO_OP: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post_text(protocol::FAILED, &serde_json::to_string(&Failure {
            message: format!("harscope hit an internal error: {info}. Please report it with the file that caused it."),
            position: None,
        }).unwrap_or_default());
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let data = event.data();
        let kind = Reflect::get(&data, &"type".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let json = Reflect::get(&data, &"json".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        match kind.as_str() {
            protocol::ANALYZE => {
                let blob: Option<Blob> = Reflect::get(&data, &"file".into())
                    .ok()
                    .and_then(|f| f.dyn_into().ok());
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = match (blob, serde_json::from_str::<AnalyzeRequest>(&json)) {
                        (Some(blob), Ok(request)) => load(blob, request).await,
                        _ => Err(Failure {
                            message: "the page sent no file to read".to_owned(),
                            position: None,
                        }),
                    };
                    match outcome {
                        // The report goes first: the page shows findings while rows are built.
                        Ok(Outcome::Har(loaded)) => {
                            post_json(protocol::LOADED, &loaded);
                            HELD.with_borrow(|held| {
                                if let Some(Held::Har { har, .. }) = held {
                                    post_json(protocol::ROWS, &view::request_rows(har));
                                }
                            });
                        }
                        Ok(Outcome::Profile(report)) => post_json(protocol::PROFILE, &report),
                        Err(failure) => post_json(protocol::FAILED, &failure),
                    }
                });
            }
            protocol::REANALYZE => {
                if let Ok(settings) = serde_json::from_str::<Settings>(&json) {
                    HELD.with_borrow(|held| match held {
                        Some(Held::Har { har, name, .. }) => {
                            post_json(
                                protocol::REPORT,
                                &analyze(har, Some(name), &settings.options()),
                            );
                        }
                        Some(Held::Profile { profile, name }) => {
                            post_json(
                                protocol::PROFILE,
                                &analyze_profile(profile, name, &settings),
                            );
                        }
                        None => {}
                    });
                }
            }
            protocol::LINK => {
                if let Ok(settings) = serde_json::from_str::<Settings>(&json) {
                    HELD.with_borrow(|held| {
                        if let Some(Held::Har { har, name, .. }) = held {
                            let report = analyze(har, Some(name), &settings.options());
                            let shared = link::share(har, &report);
                            let (fragment, carried) = link::encode(&shared, link::DEFAULT_BUDGET);
                            post_json(
                                protocol::LINK_MADE,
                                &LinkMade {
                                    fragment,
                                    omitted: carried.omitted.describe(),
                                    redactions: carried.redactions,
                                },
                            );
                        }
                    });
                }
            }
            protocol::SANITIZE => {
                if let Ok(options) = serde_json::from_str::<SanitizeOptions>(&json) {
                    let file = HELD.with_borrow(|held| match held {
                        Some(Held::Har { file, name, .. }) => Some((file.clone(), name.clone())),
                        _ => None,
                    });
                    if let Some((file, name)) = file {
                        wasm_bindgen_futures::spawn_local(async move {
                            let whole = file.read_whole(&name).await;
                            match whole {
                                Ok(bytes) => post_sanitized(&bytes, &name, &options),
                                Err(failure) => post_sanitize_failure(&name, failure.message),
                            }
                        });
                    }
                }
            }
            protocol::DETAIL => {
                if let Ok(request) = serde_json::from_str::<protocol::DetailRequest>(&json) {
                    HELD.with_borrow(|held| {
                        if let Some(Held::Har { har, .. }) = held {
                            if let Some(detail) = view::entry_detail(har, request.entry) {
                                post_json(protocol::ENTRY, &detail);
                            }
                        }
                    });
                }
            }
            _ => {}
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    warm_up();
    post_text(protocol::READY, "");
}

/// Runs the reader and the rules over a small synthetic capture, so that the browser has
/// compiled their hot paths with its optimizing tier before a real capture arrives. The page
/// starts workers ahead of time, so this costs no one any waiting.
fn warm_up() {
    let mut doc = String::from(
        r#"{"log": {"version": "1.2", "pages": [{"id": "p", "startedDateTime": "2026-01-01T00:00:00Z", "pageTimings": {"onLoad": 900}}], "entries": ["#,
    );
    let body = r#"{\"items\": [{\"id\": 1, \"name\": \"caf\u00e9\"}]}"#.repeat(400);
    for i in 0..300 {
        if i > 0 {
            doc.push(',');
        }
        let status = if i % 50 == 0 { 500 } else { 200 };
        doc.push_str(&format!(
            r#"{{"pageref": "p", "startedDateTime": "2026-01-01T00:00:0{}.{:03}Z", "time": 120.5,
            "request": {{"method": "GET", "url": "https://warm.example/api/{i}?q=1", "httpVersion": "h2",
              "headers": [{{"name": "accept", "value": "*/*"}}, {{"name": "x-request-id", "value": "r{i}"}}], "cookies": []}},
            "response": {{"status": {status}, "statusText": "", "headers": [{{"name": "content-type", "value": "application/json"}}],
              "cookies": [], "content": {{"size": 9000, "mimeType": "application/json", "text": "{body}"}}, "_transferSize": 3000}},
            "timings": {{"blocked": 1, "dns": -1, "connect": -1, "ssl": -1, "send": 0.5, "wait": 100, "receive": 19}},
            "_initiator": {{"type": "script", "stack": {{"callFrames": []}}}}, "_resourceType": "fetch"}}"#,
            i / 100,
            i % 1000
        ));
    }
    doc.push_str("]}}");
    for _ in 0..3 {
        // The way a file is read: entries as the chunks arrive, then the rest.
        if let Ok(parsed) =
            har::parse_in_chunks(doc.as_bytes(), 65_536, har::ChunkReader::DEFAULT_BATCH)
        {
            let report = analyze(&parsed, None, &Options::default());
            let rows = view::request_rows(&parsed);
            let _ = serde_json::to_string(&report).map(|r| r.len() + rows.len());
        }
    }
}

/// The size of this worker's wasm memory (it only grows).
fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        .into()
}

fn now() -> f64 {
    scope().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// What a file turned out to be, analyzed.
enum Outcome {
    Har(Box<Loaded>),
    Profile(Box<ProfileReport>),
}

fn analyze_profile(profile: &Profile, name: &str, settings: &Settings) -> ProfileReport {
    let options = ProfileOptions {
        thresholds: settings.profile,
        skip: Vec::new(),
    };
    profile::analyze(profile, Some(name), &options)
}

async fn load(blob: Blob, request: AnalyzeRequest) -> Result<Outcome, Failure> {
    let total = blob.size();
    let started = now();
    let mut source = Source {
        blob,
        size: total,
        gzip: false,
        utf16: None,
    };
    // Entries are read as their bytes arrive, and their bytes let go: a capture takes the
    // memory of its model, not of its file, so files past what a tab can hold still read.
    let reader = loop {
        let mut reader = if source.gzip || source.utf16.is_some() {
            har::ChunkReader::of_unknown_length(har::ChunkReader::DEFAULT_BATCH)
        } else {
            har::ChunkReader::new(total as usize)
        };
        let mut stopped: Option<Failure> = None;
        let mut gzipped = false;
        let mut utf16 = None;
        let mut first = true;
        source
            .read(&mut |chunk| {
                let len = chunk.length() as usize;
                if std::mem::take(&mut first) {
                    // A compressed, archived, UTF-16 or binary file is told by its first
                    // bytes; a gzip-compressed or UTF-16 one is read again through the
                    // browser's decompressor or text decoder.
                    let head = chunk.subarray(0, len.min(har::SNIFF_LEN) as u32).to_vec();
                    if !source.gzip && head.starts_with(&[0x1f, 0x8b]) {
                        gzipped = true;
                        return false;
                    }
                    if source.utf16.is_none() {
                        utf16 = har::utf16::detect(&head);
                        if utf16.is_some() {
                            return false;
                        }
                    }
                    if let Err(e) = har::sniff_start(&head) {
                        stopped = Some(Failure {
                            message: e.to_string(),
                            position: None,
                        });
                        return false;
                    }
                }
                if reader
                    .push_with(len, |dst| chunk.copy_to_uninit(dst))
                    .is_err()
                    || reader.held() as f64 > MAX_BYTES
                {
                    stopped = Some(too_big(&request.name, &source));
                } else if reader.gave_up() && source.size_unsure_to_fit() {
                    stopped = Some(not_streamable(&request.name, &source));
                }
                stopped.is_none()
            })
            .await?;
        if let Some(failure) = stopped {
            return Err(failure);
        }
        if !gzipped && utf16.is_none() {
            break reader;
        }
        source.gzip |= gzipped;
        source.utf16 = source.utf16.or(utf16);
    };
    let read_ms = now() - started;
    let parse_started = now();
    let parsed = match reader.finish() {
        har::Finished::Read(parsed) => parsed,
        finished => {
            // Not a capture the chunk reader follows (a React profile, a broken or unusual
            // HAR): read whole, so the result and its errors are the whole-file reader's.
            let bytes: &'static [u8] = match finished {
                har::Finished::Whole(bytes) => bytes.leak(),
                _ if source.size_unsure_to_fit() => {
                    return Err(not_streamable(&request.name, &source))
                }
                _ => source.read_whole(&request.name).await?.leak(),
            };
            // Told apart by content, never by the file's name.
            if profile::detect(bytes) == profile::Kind::Profile {
                return load_profile(bytes, request);
            }
            let size = bytes.len() as f64;
            let mut last = now();
            let mut report_progress = |done: usize| {
                let t = now();
                if t - last >= PROGRESS_EVERY_MS {
                    last = t;
                    post_progress(Phase::Parsing, done as f64, size);
                }
            };
            har::parse_with_progress(bytes, &mut report_progress).map_err(|e| Failure {
                message: e.to_string(),
                position: e.position(),
            })?
        }
    };
    let parse_ms = now() - parse_started;

    post_progress(Phase::Analyzing, total, total);
    let analyze_started = now();
    let report = analyze(&parsed, Some(&request.name), &request.settings.options());
    let analyze_ms = now() - analyze_started;
    HELD.with_borrow_mut(|held| {
        *held = Some(Held::Har {
            har: parsed,
            name: request.name,
            file: source,
        })
    });
    Ok(Outcome::Har(Box::new(Loaded {
        report,
        timings: LoadTimings {
            read_ms,
            parse_ms,
            analyze_ms,
            memory_bytes: wasm_memory_bytes(),
        },
    })))
}

fn load_profile(bytes: &[u8], request: AnalyzeRequest) -> Result<Outcome, Failure> {
    post_progress(Phase::Parsing, bytes.len() as f64, bytes.len() as f64);
    let parsed = profile::parse(bytes).map_err(|e| Failure {
        position: match &e {
            profile::ProfileError::Json(j) => j.position(),
            _ => None,
        },
        message: e.to_string(),
    })?;
    let report = analyze_profile(&parsed, &request.name, &request.settings);
    HELD.with_borrow_mut(|held| {
        *held = Some(Held::Profile {
            profile: parsed,
            name: request.name,
        })
    });
    Ok(Outcome::Profile(Box::new(report)))
}

fn too_big(name: &str, source: &Source) -> Failure {
    let size = if source.gzip {
        "decompressed, it is larger than".to_owned()
    } else {
        format!("it is {:.1} GB: more than", source.size / 1e9)
    };
    Failure {
        message: format!(
            "{name} could not be held in this tab's memory ({size} the browser could set aside, up to {:.1} GB). Close other tabs, or analyze it with the harscope CLI, which reads files of any size.",
            MAX_BYTES / 1e9
        ),
        position: None,
    }
}

/// A file too large to hold whole that the chunk reader cannot read as it arrives.
fn not_streamable(name: &str, source: &Source) -> Failure {
    let size = if source.gzip {
        "decompressed, it may be larger".to_owned()
    } else {
        format!("it is {:.1} GB, larger", source.size / 1e9)
    };
    Failure {
        message: format!(
            "{name} is not a plain HAR capture that the browser can read as it arrives, and {size} than a browser tab can hold whole (about {:.1} GB) to tell what is wrong. Analyze it with the harscope CLI, which reads files of any size.",
            MAX_BYTES / 1e9
        ),
        position: None,
    }
}

/// A file to read: its bytes, decompressed on the way when it is gzip-compressed and turned
/// into UTF-8 when it is UTF-16 (with the browser's own `DecompressionStream` and text
/// decoder).
#[derive(Clone)]
struct Source {
    blob: Blob,
    size: f64,
    gzip: bool,
    utf16: Option<har::utf16::Utf16>,
}

impl Source {
    /// Whether the input may be too large to hold whole in this tab (UTF-16 takes up to 1.5
    /// times its size as UTF-8).
    fn size_unsure_to_fit(&self) -> bool {
        let grows = if self.utf16.is_some() { 1.5 } else { 1.0 };
        self.gzip || self.size * grows > MAX_BYTES
    }

    fn stream(&self) -> Result<ReadableStream, Failure> {
        let mut stream = self.blob.stream();
        if self.gzip {
            stream = pipe_through(&stream, "DecompressionStream", Some("gzip"))?;
        }
        if let Some(order) = self.utf16 {
            // Unpaired surrogates become U+FFFD, as `har::utf16::to_utf8` makes them.
            stream = pipe_through(&stream, "TextDecoderStream", Some(order.label()))?;
            stream = pipe_through(&stream, "TextEncoderStream", None)?;
        }
        Ok(stream)
    }

    /// Streams the input chunk by chunk to `take` (which returns false to stop), posting
    /// progress.
    async fn read(&self, take: &mut dyn FnMut(&Uint8Array) -> bool) -> Result<(), Failure> {
        // Of a decompressed or UTF-16 file, progress counts the bytes read, of an unknown
        // total.
        let (phase, total) = match (self.gzip, self.utf16) {
            (true, _) => (Phase::Decompressing, 0.0),
            (false, Some(_)) => (Phase::Reading, 0.0),
            (false, None) => (Phase::Reading, self.size),
        };
        let failed = |e: JsValue| {
            if self.gzip {
                Failure {
                    message: format!("the file is gzip-compressed and could not be decompressed (is it damaged or cut short?): {}", js_text(&e)),
                    position: None,
                }
            } else {
                read_failure(&js_text(&e))
            }
        };
        let reader = ChunkSource::open(&self.stream()?)?;
        let mut last = now();
        let mut done_bytes = 0.0;
        // Several reads are asked for ahead of the one being worked on, so the browser reads
        // on while a chunk is copied and its entries read.
        let mut pending: std::collections::VecDeque<js_sys::Promise> =
            (0..READ_AHEAD).map(|_| reader.read(None)).collect();
        while let Some(next) = pending.pop_front() {
            let chunk = JsFuture::from(next).await.map_err(failed)?;
            let done = Reflect::get(&chunk, &"done".into())
                .ok()
                .and_then(|d| d.as_bool())
                .unwrap_or(true);
            if done {
                break;
            }
            let value: Uint8Array = Reflect::get(&chunk, &"value".into())
                .map_err(|_| read_failure("a chunk without bytes"))?
                .unchecked_into();
            done_bytes += f64::from(value.length());
            if !take(&value) {
                reader.cancel();
                break;
            }
            // Only now: a byte stream's next read fills the buffer this chunk is in.
            pending.push_back(reader.read(Some(&value)));
            let t = now();
            if t - last >= PROGRESS_EVERY_MS {
                last = t;
                post_progress(phase, done_bytes, total);
            }
        }
        post_progress(phase, done_bytes, total);
        Ok(())
    }

    /// The whole input, decompressed, in one buffer.
    async fn read_whole(&self, name: &str) -> Result<Vec<u8>, Failure> {
        let mut bytes: Vec<u8> = Vec::new();
        if !self.gzip {
            bytes
                .try_reserve_exact(self.size as usize)
                .map_err(|_| too_big(name, self))?;
        }
        let mut full = false;
        self.read(&mut |chunk| {
            let len = chunk.length() as usize;
            if bytes.len() as f64 + len as f64 > MAX_BYTES || bytes.try_reserve(len).is_err() {
                full = true;
                return false;
            }
            let start = bytes.len();
            bytes.resize(start + len, 0);
            chunk.copy_to(&mut bytes[start..]);
            true
        })
        .await?;
        if full {
            return Err(too_big(name, self));
        }
        Ok(bytes)
    }
}

/// Bytes asked for by each read of a byte stream.
const BYOB_CHUNK: u32 = 1 << 20;

/// A stream's reader. A file's stream is a byte stream, read into buffers of our own
/// ("bring your own buffer"): Chromium then reads a 200 MB file in about two thirds of the
/// time its default reader takes, in larger chunks. A decompressor's output is read the
/// default way.
enum ChunkSource {
    Default(ReadableStreamDefaultReader),
    Byob(ReadableStreamByobReader),
}

impl ChunkSource {
    fn open(stream: &ReadableStream) -> Result<ChunkSource, Failure> {
        if let Ok(byob) = ReadableStreamByobReader::new(stream) {
            return Ok(ChunkSource::Byob(byob));
        }
        stream
            .get_reader()
            .dyn_into()
            .map(ChunkSource::Default)
            .map_err(|_| read_failure("the browser gave no stream reader"))
    }

    /// Asks for the next chunk; `done_with` is a chunk already taken, whose buffer a byte
    /// stream fills again.
    fn read(&self, done_with: Option<&Uint8Array>) -> js_sys::Promise {
        let next = match self {
            ChunkSource::Default(reader) => reader.read(),
            ChunkSource::Byob(reader) => {
                let buffer = match done_with {
                    Some(chunk) => Uint8Array::new(&chunk.buffer()),
                    None => Uint8Array::new_with_length(BYOB_CHUNK),
                };
                reader.read_with_array_buffer_view(&buffer)
            }
        };
        // The first failure is reported; the reads asked for after it fail too, and must not
        // surface as unhandled rejections.
        NO_OP.with(|no_op| {
            let _ = next.catch(no_op);
        });
        next
    }

    fn cancel(&self) {
        let cancelled = match self {
            ChunkSource::Default(reader) => reader.cancel(),
            ChunkSource::Byob(reader) => reader.cancel(),
        };
        NO_OP.with(|no_op| {
            let _ = cancelled.catch(no_op);
        });
    }
}

/// `stream.pipeThrough(new TRANSFORM(ARGUMENT))`, for the browser's gzip decoder and text
/// transcoders (web-sys has the first only behind its unstable-APIs flag).
fn pipe_through(
    stream: &ReadableStream,
    transform: &str,
    argument: Option<&str>,
) -> Result<ReadableStream, Failure> {
    let constructor: js_sys::Function = Reflect::get(&js_sys::global(), &transform.into())
        .map_err(js_failure)?
        .dyn_into()
        .map_err(js_failure)?;
    let arguments = js_sys::Array::new();
    if let Some(argument) = argument {
        arguments.push(&argument.into());
    }
    let transform = Reflect::construct(&constructor, &arguments).map_err(js_failure)?;
    let pipe: js_sys::Function = Reflect::get(stream, &"pipeThrough".into())
        .map_err(js_failure)?
        .dyn_into()
        .map_err(js_failure)?;
    Ok(pipe
        .call1(stream, &transform)
        .map_err(js_failure)?
        .unchecked_into())
}

fn js_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

fn js_failure(e: JsValue) -> Failure {
    read_failure(&js_text(&e))
}

fn read_failure(detail: &str) -> Failure {
    Failure {
        message: format!("the file could not be read ({detail}); was it moved or deleted?"),
        position: None,
    }
}

/// Collects output into a `Blob`'s parts a few MB at a time, so a copy of a large capture
/// never sits whole in wasm memory beside the capture itself.
struct BlobParts {
    parts: js_sys::Array,
    buffer: Vec<u8>,
    written: usize,
}

impl BlobParts {
    const CHUNK: usize = 4 << 20;

    fn flush_part(&mut self) {
        if !self.buffer.is_empty() {
            self.parts.push(&Uint8Array::from(self.buffer.as_slice()));
            self.written += self.buffer.len();
            self.buffer.clear();
        }
    }
}

impl std::io::Write for BlobParts {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= Self::CHUNK {
            self.flush_part();
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.flush_part();
        Ok(())
    }
}

/// Makes the sanitized copy and posts it to the page as a `Blob`.
fn post_sanitized(bytes: &[u8], name: &str, options: &SanitizeOptions) {
    let mut out = BlobParts {
        parts: js_sys::Array::new(),
        buffer: Vec::with_capacity(BlobParts::CHUNK + (64 << 10)),
        written: 0,
    };
    let file_name = sanitized_name(name);
    let result = sanitize(bytes, options, &mut out);
    out.flush_part();
    let blob = result.as_ref().ok().and_then(|_| {
        let bag = BlobPropertyBag::new();
        bag.set_type("application/json");
        Blob::new_with_u8_array_sequence_and_options(&out.parts, &bag).ok()
    });
    let made = Sanitized {
        file_name,
        bytes: out.written,
        redactions: result.as_ref().cloned().unwrap_or_default(),
        error: match (&result, &blob) {
            (Err(e), _) => Some(e.to_string()),
            (Ok(_), None) => Some("the browser could not hold the sanitized copy".to_owned()),
            _ => None,
        },
    };
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &protocol::SANITIZED.into());
    let json = serde_json::to_string(&made).unwrap_or_default();
    let _ = Reflect::set(&message, &"json".into(), &Uint8Array::from(json.as_bytes()));
    if let Some(blob) = blob {
        let _ = Reflect::set(&message, &"blob".into(), &blob);
    }
    let _ = scope().post_message(&message);
}

fn post_sanitize_failure(name: &str, error: String) {
    let made = Sanitized {
        file_name: sanitized_name(name),
        bytes: 0,
        redactions: Default::default(),
        error: Some(error),
    };
    post_json(protocol::SANITIZED, &made);
}

fn post_progress(phase: Phase, done: f64, total: f64) {
    post_json(protocol::PROGRESS, &Progress { phase, done, total });
}

fn post_json<T: serde::Serialize>(kind: &str, value: &T) {
    match serde_json::to_string(value) {
        Ok(json) => post_text(kind, &json),
        Err(e) => post_text(
            protocol::FAILED,
            &format!(r#"{{"message": "could not send the result: {e}", "position": null}}"#),
        ),
    }
}

/// Posts `json` as UTF-8 bytes: one copy out of wasm memory here and one into it on the page,
/// where a string would be decoded here and encoded again there a character at a time.
fn post_text(kind: &str, json: &str) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &kind.into());
    let _ = Reflect::set(&message, &"json".into(), &Uint8Array::from(json.as_bytes()));
    let _ = scope().post_message(&message);
}
