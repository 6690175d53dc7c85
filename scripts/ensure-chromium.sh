#!/usr/bin/env bash
# npm test's first step: the console's browser tests drive Debian's chromium (test/support/chromium.ts finds it on
# PATH, or CHROMIUM_PATH). When neither is there, install the distribution's package with apt-get (root, or sudo
# without a password), the way README's prerequisites say; elsewhere stop with the command to run.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test: no chromium on PATH. Install Chromium (or Chrome) and set CHROMIUM_PATH to it." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "npm test: no chromium on PATH. Run: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "npm test: installing Debian's chromium for the console's browser tests (apt-get)…" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "npm test: chromium installed at $(command -v chromium)" >&2
