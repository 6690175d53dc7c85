#!/usr/bin/env bash
# The typecheck, the lint (ESLint's syntax rules and oxlint's type-aware rules) and the OpenAPI lint of `npm test`,
# side by side; fails if any fails, printing each one's output as a block, in a fixed order.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
steps=(typecheck lint:syntax lint:types lint:openapi)
pids=()
for step in "${steps[@]}"; do
  npm run -s "$step" > "$out/$step" 2>&1 &
  pids+=($!)
done
failed=()
for i in "${!steps[@]}"; do
  wait "${pids[$i]}" || failed+=("${steps[$i]} (exit $?)")
done
for step in "${steps[@]}"; do
  if [ -s "$out/$step" ]; then echo "── $step"; cat "$out/$step"; fi
done
for f in "${failed[@]}"; do echo "$f failed" >&2; done
[ ${#failed[@]} -eq 0 ]
