#!/usr/bin/env bash
# How time and memory grow with hostile shapes of input (many pages, many findings, many
# headers, a huge URL, many React commits): each shape at n and 4n, the ratio of the times
# (4 grows with the input; 16 would be quadratic). Prints a Markdown table.
#   bash scripts/bench-scaling.sh [--n 5000] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p harscope-cli -p harscope-bench
./target/release/scaling "$@"
