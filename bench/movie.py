#!/usr/bin/env python
"""Movies: peak memory of a long DeepDream zoom written frame by frame, against a short one and against keeping the frames.

Each run is a fresh process (so that its peak resident memory, `ru_maxrss`, is its own): it loads MobileNetV2,
dreams a zoom of chelsea at 256 pixels (a few steps a frame: the dreaming is not what is measured) and writes it
to a GIF. gendl streams the frames from `dream_zoom`'s generator into `save_movie`; the reference keeps them in a
list, as `list(...)` then Pillow's `save_all` would. The figure to read is the ratio of the peaks of the long and
the short zoom: 1 means that memory does not grow with the number of frames.

  python bench/movie.py                    # quick CPU size: 10 and 100 frames at 256 px, 2 steps a frame
  python bench/movie.py --gpu              # full GPU size: 10 and 100 frames at 512 px on CUDA, 10 steps a frame
  python bench/movie.py --smoke            # toy size (2 and 3 frames at 160 px, 1 step a frame): checks that the script runs
  options: --frames 10,100, --size, --steps, --random (random weights, when the ImageNet ones are not provisioned)

The figures also go to bench/results/movie.json (`--json`), beside the log.
"""
import argparse, json, resource, subprocess, sys, tempfile, time
from pathlib import Path
from _results import add_json_arg, json_path, save_figures

def child(a):
    "One zoom in this process; print its figures as one JSON line"
    import torch
    if not a.gpu: torch.set_num_threads(a.threads)
    from PIL import Image
    from gendl.core import hardware
    from gendl.assets import load_backbone
    from gendl.imgopt import save_movie
    from gendl.deepdream import dream_zoom
    dev = 'cuda' if a.gpu else 'cpu'
    bb = load_backbone('mobilenet_v2', device=dev, pretrained=not a.random)
    frames = dream_zoom('chelsea', frames=a.child, zoom=1.05, size=a.size, steps=a.steps, backbone=bb, seed=0, device=dev, quiet=True)
    with tempfile.TemporaryDirectory() as d:
        t0 = time.time()
        if a.mode == 'stream': fn = save_movie(frames, Path(d)/'zoom.gif')
        else:
            fs = list(frames)
            fn = Path(d)/'zoom.gif'
            fs[0].save(fn, save_all=True, append_images=fs[1:], duration=100, loop=0)
        secs, n, mb = time.time() - t0, Image.open(fn).n_frames, fn.stat().st_size/1e6
    print(json.dumps(dict(mode=a.mode, frames=n, secs=secs, gif_mb=mb, hardware=hardware(dev),
                          peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,
                          gpu_peak_mb=torch.cuda.max_memory_allocated()/2**20 if a.gpu else None)))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--gpu', action='store_true', help='full GPU size on CUDA')
    p.add_argument('--frames', default='10,100', help='the short and the long zoom, in frames')
    p.add_argument('--size', type=int, default=None, help='longer side in pixels (default 256, 512 with --gpu)')
    p.add_argument('--steps', type=int, default=None, help='dream steps a frame (default 2, 10 with --gpu)')
    p.add_argument('--threads', type=int, default=1, help='torch threads on the CPU')
    p.add_argument('--reference', action='store_true', help='also run the reference, which keeps the frames in a list')
    p.add_argument('--random', action='store_true', help='random weights')
    p.add_argument('--smoke', action='store_true', help='toy size (2 and 3 frames at 160 px, 1 step a frame)')
    add_json_arg(p, 'movie')
    p.add_argument('--child', type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument('--mode', default='stream', help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.smoke: a.frames, a.size, a.steps = '2,3', 160, 1
    a.size = a.size or (512 if a.gpu else 256)
    a.steps = a.steps or (10 if a.gpu else 2)
    if a.child: return child(a)
    short, long = (int(o) for o in a.frames.split(','))
    res = {}
    for mode in ['stream'] + (['list'] if a.reference else []):
        for n in (short, long):
            cmd = [sys.executable, __file__, '--child', str(n), '--mode', mode, '--size', str(a.size), '--steps', str(a.steps),
                   '--threads', str(a.threads)] + ['--gpu']*a.gpu + ['--random']*a.random
            r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            res[mode, n] = r
            gpu = f", GPU peak {r['gpu_peak_mb']:.0f} MB" if r['gpu_peak_mb'] is not None else ''
            print(f"{'gendl, streamed' if mode == 'stream' else 'reference, list'}: {r['frames']} frames at {a.size} px, "
                  f"{a.steps} steps a frame: peak RSS {r['peak_mb']:.0f} MB{gpu}, {r['secs']:.0f}s, GIF {r['gif_mb']:.2f} MB", flush=True)
    print(f"on {r['hardware']}")
    ratios = {}
    for mode in ['stream'] + (['list'] if a.reference else []):
        s, l = res[mode, short], res[mode, long]
        ratios[mode] = l['peak_mb']/s['peak_mb']
        print(f"{'gendl, streamed' if mode == 'stream' else 'reference, list'}: peak {long} frames / peak {short} frames = "
              f"{l['peak_mb']:.0f}/{s['peak_mb']:.0f} MB = {ratios[mode]:.3f}")
    zooms = [{k: v for k, v in o.items() if k != 'hardware'} for o in res.values()]
    save_figures(json_path(a, 'movie'), dict(size=a.size, steps=a.steps, zooms=zooms, peak_ratio=ratios), hardware=r['hardware'])

if __name__ == '__main__': main()
