"""Feature extraction: gendl's `feature_extractor` (hooks, early stop) against a hand-written loop over a truncated
VGG `features` in plain PyTorch, on the same weights and inputs, forward and backward as in style transfer.

    python bench/assets.py          # quick CPU size: vgg16_hed trunk, 128 px
    python bench/assets.py --full   # full GPU size: vgg19, 512 px
    python bench/assets.py --smoke  # toy size

The figures also go to bench/results/assets.json (`--json`), beside the log: `python bench/assets.py | tee bench/results/assets.txt`.
"""
import argparse, time
import torch
from gendl.assets import load_backbone, feature_extractor
from _results import add_json_arg, json_path, save_figures
from _timing import sync

LAYERS = ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu4_2']  # the style and content layers of Gatys et al.

def plain_extractor(feats, idxs):
    "The activations at indices `idxs` of the sequential `feats`, running only up to the last of them"
    last = max(idxs)
    def f(x):
        out = {}
        for i, m in enumerate(feats[:last+1]):
            x = m(x)
            if i in idxs: out[i] = x
        return [out[i] for i in idxs]
    return f

def timeit(fs, x, reps, device):
    "Best seconds of a forward and backward pass of each of `fs` on `x`, alternating between them `reps` times"
    def step(f):
        x.grad = None
        sum(a.pow(2).mean() for a in f(x)).backward()
        sync(device)
    for f in fs: step(f)  # warm up
    best = [float('inf')]*len(fs)
    for _ in range(reps):
        for i, f in enumerate(fs):
            t0 = time.perf_counter(); step(f); best[i] = min(best[i], time.perf_counter() - t0)
    return best

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--full', action='store_true', help='full GPU size: vgg19 at 512 px')
    p.add_argument('--reps', type=int, default=None)
    p.add_argument('--threads', type=int, default=1, help='CPU threads (1 keeps timings steady on a shared machine)')
    p.add_argument('--smoke', action='store_true', help='toy size (64 px, one repetition): checks that the script runs')
    add_json_arg(p, 'assets')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    name, sz, reps = ('vgg19', 512, 20) if a.full else ('vgg16_hed', 64, 1) if a.smoke else ('vgg16_hed', 128, 8)
    reps = a.reps or reps
    device = torch.device('cuda' if a.full and torch.cuda.is_available() else 'cpu')
    torch.manual_seed(0)
    bb = load_backbone(name, device=device, pretrained=False)  # timing does not depend on the weights
    idxs = [list(bb.model).index(bb.layer(n)) for n in LAYERS]
    ref, gendl = plain_extractor(bb.model, idxs), feature_extractor(bb, LAYERS)
    x = bb.normalize(torch.rand(1, 3, sz, sz, device=device)).requires_grad_()
    for r, g in zip(ref(x), gendl(x)): assert torch.equal(r, g)
    whole = lambda x: [bb.model(x)]  # the whole trunk, for comparison: what stopping early saves
    t_ref, t_gendl, t_whole = timeit([ref, gendl, whole], x, reps, device)
    print(f"{name}, {sz}x{sz}, layers {','.join(LAYERS)}, forward+backward, {device.type}, {torch.get_num_threads()} threads, {reps} reps, best of each")
    print(f"plain PyTorch loop : {t_ref*1000:8.1f} ms")
    print(f"gendl extractor    : {t_gendl*1000:8.1f} ms")
    print(f"ratio gendl/plain  : {t_gendl/t_ref:8.3f}")
    print(f"(whole trunk, no early stop: {t_whole*1000:.1f} ms)")
    save_figures(json_path(a, 'assets'), dict(backbone=name, size=sz, layers=LAYERS, device=device.type, reps=reps,
        plain_ms=t_ref*1000, gendl_ms=t_gendl*1000, ratio=t_gendl/t_ref, whole_trunk_ms=t_whole*1000))

if __name__ == '__main__': main()
