"""How fast the `gendl-*` commands answer: `--help`, a usage error and a missing file, which are answered before
torch is imported, against the import of torch itself and of gendl's modules, each in a fresh process.

    python bench/cli.py            # best of 3 runs of each
    python bench/cli.py --reps 5
    python bench/cli.py --smoke    # one run of each, imports of torch only

The figures also go to bench/results/cli.json (`--json`), beside the log: `python bench/cli.py | tee bench/results/cli.txt`.

Targets on an idle machine: `--help` of gendl-dream and gendl-style under 1.5 s, a missing file under 3 s.
"""
import argparse, os, platform, subprocess, sys, tempfile, time
from pathlib import Path
from _results import add_json_arg, json_path, save_figures

BIN = Path(sys.executable).parent
CMDS = ['gendl-dream', 'gendl-style', 'gendl-train', 'gendl-sample', 'gendl-demo', 'gendl-seed', 'gendl-provision']

def cases(tmp, mods=None):
    "(label, argv, expected exit status) of each thing timed"
    res = [(f'{c} --help', [str(BIN/c), '--help'], 0) for c in CMDS]
    res += [('gendl-dream --bogus 1 (usage error)', [str(BIN/'gendl-dream'), 'chelsea', '--bogus', '1'], 2),
            ('gendl-dream missing.png', [str(BIN/'gendl-dream'), f'{tmp}/missing.png'], 1),
            ('gendl-style missing.jpg hokusai_great_wave', [str(BIN/'gendl-style'), f'{tmp}/missing.jpg', 'hokusai_great_wave'], 1),
            ('gendl-train missing.txt', [str(BIN/'gendl-train'), f'{tmp}/missing.txt'], 1),
            ('gendl-sample missing.pth', [str(BIN/'gendl-sample'), f'{tmp}/missing.pth'], 1)]
    res += [(f'python -c "import {m}"', [sys.executable, '-c', f'import {m}'], 0)
            for m in mods or ('torch', 'gendl.textgen', 'gendl.deepdream', 'gendl.style')]
    return res

def best_secs(argv, rc, reps):
    "Best wall-clock seconds of `reps` runs of `argv`, checking its exit status"
    best = float('inf')
    for _ in range(reps):
        t0 = time.perf_counter()
        r = subprocess.run(argv, capture_output=True, text=True)
        best = min(best, time.perf_counter() - t0)
        if r.returncode != rc: raise SystemExit(f"{' '.join(argv)}: exit status {r.returncode}, expected {rc}\n{r.stderr[-2000:]}")
        if 'Warning' in r.stdout + r.stderr: raise SystemExit(f"{' '.join(argv)} printed a warning:\n{r.stderr[-2000:]}")
    return best

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--smoke', action='store_true', help="one run of each, and of the imports only torch's")
    add_json_arg(p, 'cli')
    a = p.parse_args()
    if a.smoke: a.reps = 1
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}; best of {a.reps} runs, each in a new process")
    with tempfile.TemporaryDirectory() as tmp:
        res = [(label, best_secs(argv, rc, a.reps)) for label, argv, rc in cases(tmp, ('torch',) if a.smoke else None)]
    torch_s = dict(res)['python -c "import torch"']
    w = max(len(l) for l, _ in res)
    print(f"{'':{w}}  seconds  vs import torch")
    for label, s in res: print(f"{label:{w}}  {s:7.2f}  {s/torch_s:6.2f}x")
    figs = dict(res)
    ok = [('--help of gendl-dream and gendl-style < 1.5 s', max(figs['gendl-dream --help'], figs['gendl-style --help']) < 1.5),
          ('missing files < 3 s', max(s for l, s in res if 'missing' in l) < 3)]
    for what, good in ok: print(f"target {what}: {'met' if good else 'MISSED'}")
    save_figures(json_path(a, 'cli'), dict(reps=a.reps, seconds=figs, targets_met=dict(ok)))

if __name__ == '__main__': main()
