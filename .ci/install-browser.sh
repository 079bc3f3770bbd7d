#!/usr/bin/env bash
# Install Debian's Chromium + chromedriver and the Selenium client for the report e2e test.
# Idempotent: does nothing when the browser, driver and client are already present.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
fi
# A CJK font so screenshots show Chinese text instead of empty boxes (the test passes either way).
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q fonts-wqy-zenhei || true
fi
if ! python -c "import selenium" >/dev/null 2>&1; then
  python -m pip install -q "selenium>=4.10"
fi
