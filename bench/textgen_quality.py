"""Quality of gendl's character models, the LSTM and the Transformer side by side: validation loss (nats/char) on
lowercased Nietzsche, last 10% held out, each model trained for the same time budget.

Reference: a plain PyTorch 1x256 stream LSTM (batch 32, BPTT 64, Adam 3e-3, cosine decay over the budget).
gendl: `train_char_model` with the LSTM's `cpu` preset and the Transformer's `transformer` preset (default) or, with
--full, their GPU presets (`default`, `transformer_gpu`) for 90 s each on a GPU. Every model's best is also evaluated on
the same validation characters (gendl's validation streams of 32 rows, 64-character pieces; the LSTM carries its state
along a row, the Transformer reads each piece after as much of its row as its context holds).
The trained models are saved in gendl's cache (models/nietzsche-<preset>.pth) for the course notes.

    python bench/textgen_quality.py --ref-minutes 0      # CPU: 10 min each model (the acceptance run)
    python bench/textgen_quality.py                      # CPU: 10 min each model, 5 min reference
    python bench/textgen_quality.py --full               # GPU: 90 s each
    python bench/textgen_quality.py --full --cased --corpus input.txt --minutes 3 --target 1.4697   # tiny Shakespeare, as nanoGPT
    python bench/textgen_quality.py --smoke --out DIR/q  # toy size (a few seconds each, a slice of the corpus; nothing cached)

The figures go to PREFIX.json and the curves to PREFIX.png (`--out PREFIX`, default bench/results/textgen_quality),
beside the log: `python bench/textgen_quality.py | tee bench/results/textgen_quality.txt`.
"""
import argparse, math, os, platform, tempfile, time
from pathlib import Path
import torch, torch.nn as nn, torch.nn.functional as F
from gendl.core import hardware
from gendl.assets import corpus, cache_dir
from gendl.textgen import char_dls, train_char_model, save_char_model, generate, SampleCB, preset_config
from _results import save_figures
from _timing import pick_threads

p = argparse.ArgumentParser()
p.add_argument('--full', action='store_true', help='GPU size: the GPU presets, 90 s each')
p.add_argument('--minutes', type=float, default=None, help='budget of each gendl model (default 10 on CPU, 1.5 with --full)')
p.add_argument('--ref-minutes', type=float, default=None, help='reference budget (default 5 on CPU, 1.5 with --full; 0 skips)')
p.add_argument('--models', default='lstm,transformer', help='the gendl models to train, in order (lstm, transformer)')
p.add_argument('--corpus', default='nietzsche', help='corpus name or file (last 10%% held out)')
p.add_argument('--cased', action='store_true', help='keep the corpus as it is (default: lowercased)')
p.add_argument('--target', type=float, default=None, help='validation loss aimed at (default 1.25 on CPU, 1.20 with --full)')
p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: for each model, the faster of 1 and all, timed)')
p.add_argument('--out', default='bench/results/textgen_quality', help='prefix of the .json (figures) and .png (curves) written')
p.add_argument('--seed', type=int, default=42)
p.add_argument('--smoke', action='store_true', help='toy size: checks that the script runs; saves nothing to the cache')
a = p.parse_args()
dev = torch.device('cuda' if a.full and torch.cuda.is_available() else 'cpu')
presets = dict(lstm='default', transformer='transformer_gpu') if a.full else dict(lstm='cpu', transformer='transformer')
models = a.models.split(',')
for m in models: assert m in presets, f"--models: unknown model {m!r} (lstm, transformer)"
minutes = a.minutes if a.minutes is not None else (1.5 if a.full else 10.)
ref_minutes = a.ref_minutes if a.ref_minutes is not None else (1.5 if a.full else 5.)
small = {}
if a.smoke:
    minutes, ref_minutes, a.threads = 0.1, 0.05, 1
    small = dict(lstm=dict(n_hid=64), transformer=dict(n_hid=48, n_layers=2, seq_len=64))
    if a.out == p.get_default('out'): a.out = os.path.join(tempfile.mkdtemp(), 'textgen_quality')   # not over the real log
save_dir = os.path.dirname(os.path.abspath(a.out)) if a.smoke else cache_dir()   # a smoke run leaves the cached model alone
temps, prime = (0.2, 0.5, 1.0), 'what is the value of truth? '

def step_secs(arch, threads):
    "Seconds of one training step of the `arch`'s preset on random data, with `threads` threads"
    from gendl.textgen import _char_model
    torch.set_num_threads(threads)
    cfg = preset_config(presets[arch], 'cpu', **small.get(arch, {}))
    m = _char_model(cfg, 60, cfg['seq_len'])
    x = torch.randint(0, 60, (cfg['bs'], cfg['seq_len']))
    ts = []
    for _ in range(4):
        t = time.time(); m(x).sum().backward(); ts.append(time.time()-t)
    return min(ts[1:])

load = os.getloadavg()
lines = [f"machine: {hardware(dev)} ({platform.node()}), {os.cpu_count()} cores; load average at start {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
         f"torch {torch.__version__}; models {', '.join(f'{m} ({presets[m]} preset)' for m in models)}; "
         f"budget {minutes} min each; reference budget {ref_minutes} min"]
for l in lines: print(l)

text = corpus(a.corpus) if a.cased else corpus(a.corpus).lower()
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
    "Loss (nats/char) on the validation streams of `dl`: an LSTM carries its state along each row, a Transformer reads each piece after as much of its row as its context holds"
    model.eval(); tot,n,h = 0.,0,None
    ctx = getattr(model, 'ctx', None)
    with torch.no_grad():
        for x,y in dl:
            x,y = x.to(dev),y.to(dev)
            if ctx is not None:
                h = x if h is None else torch.cat([h, x], 1)[:, -ctx:]
                out = model(h)[:, -x.shape[1]:]
            else: out,h = (model.forward_state if hasattr(model, 'forward_state') else model)(x, h)
            tot += F.cross_entropy(out.flatten(0, 1).float(), y.flatten(), reduction='sum').item(); n += y.numel()
    model.train()
    return tot/n

dls = char_dls(text, form='stream', bs=32, seq_len=64, device='cpu', seed=a.seed)   # the validation characters all models are judged on

# ---- gendl: each model for the same time
res_models = {}
for m in models:
    if dev.type == 'cpu': pick_threads(lambda n: step_secs(m, n), a.threads)
    smp = SampleCB(prime, temps=temps, epochs=[1, 3, 10], n_chars=400, at_end=True, show=False)
    t0 = time.time()
    learn = train_char_model(text, presets[m], minutes=minutes, lower=not a.cased, device=dev, seed=a.seed, cbs=smp, quiet=True,
                             path=Path(save_dir)/'checkpoints', fname=f'nietzsche-{presets[m]}', checkpoint=None,
                             **small.get(m, {}))
    info,vals = learn.train_info,[o[1] for o in learn.recorder.values]
    fn = save_char_model(learn, Path(save_dir)/'models'/f'nietzsche-{presets[m]}.pth')
    learn.model.to(dev)
    same = evaluate(learn.model, dls.valid)
    samples = {str(t): generate(learn, prime, 400, temp=t, seed=a.seed) for t in temps}
    c = learn.config
    size = (f"{c['n_layers']}x{c['n_hid']}" if m == 'lstm' else f"{c['n_layers']} blocks x {c['n_hid']}, {c['n_heads']} heads, context {learn.model.ctx}")
    res_models[m] = dict(preset=presets[m], arch=m, size=size, threads=torch.get_num_threads(),
                         config={k: c[k] for k in ('n_layers', 'n_hid', 'bs', 'seq_len') + (('n_heads',) if m != 'lstm' else ())},
                         params=sum(p.numel() for p in learn.model.parameters()),
                         best_valid=info['best_valid_loss'], secs=info['secs'], epochs=info['epochs'],
                         curve=[[t, v] for t, v in zip(info['epoch_secs'], vals)], best_on_ref_batches=same, samples=samples)
    print(f"{m}: best valid {info['best_valid_loss']:.4f} in {info['secs']:.0f}s ({info['epochs']} epochs); "
          f"on the common validation characters {same:.4f}; saved {fn}", flush=True)

ref_curve = []
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

target = a.target or (1.20 if a.full else 1.25)
best_m = min(res_models, key=lambda m: res_models[m]['best_valid'])
best = res_models[best_m]['best_valid']
res = lines + [f"load average at end {os.getloadavg()[0]:.2f}", '']
if ref_curve:
    res += [f"reference plain PyTorch 1x256 stream LSTM: best valid {ref_best:.4f} nats/char in {ref_curve[-1][0]:.0f}s "
            f"({len(ref_curve)} epochs)", '  curve (s, valid): ' + ', '.join(f"{t:.0f}:{v:.3f}" for t,v,_ in ref_curve)]
for m,r in res_models.items():
    res += [f"gendl {m}, preset {r['preset']} ({r['size']}, {r['params']/1e6:.2f}M weights, bs {r['config']['bs']}, "
            f"seq_len {r['config']['seq_len']}, {r['threads']} thread(s)): best valid {r['best_valid']:.4f} nats/char "
            f"({r['best_valid']/math.log(2):.3f} bits/char) in {r['secs']:.0f}s ({r['epochs']} epochs)",
            '  curve (s, valid): ' + ', '.join(f"{t:.0f}:{v:.3f}" for t,v in r['curve']),
            f"  best model on the common validation characters: {r['best_on_ref_batches']:.4f}"]
if ref_curve and 'lstm' in res_models:
    res.append(f"ratio reference/gendl lstm valid loss: {ref_best/res_models['lstm']['best_valid']:.3f} (gendl had {minutes/ref_minutes:.1f}x the time)")
res.append(f"target: the better model ({best_m}, {best:.4f}) <= {target} nats/char within {minutes} min: {'MET' if best <= target else 'NOT MET'}")
print('\n'.join(res))
for m,r in res_models.items():
    for t,s in r['samples'].items(): print(f"--- {m}, temperature {t}\n{prime}{s}")
figs = dict(device=dev.type, minutes=minutes, ref_minutes=ref_minutes, target=target, target_met=best <= target,
            better=best_m, prime=prime, models=res_models,
            reference=dict(best_valid=ref_best, secs=ref_curve[-1][0], epochs=len(ref_curve), curve=[[t, v] for t, v, _ in ref_curve]) if ref_curve else None)
if 'lstm' in res_models: figs['gendl'] = res_models['lstm']   # the LSTM's figures, where the Performance page reads them
save_figures(a.out+'.json', figs)

import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
fig,ax = plt.subplots(figsize=(7, 4))
for m,r in res_models.items():
    ax.plot([t/60 for t,_ in r['curve']], [v for _,v in r['curve']], 'o-', ms=3, label=f"gendl {m} ({r['preset']} preset)")
if ref_curve: ax.plot([t/60 for t,_,_ in ref_curve], [v for _,v,_ in ref_curve], 's-', ms=3, label='plain PyTorch 1x256 LSTM')
ax.axhline(target, color='grey', ls='--', lw=1, label=f'target {target}')
ax.set_xlabel('minutes of training'); ax.set_ylabel('validation loss (nats/char)')
ax.set_title(f"{'' if a.cased else 'Lowercased '}{Path(a.corpus).stem}, last 10% held out ({'GPU' if dev.type == 'cuda' else 'CPU'})")
ax.set_ylim(1.1, 2.5); ax.legend(); fig.tight_layout(); fig.savefig(a.out+'.png', dpi=100)
