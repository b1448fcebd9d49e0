#!/usr/bin/env bash
# Browser assets from the npm registry (DESIGN §3: never committed, never from a CDN at run time):
# `npm ci` from package-lock.json, then only the built files the pages load are copied to
# fazhi/web/static/vendor/ (ignored by git), where Django's static finders and whitenoise serve them.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "需要 npm（Node.js）来安装图表等前端资源：以 root 运行 make setup 会自动安装 nodejs 与 npm" >&2
  exit 1
fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
dest=fazhi/web/static/vendor
mkdir -p "$dest"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/@alpinejs/csp/dist/cdn.min.js "$dest/alpine-csp.min.js"
for f in echarts htmx.org @alpinejs/csp; do cp "node_modules/$f/LICENSE" "$dest/LICENSE.${f//\//-}" 2>/dev/null || true; done
