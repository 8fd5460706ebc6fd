#!/usr/bin/env bash
# `make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="scan envelope"]`: run every libFuzzer target of
# fuzz/ (one per entry point, see fuzz/src/lib.rs) for N seconds each (default 60), seeded from
# the repository's test fixtures. Corpora grow across runs in $FUZZ_WORK (default target/fuzz,
# never committed); a crash, hang or out-of-memory input is copied to fuzz/regressions/<target>/
# (replayed by `make test` once fixed) and makes the run fail. The executions per target land in
# $FUZZ_WORK/report.md.
#
# cargo-fuzz comes from crates.io. It passes `-Z` flags to rustc, which the machine's single
# stable toolchain accepts with RUSTC_BOOTSTRAP=1 (no nightly can be fetched here). Sanitizers
# are off: the code under test is safe Rust; libFuzzer still catches panics, hangs (-timeout)
# and memory blow-ups (-rss_limit_mb), and debug assertions (-a) catch integer overflows.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"scan validate validate_settings envelope audit_log"}
WORK=${FUZZ_WORK:-target/fuzz}
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
export RUSTC_BOOTSTRAP=1

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# Seed corpora (idempotent: files are named after their content).
seed() { # seed TARGET FILE...
  local dir="$WORK/corpus/$1"; shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
  done
}
seed scan examples/seed/*.yaml web/examples/*.yaml tests/fixtures/access/*/*.yaml \
  policy/cli/tests/fixtures/envelope/encryption.yaml
seed audit_log tests/fixtures/audit/*
seed validate_settings tests/fixtures/fuzz-seeds/settings/*.json
# validate: each admission fixture wrapped as a Kubewarden ValidationRequest.
python3 - "$WORK/corpus/validate" tests/fixtures/admission/*.json <<'PY'
import hashlib, json, pathlib, sys
out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
for p in sys.argv[2:]:
    try:
        request = json.loads(pathlib.Path(p).read_text())
    except ValueError:
        continue
    for settings in ({}, {"reject_at": "medium", "warn_at": "info"}):
        body = json.dumps({"request": request, "settings": settings}).encode()
        (out / hashlib.sha1(body).hexdigest()[:16]).write_bytes(body)
PY
# envelope: the CLI fixtures' etcd values, decoded from base64.
mkdir -p "$WORK/corpus/envelope"
for f in policy/cli/tests/fixtures/envelope/*.b64; do
  base64 -d "$f" > "$WORK/corpus/envelope/$(basename "$f" .b64)"
done

report="$WORK/report.md"
{
  echo "# make fuzz — $(date -u +%Y-%m-%dT%H:%MZ), ${SECONDS_EACH} s per target"
  echo
  echo "| target | executions | exec/s | corpus | result |"
  echo "|---|---|---|---|---|"
} > "$report"
failed=0
for t in $TARGETS; do
  mkdir -p "$WORK/artifacts/$t"
  log="$WORK/$t.log"
  set +e
  cargo fuzz run --features libfuzzer --sanitizer none --debug-assertions --release "$t" \
    "$WORK/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
    -print_final_stats=1 -artifact_prefix="$WORK/artifacts/$t/" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  corpus=$(ls "$WORK/corpus/$t" | wc -l)
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $rc, see $log)"
    failed=1
    mkdir -p "fuzz/regressions/$t"
    for a in "$WORK/artifacts/$t"/*; do
      [ -f "$a" ] && cp "$a" "fuzz/regressions/$t/"
    done
  fi
  echo "| $t | ${execs:-?} | ${rate:-?} | $corpus | $result |" >> "$report"
  echo "fuzz $t: ${execs:-?} executions (${rate:-?}/s), corpus $corpus, $result"
done
cat "$report"
exit "$failed"
