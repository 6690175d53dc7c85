#!/usr/bin/env bash
# `npm run test:changed`: jest on the suites related to what changed since origin/main, else main, else the last
# commit (a fresh clone without a remote), plus uncommitted changes; extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
base=HEAD
for ref in origin/main main; do
  if git rev-parse --verify --quiet "$ref" >/dev/null; then base=$(git merge-base HEAD "$ref"); break; fi
done
echo "test:changed: suites related to changes since ${base:0:12}" >&2
exec npx jest --changedSince="$base" --coverage=false "$@"
