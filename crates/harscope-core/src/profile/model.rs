//! The React DevTools Profiler export ("Save profile"), versions 4 and 5, as serde reads it.
//!
//! Profiles are small next to captures (kilobytes to a few megabytes), so they are read into
//! owned values; fields a version lacks default to empty.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(expecting = "a React DevTools profile (an object with `version` and `dataForRoots`)")]
pub struct Export {
    pub version: Value,
    #[serde(rename = "dataForRoots")]
    pub data_for_roots: Vec<RootData>,
    /// Present in version 5 when the timeline was recorded.
    #[serde(default, rename = "timelineData")]
    pub timeline_data: Option<Vec<TimelineData>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(expecting = "a profile root (`commitData`, `operations`, `snapshots`, ...)")]
pub struct RootData {
    #[serde(rename = "commitData")]
    pub commit_data: Vec<CommitData>,
    #[serde(default, rename = "displayName")]
    pub display_name: Option<String>,
    #[serde(default, rename = "initialTreeBaseDurations")]
    pub initial_tree_base_durations: Vec<(i64, f64)>,
    pub operations: Vec<Vec<i64>>,
    #[serde(rename = "rootID")]
    pub root_id: i64,
    pub snapshots: Vec<(i64, SnapshotNode)>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotNode {
    pub id: i64,
    #[serde(default)]
    pub children: Vec<i64>,
    #[serde(default, rename = "displayName")]
    pub display_name: Option<String>,
    #[serde(default, rename = "hocDisplayNames")]
    pub hoc_display_names: Option<Vec<String>>,
    #[serde(default)]
    pub key: Option<Value>,
    #[serde(rename = "type")]
    pub element_type: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommitData {
    /// "Why did this render", when the profile recorded it.
    #[serde(default, rename = "changeDescriptions")]
    pub change_descriptions: Option<Vec<(i64, ChangeDescription)>>,
    pub duration: f64,
    #[serde(default, rename = "effectDuration")]
    pub effect_duration: Option<f64>,
    #[serde(rename = "fiberActualDurations")]
    pub fiber_actual_durations: Vec<(i64, f64)>,
    #[serde(rename = "fiberSelfDurations")]
    pub fiber_self_durations: Vec<(i64, f64)>,
    #[serde(default, rename = "passiveEffectDuration")]
    pub passive_effect_duration: Option<f64>,
    #[serde(default, rename = "priorityLevel")]
    pub priority_level: Option<String>,
    pub timestamp: f64,
    /// The components whose updates scheduled this commit (version 5).
    #[serde(default)]
    pub updaters: Option<Vec<Updater>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangeDescription {
    /// Changed context (`true`, or the names of changed values), `false` or `null`.
    #[serde(default)]
    pub context: Value,
    #[serde(default, rename = "didHooksChange")]
    pub did_hooks_change: bool,
    #[serde(default, rename = "isFirstMount")]
    pub is_first_mount: bool,
    /// Names of changed props, or `null`.
    #[serde(default)]
    pub props: Option<Vec<String>>,
    #[serde(default)]
    pub state: Option<Value>,
    /// Indices of changed hooks.
    #[serde(default)]
    pub hooks: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Updater {
    #[serde(default, rename = "displayName")]
    pub display_name: Option<String>,
    pub id: i64,
    #[serde(default, rename = "type")]
    pub element_type: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimelineData {
    #[serde(default, rename = "reactVersion")]
    pub react_version: Option<String>,
}
