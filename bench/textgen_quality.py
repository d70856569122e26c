"""Quality of gendl's character LSTM: validation loss (nats/char) on lowercased Nietzsche, last 10% held out, within a time budget.

Reference: a plain PyTorch 1x256 stream LSTM (batch 32, BPTT 64, Adam 3e-3, cosine decay over the budget).
gendl: `train_char_model` with the `cpu` preset (default) or, with --full, the `default` preset for 90 s on a GPU.
Both are evaluated on the same validation batches (gendl's validation `DataLoader`, state carried, reset at the start).
The trained gendl model is saved in gendl's cache (models/nietzsche-<preset>.pth) for the course notes.

    python bench/textgen_quality.py                      # CPU: 10 min gendl, 5 min reference
    python bench/textgen_quality.py --full               # GPU: 90 s each
    python bench/textgen_quality.py --smoke --out DIR/q  # toy size (a few seconds each, a slice of the corpus; nothing cached)

The figures go to PREFIX.json and the curves to PREFIX.png (`--out PREFIX`, default bench/results/textgen_quality),
beside the log: `python bench/textgen_quality.py | tee bench/results/textgen_quality.txt`.
"""
import argparse, math, os, platform, tempfile, time
from pathlib import Path
import torch, torch.nn as nn, torch.nn.functional as F
from gendl.core import hardware
from gendl.assets import corpus, cache_dir
from gendl.textgen import char_dls, train_char_model, save_char_model
from _results import save_figures
from _timing import pick_threads

p = argparse.ArgumentParser()
p.add_argument('--full', action='store_true', help='GPU size: default preset, 90 s each')
p.add_argument('--minutes', type=float, default=None, help='gendl budget (default 10 on CPU, 1.5 with --full)')
p.add_argument('--ref-minutes', type=float, default=None, help='reference budget (default 5 on CPU, 1.5 with --full; 0 skips)')
p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: the faster of 1 and all, timed)')
p.add_argument('--out', default='bench/results/textgen_quality', help='prefix of the .json (figures) and .png (curves) written')
p.add_argument('--seed', type=int, default=42)
p.add_argument('--smoke', action='store_true', help='toy size: checks that the script runs; saves nothing to the cache')
a = p.parse_args()
dev = torch.device('cuda' if a.full and torch.cuda.is_available() else 'cpu')
preset = 'default' if a.full else 'cpu'
minutes = a.minutes if a.minutes is not None else (1.5 if a.full else 10.)
ref_minutes = a.ref_minutes if a.ref_minutes is not None else (1.5 if a.full else 5.)
if a.smoke:
    minutes, ref_minutes, a.threads = 0.1, 0.05, 1
    if a.out == p.get_default('out'): a.out = os.path.join(tempfile.mkdtemp(), 'textgen_quality')   # not over the real log
save_dir = os.path.dirname(os.path.abspath(a.out)) if a.smoke else cache_dir()   # a smoke run leaves the cached model alone

def lstm_step_secs(threads):
    torch.set_num_threads(threads)
    emb,rnn,head = nn.Embedding(60, 32),nn.LSTM(32, 256, batch_first=True),nn.Linear(256, 60)
    x = torch.randint(0, 60, (32, 64))
    ts = []
    for _ in range(4):
        t = time.time(); out,_ = rnn(emb(x)); head(out).sum().backward(); ts.append(time.time()-t)
    return min(ts[1:])

if dev.type == 'cpu': pick_threads(lstm_step_secs, a.threads)
load = os.getloadavg()
lines = [f"machine: {hardware(dev)} ({platform.node()}), {os.cpu_count()} cores; load average at start {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
         f"torch {torch.__version__}; preset {preset}; gendl budget {minutes} min; reference budget {ref_minutes} min"]
for l in lines: print(l)

text = corpus('nietzsche').lower()
if a.smoke: text = text[:100_000]

# ---- reference: plain PyTorch
class RefLSTM(nn.Module):
    def __init__(self, v, n_hid=256, emb=32):
        super().__init__()
        self.emb,self.rnn,self.head = nn.Embedding(v, emb),nn.LSTM(emb, n_hid, batch_first=True),nn.Linear(n_hid, v)
    def forward(self, x, h=None):
        out,h = self.rnn(self.emb(x), h)
        return self.head(out),h

def evaluate(model, dl):
    model.eval(); tot,n,h = 0.,0,None
    with torch.no_grad():
        for x,y in dl:
            out,h = (model.forward_state if hasattr(model, 'forward_state') else model)(x.to(dev), h)
            tot += F.cross_entropy(out.flatten(0, 1).float(), y.to(dev).flatten(), reduction='sum').item(); n += y.numel()
    model.train()
    return tot/n

# ---- gendl
from gendl.textgen import SampleCB
samples = SampleCB('what is the value of truth? ', epochs=[1, 3, 10], n_chars=400, at_end=True, show=False)
learn = train_char_model(text, preset, minutes=minutes, lower=True, device=dev, seed=a.seed, path=Path(save_dir)/'checkpoints',
                         fname=f'nietzsche-{preset}', cbs=samples)
info = learn.train_info
vals = [o[1] for o in learn.recorder.values]
fn = save_char_model(learn, Path(save_dir)/'models'/f'nietzsche-{preset}.pth')
print(f"saved {fn}")

ref_curve = []
dls = char_dls(text, form='stream', bs=32, seq_len=64, device='cpu', seed=a.seed)
check = evaluate(learn.model, dls.valid) if preset == 'cpu' else None  # same batches as the reference
if ref_minutes > 0:
    torch.manual_seed(a.seed)
    ids = dls.train_ds.ids
    model = RefLSTM(len(dls.vocab)).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    budget, bs, sl = ref_minutes*60, 32, 64
    t0 = time.time(); done = False; g = torch.Generator().manual_seed(a.seed)
    while not done:
        off = int(torch.randint(0, sl, (1,), generator=g))
        rows = (len(ids)-1-(sl-1))//bs
        d = ids[off:off+bs*rows+1]
        X,Y = d[:-1].view(bs, rows),d[1:].view(bs, rows)
        h = None
        t_valid = ref_curve[-1][2] if ref_curve else 0.
        for i in range(rows//sl):
            frac = (time.time()-t0)/(budget-t_valid)
            if frac >= 1: done = True; break
            for gr in opt.param_groups: gr['lr'] = 3e-3*0.5*(1+math.cos(math.pi*frac))
            out,h = model(X[:, i*sl:(i+1)*sl].to(dev), h)
            h = tuple(o.detach() for o in h)
            loss = F.cross_entropy(out.flatten(0, 1), Y[:, i*sl:(i+1)*sl].to(dev).flatten())
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.); opt.step()
        tv = time.time(); vl = evaluate(model, dls.valid); tv = time.time()-tv
        ref_curve.append((time.time()-t0, vl, tv))
        print(f"reference: {ref_curve[-1][0]:6.1f}s  valid {vl:.4f}")
    ref_best = min(o[1] for o in ref_curve)

target = 1.20 if a.full else 1.30
res = lines + [f"load average at end {os.getloadavg()[0]:.2f}", '']
if ref_curve:
    res += [f"reference plain PyTorch 1x256 stream LSTM: best valid {ref_best:.4f} nats/char in {ref_curve[-1][0]:.0f}s "
            f"({len(ref_curve)} epochs)", '  curve (s, valid): ' + ', '.join(f"{t:.0f}:{v:.3f}" for t,v,_ in ref_curve)]
res += [f"gendl preset {preset} ({learn.config['n_layers']}x{learn.config['n_hid']}, bs {learn.config['bs']}, "
        f"seq_len {learn.config['seq_len']}): best valid {info['best_valid_loss']:.4f} nats/char "
        f"({info['best_valid_loss']/math.log(2):.3f} bits/char) in {info['secs']:.0f}s ({info['epochs']} epochs)",
        '  curve (s, valid): ' + ', '.join(f"{t:.0f}:{v:.3f}" for t,v in zip(info['epoch_secs'], vals))]
if check is not None: res.append(f"  best gendl model re-evaluated on the reference's validation batches: {check:.4f}")
if ref_curve: res.append(f"ratio reference/gendl valid loss: {ref_best/info['best_valid_loss']:.3f} (gendl had {minutes/ref_minutes:.1f}x the time)")
res.append(f"target: <= {target} nats/char within {minutes} min: {'MET' if info['best_valid_loss'] <= target else 'NOT MET'}")
print('\n'.join(res))
gendl_figs = dict(preset=preset, config={k: learn.config[k] for k in ('n_layers', 'n_hid', 'bs', 'seq_len')},
                  best_valid=info['best_valid_loss'], secs=info['secs'], epochs=info['epochs'],
                  curve=[[t, v] for t, v in zip(info['epoch_secs'], vals)], best_on_ref_batches=check)
ref_figs = dict(best_valid=ref_best, secs=ref_curve[-1][0], epochs=len(ref_curve), curve=[[t, v] for t, v, _ in ref_curve]) if ref_curve else None
save_figures(a.out+'.json', dict(device=dev.type, minutes=minutes, ref_minutes=ref_minutes, target=target,
                                 target_met=info['best_valid_loss'] <= target, gendl=gendl_figs, reference=ref_figs))

import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
fig,ax = plt.subplots(figsize=(7, 4))
ax.plot([t/60 for t in info['epoch_secs']], vals, 'o-', ms=3, label=f'gendl {preset} preset')
if ref_curve: ax.plot([t/60 for t,_,_ in ref_curve], [v for _,v,_ in ref_curve], 's-', ms=3, label='plain PyTorch 1x256')
ax.axhline(target, color='grey', ls='--', lw=1, label=f'target {target}')
ax.set_xlabel('minutes of training'); ax.set_ylabel('validation loss (nats/char)')
ax.set_title(f"Lowercased Nietzsche, last 10% held out ({'GPU' if dev.type == 'cuda' else 'CPU'})")
ax.set_ylim(1.1, 2.5); ax.legend(); fig.tight_layout(); fig.savefig(a.out+'.png', dpi=100)
