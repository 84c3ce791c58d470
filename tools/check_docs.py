"""Check the documentation site short of rendering it with Quarto (which CI cannot install).

First refuses cells that mix imports with other code (outside exported cells): the docs build runs every such cell,
so a slow experiment there would run whenever the docs are built. Then processes the notebooks as `nbdev_docs`
does before Quarto runs (nbdev's `proc_nbs`, into `_proc/`), and checks that
- every public function and class the package exports has a `show_doc` in the processed pages, with its rendered output;
- no processed cell holds an error;
- every image a page refers to exists;
- every page of `nbs/` is reachable from the sidebar.
Run it from the repository root (tools/test.sh runs it in a scratch copy): `python tools/check_docs.py`.
"""
import importlib, inspect, json, re, sys
from pathlib import Path

def mixed_import_cells(root:Path)->list:
    "Cells the docs build would execute because they import, though they do more than import (nbdev's own `_do_eval` warning)"
    import warnings
    from nbdev.process import NBProcessor
    from nbdev.processors import _do_eval
    problems = []
    for nbf in sorted((root/'nbs').rglob('*.ipynb')):
        if '.ipynb_checkpoints' in nbf.parts: continue
        for i,c in enumerate(NBProcessor(nbf).nb.cells):   # reads the cells' directives as the docs build does
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter('always')
                _do_eval(c)
            if any('imports and other code' in str(x.message) for x in w):
                problems.append(f"{nbf.relative_to(root/'nbs')}: cell {i} mixes imports with other code, so the docs build would run it; "
                                "move its imports to an import-only cell")
    return problems

def processed(root:Path)->Path:
    "Process `nbs/` into `_proc/` the way `nbdev_docs` does before Quarto, without installing Quarto"
    import nbdev.doclinks
    from nbdev.config import get_config
    from nbdev.serve import proc_nbs
    cfg = get_config(path=root)
    nbdev.doclinks._build_modidx()
    proc_nbs(cfg.nbs_path, n_workers=2, force=True)
    return cfg.config_path/'_proc'

def public_api(lib:str)->dict:
    "`{name: module}` of the functions and classes in every module's `__all__`"
    pkg = importlib.import_module(lib)
    out = {}
    for f in sorted(Path(pkg.__file__).parent.glob('*.py')):
        if f.stem.startswith('_'): continue
        mod = importlib.import_module(f'{lib}.{f.stem}')
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj) or inspect.isclass(obj) or hasattr(obj, '__wrapped__'): out[name] = f.stem
    return out

def check(root:Path, proc:Path, lib:str)->list:
    "Problems found in the processed pages under `proc`"
    problems, documented = [], set()
    for nbf in sorted(proc.rglob('*.ipynb')):
        nb = json.loads(nbf.read_text())
        page = nbf.relative_to(proc)
        for i,c in enumerate(nb['cells']):
            src = ''.join(c['source'])
            if c['cell_type']=='code':
                for o in c.get('outputs', []):
                    if o.get('output_type')=='error' or (o.get('name')=='stderr' and 'Traceback' in ''.join(o.get('text', ''))):
                        problems.append(f"{page}: cell {i} holds an error output")
                for name in re.findall(r'show_doc\(\s*([A-Za-z_][\w.]*)', src):
                    rendered = ''.join(''.join(o.get('data', {}).get('text/markdown', '')) for o in c.get('outputs', []))
                    if rendered.strip(): documented.add(name.split('.')[-1])
                    else: problems.append(f"{page}: show_doc({name}) has no rendered output")
            if c['cell_type']=='markdown':
                for ref in re.findall(r'!\[[^\]]*\]\(([^)\s]+)', src) + re.findall(r'<img[^>]+src="([^"]+)"', src):
                    if re.match(r'(https?:|data:)', ref): continue
                    if ref.startswith('attachment:'):
                        if ref[len('attachment:'):] not in c.get('attachments', {}): problems.append(f"{page}: missing attachment {ref}")
                    elif not ((root/'nbs'/page).parent/ref).exists(): problems.append(f"{page}: image {ref} does not exist")
    for name,mod in public_api(lib).items():
        if name not in documented: problems.append(f"{mod}: {name} is exported but has no rendered show_doc")
    sidebar = (root/'nbs'/'sidebar.yml').read_text()
    for nbf in sorted((root/'nbs').rglob('*.ipynb')):
        rel = nbf.relative_to(root/'nbs').as_posix()
        if '.ipynb_checkpoints' in rel or rel.split('/')[-1].startswith('_'): continue
        if rel not in sidebar: problems.append(f"{rel} is not in nbs/sidebar.yml")
    return problems

if __name__=='__main__':
    root = Path('.').resolve()
    from nbdev.config import get_config
    lib = get_config(path=root).lib_name
    mixed = mixed_import_cells(root)
    for p in mixed: print('docs:', p)
    if mixed: sys.exit(1)
    proc = processed(root)
    n = len(list(proc.rglob('*.ipynb')))
    problems = check(root, proc, lib)
    for p in problems: print('docs:', p)
    print(f"docs: {n} processed pages, {len(public_api(lib))} public functions and classes, {len(problems)} problems")
    sys.exit(1 if problems else 0)
