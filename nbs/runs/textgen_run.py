"""The text runs shown in the course notes: a preset trained on lowercased Nietzsche, sampled after every epoch.

`--preset classic` (the default) is the lecture's own run, the classic Keras recipe for 60 epochs; `--preset cpu
--minutes 10` is gendl's CPU preset. Writes `textgen_PRESET.json` into the package's `gendl/data/runs/` after each epoch (atomically),
so the furthest epoch reached is always on disk. The course notes (`00_textgen.ipynb`) read these records with
`gendl.core.run_record`, so they ship with the package.
Usage: python nbs/runs/textgen_run.py [--preset classic] [--epochs 60 | --minutes M] [--threads 1]
"""
import argparse, json, os, tempfile, time
from pathlib import Path
import torch
from fastai.callback.core import Callback
from gendl.core import hardware
from gendl.assets import corpus
from gendl.textgen import train_char_model, SampleCB

prime = "the philosopher, as we free spirits understand him, "

class _Record(Callback):
    "After each epoch, write the losses, metrics and samples so far"
    order = 95
    def __init__(self, sampler, meta): self.sampler,self.meta = sampler,meta
    def before_fit(self): self.t0,self.mins = time.time(),[]
    def after_epoch(self):
        r = self.learn.recorder
        self.mins.append((time.time()-self.t0)/60)
        d = dict(self.meta, epochs_done=len(r.values), minutes=self.mins[-1], epoch_minutes=self.mins,
                 metric_names=list(r.metric_names[1:-1]), values=[list(map(float, o)) for o in r.values],
                 losses=[float(o) for o in r.losses][::20],
                 samples={str(ep): {str(t): s for t,s in d.items()} for ep,d in self.sampler.samples.items()})
        out = Path(__file__).parents[2]/"gendl"/"data"/"runs"/f"textgen_{self.meta['recipe']}.json"
        tmp = out.with_suffix('.tmp')
        tmp.write_text(json.dumps(d, indent=1)); os.replace(tmp, out)

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--epochs', type=int, default=60); p.add_argument('--threads', type=int, default=1)
    p.add_argument('--preset', default='classic'); p.add_argument('--minutes', type=float, default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    text = corpus('nietzsche')
    sampler = SampleCB(prime, temps=(0.2, 0.5, 1.0, 1.2), n_chars=400, seed=1, show=False)
    meta = dict(recipe=a.preset, minutes_budget=a.minutes, prime=prime, hardware=hardware(torch.device('cpu')), threads=a.threads, epochs=a.epochs,
                load_start=round(os.getloadavg()[0], 2), date=time.strftime('%Y-%m-%d'))
    train_char_model(text, a.preset, epochs=None if a.minutes else a.epochs, minutes=a.minutes, lower=True, device='cpu', quiet=True, path=tempfile.mkdtemp(),
                     cbs=[sampler, _Record(sampler, meta)])
