//! `slow-commit`: a React commit that took longer than a frame.
//!
//! What it checks: every commit of a React DevTools Profiler export whose render took longer
//! than 16 ms (`--slow-commit-ms`), one frame at 60 Hz; four times that is an error. The
//! finding gives the commit's duration, its layout and passive effect durations, the
//! components that cost the most in it (self time), and what triggered it (`updaters`) when
//! the profile recorded that.
//!
//! Why it matters: while React renders and commits, the main thread does nothing else. A
//! commit longer than a frame drops frames: typing lags, clicks feel slow, animations stutter.
//!
//! How to fix it: start with the costliest component. Move expensive work out of render
//! (precompute, `useMemo`), virtualize long lists, and avoid re-rendering what did not change
//! (`React.memo`, stable props). If the effects are what is slow, defer or split them. If one
//! update triggers it, see whether that state can live lower in the tree.

use serde_json::json;

use super::{graded, ProfileRule};
use crate::fmt::{clip, duration, round_ms};
use crate::profile::analyze_context::ProfileContext;
use crate::profile::ProfileThresholds;
use crate::report::Finding;

pub const RULE: ProfileRule = ProfileRule {
    id: "slow-commit",
    title: "Slow React commit",
    check,
};

/// How many of a commit's costliest components a finding names.
const TOP: usize = 5;

fn check(cx: &ProfileContext, t: &ProfileThresholds, out: &mut Vec<Finding>) {
    for commit in &cx.commits {
        let d = commit.data();
        if d.duration <= t.slow_commit_ms {
            continue;
        }
        let mut costs: Vec<(&str, f64)> = Vec::new();
        for r in &commit.renders {
            match costs.iter_mut().find(|(n, _)| *n == r.name) {
                Some((_, ms)) => *ms += r.self_ms,
                None => costs.push((&r.name, r.self_ms)),
            }
        }
        crate::sort::sort_by(&mut costs, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        costs.truncate(TOP);
        let top_text: Vec<String> = costs
            .iter()
            .take(3)
            .map(|(n, ms)| format!("{} {}", clip(n, 60), duration(*ms)))
            .collect();
        let mut advice = match costs.first() {
            Some((name, ms)) if *ms > d.duration / 2.0 => format!(
                "{} alone spent {} rendering: move its expensive work out of render (precompute, useMemo), virtualize long lists it draws, and skip renders whose input did not change (React.memo).",
                clip(name, 60),
                duration(*ms)
            ),
            _ => format!(
                "{} components rendered and none dominates: render less at once. Skip components whose props did not change (React.memo, stable props) and keep fast-changing state close to the components that use it.",
                commit.renders.len()
            ),
        };
        let effects = d.effect_duration.unwrap_or(0.0) + d.passive_effect_duration.unwrap_or(0.0);
        if effects > d.duration / 2.0 {
            advice.push_str(&format!(
                " Its effects took {} more: defer or split the work done in useEffect and useLayoutEffect.",
                duration(effects)
            ));
        }
        if !commit.updaters.is_empty() {
            advice.push_str(&format!(
                " The update came from {}.",
                commit.updaters.join(", ")
            ));
        }
        out.push(Finding {
            rule: RULE.id.to_owned(),
            severity: graded(d.duration, t.slow_commit_ms),
            url: None,
            page: Some(commit.root.name.clone()),
            entries: Vec::new(),
            message: format!(
                "Commit {} of {} took {} (threshold {}){}.",
                commit.index + 1,
                commit.root.name,
                duration(d.duration),
                duration(t.slow_commit_ms),
                if top_text.is_empty() {
                    String::new()
                } else {
                    format!(": {}", top_text.join(", "))
                }
            ),
            advice,
            evidence: json!({
                "commit": commit.index,
                "root": commit.root.name,
                "duration_ms": round_ms(d.duration),
                "threshold_ms": t.slow_commit_ms,
                "timestamp_ms": round_ms(d.timestamp),
                "effect_ms": d.effect_duration.map(round_ms),
                "passive_effect_ms": d.passive_effect_duration.map(round_ms),
                "priority": d.priority_level,
                "top_components": costs.iter().map(|(n, ms)| json!({"name": n, "self_ms": round_ms(*ms)})).collect::<Vec<_>>(),
                "updaters": commit.updaters,
                "rendered": commit.renders.len(),
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        });
    }
}
