//! `frequent-rerender`: a component that keeps re-rendering for nothing.
//!
//! What it checks: per component (by name, per root) in a React DevTools Profiler export, the
//! re-renders that changed nothing it receives: those where, by the profile's "why did this
//! render" record, no prop, state, hook or context changed (its parent rendered), and those
//! where only callback props (`onX`, `handleX`) changed, which is what an inline arrow
//! function passed down does on every render. Five or more (`--rerenders`) is a finding.
//! When the profile did not record why, components that re-render that often (not counting
//! renders their own updates caused) are reported, saying that the cause is unknown. Context
//! providers and first mounts are not counted. Older DevTools (before 4.15) record no context
//! for function components: those findings say a context may have changed.
//!
//! Why it matters: a render that changes nothing still costs its time, and the time of every
//! child it renders. On a page that updates often (typing, scrolling, timers) these add up to
//! slow commits and dropped frames.
//!
//! How to fix it: wrap the component in `React.memo` so equal props skip the render; create
//! callbacks with `useCallback` (and objects with `useMemo`) so props stay equal; move state
//! down into the component that needs it, so its parent stops re-rendering; split a context
//! whose value changes often from the one that does not. Record why components render
//! (DevTools Profiler settings) to see which of these applies.

use std::collections::BTreeMap;

use serde_json::json;

use super::ProfileRule;
use crate::profile::analyze_context::{ProfileContext, Render};
use crate::profile::operations::TYPE_CONTEXT;
use crate::profile::ProfileThresholds;
use crate::report::{Finding, Severity};

pub const RULE: ProfileRule = ProfileRule {
    id: "frequent-rerender",
    title: "Frequent needless re-renders",
    check,
};

#[derive(Default)]
struct Tally {
    renders: usize,
    parent_only: usize,
    callbacks_only: usize,
    callback_props: Vec<String>,
    unexplained: usize,
    /// Avoidable-looking renders whose record says nothing about context.
    context_unknown: usize,
    recorded: bool,
    commits: Vec<usize>,
}

fn check(cx: &ProfileContext, t: &ProfileThresholds, out: &mut Vec<Finding>) {
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for commit in &cx.commits {
        for r in commit.renders.iter().filter(|r| counts(r)) {
            let tally = tallies
                .entry((commit.root.name.clone(), r.name.clone()))
                .or_default();
            tally.renders += 1;
            let why = &r.reasons;
            tally.recorded |= why.recorded;
            let avoidable = if why.parent_only() {
                tally.parent_only += 1;
                true
            } else if why.callbacks_only() {
                tally.callbacks_only += 1;
                for p in &why.props {
                    if !tally.callback_props.contains(p) {
                        tally.callback_props.push(p.clone());
                    }
                }
                true
            } else if !why.recorded && !why.updater {
                tally.unexplained += 1;
                true
            } else {
                false
            };
            if avoidable && why.recorded && why.context_unknown {
                tally.context_unknown += 1;
            }
            if avoidable && tally.commits.last() != Some(&commit.index) {
                tally.commits.push(commit.index);
            }
        }
    }
    for ((root, name), tally) in tallies {
        let avoidable = tally.parent_only + tally.callbacks_only + tally.unexplained;
        if avoidable < t.rerenders {
            continue;
        }
        out.push(finding(&root, &name, &tally, avoidable, t));
    }
}

/// Renders that can count: re-renders of components, not mounts or context providers.
fn counts(r: &Render) -> bool {
    !r.reasons.first_mount && r.element_type != TYPE_CONTEXT
}

fn finding(
    root: &str,
    name: &str,
    tally: &Tally,
    avoidable: usize,
    t: &ProfileThresholds,
) -> Finding {
    let mut parts = Vec::new();
    if tally.parent_only > 0 {
        parts.push(format!(
            "{} with nothing it receives changed (its parent rendered)",
            tally.parent_only
        ));
    }
    if tally.callbacks_only > 0 {
        parts.push(format!(
            "{} only because callback props changed ({})",
            tally.callbacks_only,
            tally.callback_props.join(", ")
        ));
    }
    let message = if tally.unexplained > 0 && !tally.recorded {
        format!(
            "{name} re-rendered {} times in {root}; the profile did not record why, so whether its props changed is unknown.",
            tally.unexplained
        )
    } else if tally.context_unknown > 0 {
        format!(
            "{name} re-rendered {} times in {root}: {}; the profile did not record context changes for it, so a context it reads may have changed.",
            tally.renders,
            parts.join("; ")
        )
    } else {
        format!(
            "{name} re-rendered {} times in {root}: {}.",
            tally.renders,
            parts.join("; ")
        )
    };
    let mut advice = Vec::new();
    if tally.parent_only > 0 || tally.unexplained > 0 {
        advice.push(format!("Wrap {name} in React.memo so it skips renders when its props are equal, or move the state that changes down into the components that use it so {name}'s parent stops re-rendering."));
    }
    if tally.callbacks_only > 0 {
        advice.push(format!(
            "Its callback props ({}) are new functions on every render of its parent: create them with useCallback (objects with useMemo), then memoize {name}.",
            tally.callback_props.join(", ")
        ));
    }
    if tally.context_unknown > 0 {
        advice.push(format!("If {name} reads a context (useContext), memo does not stop those renders: split the context so {name} subscribes only to values that change when it must update, or memoize the provider's value. React DevTools 4.15 and later record context changes for function components."));
    }
    if !tally.recorded {
        advice.push("To see why it renders, turn on \"Record why each component rendered while profiling\" in the React DevTools Profiler settings and profile again.".to_owned());
    }
    Finding {
        rule: RULE.id.to_owned(),
        severity: Severity::Warning,
        url: None,
        page: Some(root.to_owned()),
        entries: Vec::new(),
        message,
        advice: advice.join(" "),
        evidence: json!({
            "component": name,
            "root": root,
            "renders": tally.renders,
            "avoidable": avoidable,
            "parent_only": tally.parent_only,
            "callbacks_only": tally.callbacks_only,
            "callback_props": tally.callback_props,
            "unexplained": tally.unexplained,
            "context_unknown": tally.context_unknown,
            "why_recorded": tally.recorded,
            "commits": tally.commits,
            "threshold": t.rerenders,
        })
        .as_object()
        .cloned()
        .unwrap_or_default(),
    }
}
