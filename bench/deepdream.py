#!/usr/bin/env python
"""DeepDream: gendl's fastai-based `dream` against a plain PyTorch loop with the same settings.

Both run in this process on the same photo, the same MobileNetV2 weights, the same layers (gendl's mobilenet_v2
preset), 3 octaves x 20 steps, the same jitter shifts (same seed) and the same step size. Each is timed several
times, alternately; the best time of each is compared. The maximum pixel difference of the two results checks that
they compute the same dream.

  python bench/deepdream.py                 # quick CPU size: 300x450 (chelsea)
  python bench/deepdream.py --gpu           # full GPU size: 600x900 on CUDA
  python bench/deepdream.py --smoke         # toy size: checks that the script runs
  python bench/deepdream.py --big           # 4000x3000 with tiles on the CPU: time and peak memory (gendl only)
  options: --runs N, --random (random weights, when the ImageNet ones are not provisioned)

The figures also go to bench/results/deepdream.json (deepdream-big.json with --big; `--json`), beside the log.
"""
import argparse, random, resource, time
import numpy as np
import torch
from gendl.assets import get_image, load_backbone
from gendl.imgopt import img2t, t2img, resize_t
from gendl.core import hardware
from gendl.deepdream import dream, octave_sizes, DREAM_PRESETS
from _results import add_json_arg, json_path, save_figures
from _timing import timed

def plain_dream(x0, bb, layers, weights, octaves=3, scale=1.4, steps=20, step_size=0.01, jitter=32, seed=0, border=2):
    "The reference: DeepDream as a plain PyTorch loop, no fastai"
    feats = bb.model.features
    idx = [list(feats).index(bb.layer(n)) for n in layers]
    last = max(idx)
    def objective(x):
        tot, h = 0., bb.normalize(x)
        for i in range(last + 1):
            h = feats[i](h)
            if i in idx:
                a = h[..., border:h.shape[-2]-border, border:h.shape[-1]-border]
                tot = tot + weights[idx.index(i)]*a.pow(2).mean()
        return tot
    rng = random.Random(seed)
    sizes = octave_sizes(tuple(x0.shape[-2:]), octaves, scale)
    x = shrunk = resize_t(x0, sizes[0])
    for sz in sizes:
        x = resize_t(x, sz)
        for _ in range(steps):
            s = (rng.randint(-jitter, jitter), rng.randint(-jitter, jitter))
            x = torch.roll(x, s, (2, 3)).detach().requires_grad_()
            g, = torch.autograd.grad(objective(x), x)
            g = g/g.abs().mean().clamp_min(1e-7)
            x = torch.roll(x.detach() + step_size*g, (-s[0], -s[1]), (2, 3)).clamp(0, 1)
        x = (x + resize_t(x0, sz) - resize_t(shrunk, sz)).clamp(0, 1)
        shrunk = resize_t(x0, sz)
    return x

def compare(args):
    device = torch.device('cuda' if args.gpu else 'cpu')
    sz = (600, 900) if args.gpu else (200, 300) if args.smoke else (300, 450)
    bb = load_backbone('mobilenet_v2', device=device, pretrained=not args.random)
    preset = DREAM_PRESETS['mobilenet_v2']
    layers, weights = list(preset), list(preset.values())
    photo = get_image('chelsea').resize(sz[::-1])
    x0 = img2t(photo).to(device)
    kw = dict(octaves=3, scale=1.4, steps=4 if args.smoke else 20, step_size=0.01, jitter=32, seed=0)
    ref = lambda: plain_dream(x0, bb, layers, weights, **kw)
    ours = lambda: dream(photo, layers=preset, backbone=bb, device=device, quiet=True, **kw)
    print(f"DeepDream, mobilenet_v2 ({'random' if args.random else 'ImageNet'} weights), layers {preset}, "
          f"{sz[0]}x{sz[1]}, 3 octaves x {kw['steps']} steps, on {device.type}: {hardware(device)}")
    ref(); ours() # warm up
    tr, tg = [], []
    for i in range(args.runs):
        t, xr = timed(ref, device); tr.append(t)
        t, xg = timed(ours, device); tg.append(t)
    diff = np.abs(np.asarray(xg, dtype=float) - np.asarray(t2img(xr), dtype=float))
    print(f"plain PyTorch loop: best {min(tr):.3f}s  (runs: {', '.join(f'{t:.2f}' for t in tr)})")
    print(f"gendl dream (fastai): best {min(tg):.3f}s  (runs: {', '.join(f'{t:.2f}' for t in tg)})")
    print(f"ratio gendl/plain: {min(tg)/min(tr):.3f} (best of {args.runs}), {np.median(tg)/np.median(tr):.3f} (median)")
    from gendl.assets import feature_extractor
    from gendl.deepdream import DreamLoss
    obj = DreamLoss(feature_extractor(bb, layers), weights).objective
    with torch.no_grad(): o0, orf, ogd = (float(obj(bb.normalize(img2t(o).to(device)))) for o in (photo, t2img(xr), xg))
    print(f"objective of the photo {o0:.3f}; of the dreams: plain {orf:.3f}, gendl {ogd:.3f}")
    print(f"pixel difference of the two dreams: mean {diff.mean():.1f}/255 (first-step gradients agree to float rounding; "
          "60 normalised ascent steps amplify that rounding, so the two dreams differ in detail, not in kind)")
    save_figures(json_path(args, 'deepdream'), dict(size=sz, octaves=3, steps=kw['steps'], runs=args.runs, plain_s=tr, gendl_s=tg,
        ratio_best=min(tg)/min(tr), ratio_median=float(np.median(tg)/np.median(tr)),
        objective=dict(photo=o0, plain=orf, gendl=ogd), pixel_diff_mean=float(diff.mean())))

def big(args):
    bb = load_backbone('mobilenet_v2', device='cpu', pretrained=not args.random)
    photo = get_image('chelsea').resize((4000, 3000))
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/2**20
    print(f"DeepDream of a 4000x3000 picture (chelsea enlarged), mobilenet_v2 preset, 3 octaves x {args.steps} steps, "
          f"tiles of {args.tile} px overlapping by 64, on cpu: {hardware('cpu')}")
    t = time.perf_counter()
    res = dream(photo, backbone=bb, steps=args.steps, tile=args.tile, seed=0, device='cpu', quiet=args.quiet)
    t = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/2**20
    print(f"finished in {t:.0f}s ({t/60:.1f} min); result {res.size[0]}x{res.size[1]}")
    print(f"peak resident memory of the process: {rss:.2f} GiB (before the dream: {rss0:.2f} GiB)")
    save_figures(json_path(args, 'deepdream-big'), dict(size=list(res.size), octaves=3, steps=args.steps, tile=args.tile,
        secs=t, peak_rss_gib=rss, rss_before_gib=rss0))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--gpu', action='store_true', help='full GPU size (600x900 on CUDA)')
    p.add_argument('--big', action='store_true', help='4000x3000 with tiles on the CPU: time and peak memory')
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--steps', type=int, default=20, help='steps per octave for --big')
    p.add_argument('--tile', type=int, default=512, help='tile side for --big')
    p.add_argument('--quiet', action='store_true')
    p.add_argument('--smoke', action='store_true', help='toy size (200x300, 4 steps per octave, one run): checks that the script runs')
    p.add_argument('--random', action='store_true', help='random weights instead of the ImageNet ones')
    add_json_arg(p, 'deepdream')
    args = p.parse_args()
    if args.smoke: args.runs = 1
    big(args) if args.big else compare(args)
