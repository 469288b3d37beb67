//! End-to-end tests of the `harscope` binary: exit codes, formats, flags, and bad input.

mod bad_input;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn harscope() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_harscope"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

fn run(args: &[&str]) -> Output {
    harscope().args(args).output().expect("harscope runs")
}

fn run_fixture(args: &[&str], rel: &str) -> Output {
    let path = fixture(rel);
    let mut all: Vec<&str> = args.to_vec();
    all.push(path.to_str().unwrap());
    run(&all)
}

/// `harscope link decode -` with `link` on standard input (a long link fits no argument).
fn decode_link(link: &str) -> Output {
    let mut child = harscope()
        .args(["link", "decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(link.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file in a per-test scratch directory.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("harscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn rules_found(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn json_report_follows_the_contract() {
    let o = run_fixture(
        &["analyze", "--format", "json"],
        "scenarios/har/http-errors.har",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["schema"], "harscope.report/1");
    assert!(r["source"]["file"]
        .as_str()
        .unwrap()
        .ends_with("http-errors.har"));
    assert_eq!(r["source"]["creator"], "Playwright 1.65.1");
    assert_eq!(r["summary"][0]["requests"], 9);
    let first = &r["findings"][0];
    for key in [
        "rule", "severity", "url", "page", "message", "advice", "evidence",
    ] {
        assert!(first.get(key).is_some(), "finding lacks `{key}`");
    }
    assert_eq!(first["rule"], "http-error");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["evidence"]["status"], 500);
}

#[test]
fn several_files_give_a_json_array() {
    let (a, b) = (
        fixture("hand/chrome-sanitized-401.har"),
        fixture("scenarios/har/clean.har"),
    );
    let o = run(&[
        "analyze",
        "-f",
        "json",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let r = json(&o);
    assert_eq!(r.as_array().map(Vec::len), Some(2));
    assert_eq!(r[1]["findings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn fail_on_sets_the_exit_code() {
    let errors = "scenarios/har/http-errors.har"; // has errors and warnings
    let warnings = "scenarios/har/many-requests.har"; // warnings only
    let code = |args: &[&str], rel| run_fixture(args, rel).status.code();
    assert_eq!(code(&["analyze"], errors), Some(0), "never is the default");
    assert_eq!(code(&["analyze", "--fail-on", "error"], errors), Some(1));
    assert_eq!(code(&["analyze", "--fail-on", "error"], warnings), Some(0));
    assert_eq!(
        code(&["analyze", "--fail-on", "warning"], warnings),
        Some(1)
    );
    assert_eq!(code(&["analyze", "--fail-on", "never"], errors), Some(0));
    assert_eq!(
        code(
            &["analyze", "--fail-on", "warning"],
            "scenarios/har/clean.har"
        ),
        Some(0)
    );
}

#[test]
fn thresholds_are_flags() {
    let rules = |args: &[&str], rel| rules_found(&json(&run_fixture(args, rel)));
    let base = ["analyze", "-f", "json"];
    assert!(rules(&base, "scenarios/har/slow-ttfb.har").contains(&"slow-ttfb".to_owned()));
    assert!(rules(
        &[&base[..], &["--ttfb-ms", "5000"]].concat(),
        "scenarios/har/slow-ttfb.har"
    )
    .is_empty());
    let count = |found: Vec<String>, rule: &str| found.iter().filter(|r| *r == rule).count();
    assert_eq!(
        count(
            rules(&base, "scenarios/har/large-payload.har"),
            "large-payload"
        ),
        2
    );
    assert_eq!(
        count(
            rules(
                &[&base[..], &["--payload-bytes", "2MiB"]].concat(),
                "scenarios/har/large-payload.har"
            ),
            "large-payload"
        ),
        1
    );
    // The rules of the runbook's second part.
    let n_plus_one = "scenarios/har/n-plus-one.har";
    assert_eq!(count(rules(&base, n_plus_one), "n-plus-one"), 2);
    let raised = rules(&[&base[..], &["--n-plus-one", "20"]].concat(), n_plus_one);
    assert_eq!(
        count(raised, "n-plus-one"),
        1,
        "only the 30 sequential calls"
    );
    let off = rules(&[&base[..], &["--n-plus-one", "0"]].concat(), n_plus_one);
    assert_eq!(count(off, "n-plus-one"), 0);
    let double = "scenarios/har/double-submit.har";
    assert_eq!(count(rules(&base, double), "duplicate-request"), 2);
    let narrow = rules(
        &[&base[..], &["--duplicate-window-ms", "50"]].concat(),
        double,
    );
    assert_eq!(
        count(narrow, "duplicate-request"),
        1,
        "the repeated GET stays"
    );
    let plain = "scenarios/har/uncompressed.har";
    assert_eq!(count(rules(&base, plain), "uncompressed-text"), 1);
    let big = rules(
        &[&base[..], &["--uncompressed-bytes", "100KiB"]].concat(),
        plain,
    );
    assert_eq!(count(big, "uncompressed-text"), 0);
    let hops = "scenarios/har/redirects.har";
    assert_eq!(count(rules(&base, hops), "redirect-chain"), 1);
    let longer = rules(&[&base[..], &["--redirect-hops", "4"]].concat(), hops);
    assert_eq!(count(longer, "redirect-chain"), 0);
    let tls = "scenarios/har/slow-connection.har";
    assert_eq!(count(rules(&base, tls), "slow-connection"), 2);
    let relaxed = rules(
        &[
            &base[..],
            &["--slow-connection-ms", "1000", "--cert-expiry-days", "1"],
        ]
        .concat(),
        tls,
    );
    assert_eq!(count(relaxed, "slow-connection"), 0);
    let repeat = "hand/chrome-repeat-view.har";
    let cached = rules(&base, repeat);
    assert_eq!(count(cached, "cache-missing"), 1);
    let r = json(&run_fixture(
        &[&base[..], &["--cache-min-s", "30"]].concat(),
        repeat,
    ));
    let assets = &r["findings"][0]["evidence"]["assets"];
    assert_eq!(
        assets.as_array().unwrap().len(),
        1,
        "a minute's lifetime is long enough now"
    );
    assert!(rules(
        &[&base[..], &["--max-requests", "100"]].concat(),
        "scenarios/har/many-requests.har"
    )
    .is_empty());
    let blocking = rules(
        &[&base[..], &["--blocking-ms", "1000"]].concat(),
        "scenarios/har/blocking.har",
    );
    assert_eq!(
        blocking
            .iter()
            .filter(|r| *r == "waterfall-blocking")
            .count(),
        1
    );
    let r = json(&run_fixture(
        &[&base[..], &["--ttfb-ms", "750"]].concat(),
        "scenarios/har/slow-ttfb.har",
    ));
    assert_eq!(r["thresholds"]["ttfb_ms"], 750.0);
}

#[test]
fn rules_can_be_skipped() {
    let o = run_fixture(
        &[
            "analyze",
            "-f",
            "json",
            "--skip",
            "slow-ttfb,waterfall-blocking",
        ],
        "scenarios/har/blocking.har",
    );
    assert!(rules_found(&json(&o)).is_empty());
    let o = run_fixture(
        &["analyze", "--skip", "no-such-rule"],
        "scenarios/har/clean.har",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no rule `no-such-rule`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn text_and_markdown_formats() {
    let o = run_fixture(&["analyze"], "scenarios/har/network-errors.har");
    let text = stdout(&o);
    assert!(text.starts_with("harscope · "), "{text}");
    assert!(text.contains("Findings: 5 errors, 1 info"), "{text}");
    assert!(text.contains("ERROR network-error"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no color when stdout is not a terminal"
    );
    let colored = run_fixture(
        &["analyze", "--color", "always"],
        "scenarios/har/network-errors.har",
    );
    assert!(stdout(&colored).contains("\x1b["));
    let md = stdout(&run_fixture(
        &["analyze", "--format", "markdown"],
        "scenarios/har/network-errors.har",
    ));
    assert!(md.starts_with("## harscope report: "), "{md}");
    assert!(md.contains("| # | Severity | Rule | Subject |"), "{md}");
    assert!(md.contains("<details><summary>Evidence</summary>"), "{md}");
}

#[test]
fn reads_standard_input() {
    let bytes = std::fs::read(fixture("hand/chrome-sanitized-401.har")).unwrap();
    let mut child = harscope()
        .args(["analyze", "-f", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let o = child.wait_with_output().unwrap();
    let r = json(&o);
    assert_eq!(r["source"]["file"], "<stdin>");
    assert_eq!(r["findings"][0]["evidence"]["authorization"], "unknown");
}

/// Endless streams that are no capture are refused at their first kilobyte, not held until
/// the memory runs out.
#[test]
fn endless_binary_streams_are_refused_at_once() {
    let o = run(&["analyze", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "/dev/zero: the file is binary data, not JSON text (it starts with bytes 00 00"
        ),
        "{}",
        stderr(&o)
    );
    let o = harscope()
        .args(["analyze", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("<stdin>: the file is binary data"),
        "{}",
        stderr(&o)
    );
}

/// Every kind of bad input: exit 2, one line naming the file, a position where there is one.
#[test]
fn bad_input_gets_one_clear_line_and_exit_code_2() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.har", b"".to_vec(), "the file is empty"),
        ("blank.har", b"  \n ".to_vec(), "the file is empty"),
        (
            "prose.har",
            b"this is not JSON".to_vec(),
            ":1:1: invalid JSON",
        ),
        (
            "truncated.har",
            br#"{"log": {"version": "1.2", "entries": [{"request": {"url": "#.to_vec(),
            "looks truncated",
        ),
        (
            "not-a-har.json",
            br#"{"name": "package", "version": "1.0.0"}"#.to_vec(),
            "not a HAR file",
        ),
        (
            "array.har",
            b"[1, 2, 3]".to_vec(),
            "expected a HAR document",
        ),
        (
            "entries-object.har",
            br#"{"log": {"entries": {}}}"#.to_vec(),
            "at `log.entries`",
        ),
        (
            "wrong-type.har",
            b"{\"log\": {\"entries\": [\n  {\"response\": {\"status\": \"abc\"}}\n]}}".to_vec(),
            ":2:",
        ),
        (
            "compressed.har.gz",
            vec![0x1f, 0x8b, 0x08, 0, 0, 0],
            "gzip-compressed",
        ),
        // UTF-16 is read as the text it stands for, and its errors are that text's.
        (
            "utf16-cut.har",
            vec![0xff, 0xfe, b'{', 0, b'\n', 0, b'"', 0],
            "2:2: the file ends in the middle",
        ),
        (
            "trailing.har",
            br#"{"log": {"entries": []}} {}"#.to_vec(),
            "trailing characters",
        ),
    ];
    for (name, contents, expected) in cases {
        let path = scratch(name, &contents);
        let o = run(&["analyze", path.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the message names the file: {err}"
        );
        assert!(
            err.contains(expected),
            "{name}: expected `{expected}` in: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    let wrong = scratch(
        "wrong-type-2.har",
        b"{\"log\": {\"entries\": [\n  {\"response\": {\"status\": \"abc\"}}\n]}}",
    );
    let err = stderr(&run(&["analyze", wrong.to_str().unwrap()]));
    assert!(err.contains("expected a number"), "{err}");
    assert!(err.contains("log.entries[0].response.status"), "{err}");
}

#[test]
fn missing_files_and_directories() {
    let o = run(&["analyze", "/nonexistent/capture.har"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/capture.har: no such file"),
        "{}",
        stderr(&o)
    );
    let dir = fixture("hand");
    let o = run(&["analyze", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

#[test]
fn one_bad_file_among_good_ones_still_reports_the_good_ones() {
    let bad = scratch("bad-among-good.har", b"{");
    let good = fixture("scenarios/har/clean.har");
    let o = run(&[
        "analyze",
        "-f",
        "json",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o).as_array().map(Vec::len), Some(1));
    assert!(
        stderr(&o).contains("bad-among-good.har:1:2:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_and_help() {
    assert_eq!(run(&["analyze"]).status.code(), Some(2));
    assert_eq!(
        run(&["analyze", "--ttfb-ms", "soon", "x.har"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["analyze", "--payload-bytes", "lots", "x.har"])
            .status
            .code(),
        Some(2)
    );
    let help = stdout(&run(&["analyze", "--help"]));
    for text in [
        "--fail-on",
        "--ttfb-ms",
        "--payload-bytes",
        "--max-requests",
        "--blocking-ms",
        "Examples:",
        "Exit codes",
    ] {
        assert!(help.contains(text), "help lacks {text}");
    }
    assert!(stdout(&run(&["--version"])).starts_with("harscope "));
}

#[test]
fn rules_are_listed_and_explained() {
    let list = stdout(&run(&["rules"]));
    for id in [
        "slow-ttfb",
        "large-payload",
        "too-many-requests",
        "waterfall-blocking",
        "http-error",
        "network-error",
    ] {
        assert!(list.contains(id), "{id} missing from: {list}");
    }
    let one = stdout(&run(&["rules", "waterfall-blocking"]));
    assert!(
        one.contains("Why it matters") && one.contains("How to fix it"),
        "{one}"
    );
    assert_eq!(run(&["rules", "nope"]).status.code(), Some(2));
}

#[test]
fn profiles_follow_the_report_contract_with_components_and_commits() {
    for command in ["profile", "analyze"] {
        let o = run_fixture(
            &[command, "--format", "json"],
            "react/profiles/react19-changes.json",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let r = json(&o);
        assert_eq!(r["schema"], "harscope.profile-report/1");
        assert_eq!(r["source"]["kind"], "react-devtools-profile");
        assert_eq!(r["summary"]["commits"], 6);
        let header = r["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Header")
            .unwrap();
        for key in ["name", "renders", "mounts", "self_ms", "actual_ms"] {
            assert!(header.get(key).is_some(), "component lacks {key}");
        }
        assert_eq!(header["renders"], 6);
        let commit = &r["commits"][0];
        for key in ["index", "duration_ms", "timestamp_ms", "rendered"] {
            assert!(commit.get(key).is_some(), "commit lacks {key}");
        }
        for f in r["findings"].as_array().unwrap() {
            for key in ["rule", "severity", "message", "advice", "evidence"] {
                assert!(f.get(key).is_some(), "finding lacks {key}");
            }
        }
    }
}

#[test]
fn profile_flags_text_markdown_and_fail_on() {
    let o = run_fixture(
        &[
            "profile",
            "--slow-commit-ms",
            "100",
            "--rerenders",
            "20",
            "-f",
            "json",
        ],
        "react/profiles/react19-changes.json",
    );
    assert!(json(&o)["findings"].as_array().unwrap().is_empty());
    let o = run_fixture(
        &["profile", "--fail-on", "warning"],
        "react/profiles/react19-changes.json",
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.contains("Components (most self time first)"), "{text}");
    assert!(
        text.contains("WARN  frequent-rerender Header re-rendered 6 times"),
        "{text}"
    );
    let md = stdout(&run_fixture(
        &["profile", "-f", "markdown"],
        "react/profiles/react18-plain.json",
    ));
    assert!(
        md.contains("| Component | Re-renders | Mounts | Self | Total | Why |"),
        "{md}"
    );
    assert!(md.contains("did not record why"), "{md}");
}

#[test]
fn bad_profiles_get_a_clear_error() {
    let good: serde_json::Value = serde_json::from_slice(
        &std::fs::read(fixture("react/profiles/react19-changes.json")).unwrap(),
    )
    .unwrap();
    let mut wrong_version = good.clone();
    wrong_version["version"] = serde_json::json!(3);
    let mut no_roots = good.clone();
    no_roots["dataForRoots"] = serde_json::json!([]);
    let mut bad_opcode = good.clone();
    bad_opcode["dataForRoots"][0]["operations"][2] = serde_json::json!([1, 1, 0, 99, 1]);
    let mut unknown_fiber = good.clone();
    unknown_fiber["dataForRoots"][0]["operations"][1] = serde_json::json!([1, 1, 0, 2, 1, 4242]);
    let mut no_commits_field = good.clone();
    no_commits_field["dataForRoots"][0]
        .as_object_mut()
        .unwrap()
        .remove("commitData");
    let cases = [
        (
            "v3.json",
            wrong_version,
            "export version 3 is not supported",
        ),
        ("empty.json", no_roots, "the profile has no roots"),
        (
            "opcode.json",
            bad_opcode,
            "commit 2: unknown operation 99 at position 3",
        ),
        (
            "fiber.json",
            unknown_fiber,
            "fiber 4242, which is not in the tree",
        ),
        (
            "missing.json",
            no_commits_field,
            "missing field `commitData`",
        ),
    ];
    for (name, value, expected) in cases {
        let path = scratch(name, value.to_string().as_bytes());
        let o = run(&["profile", path.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(expected),
            "{name}: expected `{expected}` in {err}"
        );
        assert!(err.contains(name), "{name}: names the file: {err}");
        assert!(!err.contains("panicked"));
    }
    let har = fixture("scenarios/har/clean.har");
    let err = stderr(&run(&["profile", har.to_str().unwrap()]));
    assert!(
        err.contains("this is a HAR capture, not a React profile"),
        "{err}"
    );
}

fn fixture_captures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["scenarios/har", "hand"] {
        for e in std::fs::read_dir(fixture(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "har") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every fixture capture: `analyze --link` then `link decode` gives back the report the CLI
/// prints (redacted: on the fixtures without secrets, only the file's folders go).
#[test]
fn links_round_trip_through_the_cli() {
    for path in fixture_captures() {
        let p = path.to_str().unwrap();
        let link = run(&["analyze", p, "--link"]);
        assert_eq!(link.status.code(), Some(0), "{}", stderr(&link));
        let url = stdout(&link);
        assert!(url.starts_with("http://127.0.0.1:8080/#r1."), "{url}");
        assert!(stderr(&link).contains("link of"), "{}", stderr(&link));
        let decoded = run(&["link", "decode", url.trim()]);
        assert_eq!(decoded.status.code(), Some(0), "{}", stderr(&decoded));
        let shared = json(&decoded);
        let mut report = json(&run(&["analyze", "--format", "json", p]));
        let name = path.file_name().unwrap().to_str().unwrap();
        report["source"]["file"] = name.into();
        if name == "planted-secrets.har" {
            assert_ne!(shared["report"], report, "secrets were redacted");
            assert_eq!(rules_found(&shared["report"]), rules_found(&report));
        } else {
            assert_eq!(shared["report"], report, "{name}");
        }
        assert_eq!(shared["schema"], "harscope.link/1");
        assert!(shared["rows"]["entry"].is_array());
    }
    // A base URL of one's own, and stdin for decode.
    let out = run_fixture(
        &["analyze", "--link", "https://tools.example/harscope/", "--"],
        "hand/chrome-sanitized-401.har",
    );
    assert!(
        stdout(&out).starts_with("https://tools.example/harscope/#r1."),
        "{}",
        stderr(&out)
    );
    let decoded = decode_link(&stdout(&out));
    assert_eq!(
        json(&decoded)["report"]["findings"][0]["rule"],
        "http-error"
    );
}

#[test]
fn link_errors_are_clear() {
    let profile = run_fixture(
        &["analyze", "--link", "--"],
        "react/profiles/react18-plain.json",
    );
    assert_eq!(profile.status.code(), Some(2));
    assert!(stderr(&profile).contains("report links are made for HAR captures"));
    let misplaced = run_fixture(&["analyze", "--link"], "hand/chrome-sanitized-401.har");
    assert_eq!(misplaced.status.code(), Some(2));
    assert!(
        stderr(&misplaced).contains("put --link after the files"),
        "{}",
        stderr(&misplaced)
    );
    for (link, expected) in [
        ("http://127.0.0.1:8080/#r1.AAAA", "damaged"),
        ("http://127.0.0.1:8080/#r9.AAAA", "newer harscope"),
        ("http://127.0.0.1:8080/", "not a harscope report link"),
    ] {
        let out = run(&["link", "decode", link]);
        assert_eq!(out.status.code(), Some(2), "{link}");
        assert!(stderr(&out).contains(expected), "{link}: {}", stderr(&out));
    }
}

#[test]
fn a_small_link_budget_leaves_detail_out_and_says_so() {
    let out = run_fixture(
        &[
            "analyze",
            "--link-budget",
            "1500",
            "--link",
            "http://x.example/",
            "--",
        ],
        "scenarios/har/many-requests.har",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("left out to fit"), "{}", stderr(&out));
    let shared = json(&run(&["link", "decode", stdout(&out).trim()]));
    assert!(
        shared["omitted"]["rows"].as_u64().unwrap() > 0 || shared["omitted"]["waterfall"] == true
    );
}

/// The planted secrets of `fixtures/hand/planted-secrets.har`, as listed beside it.
fn planted() -> Vec<String> {
    let list = std::fs::read(fixture("hand/planted-secrets.secrets.json")).unwrap();
    serde_json::from_slice(&list).unwrap()
}

#[test]
fn sanitize_writes_a_redacted_capture_that_analyzes_the_same() {
    let input = fixture("hand/planted-secrets.har");
    let raw = std::fs::read_to_string(&input).unwrap();
    let dir = std::env::temp_dir().join(format!("harscope-cli-sanitize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("planted.har");
    std::fs::write(&copy, &raw).unwrap();
    for (bodies, out_name) in [
        ("none", "none.har"),
        ("errors", "errors.har"),
        ("all", "all.har"),
    ] {
        let out_path = dir.join(out_name);
        let out = run(&[
            "sanitize",
            copy.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
            "--bodies",
            bodies,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
        // Counts by kind on stderr.
        let err = stderr(&out);
        assert!(
            err.contains("redacted") && err.contains("header values") && err.contains("cookies"),
            "{err}"
        );
        let sanitized = std::fs::read_to_string(&out_path).unwrap();
        for secret in &planted() {
            assert!(raw.contains(secret.as_str()));
            assert!(
                !sanitized.contains(secret.as_str()),
                "{secret} survived --bodies {bodies}"
            );
        }
        let before = json(&run(&[
            "analyze",
            "--format",
            "json",
            copy.to_str().unwrap(),
        ]));
        let after = json(&run(&[
            "analyze",
            "--format",
            "json",
            out_path.to_str().unwrap(),
        ]));
        assert_eq!(
            rules_found(&before),
            rules_found(&after),
            "--bodies {bodies}"
        );
    }
    // No partial file is left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
    // Default output: beside the input.
    let out = run(&["sanitize", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("planted.sanitized.har").exists());
}

#[test]
fn sanitize_streams_and_refuses_what_it_cannot_do() {
    // Standard input to standard output.
    let raw = std::fs::read(fixture("scenarios/har/http-errors.har")).unwrap();
    let mut child = harscope()
        .args(["sanitize", "-", "--bodies", "none"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &raw).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["log"]["entries"].as_array().unwrap().len() > 5);
    assert!(
        stderr(&out).starts_with("<stdin> -> <stdout>: redacted"),
        "{}",
        stderr(&out)
    );

    // Bad input: the reader's clear error, nothing written.
    let bad = scratch(
        "sanitize-bad.har",
        b"{\"log\": {\"entries\": [ {\"request\": ",
    );
    let target = bad.with_file_name("sanitize-bad.out.har");
    let out = run(&[
        "sanitize",
        bad.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("harscope: {}:1:", bad.display())),
        "{err}"
    );
    assert!(!target.exists());

    // The input itself as the output.
    let good = scratch("sanitize-self.har", &raw);
    let out = run(&[
        "sanitize",
        good.to_str().unwrap(),
        "-o",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is the input itself"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&good).unwrap(), raw);

    // A React profile has nothing to sanitize.
    let out = run_fixture(&["sanitize"], "react/profiles/react18-plain.json");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is a React profile"),
        "{}",
        stderr(&out)
    );
}
