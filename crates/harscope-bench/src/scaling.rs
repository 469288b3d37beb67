//! How harscope's time grows with hostile shapes of input: each shape is generated at `n` and
//! `4n`, and each command timed on both (median of `--runs`). Time that grows with the input
//! gives a ratio near 4; a quadratic step, near 16. Peak memory is shown at `4n`. Prints a
//! Markdown table.
//!
//! `scaling [--n 5000] [--runs 3]`, from the repository's root (a React profile fixture is the
//! seed of the profile shape). Files go to `bench-data/scaling/`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

mod measure;
use measure::run;

/// A shape of input, written at a given scale.
struct Shape {
    name: &'static str,
    what: &'static str,
    make: fn(usize) -> Value,
    /// React profiles get no link or sanitized copy.
    har: bool,
}

const SHAPES: [Shape; 9] = [
    Shape {
        name: "requests",
        what: "n requests on one page",
        make: |n| {
            capture(
                one_page(),
                (0..n).map(|i| entry(i, "p0", url(i), 200)).collect(),
            )
        },
        har: true,
    },
    Shape {
        name: "pages",
        what: "n pages of one request each",
        make: |n| {
            let pages = (0..n).map(|i| page(&format!("p{i}"))).collect();
            capture(
                pages,
                (0..n)
                    .map(|i| entry(i, &format!("p{i}"), url(i), 200))
                    .collect(),
            )
        },
        har: true,
    },
    Shape {
        name: "failures",
        what: "n slow requests failing with 500 (2n findings)",
        make: |n| {
            capture(
                one_page(),
                (0..n).map(|i| entry(i, "p0", url(i), 500)).collect(),
            )
        },
        har: true,
    },
    Shape {
        name: "same-url",
        what: "n POSTs to one URL (duplicate requests)",
        make: |n| {
            let entries = (0..n)
                .map(|i| {
                    let mut e = entry(i, "p0", "https://a.example/api/save".into(), 200);
                    e["request"]["method"] = json!("POST");
                    e
                })
                .collect();
            capture(one_page(), entries)
        },
        har: true,
    },
    Shape {
        name: "hosts",
        what: "n requests to n hosts",
        make: |n| {
            capture(
                one_page(),
                (0..n)
                    .map(|i| entry(i, "p0", format!("https://h{i}.example/"), 200))
                    .collect(),
            )
        },
        har: true,
    },
    Shape {
        name: "same-start",
        what: "n requests started in the same millisecond",
        make: |n| {
            let entries = (0..n)
                .map(|i| {
                    let mut e = entry(i, "p0", url(i), 200);
                    e["startedDateTime"] = json!("2026-01-01T00:00:00.000Z");
                    e
                })
                .collect();
            capture(one_page(), entries)
        },
        har: true,
    },
    Shape {
        name: "headers",
        what: "one request with 10n headers",
        make: |n| {
            let mut e = entry(0, "p0", url(0), 401);
            e["request"]["headers"] = (0..10 * n)
                .map(|i| json!({"name": format!("x-h{i}"), "value": "v"}))
                .collect();
            capture(one_page(), vec![e])
        },
        har: true,
    },
    Shape {
        name: "long-url",
        what: "one failed request whose URL has 10n path segments (140n bytes)",
        make: |n| {
            let path: String = (0..10 * n)
                .map(|i| format!("/segment{:06}", i % 1_000_000))
                .collect();
            capture(
                one_page(),
                vec![entry(0, "p0", format!("https://a.example{path}"), 500)],
            )
        },
        har: true,
    },
    Shape {
        name: "commits",
        what: "a React profile of n/10 commits re-rendering 20 components",
        make: |n| profile(n / 10),
        har: false,
    },
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--write") {
        if let Err(e) = write_one(&args[1..]) {
            eprintln!("scaling: {e}");
            std::process::exit(1);
        }
        return;
    }
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let n: usize = arg("--n").and_then(|v| v.parse().ok()).unwrap_or(5000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    let harscope = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("harscope")))
        .unwrap_or_default();
    let dir = PathBuf::from("bench-data/scaling");
    let _ = std::fs::create_dir_all(&dir);

    println!("n = {n}, median of {runs} runs; time at 4n over time at n: 4 grows with the input, 16 would be quadratic.\n");
    println!("| shape | command | n | 4n | ratio | peak RSS at 4n | 4n file |");
    println!("|---|---|---|---|---|---|---|");
    for shape in &SHAPES {
        let files = [n, 4 * n].map(|size| write(&dir, shape, size));
        let commands: &[(&str, &[&str])] = if shape.har {
            &[
                ("analyze", &["analyze", "-f", "json", "FILE"]),
                ("link", &["analyze", "FILE", "--link"]),
                (
                    "sanitize",
                    &["sanitize", "FILE", "-o", "-", "--bodies", "all"],
                ),
            ]
        } else {
            &[("analyze", &["analyze", "-f", "json", "FILE"])]
        };
        for (label, command) in commands {
            let times = files
                .each_ref()
                .map(|file| median(&harscope, command, file, runs));
            let cell =
                |t: Option<(f64, u64)>| t.map_or("failed".to_owned(), |(t, _)| format!("{t:.3} s"));
            let ratio = match times {
                [Some((a, _)), Some((b, _))] => format!("{:.1}", b / a.max(1e-3)),
                _ => "-".to_owned(),
            };
            let rss = times[1].map_or("-".to_owned(), |(_, rss)| {
                format!("{:.0} MB", rss as f64 / 1e6)
            });
            let size = std::fs::metadata(&files[1]).map_or(0, |m| m.len());
            println!(
                "| {} ({}) | {label} | {} | {} | {ratio} | {rss} | {:.1} MB |",
                shape.name,
                shape.what,
                cell(times[0]),
                cell(times[1]),
                size as f64 / 1e6
            );
        }
    }
}

/// The shape's file at `size`, written by a child process (`scaling --write NAME SIZE FILE`):
/// a child started while this process held the generated JSON would report its memory as
/// part of its own peak.
fn write(dir: &Path, shape: &Shape, size: usize) -> PathBuf {
    let file = dir.join(format!("{}-{size}.json", shape.name));
    if !file.exists() {
        let written = std::env::current_exe().and_then(|me| {
            std::process::Command::new(me)
                .args(["--write", shape.name, &size.to_string()])
                .arg(&file)
                .status()
        });
        if !written.is_ok_and(|s| s.success()) {
            eprintln!("scaling: cannot write {}", file.display());
            std::process::exit(1);
        }
    }
    file
}

/// `--write NAME SIZE FILE`.
fn write_one(args: &[String]) -> std::io::Result<()> {
    let (Some(name), Some(size), Some(file)) = (args.first(), args.get(1), args.get(2)) else {
        return Err(std::io::Error::other(
            "usage: scaling --write NAME SIZE FILE",
        ));
    };
    let shape = SHAPES
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| std::io::Error::other(format!("no shape {name}")))?;
    let size: usize = size.parse().map_err(std::io::Error::other)?;
    let bytes = serde_json::to_vec(&(shape.make)(size))?;
    std::fs::write(file, bytes)
}

/// The median wall time of `harscope ARGS` (`FILE` in `args` standing for `file`), after a
/// warm-up run, and the largest peak RSS; `None` when it failed.
fn median(harscope: &Path, args: &[&str], file: &Path, runs: usize) -> Option<(f64, u64)> {
    let argv: Vec<String> = std::iter::once(harscope.display().to_string())
        .chain(args.iter().map(|&a| {
            if a == "FILE" {
                file.display().to_string()
            } else {
                a.to_owned()
            }
        }))
        .collect();
    let _ = run(&argv);
    let mut walls = Vec::new();
    let mut rss = 0;
    for _ in 0..runs.max(1) {
        let m = run(&argv);
        if !m.ok {
            return None;
        }
        walls.push(m.wall_s);
        rss = rss.max(m.max_rss_bytes);
    }
    walls.sort_by(f64::total_cmp);
    Some((walls[walls.len() / 2], rss))
}

fn url(i: usize) -> String {
    format!("https://a.example/api/items/{i}?page={}", i % 50)
}

fn one_page() -> Vec<Value> {
    vec![page("p0")]
}

fn page(id: &str) -> Value {
    json!({"id": id, "title": "shape", "startedDateTime": "2026-01-01T00:00:00.000Z",
           "pageTimings": {"onContentLoad": 900, "onLoad": 1000}})
}

fn entry(i: usize, page: &str, url: String, status: u16) -> Value {
    let started = format!("2026-01-01T00:00:{:02}.{:03}Z", (i / 1000) % 60, i % 1000);
    json!({
        "pageref": page, "startedDateTime": started, "time": 620,
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1", "headers": [],
                    "cookies": [], "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "content-type", "value": "application/json"}], "cookies": [],
                     "content": {"size": 40, "mimeType": "application/json",
                                 "text": "{\"error\": \"the service is unavailable\"}"},
                     "redirectURL": "", "headersSize": -1, "bodySize": 40},
        "cache": {},
        "timings": {"blocked": 1, "dns": -1, "connect": -1, "ssl": -1, "send": 1, "wait": 600, "receive": 18}
    })
}

fn capture(pages: Vec<Value>, entries: Vec<Value>) -> Value {
    json!({"log": {"version": "1.2", "creator": {"name": "scaling", "version": "1"},
                   "pages": pages, "entries": entries}})
}

/// A React DevTools export (version 5) of a root and 20 components (the tree as its snapshot
/// records it), then `commits` commits re-rendering all of them because a prop changed.
fn profile(commits: usize) -> Value {
    const ROOT: i64 = 1;
    const COMPONENTS: i64 = 20;
    let node = |id: i64, children: Vec<i64>, name: Option<String>, kind: i64| {
        json!([id, {"id": id, "children": children, "displayName": name, "hocDisplayNames": null,
                    "key": null, "type": kind, "compiledWithForget": false}])
    };
    let ids: Vec<i64> = (0..COMPONENTS).map(|c| ROOT + 1 + c).collect();
    let mut snapshots = vec![node(ROOT, ids.clone(), None, 11)];
    snapshots.extend(
        ids.iter()
            .map(|&id| node(id, vec![], Some(format!("Row{id}")), 5)),
    );
    let durations: Vec<Value> = ids.iter().map(|&id| json!([id, 0.5])).collect();
    let changes: Vec<Value> = ids
        .iter()
        .map(|&id| {
            json!([id, {"context": false, "didHooksChange": false, "isFirstMount": false,
                        "props": ["items"], "state": null, "hooks": []}])
        })
        .collect();
    let commit = |i: usize| {
        json!({"changeDescriptions": changes, "duration": 12.0, "effectDuration": 0.5,
               "fiberActualDurations": durations, "fiberSelfDurations": durations,
               "passiveEffectDuration": 0.2, "priorityLevel": "Normal", "timestamp": 100.0 + 20.0 * i as f64,
               "updaters": [{"id": ROOT + 1, "displayName": "Row2", "hocDisplayNames": null,
                             "key": null, "type": 5}]})
    };
    let initial: Vec<Value> = std::iter::once(json!([ROOT, 10.0]))
        .chain(ids.iter().map(|&id| json!([id, 0.5])))
        .collect();
    json!({"version": 5, "dataForRoots": [{
        "commitData": (0..commits).map(commit).collect::<Vec<_>>(),
        "displayName": "App", "initialTreeBaseDurations": initial,
        "operations": (0..commits).map(|_| json!([1, ROOT, 0])).collect::<Vec<_>>(),
        "rootID": ROOT, "snapshots": snapshots
    }]})
}
