"""How much of a pruned ResNet50's accuracy each recovery recipe brings back. The experiment behind the pruning page's table.

The quick preset's ResNet50 (`model_compression --mode baseline --preset quick`, trained here unless `--run` already
holds it) loses half its parameters by structured pruning, then is fine-tuned for `--epochs` epochs four ways: on the
labels (the stage's old default), by distillation from the unpruned model (`--distill true`), and each of these with
per-layer ratios from measured sensitivity (`--sensitivity`) instead of global L2 ranking. A variant names its parts with `+`:
`distill`, `sensitivity`, `stepsN` (N pruning steps spread over the fine-tuning) and `cubic` (those steps by the cubic schedule). Every variant is a stage
folder of the same run, made by the prune stage itself; accuracy on all 10,000 test images, each variant against the
baseline and against the labels-only variant by an exact McNemar test on the same images.
`python tools/prune_recovery_experiment.py` (about 5 minutes for the baseline and 3–4 per variant on 2 CPU cores)."""
import json
from pathlib import Path
from fastcore.script import call_parse
from model_compression.core import env_info
from model_compression.recipe import run_recipe, Step
from model_compression.checkpoint import read_meta
from model_compression.stage import mcnemar_exact, wilson_interval, unpack_right

@call_parse
def main(run:str='results/prune-recovery', # run folder (its baseline is reused)
         rate:float=0.5, # fraction of the parameters removed
         epochs:int=2, # fine-tuning epochs of every variant (the `--mode all` default)
         variants:str='labels,distill,labels+sensitivity,distill+sensitivity', # comma-separated
        ):
    run = Path(run)
    steps = [Step('baseline', dict(preset='quick'), 'baseline')]
    for v in variants.split(','):
        k = next((int(t[5:]) for t in v.split('+') if t.startswith('steps')), 1)   # `steps3`: three pruning steps; `cubic`: by the cubic schedule
        steps.append(Step('prune', dict(source='baseline', rate=rate, finetune_epochs=epochs, distill='distill' in v, sensitivity='sensitivity' in v,
                                        steps=k, schedule='cubic' if 'cubic' in v else 'linear'), f"pruned-{v.replace('+', '-')}", intermediate=True))
    folders = run_recipe(run, steps, 'exp', benchmark=False, latency=False)
    right = {}
    for f in folders:   # each stage's own evaluation on every test image
        info = json.loads((f/'metrics.json').read_text()); right[f.name] = unpack_right(info['right'], info['n'])
    rows = []
    for f in folders:
        r = right[f.name]; m = read_meta(f); lo,hi = wilson_interval(int(r.sum()), len(r))
        vb = mcnemar_exact(right['baseline'], r); vl = mcnemar_exact(right.get('pruned-labels', right['baseline']), r)
        rows.append(dict(model=f.name, top1=float(r.mean()), ci=[lo, hi], vs_baseline_pp=100*(r.mean()-right['baseline'].mean()), p_vs_baseline=vb['p'],
                         vs_labels_pp=100*(r.mean()-right.get('pruned-labels', right['baseline']).mean()), p_vs_labels=vl['p'],
                         rate=(m.get('pruning') or {}).get('rate_achieved'), seconds=(m.get('pruning') or {}).get('seconds')))
        print(f"{f.name:32s} {r.mean():.2%} ({100*lo:.1f}–{100*hi:.1f})  vs baseline {rows[-1]['vs_baseline_pp']:+.2f} pp (p={vb['p']:.2g})  "
              f"vs labels-only {rows[-1]['vs_labels_pp']:+.2f} pp (p={vl['p']:.2g})  rate {rows[-1]['rate'] or 0:.3f}")
    (run/'prune_recovery.json').write_text(json.dumps(dict(rows=rows, rate=rate, epochs=epochs, env=env_info()), indent=1, default=str))
