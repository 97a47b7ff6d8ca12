#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests (playwright-core drives it; nothing is downloaded
# from outside the package registries). Installs it with apt-get when it is missing and we may.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  echo "setup:browser: $("$browser" --version 2>/dev/null || echo "$browser") is installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup:browser: no Chromium at $browser and no apt-get here. Install Chromium and set CHROMIUM_PATH to it." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup:browser: installing Debian's chromium with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
"$browser" --version
