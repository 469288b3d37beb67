//! Turns each rule's module documentation (its leading `//!` lines) into a string constant, so
//! `harscope rules ID` and the web app print the same text the source documents, from one place.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("src/rules exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    names.sort();
    let mut out = String::new();
    let mut ids = Vec::new();
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let source = std::fs::read_to_string(&path).expect("rule source is readable");
        let doc: Vec<&str> = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.trim_start_matches("//!")
                    .strip_prefix(' ')
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        // Rule modules open with their id in backticks; helpers (mod, common, testing) do not.
        if !doc.first().is_some_and(|l| l.starts_with('`')) {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().to_uppercase();
        writeln!(out, "pub const {stem}: &str = {:?};", doc.join("\n").trim()).unwrap();
        let id = doc[0]
            .trim_start_matches('`')
            .split('`')
            .next()
            .unwrap_or("");
        ids.push((id.to_owned(), stem));
    }
    // Looked up by id rather than stored with each rule, so that code running the rules (the
    // web app's worker) does not carry their documentation.
    out.push_str("pub fn explanation(id: &str) -> Option<&'static str> {\n    match id {\n");
    for (id, stem) in &ids {
        writeln!(out, "        {id:?} => Some({stem}),").unwrap();
    }
    out.push_str("        _ => None,\n    }\n}\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
