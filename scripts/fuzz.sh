#!/usr/bin/env bash
# Fuzzes, with cargo-fuzz (libFuzzer, nightly toolchain): `har` (the HAR reader, streamed and
# whole, with the rules, report links and sanitizing), `profile` (React profiles, operations
# decoding, the profile rules) and `link` (the report link decoder). Seeds are the project's
# fixtures; new inputs go to target/fuzz-corpus (not committed), crashes to fuzz/artifacts.
#   bash scripts/fuzz.sh [SECONDS per target, default 10] [TARGET...]
#   FUZZ_RUNS=N bash scripts/fuzz.sh 0 har    (N executions instead of a time limit)
#   FUZZ_SEED=1 FUZZ_RUNS=2000 bash scripts/fuzz.sh 0   (CI's smoke run: the same inputs each time)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(har profile link)

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: cargo install cargo-fuzz --version 0.13.2 --locked"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

limit=(-max_total_time="$seconds")
[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
for target in "${targets[@]}"; do
  case "$target" in
    har) seeds=(../fixtures/hand ../fixtures/scenarios/har) ;;
    profile) seeds=(../fixtures/react/profiles) ;;
    link) seeds=(seeds/link) ;;
    *) echo "fuzz: no target $target (har, profile, link)" >&2; exit 2 ;;
  esac
  mkdir -p "target/fuzz-corpus/$target"
  echo "fuzz: $target"
  (cd fuzz && cargo +nightly fuzz run "$target" "../target/fuzz-corpus/$target" "${seeds[@]}" -- \
    "${limit[@]}" -seed="${FUZZ_SEED:-0}" -max_len=1048576 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 2>&1 \
    | grep -E '^(#|stat::number_of_executed_units|INFO: Running|==|SUMMARY|thread|panicked)' | tail -n 12)
done
