#!/usr/bin/env bash
# Runs every test: the Rust unit, fixture, corpus and CLI tests, then the end-to-end test that
# records the scenario site in headless Chromium and checks harscope's findings on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cargo build --workspace --locked
cargo test --workspace --locked
HARSCOPE_BIN="$PWD/target/debug/harscope" node --test tests/recorder/
