#!/usr/bin/env bash
# Builds harscope and runs it on a bundled sample capture (a page whose API calls fail).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cargo build --release --locked -p harscope-cli
sample=fixtures/scenarios/har/http-errors.har
echo "$ harscope analyze $sample"
./target/release/harscope analyze "$sample"
