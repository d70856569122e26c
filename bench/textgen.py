"""Speed of gendl's text generation, each figure against a plain PyTorch reference in the same process.

1. Training throughput of the classic recipe (one-hot, LSTM(128), dense, RMSprop 0.01, batch 128, 60-char windows
   every 3 characters, gradient clip 1): gendl's fastai `Learner` vs a plain PyTorch loop of the same model on the
   same windows. Training time only (no validation), progress bars off; rounds alternate, best of each kept.
2. Sampling, single sample: gendl's stateful generation (one LSTM step per character) vs re-reading the last 60
   characters at every step (the classic recipe's way), same weights; and characters/s for a batch of 64.

    python bench/textgen.py          # quick CPU size
    python bench/textgen.py --full   # GPU size
    python bench/textgen.py --smoke  # toy size: checks that the script runs

The figures also go to bench/results/textgen.json (`--json`), beside the log.
"""
import argparse, os, platform, time
import torch, torch.nn as nn, torch.nn.functional as F
from gendl.core import hardware
from gendl.assets import corpus, cache_dir
from gendl.textgen import char_dls, char_learner, generate, load_char_model
from fastai.callback.core import Callback
from fastai.torch_core import set_seed
from _results import add_json_arg, json_path, save_figures
from _timing import sync, pick_threads, timed as timed_on

p = argparse.ArgumentParser()
p.add_argument('--full', action='store_true', help='GPU size')
p.add_argument('--batches', type=int, default=None, help='training batches per round (default 100 on CPU, 1400 with --full)')
p.add_argument('--rounds', type=int, default=3)
p.add_argument('--chars', type=int, default=None, help='characters per sample (default 1000 on CPU, 2000 with --full)')
p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: the faster of 1 and all, timed)')
p.add_argument('--smoke', action='store_true', help='toy size (5 batches, 1 round, 50 characters): checks that the script runs')
add_json_arg(p, 'textgen')
a = p.parse_args()
if a.smoke: a.batches, a.rounds, a.chars, a.threads = 5, 1, 50, 1
dev = torch.device('cuda' if a.full and torch.cuda.is_available() else 'cpu')
nb = a.batches or (1400 if a.full else 100)
nchars = a.chars or (2000 if a.full else 1000)
def say(s=''): print(s, flush=True)

def step_secs(threads):
    torch.set_num_threads(threads)
    rnn,head = nn.LSTM(57, 128, batch_first=True),nn.Linear(128, 57)
    x = torch.randn(128, 60, 57)
    ts = []
    for _ in range(4):
        t = time.time(); o,_ = rnn(x); head(o[:, -1]).sum().backward(); ts.append(time.time()-t)
    return min(ts[1:])
if dev.type == 'cpu': pick_threads(step_secs, a.threads)
la = os.getloadavg()
say(f"machine: {hardware(dev)}, {os.cpu_count()} cores ({platform.node()}); torch {torch.__version__}; "
    f"load average at start {la[0]:.2f}, {la[1]:.2f}, {la[2]:.2f}")

text = corpus('nietzsche').lower()
sub = text[:int((nb*128*3+61)/0.9)+200]  # enough text for `nb` training batches of 128 windows
set_seed(0)
dls = char_dls(sub, form='windows', bs=128, seq_len=60, stride=3, device=dev, seed=0)
nb = len(dls.train)
V = len(dls.vocab)

# ---- 1. training throughput, classic recipe
class Ref(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn,self.head = nn.LSTM(V, 128, batch_first=True),nn.Linear(128, V)
    def forward(self, x):
        out,_ = self.rnn(F.one_hot(x, V).float())
        return self.head(out[:, -1])

def ref_epoch():
    torch.manual_seed(0)
    model = Ref().to(dev)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-2, alpha=0.9, eps=1e-8)
    ids = dls.train_ds.ids
    wins = ids.unfold(0, 60, 3)
    n = (len(ids)-1-60)//3+1
    sync(dev)
    t = time.time()
    idx = torch.randperm(n)
    for i in range(0, n, 128):
        b = idx[i:i+128]
        x,y = wins[b].to(dev),ids[b*3+60].to(dev)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.); opt.step()
    sync(dev)
    return time.time()-t, loss.item()

class TrainTime(Callback):
    def before_train(self):
        sync(dev)
        self.t = time.time()
    def after_train(self):
        sync(dev)
        self.secs = time.time()-self.t

def gendl_epoch():
    set_seed(0)
    learn = char_learner(dls, 'classic', fp16=False)
    tt = TrainTime()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, cbs=tt)
    return tt.secs, learn.recorder.values[-1][0]

ref_ts,gd_ts = [],[]
for r in range(a.rounds):
    t,l = ref_epoch(); ref_ts.append(t)
    t2,l2 = gendl_epoch(); gd_ts.append(t2)
    print(f"round {r+1}: reference {t:.2f}s (last loss {l:.3f}), gendl {t2:.2f}s (smoothed loss {l2:.3f})")
w = nb*128
say(f"\n1. classic recipe training, {nb} batches of 128 windows (60 chars), {dev.type}, best of {a.rounds} alternating rounds:")
say(f"   plain PyTorch loop: {min(ref_ts):.2f}s = {w/min(ref_ts):,.0f} windows/s   (all rounds: {', '.join(f'{t:.2f}' for t in ref_ts)})")
say(f"   gendl Learner.fit : {min(gd_ts):.2f}s = {w/min(gd_ts):,.0f} windows/s   (all rounds: {', '.join(f'{t:.2f}' for t in gd_ts)})")
say(f"   ratio gendl/reference speed: {min(ref_ts)/min(gd_ts):.3f}x   (target >= 0.9x)")
figs = dict(training=dict(batches=nb, batch_size=128, seq_len=60, device=dev.type, ref_s=ref_ts, gendl_s=gd_ts,
                          ref_windows_per_s=w/min(ref_ts), gendl_windows_per_s=w/min(gd_ts), speed_ratio=min(ref_ts)/min(gd_ts)))

# ---- 2. sampling
def window_sample(model, vocab, prime, n, temp, seed, win=60):
    "The classic way: re-read the last `win` characters from a zero state at every step"
    g = torch.Generator(dev).manual_seed(seed)
    ids = vocab.encode(prime).tolist()
    model.eval()
    with torch.inference_mode():
        for _ in range(n):
            x = torch.tensor(ids[-win:], device=dev)[None]
            inp = model.emb(x) if model.emb is not None else F.one_hot(x, model.vocab_sz).float()
            o,_ = model.rnn(inp)
            logits = model.head(o[:, -1])
            if temp == 0: ids.append(logits.argmax(-1).item())
            else: ids.append(torch.multinomial(torch.softmax(logits/temp, -1), 1, generator=g).item())
    return vocab.decode(ids[len(prime):])

def timed(f): return timed_on(f, dev)

models = [('classic (one-hot, LSTM 128), untrained', char_learner(dls, 'classic', fp16=False))]
fn = cache_dir()/'models'/'nietzsche-cpu.pth'
if fn.exists(): models.append((f'cpu preset, trained (models/{fn.name})', load_char_model(fn, dev)))
prime = 'the philosopher, as we free spirits understand him, as the '  # 60 characters
figs['sampling'] = dict(chars=nchars, prime_chars=len(prime), models=[])
say(f"\n2. sampling {nchars} characters after a {len(prime)}-character seed string, temperature 1.0, {dev.type}:")
for name,learn in models:
    m,v = learn.model,learn.dls.vocab
    # the two ways agree while the window still holds the whole text
    assert generate(learn, prime[:20], n_chars=40, temp=0) == window_sample(m, v, prime[:20], 40, 0, 0)
    generate(learn, prime, n_chars=20, temp=1., seed=0); window_sample(m, v, prime, 20, 1., 0)  # warm up
    tw = min(timed(lambda: window_sample(m, v, prime, nchars, 1.0, 0))[0] for _ in range(3))
    ts = min(timed(lambda: generate(learn, prime, n_chars=nchars, temp=1.0, seed=0))[0] for _ in range(3))
    tb = min(timed(lambda: generate(learn, prime, n_chars=nchars, temp=1.0, seed=0, n_samples=64))[0] for _ in range(3))
    say(f"   {name}:")
    say(f"     re-reading the 60-char window each step (plain PyTorch): {nchars/tw:8,.0f} chars/s")
    say(f"     gendl stateful generate, 1 sample                      : {nchars/ts:8,.0f} chars/s   ratio {tw/ts:.1f}x (target >= 10x)")
    say(f"     gendl stateful generate, batch of 64 samples           : {64*nchars/tb:8,.0f} chars/s   ({nchars/tb:,.0f} steps/s)")
    figs['sampling']['models'].append(dict(model=name, window_chars_per_s=nchars/tw, stateful_chars_per_s=nchars/ts,
                                           ratio=tw/ts, batch64_chars_per_s=64*nchars/tb))
say(f"\nload average at end {os.getloadavg()[0]:.2f}")
save_figures(json_path(a, 'textgen'), figs)
