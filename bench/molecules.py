"""Molecules written by gendl's character model: trained on the MOSES training SMILES for a fixed time, 10,000 sampled at
temperature 1.0 (as MOSES samples), judged by RDKit: validity, uniqueness and novelty, beside published figures:

    MOSES (Polykovskiy et al. 2020), CharRNN:   valid 0.975, unique@10k 0.999, novelty 0.842
    GuacaMol (Brown et al. 2019), SMILES LSTM:  valid 0.959, unique 1.000, novelty 0.912

Novelty is against the whole MOSES training set (all 1,584,663 molecules), canonical SMILES on both sides (computed once
with RDKit and cached). Then a temperature sweep: validity against novelty from 0.5 to 1.2.

    python bench/molecules.py                 # 30 minutes of training on the CPU (or --device cuda)
    python bench/molecules.py --minutes 3 --items 2000 --temps ''   # a short tuning run
    python bench/molecules.py --smoke         # toy size: a few seconds, checks that the script runs

The log goes to bench/results/molecules.txt, the figures to bench/results/molecules.json (--log, --json).
"""
import time
from gendl.assets import corpus_items
from gendl.uses import canonical, molecule_metrics, known_molecules
import _items

ANCHORS = {'MOSES CharRNN': dict(valid=0.975, unique=0.999, novel=0.842),
           'GuacaMol SMILES LSTM': dict(valid=0.959, unique=1.000, novel=0.912)}
a = _items.parser('molecules', 30., 10_000, 2_000, __doc__).parse_args()
dev,log = _items.setup(a, 'molecules')
items = corpus_items('moses')
if a.smoke: items,a.items,a.sweep_items,a.temps = items[:3000],50,20,'0.5,1.0'
s = _items.settings(a, 'moses', dev)
learn,train_figs = _items.train(a, items, '\n', s, dev, log)

t = time.time()
known = {canonical(m) for m in items} - {None} if a.smoke else known_molecules('moses', quiet=False)
log(f"{len(known):,} known molecules (canonical SMILES of the {'smoke slice' if a.smoke else 'MOSES training set'}) "
    f"in {time.time()-t:.0f} s")
mols = _items.sample(learn, a.items, 1.0, a.seed, log, 'molecules')
m = molecule_metrics(mols, known)
log(f"\n{'':24}{'valid':>8}{'unique':>8}{'novel':>8}")
log(f"{'gendl (T=1.0)':24}{m['valid']:8.3f}{m['unique']:8.3f}{m['novel']:8.3f}   ({m['n']:,} molecules)")
for k,v in ANCHORS.items(): log(f"{k:24}{v['valid']:8.3f}{v['unique']:8.3f}{v['novel']:8.3f}")
ok = m['valid'] >= 0.975 and m['unique'] >= 0.99 and m['novel'] >= 0.80
log(f"targets (valid >= 0.975, unique >= 0.99, novel >= 0.80): {'MET' if ok else 'NOT MET'}")

sweep = []
temps = [float(x) for x in a.temps.split(',') if x.strip()]
if temps: log(f"\ntemperature sweep, {a.sweep_items:,} molecules each:\n{'temp':>6}{'valid':>8}{'unique':>8}{'novel':>8}")
for i,tp in enumerate(temps):
    r = molecule_metrics(mols[:a.sweep_items] if tp == 1.0 else _items.sample_items(learn, a.sweep_items, temp=tp,
                         seed=a.seed+1+i), known)
    sweep.append(dict(temp=tp, **r))
    log(f"{tp:6.2f}{r['valid']:8.3f}{r['unique']:8.3f}{r['novel']:8.3f}")
_items.finish(a, 'molecules', dict(corpus='moses', minutes=None if a.smoke else a.minutes, settings=s, train=train_figs,
              temp=1.0, metrics=m, targets_met=ok, anchors=ANCHORS, sweep=sweep, samples=mols[:200]), log, dev)
