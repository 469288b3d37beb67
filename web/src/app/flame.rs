//! A commit's flame chart: each component that rendered is a bar as wide as its actual time,
//! nested under the component that rendered it, laid out by the core (`profile::flame`).
//! Warmer bars spent more time in their own render.

use harscope_core::profile::flame::flame;
use harscope_core::report::CommitInfo;
use leptos::prelude::*;

use super::format::duration;

const WIDTH: f64 = 900.0;
const ROW: f64 = 22.0;
/// Narrower bars get no label: it would not fit.
const LABEL_MIN_PX: f64 = 36.0;

/// Bar color by share of the commit's largest self time: pale blue for nothing, up to amber.
fn heat(share: f64) -> String {
    let s = share.clamp(0.0, 1.0);
    let hue = 200.0 - 160.0 * s;
    let light = 78.0 - 20.0 * s;
    format!("hsl({hue:.0}, 70%, {light:.0}%)")
}

#[component]
pub fn FlameChart(commit: CommitInfo) -> impl IntoView {
    let (bars, total) = flame(&commit);
    let scale = WIDTH / total.max(0.001);
    let depth = bars.iter().map(|b| b.depth).max().unwrap_or(0) + 1;
    let max_self = commit
        .components
        .iter()
        .map(|c| c.self_ms)
        .fold(0.01f64, f64::max);
    let height = depth as f64 * ROW;
    let bars = bars
        .into_iter()
        .map(|b| {
            let c = &commit.components[b.component];
            let x = b.start_ms * scale;
            let w = (b.width_ms * scale).max(1.0);
            let y = b.depth as f64 * ROW;
            let why = c.why.clone().unwrap_or_else(|| "not recorded".into());
            let label = format!(
                "{}: self {}, total {}; why: {why}",
                c.name,
                duration(c.self_ms),
                duration(c.actual_ms)
            );
            let title = label.clone();
            let text =
                (w >= LABEL_MIN_PX).then(|| format!("{} ({})", c.name, duration(c.actual_ms)));
            view! {
                <g class="flame-bar" data-component=c.name.clone() role="img" aria-label=label>
                    <rect x=x y=y width=w height=ROW - 2.0 fill=heat(c.self_ms / max_self) />
                    // A nested svg clips the label to its bar.
                    <svg x=x y=y width=w height=ROW - 2.0>
                        <text x="4" y="14">{text}</text>
                    </svg>
                    <title>{title}</title>
                </g>
            }
        })
        .collect_view();
    view! {
        <div class="flame-scroll">
            <svg class="flame-chart" width=WIDTH height=height role="group" aria-label="Flame chart of the commit">
                {bars}
            </svg>
        </div>
    }
}
