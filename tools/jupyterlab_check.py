#!/usr/bin/env python
"""Check the quick-start notebook the way a person uses it: in JupyterLab, in a browser.

Starts JupyterLab headless on 127.0.0.1 over a temporary copy of `nbs/` (so nothing is written into the
repository), opens `index.ipynb` in headless Chromium driven by Playwright, runs all cells from the
Run menu, waits for the kernel, then adds a cell below the first one, as a user trying the package would,
that imports `model_compression` and prints its Fashion-MNIST class names and where the kernel and package
come from. It passes when every code cell has run, no cell shows an error, the expected text is on the page
and the kernel is this virtual environment's Python. It saves a screenshot and always stops JupyterLab.

    python tools/jupyterlab_check.py [--notebook index.ipynb] [--out results/jupyterlab_check/quickstart.png]

Needs Debian's Chromium (`apt-get install -y chromium`) and Playwright for Python (`pip install playwright`);
`tools/jupyterlab_check.sh` installs both. It never downloads browsers (no `playwright install`).
"""
import argparse, json, os, re, secrets, shutil, signal, socket, subprocess, sys, tempfile, time
import urllib.error, urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']
# The cell the check types in, line by line (no indented lines, so the editor's auto-indent cannot change it)
PROBE = ["import sys, model_compression as mc",
         "from model_compression.data import FASHION_MNIST_CLASSES",
         "print('probe-prefix', sys.prefix)",
         "print('probe-package', mc.__version__, mc.__file__)",
         "print(FASHION_MNIST_CLASSES)"]
STDERR_SEL = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
ERROR_RE = re.compile(r'Traceback|\w*Error\b')


class CheckFailed(Exception): pass


def log(msg): print(f'[jupyterlab_check {time.strftime("%H:%M:%S")}] {msg}', flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def api(base, path, token, method='GET', timeout=5):
    req = urllib.request.Request(f'{base}{path}', method=method, headers={'Authorization': f'token {token}'})
    with urllib.request.urlopen(req, timeout=timeout) as r: return json.loads(r.read() or b'null')


def start_lab(root, work, port, token):
    "Start JupyterLab with its own config, settings and workspace folders under `work`; return (process, log path)."
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(work/'config'), JUPYTER_RUNTIME_DIR=str(work/'runtime'),
               PYTHONUNBUFFERED='1')
    # No news or update checks (no internet here); toasts would also cover the screenshot
    settings = work/'user-settings'/'@jupyterlab'/'apputils-extension'
    settings.mkdir(parents=True)
    (settings/'notification.jupyterlab-settings').write_text(json.dumps(dict(fetchNews='false', checkForUpdates=False)))
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.open_browser=False',
           '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}', '--ServerApp.port_retries=0',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}',
           '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
           f'--LabApp.user_settings_dir={work/"user-settings"}', f'--LabApp.workspaces_dir={work/"workspaces"}']
    if os.geteuid() == 0: cmd.append('--allow-root')
    logf = work/'jupyterlab.log'
    with open(logf, 'wb') as f:  # own session, so stopping it cannot touch anything else
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, logf, env


def wait_for_lab(proc, base, token, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None: raise CheckFailed(f'JupyterLab exited with code {proc.returncode} while starting')
        try: return api(base, '/api/status', token)
        except (urllib.error.URLError, OSError, ValueError): time.sleep(0.5)
    raise CheckFailed(f'JupyterLab did not answer on {base}/api/status within {timeout:.0f} s')


def stop_lab(proc, base, token):
    "Ask the server to shut down (it stops its kernels), then SIGTERM, then SIGKILL its process group."
    if proc.poll() is None:
        try: api(base, '/api/shutdown', token, method='POST')
        except Exception: pass
        try: proc.wait(15)
        except subprocess.TimeoutExpired: pass
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if proc.poll() is not None: break
        try: os.killpg(proc.pid, sig)
        except ProcessLookupError: break
        try: proc.wait(wait)
        except subprocess.TimeoutExpired: pass
    log(f'JupyterLab stopped (exit code {proc.returncode})')


def kernelspec_python3(env):
    "Where the kernelspec `python3` resolves for this server's environment, and the command it runs."
    code = ('from jupyter_client.kernelspec import KernelSpecManager as K; import json; '
            's = K().get_kernel_spec("python3"); print(json.dumps([s.resource_dir, s.argv]))')
    out = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, timeout=60)
    if out.returncode: raise CheckFailed(f'no python3 kernelspec: {out.stderr.strip()[-500:]}')
    return json.loads(out.stdout)


def wait_js(page, js, what, timeout, arg=None):
    "page.wait_for_function with a message that says what was awaited."
    from playwright.sync_api import TimeoutError as PWTimeout
    try: page.wait_for_function(js, arg=arg, timeout=timeout*1000, polling=500)
    except PWTimeout:
        dialog = page.locator('.jp-Dialog')
        extra = f'; a dialog is open: {dialog.first.inner_text()[:300]!r}' if dialog.count() else ''
        raise CheckFailed(f'timed out after {timeout:.0f} s waiting for {what}{extra}') from None


# The indicator reads idle before a kernel is attached too ("No Kernel"), so also require a kernel name
KERNEL_IDLE = """() => {
  const name = document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName')?.textContent.trim();
  return !!name && name !== 'No Kernel'
    && document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle';
}"""
ALL_RUN = """() => {
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const ps = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  return ind?.dataset.status === 'idle' && ps.length > 0 && ps.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def cell_outputs(page):
    "Prompt, output text and stderr/error text of every code cell on the page."
    return page.eval_on_selector_all('.jp-Notebook .jp-CodeCell', f"""cs => cs.map(c => ({{
        prompt: c.querySelector('.jp-InputArea-prompt')?.textContent.trim(),
        output: [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).join('\\n'),
        stderr: [...c.querySelectorAll('{STDERR_SEL}')].map(o => o.innerText).join('\\n')}}))""")


def run_check(args, base, token, timeout):
    from playwright.sync_api import sync_playwright
    blocked = []  # requests the page tried to make off this machine (there is no internet here)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=dict(width=1440, height=1300))
            page.set_default_timeout(args.ui_timeout*1000)   # clicks and page loads; kernel waits use `timeout`
            page.route(re.compile(r'^https?://(?!127\.0\.0\.1[:/])'),
                       lambda route: (blocked.append(route.request.url), route.abort()))
            try:
                url = f'{base}/lab/tree/{args.notebook}?token={token}'
                log(f'opening {base}/lab/tree/{args.notebook}')
                page.goto(url, wait_until='domcontentloaded')
                page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell').first.wait_for(state='visible')
                wait_js(page, KERNEL_IDLE, 'the kernel to start (status idle)', timeout)
                kernel_name = page.evaluate("document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName')"
                                            "?.textContent.trim()")
                log(f'notebook open, kernel "{kernel_name}" idle; Run > Run All Cells')

                # Run > Run All Cells, from the menu bar as a person would
                page.get_by_role('menuitem', name='Run', exact=True).click()
                page.locator('.lm-Menu-itemLabel', has_text=re.compile(r'^Run All Cells$')).click()
                wait_js(page, ALL_RUN, 'every code cell to run and the kernel to go idle', timeout)
                cells = cell_outputs(page)
                log(f'ran {len(cells)} code cell(s): prompts {[c["prompt"] for c in cells]}')

                # Try the package in a new cell below the first: select it, Esc, B, Enter, type, Shift+Enter
                page.locator('.jp-Notebook .jp-Cell').first.locator('.jp-InputPrompt').click()
                page.keyboard.press('Escape'); page.keyboard.press('b'); page.keyboard.press('Enter')
                for i, line in enumerate(PROBE):
                    if i: page.keyboard.press('Enter')
                    page.keyboard.type(line)
                page.keyboard.press('Shift+Enter')
                probe = page.locator('.jp-Notebook .jp-Cell').nth(1)
                wait_js(page, """el => /\\[\\d+\\]/.test(el.querySelector('.jp-InputArea-prompt')?.textContent || '')
                                  && el.querySelector('.jp-OutputArea-output') !== null""",
                        'the typed cell to run and show output', timeout, arg=probe.element_handle())
                wait_js(page, KERNEL_IDLE, 'the kernel to go idle after the typed cell', timeout)
                page.evaluate("document.querySelector('.jp-WindowedPanel-outer')?.scrollTo(0, 0)")
                page.wait_for_timeout(500)
                return check_page(page, args, cells, probe.locator('.jp-OutputArea').inner_text(), blocked)
            finally:
                out = Path(args.out); out.parent.mkdir(parents=True, exist_ok=True)
                try: page.screenshot(path=str(out), full_page=True); log(f'screenshot {out}')
                except Exception as e: log(f'could not save the screenshot: {e}')
        finally:
            browser.close()


def check_page(page, args, nb_cells, probe_out, blocked):
    "Every check on the executed page; returns the text found, raises CheckFailed otherwise."
    cells = cell_outputs(page)
    problems = [f'cell {c["prompt"]} shows an error: {c["stderr"][-400:]!r}' for c in cells if ERROR_RE.search(c['stderr'])]
    problems += [f'cell {c["prompt"]} did not run' for c in cells if not re.search(r'\[\d+\]', c['prompt'] or '')]
    own_text = '\n'.join(c['output'] for c in nb_cells)   # what the notebook's own cells show
    problems += [f'the notebook\'s cells do not show {t!r}' for t in args.expect if t not in own_text]
    if args.probe_expect not in probe_out: problems.append(f'the typed cell does not show {args.probe_expect!r}: {probe_out[-400:]!r}')
    m = re.search(r'probe-prefix (\S+)', probe_out)
    if not m or Path(m.group(1)).resolve() != Path(sys.prefix).resolve():
        problems.append(f'the kernel runs in {m and m.group(1)!r}, not this environment ({sys.prefix})')
    pkg = re.search(r'probe-package (\S+) (\S+)', probe_out)
    log(f'kernel prefix {m and m.group(1)}; model_compression {pkg and pkg.group(1)} from {pkg and pkg.group(2)}')
    if pkg and Path(args.root_dir) in Path(pkg.group(2)).parents:
        problems.append(f'model_compression was imported from the temporary notebook folder: {pkg.group(2)}')
    if blocked: log(f'note: blocked {len(blocked)} request(s) off this machine, e.g. {blocked[0]}')
    if problems: raise CheckFailed('; '.join(problems))
    return [args.probe_expect] + list(args.expect)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--notebook', default='index.ipynb', help="notebook to run, relative to nbs/ (default index.ipynb)")
    ap.add_argument('--out', default=str(REPO/'results'/'jupyterlab_check'/'quickstart.png'), help='screenshot path')
    ap.add_argument('--expect', action='append', default=[], help="text the notebook's own cells must show (repeatable)")
    ap.add_argument('--probe_expect', default='Ankle boot', help='text the typed cell must show (default %(default)r)')
    ap.add_argument('--timeout', type=float, default=300, help='seconds for each long wait: server, kernel, cells')
    ap.add_argument('--ui_timeout', type=float, default=60, help='seconds for each page load and click')
    args = ap.parse_args()
    t0 = time.monotonic()

    if not os.path.exists(CHROMIUM):
        sys.exit(f'FAIL jupyterlab_check: {CHROMIUM} is missing; install it with `apt-get install -y chromium` '
                 '(or run bash tools/jupyterlab_check.sh)')
    try: import playwright.sync_api  # noqa: F401
    except ImportError:
        sys.exit('FAIL jupyterlab_check: Playwright is missing; `.venv/bin/pip install playwright` '
                 '(or run bash tools/jupyterlab_check.sh)')
    if not (REPO/'nbs'/args.notebook).is_file(): sys.exit(f'FAIL jupyterlab_check: no notebook nbs/{args.notebook}')

    work = Path(tempfile.mkdtemp(prefix='jupyterlab_check-'))
    root = work/'nbs'   # a copy, so running the notebook never writes outputs into the repository
    shutil.copytree(REPO/'nbs', root, symlinks=True,
                    ignore=shutil.ignore_patterns('.ipynb_checkpoints', 'results', 'checkpoints', '_proc'))
    args.root_dir = str(root)
    port, token = free_port(), secrets.token_hex(24)
    base = f'http://127.0.0.1:{port}'
    proc = logf = None
    ok, found, err = False, [], ''
    try:
        proc, logf, env = start_lab(root, work, port, token)
        status = wait_for_lab(proc, base, token, args.timeout)
        spec_dir, spec_argv = kernelspec_python3(env)
        log(f'JupyterLab up on {base} after {time.monotonic()-t0:.1f} s (started {status.get("started")}); '
            f'kernelspec python3 -> {spec_dir} {spec_argv}')
        found = run_check(args, base, token, args.timeout)
        ok = True
    except CheckFailed as e: err = str(e)
    except Exception as e: err = f'{type(e).__name__}: {e}'
    finally:
        if proc is not None: stop_lab(proc, base, token)
        if not ok and logf and logf.exists():
            print('--- JupyterLab log (tail) ---\n' + logf.read_text(errors='replace')[-3000:], flush=True)
        shutil.rmtree(work, ignore_errors=True)
    dt = time.monotonic() - t0
    if ok:
        print(f'PASS jupyterlab_check: nbs/{args.notebook} ran in JupyterLab, found {", ".join(map(repr, found))}, '
              f'no errors; screenshot {args.out} ({dt:.1f} s)')
    else:
        print(f'FAIL jupyterlab_check: nbs/{args.notebook}: {err} ({dt:.1f} s)')
    sys.exit(0 if ok else 1)


if __name__ == '__main__': main()
