#!/usr/bin/env bash
# Installs what building and testing harscope needs, each step skipped when already present:
# the Rust components, Debian's Chromium (for recording fixtures in a real browser), and the
# recorder's npm package. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "setup: Node.js and npm are needed (Node 20)" >&2; exit 1; }

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    step "rustup component add $component"
    rustup component add "$component"
  fi
done

if ! command -v chromium >/dev/null; then
  step "installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -d fixtures/scenarios/node_modules/playwright-core ]; then
  step "npm ci in fixtures/scenarios (playwright-core; it drives the system Chromium, downloads no browser)"
  (cd fixtures/scenarios && npm ci --no-audit --no-fund --silent)
fi
