"""What the quick baseline's accuracy buys with its training minutes: the experiment behind the baseline page's trade-off.

Each variant is the quick preset (`model_compression --mode baseline --preset quick`) with a few settings changed
(`key=value` pairs, `;` between variants), trained by the baseline stage itself in a folder of one run, with the same
seed. Accuracy on all 10,000 test images with its 95 % Wilson interval, each variant against the first by the exact
McNemar test on the same images; training seconds as the stage measured them (run nothing else meanwhile: the
minutes are part of the result). Writes `quick_baseline.json` and `quick_baseline.png` (accuracy against training
minutes) in the run folder.
`python tools/quick_baseline_experiment.py --variants "epochs=3;n_train=45000,epochs=1"` (about 3–4 minutes a variant
on 2 CPU cores at the quick preset's size)."""
import json
from pathlib import Path
from fastcore.script import call_parse
from model_compression.core import env_info
from model_compression.recipe import run_recipe, parse_recipe, Step
from model_compression.stage import mcnemar_exact, wilson_interval, unpack_right

def label(args:dict)->str: return ','.join(f"{k}={v}" for k,v in args.items()) or 'quick'

@call_parse
def main(run:str='results/quick-baseline', # run folder (finished variants are reused)
         variants:str='epochs=3', # variants of the quick preset: `key=value` pairs, `;` between variants; the first is the reference
        ):
    run = Path(run); specs = [s.args for s in parse_recipe(';'.join(f"baseline:{v}" for v in variants.split(';')))]   # checked as the stage checks them
    steps = [Step('baseline', dict(preset='quick', **a), f"v{i}-{label(a).replace('=','').replace(',','-')}", intermediate=True) for i,a in enumerate(specs)]
    folders = run_recipe(run, steps, 'exp', benchmark=False, latency=False)
    rows,right = [],{}
    for a,f in zip(specs, folders):
        info = json.loads((f/'metrics.json').read_text())   # the stage's own evaluation on every test image
        r = right[f.name] = unpack_right(info['right'], info['n'])
        ref = right[folders[0].name]; t = mcnemar_exact(ref, r); lo,hi = wilson_interval(int(r.sum()), len(r))
        rows.append(dict(variant=label(a), folder=f.name, top1=float(r.mean()), ci=[lo,hi], vs_first_pp=100*(r.mean()-ref.mean()), p_vs_first=t['p'],
                         only_first=t['only_a'], only_this=t['only_b'], train_seconds=info.get('train_seconds'), config=info['config']))
        print(f"{rows[-1]['variant']:40s} {r.mean():.2%} ({100*lo:.1f}–{100*hi:.1f})  {rows[-1]['train_seconds']:.0f} s  "
              f"vs first {rows[-1]['vs_first_pp']:+.2f} pp (McNemar p={t['p']:.2g}, {t['only_a']} vs {t['only_b']})", flush=True)
    (run/'quick_baseline.json').write_text(json.dumps(dict(rows=rows, env=env_info()), indent=1, default=str))
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    fig,ax = plt.subplots(figsize=(7,4.5))
    for r in rows:
        ax.errorbar(r['train_seconds']/60, 100*r['top1'], yerr=[[100*(r['top1']-r['ci'][0])], [100*(r['ci'][1]-r['top1'])]], fmt='o', capsize=3)
        ax.annotate(r['variant'], (r['train_seconds']/60, 100*r['top1']), textcoords='offset points', xytext=(5,4), fontsize=7)
    ax.set_xlabel('training minutes (2 CPU cores)'); ax.set_ylabel('top-1 on 10,000 test images (%)'); ax.grid(alpha=.3)
    ax.set_title('Quick ResNet50 baseline: accuracy against training time'); fig.tight_layout(); fig.savefig(run/'quick_baseline.png', dpi=100)
