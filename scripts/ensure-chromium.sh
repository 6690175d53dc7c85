#!/usr/bin/env bash
# npm test's first step: the console's browser tests drive chromium (test/support/chromium.ts: CHROMIUM_PATH, else the
# first of chromium-headless-shell, chromium, chromium-browser, google-chrome on PATH). The headless shell is preferred:
# Debian's `chromium-headless-shell`, the build Playwright itself runs for headless chromium, costs about a third less
# CPU than the full browser's headless mode on the console files (docs/suite-speed.md, seventh pass). When it is missing
# and apt-get may run (root, or sudo without a password), install it; a machine that has only a full chromium and may
# not install keeps using that (slower, same tests); with neither, stop with the command to run.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
if [ -n "${CHROMIUM_PATH:-}" ] || have chromium-headless-shell; then
  exit 0
fi
full_browser() { have chromium || have chromium-browser || have google-chrome || have google-chrome-stable; }
SUDO=none
if have apt-get; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
if [ "$SUDO" = none ]; then
  if full_browser; then
    echo "npm test: using the full chromium (the console's browser tests run faster on the headless shell: sudo apt-get install -y chromium-headless-shell)" >&2
    exit 0
  fi
  if have apt-get; then
    echo "npm test: no chromium on PATH. Run: sudo apt-get install -y chromium-headless-shell" >&2
  else
    echo "npm test: no chromium on PATH. Install Chromium (or Chrome) and set CHROMIUM_PATH to it." >&2
  fi
  exit 1
fi
echo "npm test: installing Debian's chromium-headless-shell for the console's browser tests (apt-get)…" >&2
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null; then
  echo "npm test: chromium-headless-shell installed at $(command -v chromium-headless-shell)" >&2
  exit 0
fi
# A distribution without the headless shell package: the full browser works too.
if full_browser; then
  echo "npm test: chromium-headless-shell could not be installed; using the full chromium" >&2
  exit 0
fi
echo "npm test: chromium-headless-shell could not be installed; installing chromium…" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "npm test: chromium installed at $(command -v chromium)" >&2
