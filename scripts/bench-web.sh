#!/usr/bin/env bash
# Benchmarks the web app in headless Chromium on a generated 200 MB capture, beside the
# browser's stream-read floor, the JavaScript path (file.text() + JSON.parse) and the CLI;
# prints the figures and the release .wasm sizes.   bash scripts/bench-web.sh [--runs 5]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --release --locked -p harscope-cli -p harscope-bench
trunk build --release
node web/bench.mjs "$@"
