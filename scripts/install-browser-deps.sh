#!/usr/bin/env bash
# Installs what the browser test (tests/browser.rs) needs: Debian's Chromium and ChromeDriver,
# and playwright-core (pinned in tests/browser/package-lock.json). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node and npm are required for the browser test" >&2
  exit 1
fi

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
echo "browser test dependencies: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), playwright-core $(node -p 'require("./tests/browser/node_modules/playwright-core/package.json").version')"
