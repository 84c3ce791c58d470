"""Write README.md from nbs/index.ipynb (what `nbdev_readme` does with Quarto, done here with nbconvert).
`--check` fails, without writing, when README.md differs from what index.ipynb gives."""
import sys, copy, re
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent
HEADER = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n'

def readme_text(nb_path=root/'nbs'/'index.ipynb'):
    nb = nbformat.read(nb_path, as_version=4)
    out = copy.deepcopy(nb); out.cells = []
    for c in nb.cells:
        lines = c.source.splitlines()
        directives = [l for l in lines if l.startswith('#|')]
        if any(re.match(r'#\|\s*(hide|exec_doc|export|exporti|default_exp)\b', l) for l in directives): continue
        c = copy.deepcopy(c); c.source = '\n'.join(l for l in lines if not l.startswith('#|')).strip('\n')
        out.cells.append(c)
    body,_ = MarkdownExporter().from_notebook_node(out)
    return HEADER + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'

if __name__ == '__main__':
    text, readme = readme_text(), root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py` and commit')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        readme.write_text(text); print('wrote README.md')
