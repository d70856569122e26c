"""What the item benchmarks (molecules.py, music.py) share: their options, the timed training, sampling, the log.

Each trains gendl's character model on a corpus of items for a fixed time (`train_item_model`, with the corpus's
settings from `gendl.uses.ITEM_SETTINGS` unless options replace them), samples items at temperature 1.0 and at the
temperatures of a sweep, and judges them. The log goes to bench/results/NAME.txt, the figures to NAME.json.
"""
import argparse, json, os, platform, sys, tempfile, time
from pathlib import Path
import torch
from gendl.core import hardware, get_device
from gendl.uses import ITEM_SETTINGS, train_item_model, sample_items
from gendl.textgen import save_char_model
from _results import RESULTS, LOAD_AT_START, add_json_arg, json_path, save_figures

def parser(name, minutes, items, sweep_items, doc, temps='0.5,0.7,0.8,0.9,1.0,1.1,1.2'):
    "The command-line options of the item benchmark `name`"
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--minutes', type=float, default=minutes, help=f'minutes of training (default {minutes})')
    p.add_argument('--items', type=int, default=items, help=f'items sampled at temperature 1.0 (default {items})')
    p.add_argument('--temps', default=temps, help='temperatures of the sweep (empty: none)')
    p.add_argument('--sweep-items', type=int, default=sweep_items, help=f'items a temperature (default {sweep_items})')
    for k in ('n_hid', 'n_layers', 'bs', 'seq_len', 'emb_sz'):
        p.add_argument('--'+k.replace('_', '-'), type=int, default=None, help=f"{k} (default: ITEM_SETTINGS['{name}'])")
    for k in ('lr', 'p_drop', 'wd'):
        p.add_argument('--'+k.replace('_', '-'), type=float, default=None, help=f"{k} (default: ITEM_SETTINGS['{name}'])")
    p.add_argument('--device', default=None, help='cpu, cuda, ... (default: the fastest available)')
    p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: all the cores)')
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--save', default=None, help='also save the trained model to this file (gendl-sample reads it)')
    p.add_argument('--log', default=None, help=f"the log (default bench/results/{name}.txt; with --smoke, a temporary folder; '': none)")
    p.add_argument('--smoke', action='store_true', help='toy size (a tiny model, a few seconds): checks that the script runs')
    add_json_arg(p, name)
    return p

class Log:
    "Print lines and keep them, to write the log file at the end"
    def __init__(self): self.lines = []
    def __call__(self, s=''): print(s, flush=True); self.lines.append(s)
    def save(self, fn):
        Path(fn).parent.mkdir(parents=True, exist_ok=True)
        Path(fn).write_text('\n'.join(self.lines) + '\n'); print(f'log written to {fn}')

def setup(a, name):
    "The device, the log, and the log's first lines: command, machine, load average at the start"
    if a.threads: torch.set_num_threads(a.threads)
    dev = get_device('cpu' if a.smoke else a.device)
    log = Log()
    la = LOAD_AT_START
    log(f"$ python {' '.join(sys.argv)}")
    log(f"machine: {hardware(dev)} ({platform.node()}), {torch.get_num_threads()} torch thread(s); "
        f"torch {torch.__version__}")
    log(f"load average at start: {la[0]:.2f}, {la[1]:.2f}, {la[2]:.2f}; date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    return dev,log

def settings(a, name, dev):
    "The training settings: the corpus's (`ITEM_SETTINGS`), with the options given on the command line"
    s = dict(ITEM_SETTINGS[name]['cuda' if dev.type == 'cuda' else 'cpu'])
    s.update({k: getattr(a, k) for k in ('n_hid', 'n_layers', 'bs', 'seq_len', 'emb_sz', 'lr', 'p_drop', 'wd')
              if getattr(a, k) is not None})
    if a.smoke: s.update(n_hid=32, n_layers=1, bs=8, seq_len=32)
    return s

def train(a, items, sep, s, dev, log):
    "Train for `a.minutes` (one epoch with --smoke) on `items`; returns the `Learner` and its figures"
    log(f"training on {len(items):,} items for {'1 epoch' if a.smoke else f'{a.minutes} min'}: {s}")
    kw = dict(epochs=1) if a.smoke else dict(minutes=a.minutes)
    learn = train_item_model(items, sep, seed=a.seed, device=dev, quiet=True, path=tempfile.mkdtemp(), **kw, **s)
    i = learn.train_info
    if a.save: log(f"model saved to {save_char_model(learn, a.save)}")
    log(f"trained {i['secs']:.0f} s, {i['epochs']} epochs; best valid loss {i['best_valid_loss']:.4f} nats/char")
    return learn,dict(secs=i['secs'], epochs=i['epochs'], best_valid_loss=i['best_valid_loss'],
                      valid_losses=[v[1] for v in i['values']])

def sample(learn, n, temp, seed, log, what='items'):
    "`n` items at `temp`, timed"
    t = time.time()
    res = sample_items(learn, n, temp=temp, seed=seed)
    log(f"sampled {n:,} {what} at temperature {temp} in {time.time()-t:.0f} s")
    return res

def finish(a, name, figs, log, dev):
    "Write the figures (JSON) and the log (text)"
    figs['device'] = dev.type
    save_figures(json_path(a, name), figs)
    log(f"load average at end: {os.getloadavg()[0]:.2f}")
    if a.log != '': log.save(a.log or (Path(tempfile.mkdtemp()) if a.smoke else RESULTS)/f'{name}.txt')
