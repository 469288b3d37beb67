#!/usr/bin/env bash
# Runs every test: the Rust unit, fixture, corpus and CLI tests; the web crate's tests in
# headless Chromium (wasm-bindgen-test); then, on the built web app and CLI, the end-to-end
# tests in headless Chromium (recording the scenario site afresh, and the web app).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo build --workspace --locked
cargo test --workspace --locked
cargo test --locked --target wasm32-unknown-unknown -p harscope-web --features app
trunk build --release
HARSCOPE_BIN="$PWD/target/debug/harscope" node --test --test-concurrency=1 tests/recorder/ tests/profiles/ tests/web/
