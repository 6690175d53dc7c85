#!/usr/bin/env bash
# Lints the generated OpenAPI document with Redocly (redocly.yaml) and Spectral (.spectral.yaml) side by side:
# 0 errors and 0 warnings, or it fails. Quiet when clean; prints each linter's findings when not.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx tsx scripts/write-openapi.ts "$out/openapi.json" || { echo "could not generate the OpenAPI document" >&2; exit 1; }
# No usage telemetry or update checks from a test run.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint "$out/openapi.json" --config redocly.yaml --format=stylish > "$out/redocly" 2>&1 &
redocly=$!
npx spectral lint "$out/openapi.json" --ruleset .spectral.yaml --fail-severity=warn --quiet > "$out/spectral" 2>&1 &
spectral=$!
wait $redocly; redocly_rc=$?
wait $spectral; spectral_rc=$?
[ $redocly_rc -eq 0 ] || { echo "── redocly lint (redocly.yaml)"; grep -v '[║╔╚]' "$out/redocly"; echo "redocly lint failed (exit $redocly_rc)" >&2; }
[ $spectral_rc -eq 0 ] || { echo "── spectral lint (.spectral.yaml)"; cat "$out/spectral"; echo "spectral lint failed (exit $spectral_rc)" >&2; }
[ $redocly_rc -eq 0 ] && [ $spectral_rc -eq 0 ]
