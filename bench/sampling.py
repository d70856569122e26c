"""Sampling speed of gendl's character Transformer: the key-value cache against re-reading the context.

Reference: plain PyTorch generation as nanoGPT writes it: for every new character, the whole context (the last
256 characters) goes through the model again, and the next character is drawn from the last position's logits.
gendl: `generate`, which reads the seed string once and then one character a step, with a key-value cache (past the
context it reads the last half of the window again, once every 128 characters). Both run the same model, by default
the `transformer_gpu` preset's size (nanoGPT's shakespeare_char: 6 blocks of 384, a 256-character context; weights as
initialised, which does not change the cost), from the same 256-character seed string, one sample at a time;
`stepper(cache=False)` (gendl's window rule without the cache, which writes the same characters as the cache) is timed
too, and the characters of the two compared.

    python bench/sampling.py                         # CPU, 128 characters (one turn of the window)
    python bench/sampling.py --preset transformer    # CPU, the small CPU preset's size (context 256)
    python bench/sampling.py --full                  # GPU, 1000 characters
    python bench/sampling.py --smoke                 # toy size, seconds
"""
import argparse, time
from unittest import mock
import torch, torch.nn.functional as F
from gendl.assets import corpus
from gendl.textgen import char_dls, char_learner, generate
from _results import add_json_arg, json_path, save_figures
from _timing import sync

p = argparse.ArgumentParser()
p.add_argument('--full', action='store_true', help='on the GPU, 1000 characters')
p.add_argument('--preset', default='transformer_gpu', help='the Transformer preset whose size the model has (context 256)')
p.add_argument('--n-chars', type=int, default=None, help='characters to write (default 300, 1000 with --full)')
p.add_argument('--threads', type=int, default=1, help='torch CPU threads')
p.add_argument('--smoke', action='store_true', help='toy size: checks that the script runs')
add_json_arg(p, 'sampling')
a = p.parse_args()
torch.set_num_threads(a.threads)
dev = torch.device('cuda' if a.full and torch.cuda.is_available() else 'cpu')
ctx = 256
n_chars = a.n_chars or (1000 if a.full else 128)
kw = dict(ctx=ctx)
if a.smoke: n_chars, kw, a.preset = 40, dict(ctx=ctx, n_hid=48, n_layers=2), 'transformer'
text = corpus('nietzsche').lower()[:50_000]
torch.manual_seed(0)
learn = char_learner(char_dls(text, bs=2, seq_len=ctx, device=dev), a.preset, fp16=False, **kw)
cfg,vocab,model = learn.config,learn.dls.vocab,learn.model.to(dev).eval()
prime = text[10_000:10_000+ctx]
print(f"model: {cfg['n_layers']} blocks x {cfg['n_hid']}, {cfg['n_heads']} heads, context {ctx}; "
      f"{sum(p.numel() for p in model.parameters())/1e6:.2f}M weights; {dev}, {torch.get_num_threads()} thread(s); "
      f"{n_chars} characters after a {ctx}-character seed string")

def reread(n):
    "nanoGPT's generation: the last `ctx` characters through the whole model, for every new character"
    g = torch.Generator(dev).manual_seed(0)
    ids = vocab.encode(prime).to(dev)[None]
    with torch.inference_mode():
        for _ in range(n):
            logits = model(ids[:, -ctx:])[:, -1]
            nxt = torch.multinomial(F.softmax(logits, -1), 1, generator=g)
            ids = torch.cat([ids, nxt], 1)
    return vocab.decode(ids[0, len(prime):].cpu())

def cached(n): return generate(learn, prime, n, temp=1.0, seed=0)
def uncached(n):
    with mock.patch.object(model, 'stepper', lambda: type(model).stepper(model, cache=False)): return generate(learn, prime, n, temp=1.0, seed=0)

def timed(f, n):
    f(min(n, 10)); sync(dev)   # warm up
    t = time.perf_counter(); out = f(n); sync(dev)
    return time.perf_counter()-t, out

t_ref,_ = timed(reread, n_chars)
t_unc,s_unc = timed(uncached, n_chars)
t_c,s_c = timed(cached, n_chars)
same = s_unc == s_c
print(f"reference, plain PyTorch re-reading the {ctx}-character context: {n_chars/t_ref:8.1f} characters/s")
print(f"gendl without the cache (stepper(cache=False)):             {n_chars/t_unc:8.1f} characters/s")
print(f"gendl with the key-value cache (generate):                    {n_chars/t_c:8.1f} characters/s")
print(f"speed-up of the cache: {t_ref/t_c:.1f}x against the reference, {t_unc/t_c:.1f}x against gendl without it; "
      f"same characters with and without the cache: {same}")
target = 10.
print(f"target: >= {target:.0f}x faster than re-reading: {'MET' if t_ref/t_c >= target else 'NOT MET'}")
assert same, "the cached and uncached samples differ"
save_figures(json_path(a, 'sampling'), dict(device=dev.type, preset=a.preset, ctx=ctx, n_chars=n_chars, config={k: cfg[k] for k in ('n_layers', 'n_hid', 'n_heads')},
             ref_chars_per_s=n_chars/t_ref, uncached_chars_per_s=n_chars/t_unc, cached_chars_per_s=n_chars/t_c,
             speedup=t_ref/t_c, speedup_vs_uncached=t_unc/t_c, same_characters=same, target=target, target_met=t_ref/t_c >= target))
