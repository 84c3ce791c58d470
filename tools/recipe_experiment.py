"""Which recipe makes the better model: recipes run from the same baseline, compared on the same test images.

Each recipe (the `--recipe` text of `model_compression`, e.g. `prune:rate=0.7,finetune_epochs=0; distill:lr=0.001,alone=false;
quantize`) runs from the run's baseline (the preset's ResNet50, trained here unless `--run` already holds it), its steps in
folders of their own named after the recipe. Its final model's accuracy on all 10,000 test images comes with its 95 % Wilson
interval, and is compared with the baseline and with the first recipe (the reference) by the exact McNemar test on the same
images, read from each stage's `metrics.json`; the seconds every step took and the parameters removed are listed too.
Writes `recipes.json` in the run folder.
`python tools/recipe_experiment.py --recipes "global=prune:rate=0.7,finetune_epochs=0;distill:lr=0.001,alone=false | sens=prune:rate=0.7,finetune_epochs=0,sensitivity=true;distill:lr=0.001,alone=false"`"""
import json
from pathlib import Path
from fastcore.script import call_parse
from model_compression.core import env_info
from model_compression.recipe import run_recipe, parse_recipe, Step
from model_compression.stage import mcnemar_exact, wilson_interval, unpack_right

def _metrics(f:Path)->dict: return json.loads((f/'metrics.json').read_text())   # the stage's own evaluation on every test image
def _right(info:dict): return unpack_right(info['right'], info['n'])

@call_parse
def main(run:str='results/recipes', # run folder (its baseline and finished steps are reused)
         preset:str='quick', # the baseline's preset, when the run has none yet
         recipes:str='', # `name=recipe` pairs separated by `|`; the first is the reference
        ):
    run = Path(run); named = [tuple(s.strip() for s in r.partition('=')[::2]) for r in recipes.split('|') if r.strip()]
    if not named or any(not n or not t for n,t in named): raise SystemExit("--recipes: give `name=recipe` pairs separated by `|`")
    run_recipe(run, [Step('baseline', dict(preset=preset), 'baseline')], 'exp', benchmark=False, latency=False)
    finals = {n: run_recipe(run, parse_recipe(text), n, benchmark=False, latency=False) for n,text in named}
    base = _right(_metrics(run/'baseline')); rows,ref = [],None
    for n,folders in finals.items():
        infos = [_metrics(f) for f in folders]
        r = _right(infos[-1]); ref = r if ref is None else ref
        tb,tr = mcnemar_exact(r, base),mcnemar_exact(r, ref); lo,hi = wilson_interval(int(r.sum()), len(r))
        pruning = next((i for i in infos if 'rate_achieved' in i), {})
        rows.append(dict(recipe=n, text=dict(named)[n], top1=float(r.mean()), ci=[lo, hi], vs_baseline_pp=100*(r.mean()-base.mean()), p_vs_baseline=tb['p'],
                         vs_reference_pp=100*(r.mean()-ref.mean()), p_vs_reference=tr['p'], only_this=tr['only_a'], only_reference=tr['only_b'],
                         rate=pruning.get('rate_achieved'), steps_top1=[i.get('top1') for i in infos],
                         seconds=[round(i.get('seconds') or i.get('distilled_seconds') or 0) for i in infos]))
        print(f"{n:16s} {r.mean():.2%} ({100*lo:.1f}–{100*hi:.1f})  vs baseline {rows[-1]['vs_baseline_pp']:+.2f} pp (p={tb['p']:.2g})  "
              f"vs {named[0][0]} {rows[-1]['vs_reference_pp']:+.2f} pp (p={tr['p']:.2g}, {tr['only_a']} vs {tr['only_b']})  "
              f"rate {rows[-1]['rate'] or 0:.3f}  steps {' '.join(f'{t:.2%}' for t in rows[-1]['steps_top1'])}  seconds {rows[-1]['seconds']}", flush=True)
    (run/'recipes.json').write_text(json.dumps(dict(rows=rows, baseline_top1=float(base.mean()), env=env_info()), indent=1, default=str))
