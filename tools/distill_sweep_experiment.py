"""Which temperature and teacher weight make distillation help: the experiment behind the distillation page's sweep.

The run's baseline (the preset's ResNet50, trained here unless `--run` already holds it) teaches the same student
(`--student`, ResNet18 by default) once per variant of the distill stage's settings (`key=value` pairs, `;` between
variants), each in a folder of one run, with the same seed. The reference is the same student trained with the same
seed and recipe but `alpha=0`, which reduces the distillation loss exactly to cross-entropy on the labels: the student
alone. Accuracy on all 10,000 test images with its 95 % Wilson interval, each variant against the student alone by the
exact McNemar test on the same images; training seconds as the stage measured them. Writes `distill_sweep.json` and
`distill_sweep.png` in the run folder.
`python tools/distill_sweep_experiment.py --variants "T=4,alpha=0.9;T=4,alpha=0.5;T=2,alpha=0.5"` (about 2 minutes a
variant at the quick preset's size on 2 CPU cores, after the baseline's 3–4)."""
import json
from pathlib import Path
from fastcore.script import call_parse
from model_compression.core import env_info
from model_compression.recipe import run_recipe, parse_recipe, Step
from model_compression.stage import mcnemar_exact, wilson_interval, unpack_right

def label(args:dict)->str: return ','.join(f"{k}={v}" for k,v in args.items() if k in ('T', 'alpha', 'hard', 'epochs', 'lr'))

@call_parse
def main(run:str='results/distill-sweep', # run folder (its baseline and finished variants are reused)
         preset:str='quick', # the baseline's preset, when the run has none yet
         baseline:str='', # settings of the baseline changed from the preset's, `key=value` pairs (e.g. `n_train=300,epochs=1` for a smoke run)
         student:str='resnet18', # the student of every variant
         variants:str='T=4,alpha=0.9', # settings of the distill stage: `key=value` pairs, `;` between variants
        ):
    run = Path(run)
    specs = [s.args for s in parse_recipe(';'.join(f"distill:student={student},alpha=0,alone=false" if v=='alone' else f"distill:student={student},alone=false,{v}"
                                                   for v in ['alone', *variants.split(';')]))]   # checked as the stage checks them
    names = ['alone'] + [label(a).replace('=', '').replace(',', '-') for a in specs[1:]]
    base = parse_recipe(f"baseline:{baseline}")[0].args if baseline else {}
    steps = [Step('baseline', dict(preset=preset, **base), 'baseline')] + [Step('distill', a, f"sweep-{student}-{n}", intermediate=True) for a,n in zip(specs, names)]
    folders = run_recipe(run, steps, 'exp', benchmark=False, latency=False)[1:]
    rows,ref = [],None
    for n,f in zip(names, folders):
        info = json.loads((f/'metrics.json').read_text())   # the stage's own evaluation on every test image
        r = unpack_right(info['right'], info['n']); ref = r if ref is None else ref
        t = mcnemar_exact(r, ref); lo,hi = wilson_interval(int(r.sum()), len(r))
        rows.append(dict(variant=n, T=info['T'], alpha=info['alpha'], hard=info['hard'], folder=f.name, top1=float(r.mean()), ci=[lo,hi],
                         vs_alone_pp=100*(r.mean()-ref.mean()), p_vs_alone=t['p'], only_this=t['only_a'], only_alone=t['only_b'],
                         seconds=info.get('distilled_seconds'), teacher_top1=info.get('teacher_top1')))
        print(f"{n:28s} {r.mean():.2%} ({100*lo:.1f}–{100*hi:.1f})  {rows[-1]['seconds'] or 0:.0f} s  vs alone {rows[-1]['vs_alone_pp']:+.2f} pp "
              f"(McNemar p={t['p']:.2g}, {t['only_a']} vs {t['only_b']})", flush=True)
    (run/'distill_sweep.json').write_text(json.dumps(dict(rows=rows, student=student, env=env_info()), indent=1, default=str))
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    fig,ax = plt.subplots(figsize=(7,4.5))
    for i,r in enumerate(rows):
        ax.errorbar(i, 100*r['top1'], yerr=[[100*(r['top1']-r['ci'][0])], [100*(r['ci'][1]-r['top1'])]], fmt='o', capsize=3)
    if rows[0]['teacher_top1']: ax.axhline(100*rows[0]['teacher_top1'], ls='--', c='gray', label='teacher'); ax.legend()
    ax.set_xticks(range(len(rows)), [r['variant'] for r in rows], rotation=20, fontsize=8)
    ax.set_ylabel('top-1 on the test images (%)'); ax.grid(alpha=.3); ax.set_title(f'{student} distilled, by temperature and teacher weight')
    fig.tight_layout(); fig.savefig(run/'distill_sweep.png', dpi=100)
