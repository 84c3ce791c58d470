#!/usr/bin/env bash
# Check the quick-start notebook in JupyterLab in a headless browser (tools/jupyterlab_check.py):
# set up, install Debian's Chromium and Playwright for Python where missing (never `playwright install`), run it.
set -euo pipefail
cd "$(dirname "$0")/.."
PLAYWRIGHT_VERSION=1.65.2
bash tools/setup.sh
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "jupyterlab_check: installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "jupyterlab_check: /usr/bin/chromium is missing; install it with: apt-get install -y chromium" >&2; exit 2
  fi
fi
if ! .venv/bin/python -c "import playwright" 2>/dev/null; then
  echo "jupyterlab_check: installing playwright==$PLAYWRIGHT_VERSION into .venv"
  .venv/bin/python -m pip install -q "playwright==$PLAYWRIGHT_VERSION" 2>&1 | { grep -v "is ignored: it is neither" || true; }
fi
.venv/bin/python tools/jupyterlab_check.py "$@"
