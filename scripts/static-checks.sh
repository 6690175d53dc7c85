#!/usr/bin/env bash
# The typecheck, the lint and the OpenAPI lint of `npm test`, side by side; fails if any fails, printing each one's
# output as a block, in a fixed order.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npm run -s typecheck > "$out/typecheck" 2>&1 &
tc=$!
npm run -s lint > "$out/lint" 2>&1 &
lint=$!
npm run -s lint:openapi > "$out/openapi" 2>&1 &
oas=$!
wait $tc; tc_rc=$?
wait $lint; lint_rc=$?
wait $oas; oas_rc=$?
for step in typecheck lint openapi; do
  if [ -s "$out/$step" ]; then echo "── $step"; cat "$out/$step"; fi
done
[ $tc_rc -eq 0 ] || echo "typecheck failed (exit $tc_rc)" >&2
[ $lint_rc -eq 0 ] || echo "lint failed (exit $lint_rc)" >&2
[ $oas_rc -eq 0 ] || echo "OpenAPI lint failed (exit $oas_rc)" >&2
[ $tc_rc -eq 0 ] && [ $lint_rc -eq 0 ] && [ $oas_rc -eq 0 ]
