//! React DevTools Profiler exports recorded by `fixtures/react/record.mjs` from an app whose
//! renders are known by construction (listed there), and the reports they must produce.

use std::path::{Path, PathBuf};

use harscope_core::profile::{self, ProfileOptions, ProfileThresholds};
use harscope_core::report::{ComponentStats, ProfileReport};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/react/profiles")
        .join(name)
}

fn report(name: &str) -> ProfileReport {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let p = profile::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    profile::analyze(&p, Some(name), &ProfileOptions::default())
}

fn component<'r>(r: &'r ProfileReport, name: &str) -> &'r ComponentStats {
    r.components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

/// Every recorded profile: React 19 and 18 under the current DevTools (export version 5), and
/// React 17 under DevTools 4.10 (export version 4, an older tree-operations layout).
const RECORDED: [&str; 3] = [
    "react19-changes.json",
    "react18-plain.json",
    "react17-devtools4.json",
];

/// (name, re-renders, mounts) as the app was built to produce them.
const BY_CONSTRUCTION: [(&str, usize, usize); 6] = [
    ("App", 6, 0),
    ("Header", 6, 0),
    ("SlowChart", 6, 0),
    ("ThemeBadge", 6, 0),
    ("Row", 15, 0),
    ("Details", 0, 1),
];

#[test]
fn render_counts_are_the_ones_the_app_was_built_to_make() {
    for file in RECORDED {
        let r = report(file);
        assert_eq!(r.summary.commits, 6, "{file}");
        for (name, renders, mounts) in BY_CONSTRUCTION {
            let c = component(&r, name);
            assert_eq!((c.renders, c.mounts), (renders, mounts), "{file}: {name}");
        }
        assert!(
            r.components.iter().all(|c| c.name != "FooterContent"),
            "{file}: the memoized footer never renders"
        );
        assert!(
            r.components
                .iter()
                .all(|c| c.name != "li" && c.name != "div"),
            "{file}: no host elements"
        );
        let slow = component(&r, "SlowChart");
        assert!(
            slow.self_ms >= 6.0 * 29.0,
            "{file}: SlowChart spends 30 ms per render, {}",
            slow.self_ms
        );
        assert_eq!(
            r.components[0].name, "SlowChart",
            "{file}: ranked by self time"
        );
        let details_commit = r.commits.last().unwrap();
        assert!(details_commit.rendered.contains(&"Details".to_owned()));
        // Version 4 exports do not record updaters.
        let updaters: &[&str] = if r.source.export_version == 5 {
            &["App"]
        } else {
            &[]
        };
        assert_eq!(details_commit.updaters, updaters, "{file}");
    }
}

#[test]
fn every_commit_is_slow_because_of_the_slow_chart() {
    for file in RECORDED {
        let r = report(file);
        let slow: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule == "slow-commit")
            .collect();
        assert_eq!(slow.len(), 6, "{file}");
        for f in &slow {
            assert_eq!(
                f.evidence["top_components"][0]["name"], "SlowChart",
                "{file}"
            );
            assert!(f.evidence["duration_ms"].as_f64().unwrap() > 29.0);
            if r.source.export_version == 5 {
                assert_eq!(f.evidence["updaters"][0], "App");
            }
        }
        assert!(r.commits.iter().all(|c| c.slow));
        let lenient = profile::analyze(
            &profile::parse(&std::fs::read(fixture(file)).unwrap()).unwrap(),
            None,
            &ProfileOptions {
                thresholds: ProfileThresholds {
                    slow_commit_ms: 100.0,
                    ..Default::default()
                },
                skip: Vec::new(),
            },
        );
        assert!(lenient.findings.iter().all(|f| f.rule != "slow-commit"));
    }
}

#[test]
fn needless_rerenders_with_why_recorded() {
    let r = report("react19-changes.json");
    assert!(r.summary.why_recorded);
    let flagged: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "frequent-rerender")
        .map(|f| f.evidence["component"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, vec!["Header", "Row"]);
    let header = component(&r, "Header");
    assert_eq!(header.why.parent, 6);
    let row = r
        .findings
        .iter()
        .find(|f| f.evidence.get("component").is_some_and(|c| c == "Row"))
        .unwrap();
    assert_eq!(row.evidence["callbacks_only"], 15);
    assert_eq!(row.evidence["callback_props"][0], "onSelect");
    assert!(row.advice.contains("useCallback"));
    let badge = component(&r, "ThemeBadge");
    assert_eq!(
        (badge.why.context, badge.why.parent),
        (3, 3),
        "context changed on the three counter clicks"
    );
}

#[test]
fn rerenders_without_why_say_so() {
    let r = report("react18-plain.json");
    assert!(!r.summary.why_recorded);
    let flagged: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "frequent-rerender")
        .map(|f| f.evidence["component"].as_str().unwrap())
        .collect();
    // App's renders are its own updates, so they are not suspect.
    assert_eq!(flagged, vec!["Header", "Row", "SlowChart", "ThemeBadge"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "frequent-rerender")
        .unwrap();
    assert!(f.message.contains("did not record why"), "{}", f.message);
    assert!(
        f.advice.contains("Record why each component rendered"),
        "{}",
        f.advice
    );
}

/// The recording removes a row, reverses the rest, then mounts a component: the decoded
/// operations say so, commit by commit.
#[test]
fn operations_decode_removal_reorder_and_mount() {
    for file in RECORDED {
        let p = profile::parse(&std::fs::read(fixture(file)).unwrap()).unwrap();
        let root = &p.roots[0];
        let name = |id: &i64| root.fibers[id].name.clone().unwrap_or_default();
        let changes = &root.changes;
        assert!(changes[..3]
            .iter()
            .all(|c| c.added.is_empty() && c.removed.is_empty()));
        let removed: Vec<String> = changes[3].removed.iter().map(name).collect();
        assert!(removed.contains(&"Row".to_owned()), "{file}: {removed:?}");
        // The rows' parent: the list, or with host elements filtered out, the nearest component.
        let hosts_shown = root.fibers.values().any(|f| f.element_type == 7);
        let parent = if hosts_shown {
            "ul"
        } else {
            "Context.Provider"
        };
        let reordered: Vec<String> = changes[4].reordered.iter().map(name).collect();
        assert_eq!(reordered, vec![parent.to_owned()], "{file}");
        let added: Vec<String> = changes[5].added.iter().map(name).collect();
        assert!(added.contains(&"Details".to_owned()), "{file}: {added:?}");
        let rows_parent = root
            .fibers
            .values()
            .find(|f| f.name.as_deref() == Some(parent))
            .unwrap();
        let rows: Vec<i64> = rows_parent
            .children
            .iter()
            .copied()
            .filter(|c| root.fibers[c].name.as_deref() == Some("Row"))
            .collect();
        // Two rows left after the removal; the reverse put the later-mounted (higher id)
        // cheese row before bread's.
        assert_eq!(rows.len(), 2, "{file}: {rows:?}");
        assert!(rows[0] > rows[1], "{file}: reversed, {rows:?}");
        // Tree order commit by commit: the two rows in mount order before the reverse, in
        // reverse order after it, under the same parent both times.
        let in_tree_order = |commit: usize| {
            let placed = &root.placements[commit];
            let mut ids = rows.clone();
            ids.sort_by_key(|id| placed[id].1);
            assert_eq!(placed[&ids[0]].0, placed[&ids[1]].0, "{file}: siblings");
            ids
        };
        assert_eq!(in_tree_order(3), vec![rows[1], rows[0]], "{file}");
        assert_eq!(in_tree_order(4), rows, "{file}");
    }
}

#[test]
fn reports_match_their_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings
        .set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/expected"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.add_redaction(".tool.version", "[version]");
    settings.bind(|| {
        insta::assert_json_snapshot!("profile_react19_changes", report("react19-changes.json"));
        insta::assert_json_snapshot!("profile_react18_plain", report("react18-plain.json"));
        insta::assert_json_snapshot!(
            "profile_react17_devtools4",
            report("react17-devtools4.json")
        );
    });
}

/// The recorded export with `edit` applied to its JSON.
fn edited(file: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture(file)).unwrap()).unwrap();
    edit(&mut doc);
    serde_json::to_vec(&doc).unwrap()
}

/// DevTools 4.10's export (version 4): interactions instead of updaters, no effect durations,
/// and no record of context changes for function components, which the findings say.
#[test]
fn version_4_export_from_devtools_4_10() {
    let r = report("react17-devtools4.json");
    assert_eq!(r.source.export_version, 4);
    assert!(r.summary.why_recorded);
    assert!(r.commits.iter().all(|c| c.updaters.is_empty()));
    assert!(r
        .commits
        .iter()
        .all(|c| c.effect_ms.is_none() && c.passive_effect_ms.is_none()));
    let flagged: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "frequent-rerender")
        .map(|f| f.evidence["component"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, vec!["Header", "Row", "ThemeBadge"]);
    let badge = r
        .findings
        .iter()
        .find(|f| {
            f.evidence
                .get("component")
                .is_some_and(|c| c == "ThemeBadge")
        })
        .unwrap();
    assert_eq!(badge.evidence["context_unknown"], 6);
    assert!(
        badge.message.contains("did not record context changes"),
        "{}",
        badge.message
    );
    assert!(
        badge.advice.contains("split the context"),
        "{}",
        badge.advice
    );
}

#[test]
fn react_version_comes_from_the_timeline_when_recorded() {
    assert_eq!(report("react19-changes.json").summary.react_version, None);
    let bytes = edited("react19-changes.json", |doc| {
        doc["timelineData"] = serde_json::json!([{
            "reactVersion": "19.3.1",
            "batchUIDToMeasuresKeyValueArray": [],
            "componentMeasures": [],
            "duration": 2100,
            "startTime": 0
        }]);
    });
    let p = profile::parse(&bytes).unwrap();
    let r = profile::analyze(&p, None, &ProfileOptions::default());
    assert_eq!(r.summary.react_version.as_deref(), Some("19.3.1"));
}

#[test]
fn other_versions_and_empty_profiles_are_clear_errors() {
    for version in [
        serde_json::json!(3),
        serde_json::json!(6),
        serde_json::json!("5"),
    ] {
        let bytes = edited("react19-changes.json", |doc| {
            doc["version"] = version.clone()
        });
        let message = profile::parse(&bytes).unwrap_err().to_string();
        assert!(
            message.contains(&format!("version {version} is not supported")),
            "{message}"
        );
    }
    let bytes = edited("react19-changes.json", |doc| {
        doc["dataForRoots"] = serde_json::json!([]);
    });
    let message = profile::parse(&bytes).unwrap_err().to_string();
    assert!(message.contains("no roots"), "{message}");
    let bytes = edited("react19-changes.json", |doc| {
        doc["dataForRoots"][0]
            .as_object_mut()
            .unwrap()
            .remove("operations");
    });
    let message = profile::parse(&bytes).unwrap_err().to_string();
    assert!(message.contains("operations"), "{message}");
}

/// Each commit as a flame chart: App on top, the components it rendered inside it, each child
/// within its parent's span, siblings side by side in tree order.
#[test]
fn flame_charts_nest_components_in_tree_order() {
    for file in RECORDED {
        let r = report(file);
        for commit in &r.commits {
            let (bars, total) = profile::flame::flame(commit);
            assert_eq!(bars.len(), commit.components.len(), "{file}: one bar each");
            let name = |b: &profile::flame::FlameBar| commit.components[b.component].name.as_str();
            assert_eq!(name(&bars[0]), "App", "{file}: App is on top");
            assert_eq!(bars[0].depth, 0);
            assert!(bars[1..].iter().all(|b| b.depth > 0), "{file}: one top bar");
            assert!(total >= commit.duration_ms);
            for b in &bars {
                let c = &commit.components[b.component];
                if let Some(p) = c.parent {
                    let parent = bars.iter().find(|x| x.component == p).unwrap();
                    assert_eq!(b.depth, parent.depth + 1);
                    assert!(b.start_ms >= parent.start_ms - 1e-9);
                    assert!(
                        b.start_ms + b.width_ms <= parent.start_ms + parent.width_ms + 1e-9,
                        "{file}: {} inside {}",
                        c.name,
                        commit.components[p].name
                    );
                }
            }
            // SlowChart sits inside the context provider, itself inside App.
            let chart = bars.iter().find(|b| name(b) == "SlowChart").unwrap();
            assert_eq!(chart.depth, 2, "{file}");
            assert!(chart.width_ms >= 29.0, "{file}: 30 ms wide");
        }
        // In tree order, the rows come before the chart.
        let first = &r.commits[0];
        let (bars, _) = profile::flame::flame(first);
        let order: Vec<&str> = bars
            .iter()
            .map(|b| first.components[b.component].name.as_str())
            .collect();
        let rows = order.iter().filter(|n| **n == "Row").count();
        assert_eq!(rows, 3, "{file}: {order:?}");
        let chart_at = order.iter().position(|n| *n == "SlowChart").unwrap();
        assert!(
            order.iter().rposition(|n| *n == "Row").unwrap() < chart_at,
            "{file}: rows come before the chart in the tree: {order:?}"
        );
    }
}

/// Every operation value of every recorded profile replaced by values a corrupt or hostile
/// file could hold: each gives a report or an error, never a panic; and so does the export
/// cut short anywhere.
#[test]
fn corrupt_operations_and_truncation_never_panic() {
    const HOSTILE: [i64; 4] = [-1, 7, 1 << 40, i64::MIN];
    for file in RECORDED {
        let bytes = std::fs::read(fixture(file)).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let ops = doc["dataForRoots"][0]["operations"].as_array().unwrap();
        let mut tried = 0;
        for (commit, list) in ops.iter().enumerate() {
            for at in 0..list.as_array().unwrap().len() {
                for value in HOSTILE {
                    let mut bad = doc.clone();
                    bad["dataForRoots"][0]["operations"][commit][at] = value.into();
                    let bytes = serde_json::to_vec(&bad).unwrap();
                    if let Ok(p) = profile::parse(&bytes) {
                        let r = profile::analyze(&p, None, &ProfileOptions::default());
                        for c in &r.commits {
                            profile::flame::flame(c);
                        }
                    }
                    tried += 1;
                }
            }
        }
        assert!(tried > 100, "{file}: {tried}");
        for cut in (0..bytes.len()).step_by(97) {
            assert!(
                profile::parse(&bytes[..cut]).is_err(),
                "{file}: cut at {cut}"
            );
        }
    }
}
