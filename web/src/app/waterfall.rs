//! The waterfall, like the Network panel's: one row per request, bars split by timing phase in
//! DevTools' colors, DOMContentLoaded and onLoad lines, the gaps blocking requests caused, and
//! failed requests marked. Only the rows in view are drawn, so thousands scroll smoothly.

use std::sync::Arc;

use harscope_core::view::find_row;
use harscope_core::view::RequestRow;
use harscope_core::Report;
use leptos::ev;
use leptos::prelude::*;

use super::format::{duration, opt_bytes, opt_duration, path_of};
use super::state::AppState;

const ROW_H: f64 = 20.0;
const AXIS_H: f64 = 24.0;
const LABEL_W: f64 = 300.0;
/// Width of the time axis at zoom 1, in pixels.
const BASE_W: f64 = 760.0;
/// Rows drawn beyond the visible ones, above and below.
const OVERSCAN: usize = 10;
/// Height of the scrolling view, in pixels (matches the stylesheet).
const VIEW_H: f64 = 480.0;

/// Phases in drawing order, with DevTools' colors (also in the legend).
pub const PHASES: [(&str, &str); 7] = [
    ("blocked", "#9e9e9e"),
    ("dns", "#009688"),
    ("connect", "#ff9800"),
    ("ssl", "#9c27b0"),
    ("send", "#03a9f4"),
    ("wait", "#43a047"),
    ("receive", "#1e88e5"),
];

/// A row's bar segments: (phase, start ms, length ms). `ssl` is drawn inside `connect`.
pub fn segments(row: &RequestRow) -> Vec<(&'static str, f64, f64)> {
    let Some(start) = row.start_ms else {
        return Vec::new();
    };
    let p = &row.phases;
    let connect = p.connect.map(|c| (c - p.ssl.unwrap_or(0.0)).max(0.0));
    let values = [p.blocked, p.dns, connect, p.ssl, p.send, p.wait, p.receive];
    let mut at = start;
    let mut out = Vec::new();
    for ((name, _), v) in PHASES.iter().zip(values) {
        if let Some(len) = v.filter(|l| *l > 0.0) {
            out.push((*name, at, len));
            at += len;
        }
    }
    if out.is_empty() {
        if let Some(d) = row.duration_ms.filter(|d| *d > 0.0) {
            out.push(("blocked", start, d));
        }
    }
    out
}

fn color(phase: &str) -> &'static str {
    PHASES
        .iter()
        .find(|(n, _)| *n == phase)
        .map_or("#9e9e9e", |(_, c)| c)
}

fn failed(row: &RequestRow) -> bool {
    row.status.is_none_or(|s| s <= 0 || s >= 400) || row.failure.is_some()
}

/// Gaps left by blocking requests on this page: (start ms, end ms, blocker entry).
fn blocking_gaps(
    report: &Report,
    page: &Option<String>,
    rows: &[RequestRow],
) -> Vec<(f64, f64, usize)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == "waterfall-blocking" && (page.is_none() || f.page == *page))
        .filter_map(|f| {
            let gap = f.evidence.get("gap_ms")?.as_f64()?;
            let end = f.entries[1..]
                .iter()
                .filter_map(|&i| find_row(rows, i)?.start_ms)
                .reduce(f64::min)?;
            Some((end - gap, end, f.entries[0]))
        })
        .collect()
}

/// "Nice" tick spacing for a span of `ms` over roughly eight ticks.
fn tick_step(ms: f64) -> f64 {
    let raw = (ms / 8.0).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

#[component]
pub fn Waterfall(state: AppState) -> impl IntoView {
    let zoom = RwSignal::new(1.0f64);
    let scroll_top = RwSignal::new(0.0f64);
    let hovered = RwSignal::new(None::<usize>);

    // The page's rows (indices into `state.rows`), by start time.
    let order = Memo::new(move |_| {
        let page = state.page.get();
        state.rows.with(|all| {
            let mut shown: Vec<usize> = (0..all.len())
                .filter(|&i| page.is_none() || all[i].page == page)
                .collect();
            let start = |i: usize| all[i].start_ms.unwrap_or(f64::MAX);
            harscope_core::sort::sort_by(&mut shown, |&a, &b| {
                start(a).total_cmp(&start(b)).then(a.cmp(&b))
            });
            Arc::new(shown)
        })
    });
    let span_ms = Memo::new(move |_| {
        let order = order.get();
        state.rows.with(|all| {
            order
                .iter()
                .filter_map(|&i| Some(all[i].start_ms? + all[i].duration_ms.unwrap_or(0.0)))
                .fold(1.0f64, f64::max)
        })
    });
    let scale = move || BASE_W * zoom.get() / span_ms.get();
    let page_marks = move || {
        let page = state.page.get();
        state
            .report
            .get()
            .map(|r| {
                let pages: Vec<_> = r
                    .summary
                    .iter()
                    .filter(|p| page.is_none() || p.page == page)
                    .collect();
                if pages.len() == 1 {
                    (pages[0].dom_content_loaded_ms, pages[0].on_load_ms)
                } else {
                    (None, None)
                }
            })
            .unwrap_or((None, None))
    };

    let on_wheel = move |e: ev::WheelEvent| {
        if e.ctrl_key() {
            e.prevent_default();
            let factor = if e.delta_y() < 0.0 { 1.25 } else { 0.8 };
            zoom.update(|z| *z = (*z * factor).clamp(0.25, 200.0));
        }
    };

    let body = move || {
        let order = order.get();
        let all = state.rows.get();
        let scale = scale();
        let total_h = AXIS_H + order.len() as f64 * ROW_H;
        let width = LABEL_W + BASE_W * zoom.get() + 20.0;
        let first = ((scroll_top.get() - AXIS_H) / ROW_H).floor().max(0.0) as usize;
        let first = first.saturating_sub(OVERSCAN);
        let last = (first + (VIEW_H / ROW_H) as usize + 2 * OVERSCAN).min(order.len());
        let first = first.min(last);
        let highlighted = state.highlighted.get();
        let selected = state.selected.get();
        let x = move |ms: f64| LABEL_W + ms * scale;

        let step = tick_step(span_ms.get() / zoom.get().max(1.0));
        let ticks: Vec<f64> = (0..)
            .map(|i| i as f64 * step)
            .take_while(|t| *t <= span_ms.get())
            .take(400)
            .collect();
        let axis = ticks
            .into_iter()
            .map(|t| {
                view! {
                    <line class="tick" x1=x(t) x2=x(t) y1=AXIS_H - 6.0 y2=total_h />
                    <text class="tick-label" x=x(t) + 3.0 y=AXIS_H - 9.0>{duration(t)}</text>
                }
            })
            .collect_view();

        let (dcl, on_load) = page_marks();
        let marks = [
            (dcl, "dcl", "DOMContentLoaded"),
            (on_load, "onload", "onLoad"),
        ]
        .into_iter()
        .filter_map(|(ms, class, label)| {
            ms.map(|ms| view! {
                <line class=format!("mark {class}") x1=x(ms) x2=x(ms) y1=AXIS_H - 6.0 y2=total_h>
                    <title>{format!("{label} {}", duration(ms))}</title>
                </line>
            })
        })
        .collect_view();

        let gaps = state
            .report
            .get()
            .map(|r| blocking_gaps(&r, &state.page.get(), &all))
            .unwrap_or_default();
        let gap_marks = gaps
            .iter()
            .map(|&(from, to, _)| view! {
                <rect class="blocking-gap" x=x(from) y=AXIS_H width=((to - from) * scale).max(1.0) height=total_h - AXIS_H>
                    <title>{format!("No request started for {}", duration(to - from))}</title>
                </rect>
            })
            .collect_view();
        let blockers: Vec<usize> = gaps.iter().map(|g| g.2).collect();

        let visible = order[first..last]
            .iter()
            .map(|&i| &all[i])
            .enumerate()
            .map(|(k, row)| {
                let index = first + k;
                let y = AXIS_H + index as f64 * ROW_H;
                let entry = row.entry;
                let bars = segments(row)
                    .into_iter()
                    .map(|(phase, at, len)| view! {
                        <rect class="bar" data-phase=phase x=x(at) y=y + 4.0 width=(len * scale).max(1.0) height=ROW_H - 8.0 fill=color(phase) />
                    })
                    .collect_view();
                let label = format!("{} {}", row.method, path_of(&row.url));
                let is_failed = failed(row);
                view! {
                    <g
                        class="row"
                        class:failed=is_failed
                        class:blocker=blockers.contains(&entry)
                        class:highlighted=highlighted.contains(&entry)
                        class:selected=selected == Some(entry)
                        data-entry=entry
                        tabindex="0"
                        role="button"
                        aria-label=format!("{label}: open details")
                        on:mouseenter=move |_| hovered.set(Some(entry))
                        on:focus=move |_| hovered.set(Some(entry))
                        on:click=move |_| state.open(entry)
                        on:keydown=move |e: ev::KeyboardEvent| {
                            if e.key() == "Enter" || e.key() == " " {
                                e.prevent_default();
                                state.open(entry);
                            }
                        }
                    >
                        <rect class="row-bg" x="0" y=y width=width height=ROW_H />
                        <text class="row-label" x="6" y=y + 14.0>{super::format::short_url(&label)}</text>
                        {is_failed.then(|| view! { <circle class="fail-dot" cx=LABEL_W - 10.0 cy=y + ROW_H / 2.0 r="4" /> })}
                        {bars}
                    </g>
                }
            })
            .collect_view();

        view! {
            <svg class="waterfall" width=width height=total_h role="group" aria-label="Waterfall">
                {gap_marks}
                {axis}
                {visible}
                {marks}
            </svg>
        }
    };

    let details = move || {
        let entry = hovered.get()?;
        let rows = state.rows.get();
        let row = find_row(&rows, entry)?;
        let phases = segments(row)
            .into_iter()
            .map(|(p, _, len)| format!("{p} {}", duration(len)))
            .collect::<Vec<_>>()
            .join(" · ");
        Some(format!(
            "{} {} → {} · start {} · total {} · {} · {}",
            row.method,
            row.url,
            super::format::status(row.status, row.failure.as_deref()),
            opt_duration(row.start_ms),
            opt_duration(row.duration_ms),
            opt_bytes(row.transfer_bytes),
            if phases.is_empty() {
                "no timings recorded".to_owned()
            } else {
                phases
            }
        ))
    };

    view! {
        <section class="waterfall-section" aria-label="Waterfall">
            <header class="section-head">
                <h2>"Waterfall"</h2>
                <div class="zoom" role="group" aria-label="Zoom">
                    <button type="button" aria-label="Zoom out" on:click=move |_| zoom.update(|z| *z = (*z * 0.5).max(0.25))>"−"</button>
                    <button type="button" on:click=move |_| zoom.set(1.0)>{move || format!("{:.0}%", zoom.get() * 100.0)}</button>
                    <button type="button" aria-label="Zoom in" on:click=move |_| zoom.update(|z| *z = (*z * 2.0).min(200.0))>"+"</button>
                </div>
                <ul class="legend">
                    {PHASES.iter().map(|(name, c)| view! {
                        <li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill=*c /></svg>{*name}</li>
                    }).collect_view()}
                    <li class="legend-dcl">"DOMContentLoaded"</li>
                    <li class="legend-onload">"onLoad"</li>
                    <li class="legend-gap">"blocked gap"</li>
                </ul>
            </header>
            <p class="hover-details" aria-live="polite">{move || details().unwrap_or_else(|| "Hover or focus a request for its timings; click it for everything the capture holds.".to_owned())}</p>
            <div
                class="waterfall-scroll"
                on:scroll=move |e: ev::Event| {
                    let el: web_sys::Element = event_target(&e);
                    scroll_top.set(el.scroll_top() as f64);
                }
                on:wheel=on_wheel
            >
                {body}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harscope_core::view::Phases;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn row(start: f64, phases: Phases) -> RequestRow {
        RequestRow {
            entry: 0,
            page: None,
            method: "GET".into(),
            url: "https://a.example/".into(),
            host: "a.example".into(),
            status: Some(200),
            status_text: "OK".into(),
            resource_type: "document".into(),
            mime_type: "text/html".into(),
            start_ms: Some(start),
            duration_ms: Some(100.0),
            wait_ms: phases.wait,
            phases,
            content_bytes: None,
            transfer_bytes: None,
            failure: None,
            from_cache: None,
        }
    }

    #[wasm_bindgen_test]
    fn ssl_is_drawn_inside_connect() {
        let r = row(
            10.0,
            Phases {
                dns: Some(5.0),
                connect: Some(30.0),
                ssl: Some(20.0),
                wait: Some(40.0),
                ..Default::default()
            },
        );
        let s = segments(&r);
        assert_eq!(
            s,
            vec![
                ("dns", 10.0, 5.0),
                ("connect", 15.0, 10.0),
                ("ssl", 25.0, 20.0),
                ("wait", 45.0, 40.0)
            ]
        );
    }

    #[wasm_bindgen_test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(8_000.0), 1_000.0);
        assert_eq!(tick_step(1_500.0), 200.0);
        assert_eq!(tick_step(3.0), 1.0);
    }
}
