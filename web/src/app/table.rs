//! The request table: sortable by start, duration, TTFB, size and status; filtered by status
//! class, resource type, host, rule and a text search on the URL. Rows in view only are drawn.

use std::collections::BTreeSet;
use std::sync::Arc;

use harscope_core::view::RequestRow;
use leptos::ev;
use leptos::prelude::*;

use super::format::{opt_bytes, opt_duration, path_of, status};
use super::state::AppState;

const ROW_H: f64 = 28.0;
const VIEW_H: f64 = 420.0;
const OVERSCAN: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Start,
    Duration,
    Ttfb,
    Size,
    Status,
}

/// The filters, as the controls set them. Empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub status_class: String,
    pub resource_type: String,
    pub host: String,
    pub rule: String,
    pub search: String,
}

fn status_class(row: &RequestRow) -> &'static str {
    match row.status {
        Some(s) if (200..300).contains(&s) => "2xx",
        Some(s) if (300..400).contains(&s) => "3xx",
        Some(s) if (400..500).contains(&s) => "4xx",
        Some(s) if s >= 500 => "5xx",
        Some(s) if (100..200).contains(&s) => "1xx",
        _ => "failed",
    }
}

/// Indices of the rows passing the filters, sorted. `rule_entries` are the requests that
/// findings of the chosen rule name.
pub fn select(
    rows: &[RequestRow],
    page: &Option<String>,
    filters: &Filters,
    rule_entries: &BTreeSet<usize>,
    sort: SortKey,
    descending: bool,
) -> Vec<usize> {
    // ASCII case only: URLs are ASCII (percent-encoded), and the page carries no Unicode case
    // tables.
    let needle = filters.search.to_ascii_lowercase();
    let mut out: Vec<&RequestRow> = rows
        .iter()
        .filter(|r| page.is_none() || r.page == *page)
        .filter(|r| filters.status_class.is_empty() || status_class(r) == filters.status_class)
        .filter(|r| filters.resource_type.is_empty() || r.resource_type == filters.resource_type)
        .filter(|r| filters.host.is_empty() || r.host == filters.host)
        .filter(|r| filters.rule.is_empty() || rule_entries.contains(&r.entry))
        .filter(|r| needle.is_empty() || r.url.to_ascii_lowercase().contains(&needle))
        .collect();
    let key = |r: &RequestRow| -> f64 {
        match sort {
            SortKey::Start => r.start_ms.unwrap_or(f64::MAX),
            SortKey::Duration => r.duration_ms.unwrap_or(-1.0),
            SortKey::Ttfb => r.wait_ms.unwrap_or(-1.0),
            SortKey::Size => r
                .transfer_bytes
                .or(r.content_bytes)
                .map_or(-1.0, |b| b as f64),
            SortKey::Status => r.status.unwrap_or(-10) as f64,
        }
    };
    harscope_core::sort::sort_by(&mut out, |a, b| {
        let o = key(a).total_cmp(&key(b)).then(a.entry.cmp(&b.entry));
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    out.into_iter().map(|r| r.entry).collect()
}

#[component]
pub fn Table(state: AppState) -> impl IntoView {
    let filters = RwSignal::new(Filters::default());
    let sort = RwSignal::new((SortKey::Start, false));
    let scroll_top = RwSignal::new(0.0f64);

    let rule_entries = Memo::new(move |_| {
        let rule = filters.with(|f| f.rule.clone());
        state
            .report
            .get()
            .map(|r| {
                r.findings
                    .iter()
                    .filter(|f| f.rule == rule)
                    .flat_map(|f| f.entries.iter().copied())
                    .fold(BTreeSet::new(), |mut set, i| {
                        set.insert(i);
                        set
                    })
            })
            .unwrap_or_default()
    });
    let shown = Memo::new(move |_| {
        let (key, descending) = sort.get();
        let rows = state.rows.get();
        Arc::new(select(
            &rows,
            &state.page.get(),
            &filters.get(),
            &rule_entries.get(),
            key,
            descending,
        ))
    });
    // Choices for the selects, from the rows on the page shown.
    let choices = Memo::new(move |_| {
        let page = state.page.get();
        let rows = state.rows.get();
        let on_page = rows.iter().filter(|r| page.is_none() || r.page == page);
        // Inserted one by one: collecting into a set sorts first, a sort instance per type.
        let set = |items: &mut dyn Iterator<Item = String>| {
            let mut set = BTreeSet::new();
            for item in items {
                set.insert(item);
            }
            set
        };
        let types = set(&mut on_page.clone().map(|r| r.resource_type.clone()));
        let hosts = set(&mut on_page.map(|r| r.host.clone()));
        let rules = state
            .report
            .get()
            .map(|r| set(&mut r.findings.iter().map(|f| f.rule.clone())))
            .unwrap_or_default();
        (types, hosts, rules)
    });

    let select_filter = move |label: &'static str,
                              id: &'static str,
                              options: Box<dyn Fn() -> Vec<String> + Send + Sync>,
                              set: fn(&mut Filters, String)| {
        view! {
            <label class="filter" for=id>
                <span>{label}</span>
                <select id=id on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filters.update(|f| set(f, v));
                    scroll_top.set(0.0);
                }>
                    <option value="">"any"</option>
                    {move || options().into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                </select>
            </label>
        }
    };

    let header = move |label: &'static str, key: SortKey| {
        let active = move || sort.get().0 == key;
        let arrow = move || match sort.get() {
            (k, true) if k == key => " ▼",
            (k, false) if k == key => " ▲",
            _ => "",
        };
        view! {
            <button
                type="button"
                class="sort"
                class:active=active
                aria-sort=move || match sort.get() {
                    (k, true) if k == key => "descending",
                    (k, false) if k == key => "ascending",
                    _ => "none",
                }
                on:click=move |_| sort.update(|(k, d)| {
                    if *k == key {
                        *d = !*d;
                    } else {
                        *k = key;
                        *d = key != SortKey::Start;
                    }
                })
            >
                {label}{arrow}
            </button>
        }
    };

    let body = move || {
        let rows = shown.get();
        let all = state.rows.get();
        let total_h = rows.len() as f64 * ROW_H;
        let first = ((scroll_top.get() / ROW_H).floor() as usize).saturating_sub(OVERSCAN);
        let last = (first + (VIEW_H / ROW_H) as usize + 2 * OVERSCAN).min(rows.len());
        let highlighted = state.highlighted.get();
        let selected = state.selected.get();
        let items = rows[first.min(last)..last]
            .iter()
            .filter_map(|&i| all.get(i))
            .map(|r| {
                let entry = r.entry;
                let class = status_class(r);
                view! {
                    <div
                        class="trow"
                        role="row"
                        data-entry=entry
                        data-status-class=class
                        class:highlighted=highlighted.contains(&entry)
                        class:selected=selected == Some(entry)
                        tabindex="0"
                        on:click=move |_| state.open(entry)
                        on:keydown=move |e: ev::KeyboardEvent| {
                            if e.key() == "Enter" {
                                state.open(entry);
                            }
                        }
                    >
                        <span role="cell" class="c-num">{entry}</span>
                        <span role="cell" class="c-method">{r.method.clone()}</span>
                        <span role="cell" class="c-status" data-status-class=class>{status(r.status, r.failure.as_deref())}</span>
                        <span role="cell" class="c-type">{r.resource_type.clone()}</span>
                        <span role="cell" class="c-url" title=r.url.clone()>
                            <span class="host">{r.host.clone()}</span>{path_of(&r.url).to_owned()}
                        </span>
                        <span role="cell" class="c-num">{opt_duration(r.start_ms)}</span>
                        <span role="cell" class="c-num">{opt_duration(r.duration_ms)}</span>
                        <span role="cell" class="c-num">{opt_duration(r.wait_ms)}</span>
                        <span role="cell" class="c-num">{opt_bytes(r.transfer_bytes.or(r.content_bytes))}</span>
                    </div>
                }
            })
            .collect_view();
        view! {
            <div class="tbody" role="rowgroup" style:height=format!("{total_h}px")>
                <div class="spacer" style:height=format!("{}px", first as f64 * ROW_H)></div>
                {items}
            </div>
        }
    };

    view! {
        <section class="table-section" aria-label="Requests">
            <header class="section-head">
                <h2>"Requests"</h2>
                <p class="count">{move || format!("{} shown of {}", shown.get().len(), state.rows.get().len())}</p>
            </header>
            <div class="filters">
                {select_filter("Status", "filter-status", Box::new(|| ["2xx", "3xx", "4xx", "5xx", "failed"].map(String::from).to_vec()), |f, v| f.status_class = v)}
                {select_filter("Type", "filter-type", Box::new(move || choices.get().0.into_iter().collect()), |f, v| f.resource_type = v)}
                {select_filter("Host", "filter-host", Box::new(move || choices.get().1.into_iter().collect()), |f, v| f.host = v)}
                {select_filter("Rule", "filter-rule", Box::new(move || choices.get().2.into_iter().collect()), |f, v| f.rule = v)}
                <label class="filter search" for="filter-search">
                    <span>"URL contains"</span>
                    <input id="filter-search" type="search" on:input=move |ev| {
                        let v = event_target_value(&ev);
                        filters.update(|f| f.search = v);
                        scroll_top.set(0.0);
                    } />
                </label>
            </div>
            <div class="table" role="table" aria-label="Requests">
                <div class="thead" role="row">
                    <span role="columnheader" class="c-num">"#"</span>
                    <span role="columnheader">"Method"</span>
                    <span role="columnheader">{header("Status", SortKey::Status)}</span>
                    <span role="columnheader">"Type"</span>
                    <span role="columnheader">"URL"</span>
                    <span role="columnheader" class="c-num">{header("Start", SortKey::Start)}</span>
                    <span role="columnheader" class="c-num">{header("Duration", SortKey::Duration)}</span>
                    <span role="columnheader" class="c-num">{header("TTFB", SortKey::Ttfb)}</span>
                    <span role="columnheader" class="c-num">{header("Size", SortKey::Size)}</span>
                </div>
                <div class="table-scroll" on:scroll=move |e: ev::Event| {
                    let el: web_sys::Element = event_target(&e);
                    scroll_top.set(el.scroll_top() as f64);
                }>
                    {body}
                </div>
            </div>
        </section>
    }
}
