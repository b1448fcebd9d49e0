#!/usr/bin/env bash
# Install the Debian packages fazhi needs, only when run as root and only what is missing.
set -euo pipefail
# CJK fonts: pages, screenshots and PDF reports must never show missing glyphs.
# LibreOffice turns report .docx into PDF; poppler-utils checks and previews PDFs. python3-uno is LibreOffice's
# bridge for the system Python, under which `fazhi serve` keeps one LibreOffice warm (unoserver).
# Debian's chromium (with its Chinese UI strings) is the browser of the browser tests and `make screenshots`:
# Playwright drives it by path, so no browser build is downloaded.
PACKAGES=(python3 python3-venv python3-dev gettext fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-ukai fonts-hanazono
          libreoffice-writer-nogui python3-uno poppler-utils chromium chromium-l10n)
# npm fetches the browser assets (ECharts, htmx, Alpine.js) at set-up; an existing Node.js is kept.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  exit 0
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包：${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
