#!/usr/bin/env bash
# The typecheck and the lint of `npm test`, side by side (each is one process on one core); fails if either fails,
# printing each one's output as a block, in a fixed order.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npm run -s typecheck > "$out/typecheck" 2>&1 &
tc=$!
npm run -s lint > "$out/lint" 2>&1 &
lint=$!
wait $tc; tc_rc=$?
wait $lint; lint_rc=$?
for step in typecheck lint; do
  if [ -s "$out/$step" ]; then echo "── $step"; cat "$out/$step"; fi
done
[ $tc_rc -eq 0 ] || echo "typecheck failed (exit $tc_rc)" >&2
[ $lint_rc -eq 0 ] || echo "lint failed (exit $lint_rc)" >&2
[ $tc_rc -eq 0 ] && [ $lint_rc -eq 0 ]
