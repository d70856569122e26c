#!/usr/bin/env bash
# Screenshot pages of the built docs site (_docs/) in headless Chromium, into screenshots/.
# Usage: tools/screenshots.sh [PAGE.html ...]   (default: every page of the site)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d _docs ] || { echo "no _docs/: build the site first with: python tools/docs.py" >&2; exit 1; }
mkdir -p screenshots
pages=("$@"); [ ${#pages[@]} -gt 0 ] || pages=($(cd _docs && ls *.html))
port=$((8700 + RANDOM % 200))
python3 -m http.server "$port" --bind 127.0.0.1 --directory _docs >/dev/null 2>&1 & srv=$!
trap 'kill $srv 2>/dev/null' EXIT
sleep 1
for p in "${pages[@]}"; do
  prof=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --disable-quic --user-data-dir="$prof" --hide-scrollbars \
    --window-size=1280,${SHOT_HEIGHT:-1600} --virtual-time-budget=3000 --screenshot="screenshots/${p%.html}.png" \
    "http://127.0.0.1:$port/$p" >/dev/null 2>&1
  rm -rf "$prof"
  echo "screenshots/${p%.html}.png"
done
