#!/usr/bin/env bash
# The README's test command: set up, then check that notebooks are clean, that the library and the README
# are in sync with the notebooks, and run every notebook's tests (nbdev_test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
source .venv/bin/activate
export MPLBACKEND=Agg
# Two notebooks at a time on two cores: OpenMP threads that spin while waiting for a descheduled partner thread slow
# torch down many times over (a ResNet18 forward on 32 px: 8 ms alone, 500 ms beside another busy process);
# passive threads sleep instead.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

echo "test: notebooks clean and library in sync (nbdev_clean + nbdev_export in a scratch copy)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
git ls-files -co --exclude-standard -z | tar --null -cf - -T - | tar -xf - -C "$tmp"
(cd "$tmp" && nbdev_export && nbdev_clean) >/dev/null
drift=$( { diff -rq -x __pycache__ model_compression "$tmp/model_compression"; diff -rq -x .ipynb_checkpoints nbs "$tmp/nbs"; } || true)
if [ -n "$drift" ]; then
  echo "$drift" | sed "s|$tmp/||"
  echo "FAIL: run nbdev_export and nbdev_clean, then commit (edit notebooks, not the generated library)"; exit 1
fi

echo "test: docs site short of Quarto (tools/check_docs.py: show_doc for every export, no errors, images, sidebar)"
(cd "$tmp" && python tools/check_docs.py)

echo "test: README.md in sync with nbs/index.ipynb"
python tools/make_readme.py --check

echo "test: nbdev_test, leaving ~/.fastai and the working tree as they were"
# What the tests must not touch: fastai's folder in the home (absent stays absent) and the working tree, less
# what setup and Python make (.venv, __pycache__, *.egg-info) and the docs build's _proc
untouched() {
  if [ -e "$HOME/.fastai" ]; then find "$HOME/.fastai" -printf '%p %y %s %T+\n' | sort; else echo "$HOME/.fastai absent"; fi
  git status --porcelain --ignored -uall -- . ':!.venv' | grep -vE '(^|/)(__pycache__|[^/]*\.egg-info|_proc)/' || true
}
before=$(untouched)
rc=0; out=$(nbdev_test --n_workers 2 --timing "$@" 2>&1) || rc=$?
echo "$out"
if ! changed=$(diff <(echo "$before") <(untouched)); then
  echo "$changed"
  echo "FAIL: the tests changed $HOME/.fastai or the working tree (< before, > after); tests must write only to temporary folders"; exit 1
fi
[ "$rc" = 0 ] || { echo "FAIL: nbdev_test"; exit 1; }
n=$(echo "$out" | grep -c '\.ipynb: [0-9]* secs' || true)
echo "notebooks: $n passed, 0 failed"
