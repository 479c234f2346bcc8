#!/usr/bin/env bash
# Make sure a Chromium is installed for the browser tests. Playwright's own browser download cannot work on
# machines without internet, so we use Debian's package. CJK fonts let Chinese place names render in screenshots.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  exit 0
fi
echo "No Chromium found. Install it (Debian/Ubuntu: sudo apt-get install chromium), or run" >&2
echo "'uv run playwright install chromium' where Playwright can download its browser." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
