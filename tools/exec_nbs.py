"""Execute notebooks in place and keep their outputs, `slow` cells included (CUDA cells only where there is a GPU),
so the docs show real results: `python tools/exec_nbs.py nbs/02_baseline.ipynb ...`. Stops at the first error.
With `--slow-only`, only the `slow` cells run (after the notebook's exported and hidden set-up cells) and only their
outputs change: `python tools/exec_nbs.py --slow-only nbs/05_distill.ipynb`."""
import sys, os, torch
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

def _flags(cell): return {l[2:].strip().split()[0] for l in cell.source.splitlines() if l.startswith('#|') and l[2:].strip()}

def skip(cell):
    if cell.cell_type!='code' or 'nbdev_export'+'(' in cell.source: return True
    f = _flags(cell)
    return 'notest' in f or ('cuda' in f and not torch.cuda.is_available())

def skip_not_slow(cell):
    "In `--slow-only` mode, run only set-up cells (exported or hidden) and `slow` cells"
    return skip(cell) or not (_flags(cell) & {'export', 'exports', 'hide', 'slow'})

slow_only = '--slow-only' in sys.argv
for fn in map(Path, [a for a in sys.argv[1:] if a!='--slow-only']):
    os.environ.setdefault('MPLBACKEND', 'Agg')
    nb = read_nb(fn)
    keep = {id(c): c.get('outputs', []) for c in nb.cells if c.cell_type=='code'}
    for c in nb.cells:
        if c.cell_type=='code' and skip(c): c.outputs = []
    k = CaptureShell(fn)
    with working_directory(fn.parent):
        try: k.run_all(nb, exc_stop=True, preproc=skip_not_slow if slow_only else skip)
        except Exception: sys.exit(k.prettytb(fname=fn))
    if slow_only:   # the other cells keep the outputs they had
        for c in nb.cells:
            if c.cell_type=='code' and 'slow' not in _flags(c): c.outputs = keep[id(c)]
    write_nb(nb, fn); print('executed', fn)
