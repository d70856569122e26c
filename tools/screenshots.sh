#!/usr/bin/env bash
# Full-height screenshots of the built docs site (_docs/) in headless Chromium with no network, into screenshots/.
# Usage: tools/screenshots.sh [PAGE.html ...]   (default: every page of the site; see tools/screenshots.py)
set -euo pipefail
cd "$(dirname "$0")/.."
py=python3; [ -x .venv/bin/python ] && py=.venv/bin/python
exec "$py" tools/screenshots.py "$@"
