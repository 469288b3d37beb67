//! What the link and sanitize tests share: the fixture captures, and the secrets planted in `fixtures/hand/planted-secrets.har` (listed in
//! `planted-secrets.secrets.json` beside it, which every test suite reads): cookies, Set-Cookie,
//! a bearer JWT (also echoed in a 401's message), an API key in a query string (echoed in a
//! 500's message), a token in a URL fragment, a form password (echoed in a 422's message), a
//! JSON body's refresh token, an x-api-key header, a password in a URL's user info, a token in
//! a URL path, a session token in a response body, a Proxy-Authorization credential, a session
//! id in the page's title, a CSRF token in a header and in HTML.

use std::path::{Path, PathBuf};

pub fn planted() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/hand/planted-secrets.secrets.json");
    let list: Vec<String> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert!(list.len() >= 14, "the planted secrets are listed");
    list
}

/// Every fixture capture (recorded scenarios and hand-written ones), in name order.
pub fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut out = Vec::new();
    for dir in ["scenarios/har", "hand"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "har") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
