#!/usr/bin/env bash
# Debian's Chromium for the end-to-end browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own). Safe to run twice; needs root for apt-get.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "browser tests need Debian's chromium: run 'sudo apt-get install -y chromium' (they skip otherwise)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
