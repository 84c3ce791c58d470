"""Does feature distillation add to logit distillation? The experiment behind the Distillation page's answer.

A ResNet50 teacher (the quick preset, trained for 8 epochs; reused if `out/baseline` holds it) and ResNet18
students trained for 3 epochs by the distill stage's own training (`_train_student`: same recipe and seed), three
ways: alone, logit distillation (T = 4, alpha = 0.9, as `distill_run`), and logit distillation plus
`beta`·(1 − cosine similarity) between the student's last feature map, through a 1×1 convolution + batch norm
adapter, and the teacher's. All on the whole test set.
`python tools/feature_distill_experiment.py --seeds 42,1,2` (about 4 minutes per seed on 2 CPU cores, plus
6 for the teacher)."""
import json
from pathlib import Path
import torch.nn as nn, torch.nn.functional as F
from fastcore.script import call_parse
from fastai.vision.all import Callback
from model_compression.baseline import train_baseline
from model_compression.stage import preset_dls
from model_compression.checkpoint import load_model, build_model
from model_compression.distill import _train_student

class WithAdapter(nn.Module):
    "A ResNet student that keeps its last feature map, with the adapter trained alongside it"
    def __init__(self, student, s_ch, t_ch):
        super().__init__(); self.student = student
        self.adapter = nn.Sequential(nn.Conv2d(s_ch, t_ch, 1, bias=False), nn.BatchNorm2d(t_ch))
        student.layer4.register_forward_hook(lambda m,i,o: setattr(self, '_feat', o))
    def forward(self, x): return self.student(x)

class FeatureKD(Callback):
    "Add `beta`·(1 − cosine similarity) of the adapted student features and the teacher's to the training loss"
    order = 6   # after DistillCallback (5) ran the teacher and blended the logits' loss
    def __init__(self, teacher, beta): self.beta = beta; teacher.layer4.register_forward_hook(lambda m,i,o: setattr(self, 't_feat', o))
    def after_loss(self):
        if not self.training: return
        fs = self.learn.model.adapter(self.learn.model._feat); ft = self.t_feat
        if fs.shape[-2:]!=ft.shape[-2:]: fs = F.adaptive_avg_pool2d(fs, ft.shape[-2:])
        feat = (1-F.cosine_similarity(fs.float().flatten(1), ft.float().flatten(1), dim=1)).mean()
        self.learn.loss_grad = self.learn.loss_grad + self.beta*feat; self.learn.loss = self.learn.loss_grad.clone()

@call_parse
def main(out:str='results/feature-kd', # folder for the teacher
         seeds:str='42', # comma-separated seeds of the students' training
         beta:float=1., # weight of the feature term
         teacher_epochs:int=8, epochs:int=3):
    out = Path(out)
    if not (out/'baseline'/'model.json').exists(): train_baseline(out/'baseline', 'quick', epochs=teacher_epochs)
    teacher,tmeta = load_model(out/"baseline"); cfg = tmeta['config']
    dls = preset_dls(cfg, None, 42, None)
    def run(kind, seed):   # the distill stage's own training of a student, with the feature term added for 'feature'
        s = build_model('resnet18', dls.c, cfg['small_input'], dls.meta['channels'])
        _,res,secs = _train_student(WithAdapter(s, 512, 2048) if kind=='feature' else s, dls, cfg, seed, None if kind=='alone' else teacher,
                                    epochs=epochs, cbs=[FeatureKD(teacher, beta)] if kind=='feature' else None)
        return round(res['top1'], 4), round(secs)
    for seed in map(int, seeds.split(',')):
        r = {k: run(k, seed) for k in ('alone', 'logit', 'feature')}
        print(json.dumps(dict(teacher=round(tmeta['accuracy'], 4), beta=beta, seed=seed, **{k: v[0] for k,v in r.items()},
                              seconds={k: v[1] for k,v in r.items()})), flush=True)
