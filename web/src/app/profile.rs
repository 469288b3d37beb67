//! A React DevTools profile: the summary, the findings, a bar per commit (click one to see its
//! components ranked by self time, with why each rendered, or as a flame chart), and the
//! component ranking.

use std::sync::Arc;

use harscope_core::report::{CommitInfo, ComponentStats, ProfileReport};
use harscope_core::Severity;
use leptos::ev;
use leptos::prelude::*;

use super::flame::FlameChart;
use super::format::duration;
use super::report::FindingView;
use super::state::AppState;

const CHART_H: f64 = 160.0;
const CHART_W: f64 = 900.0;

#[component]
pub fn ProfileView(state: AppState) -> impl IntoView {
    let selected_commit = RwSignal::new(None::<usize>);
    let commit_chart = RwSignal::new(CommitChart::Ranked);
    let selected_component = RwSignal::new(None::<usize>);
    move || {
        state.profile.get().map(|r| {
            view! {
                <section class="report profile-report" aria-label="React profile report">
                    <Summary report=r.clone() />
                    <Findings report=r.clone() state=state />
                    <CommitChart report=r.clone() selected=selected_commit />
                    <CommitDetail report=r.clone() selected=selected_commit chart=commit_chart />
                    <Components report=r selected=selected_component />
                </section>
            }
        })
    }
}

#[component]
fn Summary(report: Arc<ProfileReport>) -> impl IntoView {
    let s = &report.summary;
    let slow = report.commits.iter().filter(|c| c.slow).count();
    let cards = [
        ("commits", "Commits", s.commits.to_string()),
        ("slow-commits", "Slow commits", slow.to_string()),
        ("render", "Rendering", duration(s.render_ms)),
        (
            "duration",
            "Profile length",
            s.duration_ms.map(duration).unwrap_or_else(|| "–".into()),
        ),
        (
            "components",
            "Components",
            report.components.len().to_string(),
        ),
        (
            "react",
            "React",
            s.react_version
                .clone()
                .unwrap_or_else(|| "not recorded".into()),
        ),
    ];
    view! {
        <header class="source">
            <h2 class="file-name">{report.source.file.clone().unwrap_or_default()}</h2>
            <p class="source-line">{format!(
                "React DevTools profile (export v{}) · {} · {}",
                report.source.export_version,
                s.roots.join(", "),
                if s.why_recorded { "why each component rendered was recorded" } else { "why components rendered was not recorded" }
            )}</p>
        </header>
        <div class="cards">
            {cards.into_iter().map(|(key, label, value)| view! {
                <div class="card" data-card=key>
                    <span class="card-value">{value}</span>
                    <span class="card-label">{label}</span>
                </div>
            }).collect_view()}
        </div>
    }
}

#[component]
fn Findings(report: Arc<ProfileReport>, state: AppState) -> impl IntoView {
    let groups = [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Info"),
    ]
    .into_iter()
    .filter_map(|(severity, title)| {
        let group: Vec<_> = report.findings.iter().filter(|f| f.severity == severity).cloned().collect();
        (!group.is_empty()).then(|| view! {
            <section class="severity-group" data-severity=severity.as_str()>
                <h3>{format!("{title} ({})", group.len())}</h3>
                {group.into_iter().map(|f| view! { <FindingView finding=f state=state /> }).collect_view()}
            </section>
        })
    })
    .collect_view();
    view! {
        <section class="findings" aria-label="Findings">
            <h2>"Findings"</h2>
            {if report.findings.is_empty() {
                view! { <p class="no-findings">"No findings: nothing crossed a threshold."</p> }.into_any()
            } else {
                groups.into_any()
            }}
        </section>
    }
}

#[component]
fn CommitChart(report: Arc<ProfileReport>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let n = report.commits.len().max(1);
    let max = report
        .commits
        .iter()
        .map(|c| c.duration_ms)
        .fold(report.thresholds.slow_commit_ms, f64::max);
    let slot = (CHART_W / n as f64).clamp(3.0, 28.0);
    let width = slot * n as f64;
    let threshold_y = CHART_H - report.thresholds.slow_commit_ms / max * CHART_H;
    let bars = report
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let h = (c.duration_ms / max * CHART_H).max(1.0);
            let label = format!("commit {} of {}: {}{}", c.index + 1, c.root, duration(c.duration_ms), if c.slow { " (slow)" } else { "" });
            let title = label.clone();
            view! {
                <g
                    class="commit-bar"
                    class:slow=c.slow
                    class:selected=move || selected.get() == Some(i)
                    data-commit=i
                    tabindex="0"
                    role="button"
                    aria-label=label
                    on:click=move |_| selected.set(Some(i))
                    on:keydown=move |e: ev::KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            selected.set(Some(i));
                        }
                    }
                >
                    <rect class="commit-slot" x=i as f64 * slot y="0" width=slot height=CHART_H />
                    <rect class="commit-fill" x=i as f64 * slot + 1.0 y=CHART_H - h width=(slot - 2.0).max(1.0) height=h />
                    <title>{title}</title>
                </g>
            }
        })
        .collect_view();
    view! {
        <section class="commit-section" aria-label="Commits">
            <header class="section-head">
                <h2>"Commits"</h2>
                <p class="count">{format!("one bar per commit, height by duration; the line is the slow-commit threshold ({}). Click a bar for its components.", duration(report.thresholds.slow_commit_ms))}</p>
            </header>
            <div class="commit-scroll">
                <svg class="commit-chart" width=width height=CHART_H + 2.0 role="group" aria-label="Commit durations">
                    {bars}
                    <line class="threshold-line" x1="0" x2=width y1=threshold_y y2=threshold_y />
                </svg>
            </div>
        </section>
    }
}

/// How the selected commit's components are drawn.
#[derive(Clone, Copy, PartialEq)]
enum CommitChart {
    Ranked,
    Flame,
}

#[component]
fn CommitDetail(
    report: Arc<ProfileReport>,
    selected: RwSignal<Option<usize>>,
    chart: RwSignal<CommitChart>,
) -> impl IntoView {
    let toggle = move |mode: CommitChart, label: &'static str| {
        view! {
            <button
                type="button"
                class="chart-mode"
                data-mode=label
                aria-pressed=move || (chart.get() == mode).to_string()
                on:click=move |_| chart.set(mode)
            >
                {label}
            </button>
        }
    };
    move || {
        let i = selected.get()?;
        let c = report.commits.get(i)?.clone();
        let max = c
            .components
            .iter()
            .map(|x| x.self_ms)
            .fold(0.01f64, f64::max);
        let effects = match (c.effect_ms, c.passive_effect_ms) {
            (Some(e), Some(p)) => format!(" · effects {} + passive {}", duration(e), duration(p)),
            _ => String::new(),
        };
        Some(view! {
            <section class="commit-detail" id="commit-detail" aria-label="Selected commit">
                <h3>{format!("Commit {} of {}: {}{}", c.index + 1, c.root, duration(c.duration_ms), if c.slow { " (slow)" } else { "" })}</h3>
                <p class="detail-facts">{format!(
                    "at {}{effects}{}{}",
                    duration(c.timestamp_ms),
                    c.priority.as_ref().map(|p| format!(" · priority {p}")).unwrap_or_default(),
                    if c.updaters.is_empty() { String::new() } else { format!(" · update from {}", c.updaters.join(", ")) }
                )}</p>
                <div class="chart-modes" role="group" aria-label="Show the commit as">
                    {toggle(CommitChart::Ranked, "Ranked")}
                    {toggle(CommitChart::Flame, "Flame chart")}
                </div>
                {move || match chart.get() {
                    CommitChart::Flame => view! { <FlameChart commit=c.clone() /> }.into_any(),
                    CommitChart::Ranked => ranked_list(&c, max).into_any(),
                }}
            </section>
        })
    }
}

/// The commit's components, most self time first, with why each rendered.
fn ranked_list(c: &CommitInfo, max: f64) -> impl IntoView {
    view! {
        <ol class="ranked">
            {c.components.iter().cloned().map(|x| {
                let w = (x.self_ms / max * 200.0).max(1.0);
                view! {
                    <li class="ranked-item">
                        <svg width="200" height="10" aria-hidden="true"><rect class="ranked-bar" width=w height="10" /></svg>
                        <span class="ranked-name">{x.name}</span>
                        <span class="ranked-time">{format!("self {} · total {}", duration(x.self_ms), duration(x.actual_ms))}</span>
                        <span class="ranked-why">{x.why.map(|w| format!("why: {w}")).unwrap_or_else(|| "why: not recorded".into())}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Key {
    Name,
    Renders,
    Mounts,
    SelfMs,
    Total,
}

/// The component ranking, sorted by the chosen column.
pub fn ranked(components: &[ComponentStats], key: Key, descending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..components.len()).collect();
    harscope_core::sort::sort_by(&mut order, |&a, &b| {
        let (x, y) = (&components[a], &components[b]);
        let o = match key {
            Key::Name => x.name.cmp(&y.name),
            Key::Renders => x.renders.cmp(&y.renders),
            Key::Mounts => x.mounts.cmp(&y.mounts),
            Key::SelfMs => x.self_ms.total_cmp(&y.self_ms),
            Key::Total => x.actual_ms.total_cmp(&y.actual_ms),
        };
        let o = o.then(a.cmp(&b));
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    order
}

#[component]
fn Components(report: Arc<ProfileReport>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let sort = RwSignal::new((Key::SelfMs, true));
    let header = move |label: &'static str, key: Key| {
        view! {
            <button type="button" class="sort" class:active=move || sort.get().0 == key
                on:click=move |_| sort.update(|(k, d)| if *k == key { *d = !*d } else { *k = key; *d = key != Key::Name })
            >
                {label}
                {move || match sort.get() {
                    (k, true) if k == key => " ▼",
                    (k, false) if k == key => " ▲",
                    _ => "",
                }}
            </button>
        }
    };
    let r = report.clone();
    let rows = move || {
        let (key, descending) = sort.get();
        ranked(&r.components, key, descending)
            .into_iter()
            .map(|i| {
                let c = r.components[i].clone();
                let why = &c.why;
                let reasons = [("props", why.props), ("state", why.state), ("hooks", why.hooks), ("context", why.context), ("parent", why.parent), ("unknown", why.unknown)]
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <div class="crow" role="row" tabindex="0" data-component=c.name.clone()
                        class:selected=move || selected.get() == Some(i)
                        on:click=move |_| selected.set(Some(i))
                        on:keydown=move |e: ev::KeyboardEvent| if e.key() == "Enter" { selected.set(Some(i)) }
                    >
                        <span role="cell" class="c-name">{c.name.clone()}</span>
                        <span role="cell" class="c-num">{c.renders}</span>
                        <span role="cell" class="c-num">{c.mounts}</span>
                        <span role="cell" class="c-num">{duration(c.self_ms)}</span>
                        <span role="cell" class="c-num">{duration(c.actual_ms)}</span>
                        <span role="cell" class="c-why">{reasons}</span>
                    </div>
                }
            })
            .collect_view()
    };
    let details = move || {
        let c = report.components.get(selected.get()?)?.clone();
        Some(view! {
            <section class="component-detail" id="component-detail">
                <h3>{format!("{} in {}", c.name, c.root)}</h3>
                <p>{format!(
                    "{} re-renders, {} mounts; self {}, with children {}; rendered in commits {}.",
                    c.renders, c.mounts, duration(c.self_ms), duration(c.actual_ms),
                    c.commits.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(", ")
                )}</p>
                <p>{if c.why.unknown > 0 {
                    "Why it re-rendered was not recorded: turn on \"Record why each component rendered while profiling\" in the Profiler settings.".to_owned()
                } else {
                    format!(
                        "Why it re-rendered: props changed {} times, state {}, hooks {}, context {}; its parent rendered with nothing of its own changed {} times.",
                        c.why.props, c.why.state, c.why.hooks, c.why.context, c.why.parent
                    )
                }}</p>
            </section>
        })
    };
    view! {
        <section class="component-section" aria-label="Components">
            <header class="section-head"><h2>"Components"</h2></header>
            <div class="table ctable" role="table" aria-label="Components">
                <div class="chead" role="row">
                    <span role="columnheader">{header("Component", Key::Name)}</span>
                    <span role="columnheader" class="c-num">{header("Re-renders", Key::Renders)}</span>
                    <span role="columnheader" class="c-num">{header("Mounts", Key::Mounts)}</span>
                    <span role="columnheader" class="c-num">{header("Self", Key::SelfMs)}</span>
                    <span role="columnheader" class="c-num">{header("Total", Key::Total)}</span>
                    <span role="columnheader">"Why (re-renders)"</span>
                </div>
                {rows}
            </div>
            {details}
        </section>
    }
}
