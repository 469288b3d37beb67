//! Times harscope beside its peers on one big HAR, and prints a Markdown table.
//!
//! `bench [--size 200MB] [--runs 5] [--file F]`: without `--file`, generates (once) a
//! deterministic capture in `bench-data/`. Each command runs once to warm the page cache, then
//! `--runs` times; the table gives the median and fastest wall time, peak RSS (from `wait4`),
//! RSS over file size, and each peer's median over harscope's. Peers run only when installed:
//! `wiretrail` (a Rust HAR CLI), and as parse-only baselines `jq` and Python's `json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod measure;
use measure::{run, Measure};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let size = arg("--size").unwrap_or_else(|| "200MB".to_owned());
    let runs: usize = arg("--runs").and_then(|r| r.parse().ok()).unwrap_or(5);
    let bin_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let file = match arg("--file") {
        Some(f) => PathBuf::from(f),
        None => generate(&bin_dir, &size),
    };
    let file_size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let harscope = bin_dir.join("harscope");
    let f = file.display().to_string();

    let mut commands: Vec<(String, Vec<String>)> = vec![
        (
            "harscope analyze --format json".into(),
            vec![
                harscope.display().to_string(),
                "analyze".into(),
                "--format".into(),
                "json".into(),
                f.clone(),
            ],
        ),
        (
            "harscope analyze (text)".into(),
            vec![harscope.display().to_string(), "analyze".into(), f.clone()],
        ),
    ];
    for bodies in ["none", "all"] {
        commands.push((
            format!("harscope sanitize --bodies {bodies} (to stdout)"),
            vec![
                harscope.display().to_string(),
                "sanitize".into(),
                f.clone(),
                "-o".into(),
                "-".into(),
                "--bodies".into(),
                bodies.into(),
            ],
        ));
    }
    if installed("wiretrail") {
        for sub in ["summary", "diagnose", "errors"] {
            commands.push((
                format!("wiretrail {sub} --json"),
                vec!["wiretrail".into(), f.clone(), sub.into(), "--json".into()],
            ));
        }
    }
    if installed("jq") {
        commands.push((
            "jq '.log.entries|length' (parse only)".into(),
            vec!["jq".into(), ".log.entries|length".into(), f.clone()],
        ));
    }
    if installed("python3") {
        commands.push((
            "python3 json.load (parse only)".into(),
            vec![
                "python3".into(),
                "-c".into(),
                "import json,sys; json.load(open(sys.argv[1],'rb'))".into(),
                f.clone(),
            ],
        ));
    }

    println!(
        "File: {} ({:.1} MB), {} runs each after one warm-up; {} cores.\n",
        file.display(),
        file_size as f64 / 1e6,
        runs,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!("| command | median | fastest | peak RSS | RSS / file | time vs harscope |");
    println!("|---|---|---|---|---|---|");
    let mut baseline: Option<f64> = None;
    for (label, argv) in &commands {
        let _ = run(argv);
        let results: Vec<Measure> = (0..runs).map(|_| run(argv)).collect();
        if results.iter().any(|m| !m.ok) {
            println!("| {label} | failed | | | | |");
            continue;
        }
        let mut walls: Vec<f64> = results.iter().map(|m| m.wall_s).collect();
        walls.sort_by(f64::total_cmp);
        let median = walls[walls.len() / 2];
        let rss = results.iter().map(|m| m.max_rss_bytes).max().unwrap_or(0);
        let base = *baseline.get_or_insert(median);
        println!(
            "| {label} | {median:.3} s | {:.3} s | {:.0} MB | {:.2}x | {:.2}x |",
            walls[0],
            rss as f64 / 1e6,
            rss as f64 / file_size.max(1) as f64,
            median / base
        );
    }
}

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn generate(bin_dir: &Path, size: &str) -> PathBuf {
    let dir = PathBuf::from("bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("big-{size}.har"));
    if !file.exists() {
        let status = Command::new(bin_dir.join("gen-har"))
            .args(["--size", size, "--out"])
            .arg(&file)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("bench: could not generate {}", file.display());
            std::process::exit(1);
        }
    }
    file
}
