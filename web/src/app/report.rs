//! The report: where the capture came from, summary cards, the findings by severity, then the
//! waterfall, the request table and the open request's detail.

use std::sync::Arc;

use harscope_core::view::find_row;
use harscope_core::{Finding, Report as CoreReport, Severity};
use leptos::prelude::*;

use super::format::{bytes, duration, opt_duration, short_url};
use super::state::{AppState, Status};

/// Findings of the page shown (all pages when none is chosen).
fn findings_shown<'r>(
    report: &'r CoreReport,
    page: &'r Option<String>,
) -> impl Iterator<Item = &'r Finding> + 'r {
    report
        .findings
        .iter()
        .filter(move |f| page.is_none() || f.page == *page)
}

#[component]
pub fn Report(state: AppState) -> impl IntoView {
    let report = move || state.report.get();
    let has_rows = Memo::new(move |_| state.rows.with(|rows| !rows.is_empty()));
    view! {
        {move || report().map(|r| view! {
            <section class="report" aria-label="Report">
                <super::share::SharedBanner state=state />
                <Source report=r.clone() state=state />
                <super::share::ShareBar state=state />
                <PagePicker report=r.clone() state=state />
                <Cards report=r.clone() state=state />
                <Findings report=r state=state />
            </section>
        })}
        // The waterfall and the table wait for the rows, which arrive just after the
        // findings: the findings paint first.
        {move || has_rows.get().then(|| view! {
            <super::waterfall::Waterfall state=state />
            <super::table::Table state=state />
        })}
        <super::detail::Detail state=state />
    }
}

#[component]
fn Source(report: Arc<CoreReport>, state: AppState) -> impl IntoView {
    let s = &report.source;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(s.creator.clone());
    parts.extend(s.browser.clone().filter(|b| Some(b) != s.creator.as_ref()));
    parts.extend(s.har_version.clone().map(|v| format!("HAR {v}")));
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    parts.push(plural(s.entries, "request", "requests"));
    parts.push(plural(s.pages, "page", "pages"));
    let timing = move || match state.status.get() {
        Status::Ready { .. } if state.shared.with(Option::is_some) => String::new(),
        Status::Ready { timings, .. } => format!(
            "read in {}, parsed in {}, analyzed in {}; {} of memory",
            duration(timings.read_ms),
            duration(timings.parse_ms),
            duration(timings.analyze_ms),
            bytes(timings.memory_bytes as u64)
        ),
        _ => String::new(),
    };
    view! {
        <header class="source">
            <h2 class="file-name">{s.file.clone().unwrap_or_default()}</h2>
            <p class="source-line">{parts.join(" · ")}</p>
            <p class="load-timing">{timing}</p>
        </header>
    }
}

#[component]
fn PagePicker(report: Arc<CoreReport>, state: AppState) -> impl IntoView {
    if report.summary.len() < 2 {
        return ().into_any();
    }
    let options: Vec<(String, String)> = report
        .summary
        .iter()
        .map(|p| {
            let id = p.page.clone().unwrap_or_default();
            let label = match (&p.page, &p.title) {
                (Some(id), Some(t)) if !t.is_empty() => format!("{id}: {}", short_url(t)),
                (Some(id), _) => id.clone(),
                (None, _) => "requests outside any page".to_owned(),
            };
            (id, label)
        })
        .collect();
    view! {
        <label class="page-picker">
            <span>"Page "</span>
            <select
                id="page-select"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.page.set(if v == "*" { None } else { Some(v) });
                }
            >
                <option value="*" selected=move || state.page.get().is_none()>"All pages"</option>
                {options.into_iter().map(|(id, label)| {
                    let current = id.clone();
                    view! { <option value=id selected=move || state.page.get().as_deref() == Some(current.as_str())>{label}</option> }
                }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

#[component]
fn Cards(report: Arc<CoreReport>, state: AppState) -> impl IntoView {
    let r = report.clone();
    let cards = move || {
        let page = state.page.get();
        let pages: Vec<_> = r
            .summary
            .iter()
            .filter(|p| page.is_none() || p.page == page)
            .collect();
        let requests: usize = pages.iter().map(|p| p.requests).sum();
        let content: u64 = pages.iter().map(|p| p.content_bytes).sum();
        let transfer: u64 = pages.iter().map(|p| p.transfer_bytes).sum();
        let failures: usize = pages.iter().map(|p| p.http_errors + p.network_errors).sum();
        let on_load = if pages.len() == 1 {
            pages[0].on_load_ms
        } else {
            None
        };
        let count = |rule: &str| findings_shown(&r, &page).filter(|f| f.rule == rule).count();
        let items = [
            ("requests", "Requests", requests.to_string()),
            ("bytes", "Transferred", bytes(transfer)),
            ("content", "Content (decoded)", bytes(content)),
            ("onload", "onLoad", opt_duration(on_load)),
            ("failures", "Failures", failures.to_string()),
            ("slow-ttfb", "Slow TTFB", count("slow-ttfb").to_string()),
            (
                "large-payload",
                "Large payloads",
                count("large-payload").to_string(),
            ),
            (
                "waterfall-blocking",
                "Blocking",
                count("waterfall-blocking").to_string(),
            ),
        ];
        items
            .into_iter()
            .map(|(key, label, value)| {
                view! {
                    <div class="card" data-card=key>
                        <span class="card-value">{value}</span>
                        <span class="card-label">{label}</span>
                    </div>
                }
            })
            .collect_view()
    };
    view! { <div class="cards">{cards}</div> }
}

/// Findings drawn per severity before "Show all": a capture with hundreds of findings should
/// not hold up the first paint.
const FIRST_FINDINGS: usize = 10;

#[component]
fn Findings(report: Arc<CoreReport>, state: AppState) -> impl IntoView {
    let show_all = RwSignal::new(false);
    let groups = move || {
        let page = state.page.get();
        if findings_shown(&report, &page).next().is_none() {
            return view! { <p class="no-findings">"No findings: nothing crossed a threshold."</p> }.into_any();
        }
        [
            (Severity::Error, "Errors"),
            (Severity::Warning, "Warnings"),
            (Severity::Info, "Info"),
        ]
        .into_iter()
        .filter_map(|(severity, title)| {
            let group = || findings_shown(&report, &page).filter(|f| f.severity == severity);
            let total = group().count();
            let limit = if show_all.get() { usize::MAX } else { FIRST_FINDINGS };
            (total > 0).then(|| view! {
                <section class="severity-group" data-severity=severity.as_str()>
                    <h3>{format!("{title} ({total})")}</h3>
                    {group().take(limit).cloned().map(|f| view! { <FindingView finding=f state=state /> }).collect_view()}
                    {(total > limit).then(|| view! {
                        <button type="button" class="show-all" on:click=move |_| show_all.set(true)>
                            {format!("Show all {total}")}
                        </button>
                    })}
                </section>
            })
        })
        .collect_view()
        .into_any()
    };
    view! {
        <section class="findings" aria-label="Findings">
            <h2>"Findings"</h2>
            {groups}
        </section>
    }
}

#[component]
pub fn FindingView(finding: Finding, state: AppState) -> impl IntoView {
    let entries = finding.entries.clone();
    let highlight = entries.clone();
    let requests = entries
        .iter()
        .take(12)
        .map(|&i| {
            let label = move || {
                state
                    .rows
                    .with(|rows| find_row(rows, i).map(|r| format!("{} {}", r.method, short_url(&r.url))))
                    .unwrap_or_else(|| format!("request {i}"))
            };
            view! {
                <li><button type="button" class="link" on:click=move |_| state.open(i)>{label}</button></li>
            }
        })
        .collect_view();
    let more = entries.len().saturating_sub(12);
    view! {
        <article
            class="finding"
            data-rule=finding.rule.clone()
            data-severity=finding.severity.as_str()
            class:highlighted=move || !highlight.is_empty() && state.highlighted.get() == highlight
            on:click=move |_| state.highlighted.set(entries.clone())
        >
            <header>
                <span class="badge" data-severity=finding.severity.as_str()>{finding.severity.as_str()}</span>
                <code class="rule-id">{finding.rule.clone()}</code>
            </header>
            <p class="message">{finding.message.clone()}</p>
            <p class="advice">{finding.advice.clone()}</p>
            <ul class="concerned">{requests}</ul>
            {(more > 0).then(|| view! { <p class="more">{format!("and {more} more")}</p> })}
        </article>
    }
}
