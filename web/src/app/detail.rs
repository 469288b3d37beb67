//! One request in full: timing phases, request and response headers, query, payload, the
//! response's error message, and the findings that name it.

use harscope_core::view::find_row;
use harscope_core::view::NameValue;
use leptos::ev;
use leptos::prelude::*;

use super::format::{opt_bytes, opt_duration, status};
use super::state::AppState;
use super::waterfall::PHASES;

fn pairs(title: &'static str, items: Vec<NameValue>) -> impl IntoView {
    let empty = items.is_empty();
    view! {
        <section class="pairs">
            <h4>{format!("{title} ({})", items.len())}</h4>
            {if empty {
                view! { <p class="none">"none recorded"</p> }.into_any()
            } else {
                view! {
                    <dl>
                        {items.into_iter().map(|p| view! { <dt>{p.name}</dt><dd>{p.value}</dd> }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn Detail(state: AppState) -> impl IntoView {
    let close = move || {
        state.selected.set(None);
        state.detail.set(None);
    };
    let _ = window_event_listener(ev::keydown, move |e| {
        if e.key() == "Escape" && state.selected.get_untracked().is_some() {
            close();
        }
    });
    let content = move || {
        let entry = state.selected.get()?;
        let rows = state.rows.get();
        let row = find_row(&rows, entry)?.clone();
        let detail = state.detail.get();
        let findings: Vec<_> = state
            .report
            .get()
            .map(|r| {
                r.findings
                    .iter()
                    .filter(|f| f.entries.contains(&entry))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let phases = [
            row.phases.blocked,
            row.phases.dns,
            row.phases.connect,
            row.phases.ssl,
            row.phases.send,
            row.phases.wait,
            row.phases.receive,
        ];
        let timing = PHASES
            .iter()
            .zip(phases)
            .map(|((name, color), v)| view! {
                <tr>
                    <th scope="row"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill=*color /></svg>{*name}</th>
                    <td>{opt_duration(v)}</td>
                </tr>
            })
            .collect_view();
        Some(view! {
            <aside class="detail" aria-label="Request detail" id="request-detail">
                <header>
                    <h3>{format!("{} {}", row.method, status(row.status, row.failure.as_deref()))}</h3>
                    <button type="button" class="close" aria-label="Close the request detail" on:click=move |_| close()>"×"</button>
                </header>
                <p class="detail-url">{row.url.clone()}</p>
                <p class="detail-facts">{format!(
                    "{} · {} · started at {} · took {} · {} on the wire, {} decoded",
                    row.resource_type,
                    if row.mime_type.is_empty() { "no MIME type" } else { row.mime_type.as_str() },
                    opt_duration(row.start_ms),
                    opt_duration(row.duration_ms),
                    opt_bytes(row.transfer_bytes),
                    opt_bytes(row.content_bytes)
                )}</p>
                {(!findings.is_empty()).then(|| view! {
                    <section class="detail-findings">
                        <h4>"Findings"</h4>
                        <ul>
                            {findings.into_iter().map(|f| view! {
                                <li data-rule=f.rule.clone()><code>{f.rule.clone()}</code>" "{f.message.clone()}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section class="timing">
                    <h4>"Timing"</h4>
                    <table>{timing}<tr><th scope="row">"total"</th><td>{opt_duration(row.duration_ms)}</td></tr></table>
                </section>
                {match detail {
                    None if state.shared.with(Option::is_some) => view! {
                        <p class="none">"This shared report does not carry this request's detail: links keep the detail of the requests findings name."</p>
                    }.into_any(),
                    None => view! { <p class="loading-detail">"Loading the request's detail…"</p> }.into_any(),
                    Some(d) => view! {
                        {d.server_message.clone().map(|m| view! {
                            <section class="server-message"><h4>"Server's message"</h4><p>{m}</p></section>
                        })}
                        {(!d.trace_ids.is_empty()).then(|| view! {
                            <section class="traces">
                                <h4>"Trace ids"</h4>
                                <ul>{d.trace_ids.iter().map(|t| view! { <li><code>{format!("{}: {} ({})", t.header, t.value, t.sent_in)}</code></li> }).collect_view()}</ul>
                            </section>
                        })}
                        {pairs("Query", d.query.clone())}
                        {pairs("Request headers", d.request_headers.clone())}
                        {pairs("Response headers", d.response_headers.clone())}
                        {d.post_text.clone().map(|text| view! {
                            <section class="payload">
                                <h4>{format!("Request payload ({})", d.post_mime_type.clone().unwrap_or_default())}</h4>
                                <pre>{text}</pre>
                                {d.post_truncated.then(|| view! { <p class="none">"(cut: only the first 16 KiB are kept)"</p> })}
                            </section>
                        })}
                        {d.response_text.clone().map(|text| view! {
                            <section class="payload">
                                <h4>"Response body (failed responses only)"</h4>
                                <pre>{text}</pre>
                            </section>
                        })}
                        <p class="none">{format!(
                            "{} · started {} · server {} · priority {} · initiator {}",
                            d.http_version,
                            d.started.clone().unwrap_or_default(),
                            d.server_ip.clone().unwrap_or_else(|| "–".into()),
                            d.priority.clone().unwrap_or_else(|| "–".into()),
                            d.initiator.clone().unwrap_or_else(|| "–".into())
                        )}</p>
                    }.into_any(),
                }}
                <p class="hint">{format!("Request {entry} of the capture. Esc closes this panel.")}</p>
            </aside>
        })
    };
    view! { {content} }
}
