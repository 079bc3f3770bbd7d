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
# No system CJK font is installed: the PDF tests must pass without one (planparse ships its own
# fonts to PDFium), and the browser test passes whether screenshots show Chinese or boxes.
if ! python -c "import selenium" >/dev/null 2>&1; then
  python -m pip install -q "selenium>=4.10"
fi
