//! From a decoded profile to the report: who rendered in each commit and why, per-component
//! totals, then the profile rules.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::operations::{TYPE_HOST, TYPE_ROOT};
use super::{Profile, RootProfile};
use crate::fmt::round_ms;
use crate::report::{
    CommitComponent, CommitInfo, ComponentStats, Finding, ProfileReport, ProfileSource,
    ProfileSummary, Tool, WhyCounts, PROFILE_SCHEMA,
};

/// Thresholds of the profile rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileThresholds {
    /// `slow-commit`: commits longer than this, in milliseconds (a frame at 60 Hz).
    pub slow_commit_ms: f64,
    /// `frequent-rerender`: this many avoidable re-renders of one component.
    pub rerenders: usize,
}

impl Default for ProfileThresholds {
    fn default() -> Self {
        ProfileThresholds {
            slow_commit_ms: 16.0,
            rerenders: 5,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileOptions {
    pub thresholds: ProfileThresholds,
    /// Rule ids to leave out.
    pub skip: Vec<String>,
}

/// Why a component rendered in a commit, as far as the profile says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reasons {
    /// The profile recorded "why did this render" for this commit.
    pub recorded: bool,
    pub first_mount: bool,
    pub props: Vec<String>,
    pub state: bool,
    pub hooks: bool,
    pub context: bool,
    /// The record says nothing about context for this render (`null`): DevTools before 4.15
    /// tracked no context for function components, so "nothing changed" may hide a context.
    pub context_unknown: bool,
    /// The component's own update scheduled the commit.
    pub updater: bool,
}

impl Reasons {
    /// In words, for people: "props: onSelect; hooks", "parent rendered", "first mount".
    pub fn describe(&self) -> Option<String> {
        if self.first_mount {
            return Some("first mount".to_owned());
        }
        if !self.recorded {
            return self.updater.then(|| "its own update".to_owned());
        }
        let mut parts = Vec::new();
        if !self.props.is_empty() {
            parts.push(format!("props: {}", self.props.join(", ")));
        }
        if self.state {
            parts.push("state".to_owned());
        }
        if self.hooks {
            parts.push("hooks".to_owned());
        }
        if self.context {
            parts.push("context".to_owned());
        }
        if parts.is_empty() {
            parts.push(if self.context_unknown {
                "parent rendered (context not recorded)".to_owned()
            } else {
                "parent rendered".to_owned()
            });
        }
        Some(parts.join("; "))
    }

    /// Rendered only because its parent did: nothing it receives or holds changed.
    pub fn parent_only(&self) -> bool {
        self.recorded
            && !self.first_mount
            && self.props.is_empty()
            && !self.state
            && !self.hooks
            && !self.context
    }

    /// Rendered only because callback props (`onClick`, `handleX`, ...) changed, which is
    /// what an inline arrow function passed down does on every render.
    pub fn callbacks_only(&self) -> bool {
        self.recorded
            && !self.first_mount
            && !self.props.is_empty()
            && self.props.iter().all(|p| looks_like_callback(p))
            && !self.state
            && !self.hooks
            && !self.context
    }
}

fn looks_like_callback(prop: &str) -> bool {
    let starts = |prefix: &str| {
        prop.strip_prefix(prefix)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase())
    };
    starts("on") || starts("handle") || prop.ends_with("Callback") || prop.ends_with("Handler")
}

/// One component rendering in one commit.
#[derive(Debug, Clone)]
pub struct Render {
    pub fiber: i64,
    pub name: String,
    pub element_type: i64,
    pub self_ms: f64,
    pub actual_ms: f64,
    pub reasons: Reasons,
}

/// A commit and what rendered in it.
#[derive(Debug, Clone)]
pub struct CommitView<'p> {
    pub root: &'p RootProfile,
    pub index: usize,
    pub renders: Vec<Render>,
    pub updaters: Vec<String>,
}

impl CommitView<'_> {
    pub fn data(&self) -> &super::model::CommitData {
        &self.root.commits[self.index]
    }
}

/// What the profile rules see.
pub struct ProfileContext<'p> {
    pub profile: &'p Profile,
    pub commits: Vec<CommitView<'p>>,
    pub why_recorded: bool,
}

/// Components are what DevTools' Profiler ranks: not host elements (`div`), not roots.
pub fn is_component(element_type: i64) -> bool {
    element_type != TYPE_HOST && element_type != TYPE_ROOT
}

fn fiber_name(root: &RootProfile, id: i64) -> (String, i64) {
    match root.fibers.get(&id) {
        Some(f) => (
            f.name.clone().unwrap_or_else(|| "Anonymous".to_owned()),
            f.element_type,
        ),
        None => (format!("fiber {id}"), 0),
    }
}

impl<'p> ProfileContext<'p> {
    pub fn new(profile: &'p Profile) -> Self {
        let mut commits = Vec::new();
        let mut why_recorded = false;
        for root in &profile.roots {
            for (index, data) in root.commits.iter().enumerate() {
                let mounted: HashSet<i64> = root
                    .changes
                    .get(index)
                    .map(|c| c.added.iter().copied().collect())
                    .unwrap_or_default();
                let why: BTreeMap<i64, &super::model::ChangeDescription> = crate::sort::map_from(
                    data.change_descriptions
                        .iter()
                        .flatten()
                        .map(|(id, d)| (*id, d)),
                );
                let recorded = data.change_descriptions.is_some();
                why_recorded |= recorded;
                let updater_ids: HashSet<i64> =
                    data.updaters.iter().flatten().map(|u| u.id).collect();
                let self_ms: BTreeMap<i64, f64> =
                    crate::sort::map_from(data.fiber_self_durations.iter().copied());
                let renders = data
                    .fiber_actual_durations
                    .iter()
                    .filter_map(|&(fiber, actual_ms)| {
                        let (name, element_type) = fiber_name(root, fiber);
                        if !is_component(element_type) {
                            return None;
                        }
                        let d = why.get(&fiber);
                        let reasons = Reasons {
                            recorded: recorded && d.is_some(),
                            first_mount: mounted.contains(&fiber)
                                || d.is_some_and(|d| d.is_first_mount),
                            props: d.and_then(|d| d.props.clone()).unwrap_or_default(),
                            state: d.is_some_and(|d| changed(d.state.as_ref())),
                            hooks: d.is_some_and(|d| {
                                d.did_hooks_change
                                    || d.hooks.as_ref().is_some_and(|h| !h.is_empty())
                            }),
                            context: d.is_some_and(|d| changed(Some(&d.context))),
                            context_unknown: d.is_some_and(|d| d.context.is_null()),
                            updater: updater_ids.contains(&fiber),
                        };
                        Some(Render {
                            fiber,
                            name,
                            element_type,
                            self_ms: self_ms.get(&fiber).copied().unwrap_or(0.0),
                            actual_ms,
                            reasons,
                        })
                    })
                    .collect();
                let updaters = data
                    .updaters
                    .iter()
                    .flatten()
                    .map(|u| {
                        u.display_name
                            .clone()
                            .unwrap_or_else(|| fiber_name(root, u.id).0)
                    })
                    .collect();
                commits.push(CommitView {
                    root,
                    index,
                    renders,
                    updaters,
                });
            }
        }
        ProfileContext {
            profile,
            commits,
            why_recorded,
        }
    }
}

/// A change-description field that says something changed: `true`, or a non-empty list.
fn changed(v: Option<&serde_json::Value>) -> bool {
    match v {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Array(a)) => !a.is_empty(),
        Some(serde_json::Value::Object(o)) => !o.is_empty(),
        _ => false,
    }
}

/// Per component name and root: renders (first mounts apart), times, the commits, and why.
pub fn component_stats(cx: &ProfileContext) -> Vec<ComponentStats> {
    let mut by_key: BTreeMap<(String, String), ComponentStats> = BTreeMap::new();
    for commit in &cx.commits {
        for r in &commit.renders {
            let s = by_key
                .entry((commit.root.name.clone(), r.name.clone()))
                .or_insert_with(|| ComponentStats {
                    name: r.name.clone(),
                    root: commit.root.name.clone(),
                    renders: 0,
                    mounts: 0,
                    self_ms: 0.0,
                    actual_ms: 0.0,
                    commits: Vec::new(),
                    why: WhyCounts::default(),
                });
            s.self_ms += r.self_ms;
            s.actual_ms += r.actual_ms;
            if s.commits.last() != Some(&commit.index) {
                s.commits.push(commit.index);
            }
            let why = &r.reasons;
            if why.first_mount {
                s.mounts += 1;
                continue;
            }
            s.renders += 1;
            if !why.recorded {
                s.why.unknown += 1;
            } else if why.parent_only() {
                s.why.parent += 1;
            } else {
                s.why.props += usize::from(!why.props.is_empty());
                s.why.state += usize::from(why.state);
                s.why.hooks += usize::from(why.hooks);
                s.why.context += usize::from(why.context);
            }
        }
    }
    let mut stats: Vec<ComponentStats> = by_key.into_values().collect();
    for s in &mut stats {
        s.self_ms = round_ms(s.self_ms);
        s.actual_ms = round_ms(s.actual_ms);
    }
    crate::sort::sort_by(&mut stats, |a, b| {
        b.self_ms
            .total_cmp(&a.self_ms)
            .then(b.renders.cmp(&a.renders))
            .then(a.name.cmp(&b.name))
    });
    stats
}

fn commit_infos(cx: &ProfileContext, t: &ProfileThresholds) -> Vec<CommitInfo> {
    cx.commits
        .iter()
        .map(|c| {
            let d = c.data();
            let mut rendered: Vec<(String, f64)> = Vec::new();
            for r in &c.renders {
                match rendered.iter_mut().find(|(n, _)| *n == r.name) {
                    Some((_, ms)) => *ms += r.self_ms,
                    None => rendered.push((r.name.clone(), r.self_ms)),
                }
            }
            crate::sort::sort_by(&mut rendered, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            CommitInfo {
                index: c.index,
                root: c.root.name.clone(),
                duration_ms: round_ms(d.duration),
                timestamp_ms: round_ms(d.timestamp),
                effect_ms: d.effect_duration.map(round_ms),
                passive_effect_ms: d.passive_effect_duration.map(round_ms),
                priority: d.priority_level.clone(),
                rendered: rendered.into_iter().map(|(n, _)| n).collect(),
                updaters: c.updaters.clone(),
                slow: d.duration > t.slow_commit_ms,
                components: commit_components(c),
            }
        })
        .collect()
}

/// A commit's components, most self time first, each placed in the tree.
fn commit_components(c: &CommitView) -> Vec<CommitComponent> {
    let placements = c.root.placements.get(c.index);
    let placed = |fiber: i64| placements.and_then(|p| p.get(&fiber)).copied();
    let render_of: HashMap<i64, usize> = c
        .renders
        .iter()
        .enumerate()
        .map(|(i, r)| (r.fiber, i))
        .collect();
    let mut order: Vec<usize> = (0..c.renders.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        let (a, b) = (&c.renders[a], &c.renders[b]);
        round_ms(b.self_ms)
            .total_cmp(&round_ms(a.self_ms))
            .then(a.name.cmp(&b.name))
    });
    // Parents are indices into the sorted list.
    let mut sorted_at = vec![0; order.len()];
    for (at, &i) in order.iter().enumerate() {
        sorted_at[i] = at;
    }
    order
        .iter()
        .map(|&i| {
            let r = &c.renders[i];
            CommitComponent {
                name: r.name.clone(),
                self_ms: round_ms(r.self_ms),
                actual_ms: round_ms(r.actual_ms),
                why: r.reasons.describe(),
                parent: placed(r.fiber)
                    .and_then(|(parent, _)| parent)
                    .and_then(|p| render_of.get(&p))
                    .map(|&p| sorted_at[p]),
                // Unplaced (no operations for the commit): after the placed ones.
                position: placed(r.fiber).map_or(c.renders.len() + i, |(_, position)| position),
            }
        })
        .collect()
}

fn summary(cx: &ProfileContext) -> ProfileSummary {
    let commits = || cx.commits.iter().map(|c| c.data());
    let first = commits().map(|d| d.timestamp).reduce(f64::min);
    let last_end = commits().map(|d| d.timestamp + d.duration).reduce(f64::max);
    ProfileSummary {
        react_version: cx.profile.react_version.clone(),
        roots: cx.profile.roots.iter().map(|r| r.name.clone()).collect(),
        commits: cx.commits.len(),
        duration_ms: match (first, last_end) {
            (Some(a), Some(b)) => Some(round_ms(b - a)),
            _ => None,
        },
        render_ms: round_ms(commits().map(|d| d.duration).sum()),
        why_recorded: cx.why_recorded,
    }
}

/// Analyzes a decoded profile. `file` is the name shown in the report.
pub fn analyze(profile: &Profile, file: Option<&str>, options: &ProfileOptions) -> ProfileReport {
    let cx = ProfileContext::new(profile);
    let mut findings: Vec<Finding> = Vec::new();
    for rule in crate::rules::PROFILE_RULES {
        if !options.skip.iter().any(|s| s == rule.id) {
            (rule.check)(&cx, &options.thresholds, &mut findings);
        }
    }
    crate::sort::sort_by_key(&mut findings, |f| std::cmp::Reverse(f.severity));
    ProfileReport {
        schema: PROFILE_SCHEMA.to_owned(),
        tool: Tool::current(),
        source: ProfileSource {
            file: file.map(str::to_owned),
            kind: "react-devtools-profile".to_owned(),
            export_version: profile.export_version,
            react_version: profile.react_version.clone(),
        },
        thresholds: options.thresholds,
        summary: summary(&cx),
        findings,
        components: component_stats(&cx),
        commits: commit_infos(&cx, &options.thresholds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_names() {
        for yes in [
            "onSelect",
            "onClick",
            "handleSubmit",
            "renderCallback",
            "clickHandler",
        ] {
            assert!(looks_like_callback(yes), "{yes}");
        }
        for no in ["one", "online", "items", "handler", "on"] {
            assert!(!looks_like_callback(no), "{no}");
        }
    }
}
