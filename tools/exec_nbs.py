"""Execute notebooks in place and keep their outputs, `slow` cells included (CUDA cells only where there is a GPU),
so the docs show real results: `python tools/exec_nbs.py nbs/02_baseline.ipynb ...`. Stops at the first error."""
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

for fn in map(Path, sys.argv[1:]):
    os.environ.setdefault('MPLBACKEND', 'Agg')
    nb = read_nb(fn)
    for c in nb.cells:
        if c.cell_type=='code' and skip(c): c.outputs = []
    k = CaptureShell(fn)
    with working_directory(fn.parent):
        try: k.run_all(nb, exc_stop=True, preproc=skip)
        except Exception: sys.exit(k.prettytb(fname=fn))
    write_nb(nb, fn); print('executed', fn)
