"""Which NNCF settings keep an OpenVINO INT8 model closest to its float model: the experiment behind the quantization page's table.

Each setting quantizes a float model of a run (the quick baseline by default) with `nncf.quantize` on the same 256
calibration images the quantize stage uses, then compares it with the float model on all 10,000 test images: top-1,
the exact McNemar test against the float model on the same images (the counts of images only the float model, and only
the INT8 model, gets right), agreement of the answers, logits SQNR, and the drop on the 1,000 held-back training images
the stage judges backends on. Settings: `default` (fast bias correction), `full_bias_correction`, `mixed` (asymmetric
activations), `fc_float` (the classifier left in float), `calib1024` (four times the calibration images),
`act_mean_quantile` (activation ranges from quantiles instead of extremes).
`python tools/ov_int8_experiment.py --run results/fashion_mnist-resnet50 --source baseline --settings default,full_bias_correction`"""
import time, torch
from pathlib import Path
from fastcore.script import call_parse
from model_compression.core import env_info
from model_compression.checkpoint import load_model
from model_compression.stage import preset_dls, top1_match, mcnemar_exact
from model_compression.quantize import calib_batches, quantize_openvino, _ov, sqnr, predict

@call_parse
def main(run:str='results/fashion_mnist-resnet50', # run folder
         source:str='baseline', # the float model of the run to quantize
         settings:str='default,full_bias_correction,mixed,fc_float,calib1024,act_mean_quantile', # which, separated by ','
        ):
    m,meta = load_model(Path(run)/source)
    dls = preset_dls({**meta['config'], 'augment': False}, None, 42, 'cpu')
    fl,ty = predict(m, dls.valid); fr = (fl.argmax(1)==ty).numpy()
    _,nncf = _ov()
    from nncf.quantization.advanced_parameters import AdvancedQuantizationParameters as AQP
    from nncf.quantization.range_estimator import RangeEstimatorParametersSet as RE
    held = calib_batches(dls, 1000, seed=42, skip=256, labels=True); hy = torch.cat([y for _,y in held])   # as the stage's backend choice
    hf = top1_match(predict(m, held)[0], hy)
    def q(calib=256, fast_bias_correction=True, **kw):   # the stage's own path, with one setting changed
        return quantize_openvino(m, calib_batches(dls, calib, seed=42), fast_bias_correction=fast_bias_correction, **kw)
    variants = dict(default=lambda: q(), full_bias_correction=lambda: q(fast_bias_correction=False),
                    mixed=lambda: q(preset=nncf.QuantizationPreset.MIXED), fc_float=lambda: q(keep_float=['fc']),
                    calib1024=lambda: q(1024), act_mean_quantile=lambda: q(advanced_parameters=AQP(activations_range_estimator_params=RE.MEAN_QUANTILE)))
    e = env_info(); print(f"{e['cpu']}, {e['cpu_count']} cores; torch {e['torch']}; nncf {nncf.__version__}")
    print(f"{source}: float {fr.mean():.2%} on {len(fr)} test images, {hf:.2%} on {len(hy)} held-back training images", flush=True)
    for n in settings.split(','):
        if n not in variants: raise SystemExit(f"Unknown setting {n!r}; known: {', '.join(variants)}")
        t0 = time.time(); qm = variants[n](); s = time.time()-t0
        ql,_ = predict(qm, dls.valid); qr = (ql.argmax(1)==ty).numpy(); t = mcnemar_exact(fr, qr)
        hq = top1_match(predict(qm, held)[0], hy)
        print(f"{n:22s} test {qr.mean():.2%} ({100*(qr.mean()-fr.mean()):+.2f} pp, McNemar p={t['p']:.2g}, only float {t['only_a']} / only INT8 {t['only_b']}) "
              f"agreement {top1_match(ql, fl):.2%}, SQNR {sqnr(fl, ql):.1f} dB | held-back {100*(hq-hf):+.2f} pp | quantized in {s:.0f} s", flush=True)
