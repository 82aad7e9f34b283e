#!/bin/sh
# System packages some tests use, installed when possible (root on Debian):
#   chromium          the HTML report's browser test (it skips with a message elsewhere; CI fails instead)
#   fonts-dejavu-core a Unicode font to write the test PDF made from the example pages
need=""
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need="$need chromium"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need="$need fonts-dejavu-core"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing$need for the tests (apt-get)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null) \
    || echo "could not install$need; the tests that need them will skip" >&2
else
  echo "missing$need and not root on Debian; the tests that need them will skip" >&2
fi
exit 0
