//! React DevTools Profiler exports: reading them, decoding their tree operations, and the
//! analysis behind the profile report.

mod analyze;
pub mod flame;
pub mod model;

/// What the profile rules see.
pub mod analyze_context {
    pub use super::analyze::{is_component, CommitView, ProfileContext, Reasons, Render};
}
pub mod operations;

use std::collections::HashMap;

pub use analyze::{analyze, ProfileOptions, ProfileThresholds};
use model::{CommitData, Export};
use operations::{CommitChanges, Fiber, Layout, Tree, LAYOUTS};

use crate::har::ParseError;
use crate::json;

/// A profile read and decoded.
#[derive(Debug, Clone)]
pub struct Profile {
    pub export_version: i64,
    /// From the timeline data, when the profile recorded it.
    pub react_version: Option<String>,
    pub roots: Vec<RootProfile>,
    /// The operations layout that decoded every commit.
    pub layout: Layout,
}

#[derive(Debug, Clone)]
pub struct RootProfile {
    pub root_id: i64,
    /// The root's name (its top component), as DevTools shows it.
    pub name: String,
    pub commits: Vec<CommitData>,
    /// What each commit's operations did, index for index with `commits`.
    pub changes: Vec<CommitChanges>,
    /// Every fiber the profile names: those in the starting snapshot and those mounted since,
    /// as the last commit left them (removed ones as they were when removed).
    pub fibers: HashMap<i64, Fiber>,
    /// Per commit, where each component that rendered sat in the tree at that commit: its
    /// nearest rendered ancestor and its rank in tree order (see `flame`).
    pub placements: Vec<HashMap<i64, (Option<i64>, usize)>>,
}

/// Why a file could not be read as a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("{0}")]
    Json(#[from] ParseError),
    #[error("this is a HAR capture, not a React profile: analyze it with `harscope analyze`")]
    IsHar,
    #[error("React DevTools profile export version {0} is not supported: harscope reads versions 4 and 5 (React 17 to 19)")]
    Version(String),
    #[error("the profile has no roots: nothing was recorded (start profiling, interact with the page, stop, then save)")]
    NoRoots,
    #[error("the profile's tree operations could not be decoded: {0}")]
    Operations(String),
}

/// What a file is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Har,
    Profile,
    /// Neither: the HAR reader's error message suits it best.
    Unknown,
}

/// Tells a HAR capture from a React profile by the document's top-level keys, reading no
/// further than it must: HAR files open with `log`, DevTools writes `version` first.
pub fn detect(bytes: &[u8]) -> Kind {
    #[derive(serde::Deserialize)]
    struct Keys {
        #[serde(default)]
        log: Option<serde::de::IgnoredAny>,
        #[serde(default, rename = "dataForRoots")]
        data_for_roots: Option<serde::de::IgnoredAny>,
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let head = start.map_or(&[][..], |s| &bytes[s..bytes.len().min(s + 64)]);
    let first_key = head
        .strip_prefix(b"{")
        .map(|rest| rest.trim_ascii_start())
        .and_then(|rest| rest.strip_prefix(b"\""));
    match first_key {
        Some(k) if k.starts_with(b"log\"") => return Kind::Har,
        Some(k) if k.starts_with(b"dataForRoots\"") => return Kind::Profile,
        _ => {}
    }
    // Any other order: look at every top-level key (values are skipped, not read).
    match json::from_deserializer::<Keys>(json::Deserializer::new(bytes)) {
        Ok(Keys { log: Some(_), .. }) => Kind::Har,
        Ok(Keys {
            data_for_roots: Some(_),
            ..
        }) => Kind::Profile,
        _ => Kind::Unknown,
    }
}

/// Reads and decodes a React DevTools Profiler export.
pub fn parse(bytes: &[u8]) -> Result<Profile, ProfileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if detect(bytes) == Kind::Har {
        return Err(ProfileError::IsHar);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty.into());
    }
    let export = read_export(bytes)?;
    let version = match &export.version {
        serde_json::Value::Number(n) => n.as_i64(),
        _ => None,
    };
    let export_version = match version {
        Some(v @ (4 | 5)) => v,
        _ => return Err(ProfileError::Version(export.version.to_string())),
    };
    if export.data_for_roots.is_empty() {
        return Err(ProfileError::NoRoots);
    }
    let react_version = export
        .timeline_data
        .as_ref()
        .and_then(|t| t.iter().find_map(|d| d.react_version.clone()));
    let mut first_error = None;
    for layout in LAYOUTS {
        match decode_roots(&export, layout) {
            Ok(roots) => {
                return Ok(Profile {
                    export_version,
                    react_version,
                    roots,
                    layout,
                })
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(ProfileError::Operations(first_error.unwrap_or_default()))
}

/// Where the components that rendered in a commit sat in the tree after its operations.
fn place_renders(tree: &Tree, commit: Option<&CommitData>) -> HashMap<i64, (Option<i64>, usize)> {
    let Some(commit) = commit else {
        return HashMap::new();
    };
    let fibers: Vec<i64> = commit
        .fiber_actual_durations
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| {
            tree.live
                .get(id)
                .is_some_and(|f| analyze::is_component(f.element_type))
        })
        .collect();
    flame::place(&tree.live, &fibers)
        .into_iter()
        .zip(&fibers)
        .map(|(p, id)| (*id, (p.parent.map(|i| fibers[i]), p.position)))
        .collect()
}

/// Reads the export with serde_json: profiles are small next to captures, so the capture
/// reader's speed is not needed here, and serde_json's code for these types is a fraction of
/// its size in the web app's worker.
fn read_export(bytes: &[u8]) -> Result<Export, ParseError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let category = match e.classify() {
            serde_json::error::Category::Eof => json::Category::Eof,
            serde_json::error::Category::Data => json::Category::Data,
            _ => json::Category::Syntax,
        };
        let message = e.to_string();
        // serde_json appends " at line L column C"; the message says where itself.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_owned();
        let err = json::Error {
            category,
            message,
            offset: Some(offset_of(bytes, e.line(), e.column())),
        };
        crate::har::explain_json(bytes, &err, "React profile")
    })
}

/// The byte offset just after the character serde_json's error points at (1-based line and
/// column of the last character it read), as the capture reader reports positions.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(<[u8]>::len)
        .sum::<usize>();
    (line_start + column).min(bytes.len())
}

fn decode_roots(export: &Export, layout: Layout) -> Result<Vec<RootProfile>, String> {
    export
        .data_for_roots
        .iter()
        .map(|root| {
            let mut tree = Tree::default();
            for (id, node) in &root.snapshots {
                tree.insert(
                    *id,
                    Fiber {
                        name: node.display_name.clone(),
                        element_type: node.element_type,
                        parent: 0,
                        children: node.children.clone(),
                    },
                );
            }
            // Parents, from the snapshot's child lists.
            let links: Vec<(i64, i64)> = root
                .snapshots
                .iter()
                .flat_map(|(id, node)| node.children.iter().map(move |c| (*c, *id)))
                .collect();
            for (child, parent) in links {
                if let Some(f) = tree.live.get_mut(&child) {
                    f.parent = parent;
                }
                if let Some(f) = tree.seen.get_mut(&child) {
                    f.parent = parent;
                }
            }
            let mut changes = Vec::with_capacity(root.operations.len());
            let mut placements = Vec::with_capacity(root.operations.len());
            for (i, ops) in root.operations.iter().enumerate() {
                changes.push(operations::apply(&mut tree, ops, i, layout)?);
                placements.push(place_renders(&tree, root.commit_data.get(i)));
            }
            // What is still mounted, as the last commit left it.
            for (id, fiber) in &tree.live {
                tree.seen.insert(*id, fiber.clone());
            }
            let name = root
                .display_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("root {}", root.root_id));
            Ok(RootProfile {
                root_id: root.root_id,
                name,
                commits: root.commit_data.clone(),
                changes,
                fibers: tree.seen,
                placements,
            })
        })
        .collect()
}
