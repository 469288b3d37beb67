#!/usr/bin/env bash
# Benchmarks harscope beside its peers on a generated 200 MB capture (bodies included) and
# prints a Markdown table: wall time and peak RSS, median of 5 runs. Installs wiretrail 0.3.2,
# the Rust HAR CLI it is compared with, when missing (a few minutes, once).
#   bash scripts/bench.sh [--size 200MB] [--runs 5] [--file F]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wiretrail >/dev/null || ! wiretrail --version | grep -q "0.3.2"; then
  echo "bench: cargo install wiretrail --version 0.3.2 --locked"
  cargo install wiretrail --version 0.3.2 --locked
fi
cargo build --release --locked -p harscope-cli -p harscope-bench
./target/release/bench "$@"
