//! Sanitized captures: no planted secret survives, the rest of the document means what it
//! meant (only masked values and dropped bodies differ), and the sanitized capture analyzes
//! to the same findings. On every fixture capture, and on the shared corpus when present.

use std::path::{Path, PathBuf};

use harscope_core::redact::{Redactions, MASK};
use harscope_core::report::Report;
use harscope_core::sanitize::{sanitize, Bodies, SanitizeOptions};
use harscope_core::{analyze, har, Options};
use serde_json::Value;

mod common;
use common::fixtures;

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/har");
    let Ok(read) = std::fs::read_dir(dir) else {
        eprintln!("no shared corpus: skipped");
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = read.map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}

fn run(input: &[u8], bodies: Bodies) -> (Vec<u8>, Redactions) {
    let mut out = Vec::new();
    let counts = sanitize(input, &SanitizeOptions { bodies }, &mut out).unwrap();
    (out, counts)
}

fn report(bytes: &[u8], name: &str) -> Report {
    analyze(&har::parse(bytes).unwrap(), Some(name), &Options::default())
}

/// Values in the sanitized document that may differ from the original: masked text, emptied
/// request bodies, and (absent keys) dropped response bodies and form fields.
fn check_same_meaning(original: &Value, sanitized: &Value, path: &str, bodies: Bodies) {
    match (original, sanitized) {
        (Value::Object(a), Value::Object(b)) => {
            let kept: Vec<&String> = a.keys().filter(|k| b.contains_key(*k)).collect();
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                assert!(
                    bodies != Bodies::All
                        && ["text", "encoding", "params"].contains(&key.as_str())
                        && (path.ends_with("content") || path.ends_with("postData")),
                    "{path}.{key} was removed"
                );
            }
            assert_eq!(kept.len(), b.len(), "{path}: keys added");
            // Key order is kept too.
            assert!(
                kept.iter().copied().eq(b.keys()),
                "{path}: key order changed"
            );
            for key in kept {
                check_same_meaning(&a[key], &b[key], &format!("{path}.{key}"), bodies);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                assert!(
                    path.ends_with("_webSocketMessages") && b.is_empty() && bodies != Bodies::All,
                    "{path}: length changed"
                );
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                check_same_meaning(x, y, &format!("{path}[{i}]"), bodies);
            }
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let emptied_body = b.is_empty() && path.ends_with("postData.text");
            let reencoded = path.ends_with("content.text"); // base64 bodies are re-encoded
            assert!(
                b.contains(MASK) || emptied_body || reencoded,
                "{path}: {a:?} became {b:?}"
            );
            // A JSON body redacted is still JSON.
            let structured = matches!(
                serde_json::from_str::<Value>(a),
                Ok(Value::Object(_) | Value::Array(_))
            );
            if path.ends_with(".text") && !emptied_body && structured {
                assert!(
                    serde_json::from_str::<Value>(b).is_ok(),
                    "{path}: {b:?} is no longer JSON"
                );
            }
        }
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

fn json(bytes: &[u8]) -> Value {
    let text = std::str::from_utf8(bytes).unwrap();
    serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap()
}

#[test]
fn no_planted_secret_survives_sanitizing() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hand/planted-secrets.har");
    let input = std::fs::read(&path).unwrap();
    for bodies in [Bodies::None, Bodies::Errors, Bodies::All] {
        let (out, counts) = run(&input, bodies);
        let text = String::from_utf8(out.clone()).unwrap();
        for secret in &common::planted() {
            assert!(
                !text.contains(secret),
                "{secret} survived with bodies {bodies:?}"
            );
        }
        check_same_meaning(&json(&input), &json(&out), "", bodies);
        assert!(
            counts.headers >= 4 && counts.cookies >= 2 && counts.query >= 1,
            "{counts:?}"
        );
        // Credential header names stay, so "a token was sent" still reads right.
        assert!(text.contains("\"Authorization\"") || text.contains("\"authorization\""));
        let before = report(&input, "planted-secrets.har");
        let after = report(&out, "planted-secrets.har");
        assert_eq!(
            findings_shape(&before),
            findings_shape(&after),
            "{bodies:?}"
        );
    }
}

type Shape = Vec<(String, String, Vec<usize>)>;

fn findings_shape(r: &Report) -> Shape {
    r.findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                format!("{:?}", f.severity),
                f.entries.clone(),
            )
        })
        .collect()
}

#[test]
fn sanitized_fixtures_mean_the_same_and_analyze_the_same() {
    for path in fixtures() {
        let name = path.file_name().unwrap().to_str().unwrap();
        let input = std::fs::read(&path).unwrap();
        let before = report(&input, name);
        for bodies in [Bodies::None, Bodies::Errors, Bodies::All] {
            let (out, counts) = run(&input, bodies);
            check_same_meaning(&json(&input), &json(&out), "", bodies);
            let after = report(&out, name);
            assert_eq!(findings_shape(&before), findings_shape(&after), "{name}");
            if bodies != Bodies::None {
                // Failed responses keep their (redacted) message, so the findings read the
                // same unless a secret was masked in them.
                for (a, b) in before.findings.iter().zip(&after.findings) {
                    assert!(
                        a.message == b.message || b.message.contains(MASK),
                        "{name}: {:?} became {:?}",
                        a.message,
                        b.message
                    );
                }
            }
            if counts.total() == 0 {
                assert!(out == input, "{name}: nothing to redact, yet bytes changed");
            }
            println!("{name:<45} {bodies:?}: {counts:?}");
        }
    }
}

#[test]
fn sanitized_corpus_captures_mean_the_same_and_analyze_the_same() {
    for path in corpus() {
        let name = path.file_name().unwrap().to_str().unwrap();
        let input = std::fs::read(&path).unwrap();
        let before = report(&input, name);
        let (out, counts) = run(&input, Bodies::Errors);
        check_same_meaning(&json(&input), &json(&out), "", Bodies::Errors);
        let after = report(&out, name);
        assert_eq!(findings_shape(&before), findings_shape(&after), "{name}");
        println!(
            "{name:<70} {:>8} -> {:>8} bytes, {counts:?}",
            input.len(),
            out.len()
        );
    }
}

#[test]
fn a_capture_that_is_not_a_har_is_the_readers_error() {
    let mut out = Vec::new();
    let err = sanitize(b"{\"log\": [", &SanitizeOptions::default(), &mut out).unwrap_err();
    assert!(
        err.to_string().contains("1:9") && err.to_string().contains("`log`"),
        "{err}"
    );
    assert!(out.is_empty(), "nothing is written for a bad capture");
}
