#!/usr/bin/env bash
# Builds everything, shows the CLI on a bundled sample capture, then serves the web app on
# 127.0.0.1 and prints its address (Ctrl-C stops it). PORT picks the port (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo build --release --locked -p harscope-cli
trunk build --release
sample=fixtures/scenarios/har/sample.har
echo
echo "$ harscope analyze $sample"
./target/release/harscope analyze "$sample" || true
echo
exec node web/serve.mjs dist "${PORT:-8080}"
