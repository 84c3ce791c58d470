"""FX graph mode INT8 (fbgemm) against PT2E INT8 (torchao's X86InductorQuantizer + torch.compile) on torchvision ResNets, CPU:
latency at batch 1 on 224-pixel inputs (FX and PT2E timed back to back in each repetition), agreement and SQNR against float.
torchao is not one of the project's requirements; to run this, put it beside the environment:

    .venv/bin/pip install --target /tmp/pt2e/site --no-deps torchao==0.18.0
    REPS=12 MIN_RUN=0.5 OMP_NUM_THREADS=2 PYTHONPATH=/tmp/pt2e/site .venv/bin/python tools/pt2e_vs_fx.py

`MODELS=resnet18` limits it to one model. The quantization notebook quotes its result.
"""
import copy, os, platform, statistics, subprocess, sys, textwrap, time, warnings
warnings.simplefilter('default')   # show every DeprecationWarning/UserWarning once

import torch, torchvision
from torch.utils.benchmark import Timer

torch.set_num_threads(2)
REPS = int(os.environ.get('REPS', 5))
MIN_RUN = float(os.environ.get('MIN_RUN', 1.5))
MODELS = os.environ.get('MODELS', 'resnet18,resnet50').split(',')

def hdr(s): print(f'\n=== {s} ===', flush=True)

hdr('environment')
import torchao
print('python', platform.python_version(), '| torch', torch.__version__, '| torchvision', torchvision.__version__,
      '| torchao', torchao.__version__)
print('threads', torch.get_num_threads(), '| OMP_NUM_THREADS', os.environ.get('OMP_NUM_THREADS'),
      '| quantized engines', torch.backends.quantized.supported_engines)
print('cpu capability', torch.backends.cpu.get_cpu_capability())
print('gcc:', subprocess.run(['gcc', '--version'], capture_output=True, text=True).stdout.splitlines()[0])
print('inductor cpp.cxx', torch._inductor.config.cpp.cxx, '| TORCHINDUCTOR_CACHE_DIR', os.environ.get('TORCHINDUCTOR_CACHE_DIR'))

from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import prepare_fx, convert_fx
from torchao.quantization.pt2e.quantize_pt2e import prepare_pt2e, convert_pt2e
import torchao.quantization.pt2e.quantizer.x86_inductor_quantizer as xiq
from torchao.quantization.pt2e.quantizer.x86_inductor_quantizer import X86InductorQuantizer
from torchao.quantization.pt2e.lowering import lower_pt2e_quantized_to_x86
import torch._inductor.config as inductor_config
inductor_config.freezing = True   # the x86 INT8 weight-prepack patterns are freezing passes (tutorial: TORCHINDUCTOR_FREEZING=1)

def sqnr(ref, out):
    ref, out = ref.float(), out.float()
    return (20*torch.log10(ref.norm()/(ref-out).norm().clamp_min(1e-12))).item()

def agree(ref, out): return (ref.argmax(1)==out.argmax(1)).float().mean().item()

def make_model(name):
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)(num_classes=10)
    m.train()
    with torch.no_grad():
        for _ in range(4): m(torch.randn(8, 3, 224, 224))   # BN running stats
    return m.eval()

def fx_int8(m, calib):
    torch.backends.quantized.engine = 'fbgemm'
    prepared = prepare_fx(copy.deepcopy(m), get_default_qconfig_mapping('fbgemm'), (calib[0][:1],))
    with torch.no_grad():
        for xb in calib: prepared(xb)
    return convert_fx(prepared)

def pt2e_int8(m, calib):
    # an example of batch 1 makes export specialize the batch dim to 1 (0/1 specialization): export with a batch of 8
    batch = torch.export.Dim('batch', min=1, max=1024)
    with torch.no_grad():
        ep = torch.export.export(copy.deepcopy(m), (calib[0],), dynamic_shapes=({0: batch},), strict=True)
    quantizer = X86InductorQuantizer()
    quantizer.set_global(xiq.get_default_x86_inductor_quantization_config())
    prepared = prepare_pt2e(ep.module(), quantizer)
    with torch.no_grad():
        for xb in calib: prepared(xb)
    return convert_pt2e(prepared)

def timeit(f, x, label):
    t = Timer('f(x)', globals=dict(f=f, x=x), num_threads=2, label=label)
    with torch.no_grad():
        m = t.blocked_autorange(min_run_time=MIN_RUN)
    return m.median*1e3, min(m.times)*1e3   # median of blocks, and fastest block (less sensitive to the other job on the CPU)

results = {}
for name in MODELS:
    hdr(name)
    model = make_model(name)
    g = torch.Generator().manual_seed(1)
    calib = [torch.randn(8, 3, 224, 224, generator=g) for _ in range(8)]
    test = torch.randn(64, 3, 224, 224, generator=g)
    x1 = torch.randn(1, 3, 224, 224, generator=g)

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        t0 = time.perf_counter(); fx = fx_int8(model, calib); t_fx = time.perf_counter()-t0
        t0 = time.perf_counter(); pq = pt2e_int8(model, calib); t_pq = time.perf_counter()-t0
    print(f'FX prepare+calibrate+convert: {t_fx:.1f}s | PT2E export+prepare+calibrate+convert: {t_pq:.1f}s')
    seen = set()
    for wi in w:
        k = (wi.category.__name__, str(wi.message)[:300])
        if k not in seen: seen.add(k); print(f'  warning during quantization: {k[0]}: {k[1]}')

    # the converted PT2E module, run eagerly (q/dq around float ops)
    pt2e_eager = pq
    # the converted module lowered to x86 quantized ops without inductor codegen (torchao helper)
    try:
        t0 = time.perf_counter(); lowered = lower_pt2e_quantized_to_x86(copy.deepcopy(pq), (x1,)); t_low = time.perf_counter()-t0
        print(f'lower_pt2e_quantized_to_x86: {t_low:.1f}s')
    except Exception as e:
        lowered = None; print('lower_pt2e_quantized_to_x86 FAILED:', type(e).__name__, str(e)[:500])

    compiled = torch.compile(pq)
    with torch.no_grad():
        t0 = time.perf_counter(); compiled(x1); t_c1 = time.perf_counter()-t0
        t0 = time.perf_counter(); compiled(x1); t_c2 = time.perf_counter()-t0
    print(f'torch.compile first call (compile): {t_c1:.1f}s | second call: {t_c2*1e3:.1f}ms')
    from torch._dynamo.utils import counters
    print('  inductor INT8 pattern counters:', {k: v for k, v in counters['inductor'].items() if any(t in k for t in ('qconv', 'qlinear', 'dequant', 'qmaxpool', 'qcat', 'qlinear'))})
    counters.clear()

    # agreement with the float model on 64 random images
    with torch.no_grad():
        ref = model(test)
        outs = {'FX': fx(test), 'PT2E eager': pt2e_eager(test),
                'PT2E compiled': torch.cat([compiled(test[i:i+1]) for i in range(len(test))])}   # batch 1: no recompile
        if lowered is not None:
            try: outs['PT2E lowered'] = torch.cat([lowered(test[i:i+1]) for i in range(len(test))])
            except Exception as e: print('lowered run FAILED:', type(e).__name__, str(e)[:300]); lowered = None
    acc = {k: (agree(ref, o), sqnr(ref, o)) for k, o in outs.items()}
    for k, (a, s) in acc.items(): print(f'  {k:14s} top-1 agreement {a:.3f}  SQNR {s:.1f} dB')
    print('  float logits std', ref.std().item(), '| mean top1-top2 margin', (ref.topk(2).values[:, 0]-ref.topk(2).values[:, 1]).mean().item())

    rows = []   # (median, min) pairs per variant: FX, PT2E compiled, PT2E eager, PT2E lowered, float
    nan = (float('nan'), float('nan'))
    for r in range(REPS):
        fx_ms = timeit(fx, x1, 'fx')
        pc_ms = timeit(compiled, x1, 'pt2e compiled')
        pe_ms = timeit(pt2e_eager, x1, 'pt2e eager')
        pl_ms = timeit(lowered, x1, 'pt2e lowered') if lowered is not None else nan
        fl_ms = timeit(model, x1, 'float') if r in (0, REPS-1) else nan   # float: first and last repetition only
        rows.append((fx_ms, pc_ms, pe_ms, pl_ms, fl_ms))
        f = lambda v: f'{v[0]:7.2f} (min {v[1]:6.2f})'
        print(f'  rep {r:2d}: FX {f(fx_ms)} | PT2E compiled {f(pc_ms)} | ratio med {pc_ms[0]/fx_ms[0]:.3f} min {pc_ms[1]/fx_ms[1]:.3f}'
              f' | PT2E eager {f(pe_ms)} | PT2E lowered {f(pl_ms)} | float {f(fl_ms)} | load {os.getloadavg()[0]:.2f}', flush=True)
    import math
    names = ['FX', 'PT2E compiled', 'PT2E eager', 'PT2E lowered', 'float']
    def med(i, j): return statistics.median(v for v in (r[i][j] for r in rows) if not math.isnan(v))
    for j, kind in ((0, 'median-of-blocks'), (1, 'fastest-block')):
        print(f'  [{kind}] medians over reps: ' + ' | '.join(f'{n} {med(i, j):.2f} ms' for i, n in enumerate(names)))
        for i in (1, 2, 3):
            rr = [r[i][j]/r[0][j] for r in rows]
            print(f'  [{kind}] ratio {names[i]}/FX per rep: ' + ' '.join(f'{x:.2f}' for x in rr) +
                  f' -> median {statistics.median(rr):.3f} range {min(rr):.3f}-{max(rr):.3f}')
    results[name] = dict(rows=rows, acc=acc, compile_s=t_c1)
    del compiled; torch._dynamo.reset()

hdr('does PT2E + torch.compile need a C++ compiler at run time? (PATH without gcc/g++/cc, CXX unset)')
probe = textwrap.dedent('''
    import torch, warnings, shutil
    from torchao.quantization.pt2e.quantize_pt2e import prepare_pt2e, convert_pt2e
    import torchao.quantization.pt2e.quantizer.x86_inductor_quantizer as xiq
    from torchao.quantization.pt2e.lowering import lower_pt2e_quantized_to_x86
    import torch._inductor.config as c; c.freezing = True
    print('which g++:', shutil.which('g++'), '| which gcc:', shutil.which('gcc'))
    m = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU()).eval(); x = torch.randn(1, 3, 16, 16)
    q = xiq.X86InductorQuantizer(); q.set_global(xiq.get_default_x86_inductor_quantization_config())
    p = prepare_pt2e(torch.export.export(m, (x,), strict=True).module(), q); p(x); cm = convert_pt2e(p)
    with torch.no_grad():
        cm(x); print('eager converted: OK')
        try: lower_pt2e_quantized_to_x86(cm, (x,))(x); print('lowered (no codegen): OK')
        except Exception as e: print('lowered FAILED:', type(e).__name__, str(e).splitlines()[0][:300])
        try: torch.compile(cm)(x); print('torch.compile: OK')
        except Exception as e: print('torch.compile FAILED:', type(e).__name__, str(e).splitlines()[0][:300])
''')
env = dict(os.environ, PATH=os.path.dirname(sys.executable), TORCHINDUCTOR_CACHE_DIR='/tmp/pt2e/inductor_cache_nocc')
env.pop('CXX', None); env.pop('CC', None)
r = subprocess.run([sys.executable, '-c', probe], env=env, capture_output=True, text=True, timeout=600)
print(r.stdout); print('\n'.join(l for l in r.stderr.splitlines() if 'Error' in l or 'error' in l)[-2000:])

hdr('summary')
import math
for name, d in results.items():
    rows = d['rows']
    for j, kind in ((0, 'median-of-blocks'), (1, 'fastest-block')):
        med = lambda i: statistics.median(v for v in (r[i][j] for r in rows) if not math.isnan(v))
        ratios = [r[1][j]/r[0][j] for r in rows]; er = [r[2][j]/r[0][j] for r in rows]
        print(f"{name} [{kind}]: FX {med(0):.2f} ms | PT2E compiled {med(1):.2f} ms | PT2E eager {med(2):.2f} ms | PT2E lowered {med(3):.2f} ms | "
              f"float {med(4):.2f} ms | PT2E compiled/FX median {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) | "
              f"PT2E eager/FX median {statistics.median(er):.2f}")
    print(f"{name}: compile (first call) {d['compile_s']:.1f}s | " + ' | '.join(f'{k} agree {a:.3f} SQNR {s:.1f} dB' for k, (a, s) in d['acc'].items()))
