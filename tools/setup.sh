#!/usr/bin/env bash
# Set up everything the project needs: the Fashion-MNIST data package, a virtual environment in .venv,
# and the package with its pinned requirements (settings.ini). Safe to run again: the second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# Fashion-MNIST: Debian's package where apt and root are available; otherwise the code downloads it on first use
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian's dataset-fashion-mnist"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null) \
      || echo "setup: apt-get could not install dataset-fashion-mnist; Fashion-MNIST will be downloaded on first use"
  else
    echo "setup: no apt-get as root here; Fashion-MNIST will be downloaded on first use (or pass --data_path)"
  fi
fi

[ -x .venv/bin/python ] || { echo "setup: creating .venv"; "$PY" -m venv .venv; }
stamp=".venv/.installed-$(cat settings.ini setup.py | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing model_compression and its pinned requirements into .venv (a few minutes the first time)"
  # (grep drops the harmless 'Location ... is ignored' notices some package mirrors print)
  .venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | { grep -v "is ignored: it is neither" || true; }
  rm -f .venv/.installed-*; touch "$stamp"
fi
.venv/bin/python -c "import model_compression" && echo "setup: ready (.venv)"
