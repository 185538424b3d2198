#!/usr/bin/env bash
# The browser tests (test/e2e/*.browser.test.ts) drive Debian's Chromium through playwright-core;
# no browser is downloaded. When it is missing, install it if this user can (root, or password-less
# sudo, with apt-get); otherwise say why, and the browser tests report themselves skipped.
set -u
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not found at $path and no apt-get here; browser tests will be skipped (set CHROMIUM_PATH to a Chromium binary to run them)"
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "chromium: not found at $path and apt-get needs root; browser tests will be skipped (run 'sudo apt-get install chromium' to run them)"
    exit 0
  fi
fi
echo "chromium: installing Debian's chromium for the browser tests (about a minute, once per machine) ..."
if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; then
  echo "chromium: installed at $(command -v chromium)"
else
  echo "chromium: apt-get could not install it; browser tests will be skipped"
fi
exit 0
