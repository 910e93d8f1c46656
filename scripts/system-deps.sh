#!/usr/bin/env bash
# Install the operating-system packages the project's tests and tools use, when they are missing:
# redis-server (multi-instance session store), graphviz and a CJK font (flow diagrams), chromium and its
# driver (the web pages' browser tests, driven through Selenium). Debian/Ubuntu only.
# Outside CI a failure is reported and the dependent tests skip; in CI (CI=true) a failure is fatal.
set -u
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
# Debian's own browser and driver, same version: nothing is downloaded when the tests run.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# A CJK font, so that PNG diagrams (`flows graph -o x.png`) show Chinese labels instead of boxes.
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; } || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
if command -v apt-get >/dev/null 2>&1 \
   && $SUDO apt-get update -qq >/dev/null \
   && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
  exit 0
fi
echo "Could not install ${need[*]}." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
echo "Tests that need them will be skipped." >&2
exit 0
