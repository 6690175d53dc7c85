#!/usr/bin/env bash
# Per-file test times, one file at a time (maxWorkers=1, no coverage), as docs/suite-speed.md reports them; with a
# second checkout (BASELINE=/path/to/other/checkout) each file runs there and here back to back, so both see the same
# load. Usage: scripts/suite-timings.sh [test files...] (default: the slowest files of the suite).
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(test/api/reports.test.ts test/api/access-matrix.test.ts test/integration/no-scan.test.ts test/api/readme-tour.test.ts test/property/routes.property.test.ts test/api/conformance.test.ts test/security/prototype-keys.test.ts test/chaos/chaos.test.ts)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One file in one checkout: jest's own figure for the file (from --json), or FAIL.
time_in() {
  local dir=$1 file=$2 json="$out/result.json"
  rm -f "$json"
  if (cd "$dir" && CI=true npx jest "$file" --maxWorkers=1 --coverage=false --json --outputFile="$json" >/dev/null 2>&1); then
    node -e 'const r = require(process.argv[1]); const t = r.testResults[0]; console.log(((t.endTime - t.startTime) / 1000).toFixed(1) + " s (" + r.numPassedTests + " tests)")' "$json"
  else
    echo FAIL
  fi
}

printf '%-45s %-22s %-22s %s\n' file "${BASELINE:+baseline}" this load
for f in "${files[@]}"; do
  before=''
  if [ -n "${BASELINE:-}" ]; then before=$(time_in "$BASELINE" "$f"); fi
  after=$(time_in . "$f")
  printf '%-45s %-22s %-22s %s\n' "$f" "$before" "$after" "$(cut -d' ' -f1 /proc/loadavg)"
done
