"""Folk tunes written by gendl's character model: trained on music21's 12,978 ABC tunes for a fixed time, 300 tunes
sampled at temperature 1.0, read back by music21: the share that parse, the share of their bars whose length fits the
meter, and the share that copy a training tune's notes. The same bar figure on as many held-out real tunes is the
ceiling (music21 parses almost anything, so the bar figure is the one that tells). Then a temperature sweep.

    python bench/music.py                 # 20 minutes of training on the CPU (or --device cuda)
    python bench/music.py --minutes 3 --items 100 --temps ''   # a short tuning run
    python bench/music.py --smoke         # toy size: a few seconds, checks that the script runs

The log goes to bench/results/music.txt, the figures to bench/results/music.json (--log, --json).
"""
from gendl.assets import corpus_items
from gendl.uses import music_metrics
import _items

a = _items.parser('music', 20., 300, 100, __doc__, temps='0.5,0.8,1.0,1.2').parse_args()
dev,log = _items.setup(a, 'music')
items = corpus_items('folk')
if a.smoke: items,a.items,a.sweep_items,a.temps = items[:400],4,2,'1.0'
s = _items.settings(a, 'folk', dev)
learn,train_figs = _items.train(a, items, '\n\n', s, dev, log)

trn,val = learn.items
real = music_metrics(val[:a.items])
tunes = _items.sample(learn, a.items, 1.0, a.seed, log, 'tunes')
m = music_metrics(tunes, known=trn)
log(f"\n{'':26}{'parse':>8}{'bar fit':>9}{'copies':>8}{'bars':>8}")
log(f"{'gendl (T=1.0)':26}{m['parse']:8.3f}{m['bar_fit']:9.3f}{m['copies']:8.3f}{m['bars']:8,}   ({m['n']} tunes)")
log(f"{'held-out real tunes':26}{real['parse']:8.3f}{real['bar_fit']:9.3f}{'':8}{real['bars']:8,}   ({real['n']} tunes)")
ok = m['parse'] >= 0.95 and abs(m['bar_fit'] - real['bar_fit']) <= 0.05
log(f"targets (parse >= 0.95, bar fit within 0.05 of the real tunes'): {'MET' if ok else 'NOT MET'}")

sweep = []
temps = [float(x) for x in a.temps.split(',') if x.strip()]
if temps: log(f"\ntemperature sweep, {a.sweep_items} tunes each:\n{'temp':>6}{'parse':>8}{'bar fit':>9}{'copies':>8}")
for i,tp in enumerate(temps):
    ts = tunes[:a.sweep_items] if tp == 1.0 else _items.sample_items(learn, a.sweep_items, temp=tp, seed=a.seed+1+i)
    r = music_metrics(ts, known=trn)
    sweep.append(dict(temp=tp, **r))
    log(f"{tp:6.2f}{r['parse']:8.3f}{r['bar_fit']:9.3f}{r['copies']:8.3f}")
_items.finish(a, 'music', dict(corpus='folk', minutes=None if a.smoke else a.minutes, settings=s, train=train_figs,
              temp=1.0, metrics=m, real=real, targets_met=ok, sweep=sweep, samples=tunes[:24]), log, dev)
