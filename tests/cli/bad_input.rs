//! The bad-input suite (`fixtures/bad/cases.json`, shared with the web app's tests): each
//! input made from its recipe, run through the CLI, and held to what the manifest says.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{decode_link, fixture, harscope, stderr, stdout};

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("harscope-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Writes the case's input(s); a truncation recipe makes one per cut.
pub fn make(case: &Value, dir: &Path) -> Vec<PathBuf> {
    let name = text(&case["file"]);
    let make = &case["make"];
    let path = dir.join(name);
    let write = |path: &Path, bytes: &[u8]| std::fs::write(path, bytes).unwrap();
    if let Some(src) = make["truncate"].as_str() {
        let full = std::fs::read(fixture(src)).unwrap();
        return make["percents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let p = p.as_u64().unwrap() as usize;
                let cut = dir.join(format!("{p}pct-{name}"));
                write(&cut, &full[..full.len() * p / 100]);
                cut
            })
            .collect();
    }
    if let Some(n) = make["random_bytes"].as_u64() {
        // xorshift32, as the web test's recipe.
        let mut x = make["seed"].as_u64().unwrap_or(1) as u32;
        let bytes: Vec<u8> = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        write(&path, &bytes);
    } else if let Some(src) = make["gzip"].as_str() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&std::fs::read(fixture(src)).unwrap()).unwrap();
        let mut bytes = gz.finish().unwrap();
        if let Some(keep) = make["keep_bytes"].as_u64() {
            bytes.truncate(keep as usize);
        }
        write(&path, &bytes);
    } else if let Some(n) = make["gzip_zeros"].as_u64() {
        let mut gz = flate2::write::GzEncoder::new(
            BufWriter::new(File::create(&path).unwrap()),
            flate2::Compression::fast(),
        );
        let zeros = vec![0u8; 1 << 20];
        let mut left = n as usize;
        while left > 0 {
            let n = left.min(zeros.len());
            gz.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        gz.finish().unwrap().flush().unwrap();
    } else if let Some(src) = make["utf16"].as_str() {
        let source = std::fs::read_to_string(fixture(src)).unwrap();
        let big_endian = make["order"] == "be";
        let bom = '\u{feff}'.to_string();
        let text = if make["bom"] == true {
            bom + &source
        } else {
            source
        };
        let mut bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        if let Some(keep) = make["keep_bytes"].as_u64() {
            bytes.truncate(keep as usize);
        }
        if make["then_gzip"] == true {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&bytes).unwrap();
            bytes = gz.finish().unwrap();
        }
        write(&path, &bytes);
    } else if let Some(n) = make["huge_body_bytes"].as_u64() {
        let mut out = BufWriter::new(File::create(&path).unwrap());
        out.write_all(br#"{"log": {"version": "1.2", "entries": [{"startedDateTime": "2026-01-01T00:00:00Z", "time": 10, "request": {"method": "GET", "url": "https://a.example/big"}, "response": {"status": 200, "content": {"mimeType": "text/plain", "text": ""#).unwrap();
        let block = vec![b'x'; 1 << 20];
        let mut left = n as usize;
        while left > 0 {
            let n = left.min(block.len());
            out.write_all(&block[..n]).unwrap();
            left -= n;
        }
        out.write_all(br#""}}, "timings": {"wait": 5, "receive": 5}}]}}"#)
            .unwrap();
        out.flush().unwrap();
    } else if let Some(src) = make["patch"].as_str() {
        let mut doc: Value = serde_json::from_slice(&std::fs::read(fixture(src)).unwrap()).unwrap();
        for set in make["set"].as_array().unwrap() {
            *doc.pointer_mut(text(&set[0])).unwrap() = set[1].clone();
        }
        write(&path, doc.to_string().as_bytes());
    } else {
        let depth = make["nest"].as_u64().unwrap_or(0) as usize;
        let mut bytes = text(&make["text"]).as_bytes().to_vec();
        bytes.extend(std::iter::repeat_n(b'[', depth));
        bytes.extend(std::iter::repeat_n(b']', depth));
        bytes.extend(text(&make["then"]).as_bytes());
        write(&path, &bytes);
    }
    vec![path]
}

fn findings(path: &Path) -> Value {
    let o = harscope()
        .args(["analyze", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    report["findings"].clone()
}

#[test]
fn every_bad_input_gets_a_clear_message_or_a_report() {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(fixture("bad/cases.json")).unwrap()).unwrap();
    let dir = dir();
    for case in manifest["cases"].as_array().unwrap() {
        let expect = &case["cli"];
        for path in make(case, &dir) {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            // A profile's bad input goes through `analyze` too: it tells profiles apart.
            let o = harscope().arg("analyze").arg(&path).output().unwrap();
            let err = stderr(&o);
            assert!(!err.contains("panicked"), "{name}: {err}");
            if let Some(expected) = expect["error"].as_str() {
                assert_eq!(o.status.code(), Some(2), "{name}: {err}");
                assert!(err.contains(&name), "{name}: names the file: {err}");
                assert!(err.contains(expected), "{name}: `{expected}` in {err}");
                assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
            } else if let Some(same) = expect["same_as"].as_str() {
                assert!(o.status.success(), "{name}: {err}");
                assert_eq!(findings(&path), findings(&fixture(same)), "{name}");
            } else {
                assert!(o.status.success(), "{name}: {err}");
                let found = findings(&path);
                if let Some(rules) = expect["rules"].as_array() {
                    let got: Vec<&Value> = found
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| &f["rule"])
                        .collect();
                    assert_eq!(got, rules.iter().collect::<Vec<_>>(), "{name}");
                }
                let json = found.to_string();
                for absent in expect["absent"].as_array().unwrap() {
                    let absent = text(absent);
                    assert!(
                        !stdout(&o).contains(absent),
                        "{name}: `{absent}` in the text report"
                    );
                    assert!(
                        !json.contains(absent),
                        "{name}: `{absent}` in the JSON report"
                    );
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The manifest's damaged report links: each variant as `link decode` gets it.
pub fn make_links(case: &Value) -> Vec<String> {
    let make = &case["make"];
    if let Some(n) = make["deflated_spaces"].as_u64() {
        let mut deflate =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..n >> 20 {
            deflate.write_all(&spaces).unwrap();
        }
        let bomb = deflate.finish().unwrap();
        return vec![format!(
            "http://127.0.0.1:8080/#r1.{}",
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bomb)
        )];
    }
    let o = harscope()
        .args(["analyze", "--link", "--"])
        .arg(fixture(text(&make["link_of"])))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let link = stdout(&o).trim().to_owned();
    let payload = link.find("#r1.").unwrap() + 4;
    if let Some(cut) = make["cut_end"].as_u64() {
        return vec![link[..link.len() - cut as usize].to_owned()];
    }
    let step = make["flip_every"].as_u64().unwrap() as usize;
    (payload..link.len())
        .step_by(step)
        .map(|at| {
            let mut bytes = link.clone().into_bytes();
            // Another base64url character: one to six bits of the compressed report flipped.
            bytes[at] = if bytes[at] == b'A' { b'g' } else { b'A' };
            String::from_utf8(bytes).unwrap()
        })
        .collect()
}

#[test]
fn every_damaged_link_gets_a_clear_message() {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(fixture("bad/cases.json")).unwrap()).unwrap();
    for case in manifest["links"].as_array().unwrap() {
        let name = text(&case["name"]);
        let links = make_links(case);
        let mut refused = 0;
        for link in &links {
            // From standard input: the bomb's 1.4 MB does not fit in an argument.
            let o = decode_link(link);
            let err = stderr(&o);
            assert!(!err.contains("panicked"), "{name}: {err}");
            if o.status.success() && case["error_unless_it_reads"].is_string() {
                continue;
            }
            let expected = case["error"]
                .as_str()
                .or(case["error_unless_it_reads"].as_str())
                .unwrap();
            assert_eq!(o.status.code(), Some(2), "{name}: {err}");
            assert!(err.contains(expected), "{name}: `{expected}` in {err}");
            refused += 1;
        }
        // Most flips break the compressed stream or the report's JSON.
        assert!(
            refused * 2 > links.len(),
            "{name}: {refused} of {}",
            links.len()
        );
    }
}
