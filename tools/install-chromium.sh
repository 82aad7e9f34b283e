#!/bin/sh
# Installs Debian's Chromium for the HTML report's browser test, when it can (root on Debian).
# Elsewhere the browser test skips with a message saying why.
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the browser test (apt-get)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed; the browser test will skip" >&2
else
  echo "chromium not found and not root on Debian; the browser test will skip" >&2
fi
exit 0
