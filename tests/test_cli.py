"The `gendl-*` commands end bad input and gendl's errors with one clear line and a non-zero exit, Ctrl-C leaves no half-written\noutput, a model file never runs code, a normal run prints no warning, and each option's default is the library's."
import importlib, inspect, io, os, pickle, signal, struct, subprocess, sys, time, zlib
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock
import pytest

bin_ = Path(sys.executable).parent
env = dict(os.environ, GENDL_OFFLINE='1', PYTHONWARNINGS='ignore')

cases = {
    'dream-missing-file': (['gendl-dream', '/nonexistent.jpg'], 'gendl-dream: no picture'),
    'style-missing-file': (['gendl-style', '/nonexistent.jpg', 'hokusai_great_wave'], 'gendl-style: no picture'),
    'train-missing-corpus': (['gendl-train', '/nonexistent.txt'], 'gendl-train: unknown corpus'),
    'train-missing-checkpoint': (['gendl-train', 'nietzsche', '--resume', '/nonexistent.pth'], 'gendl-train: no checkpoint at'),
    'train-model-as-checkpoint': (['gendl-train', 'nietzsche', '--resume', '{model}'], 'is not a checkpoint written by'),
    'train-unknown-arch': (['gendl-train', 'nietzsche', '--arch', 'gru'], "gendl-train: arch must be 'lstm' or 'transformer'"),
    'sample-missing-model': (['gendl-sample', '/nonexistent.pkl'], 'gendl-sample: no saved model'),
    'seed-missing-folder': (['gendl-seed', '/nonexistent'], 'gendl-seed: cannot seed'),
    'demo-missing-corpus': (['gendl-demo', '--corpus-name', '/nonexistent.txt', '--out', '{tmp}/demo'], 'gendl-demo: unknown corpus'),
    'dream-unknown-option': (['gendl-dream', 'chelsea', '--bogus', '1'], 'error: unrecognized arguments: --bogus'),
    'dream-impossible-steps': (['gendl-dream', 'chelsea', '--steps', '-3'], 'gendl-dream: the number of steps must be'),
    'style-impossible-size': (['gendl-style', 'chelsea', 'hokusai_great_wave', '--size', '0'], 'gendl-style: size must be'),
    'sample-bad-temperature': (['gendl-sample', '{model}', '--temp', '-1'], 'gendl-sample: '),
    'sample-no-items': (['gendl-sample', '{model}', '--items', '0'], 'gendl-sample: n_items must be a whole number >= 1'),
    'train-unknown-corpus-name': (['gendl-train', 'mosses'], 'gendl-train: unknown corpus'),
    'score-missing-file': (['gendl-score', '/nonexistent.txt'], 'gendl-score: no file of items'),
    'score-folder': (['gendl-score', '{tmp}'], 'is a folder, not a file'),
    'score-bad-kind': (['gendl-score', '/nonexistent.txt', '--kind', 'poems'], "gendl-score: kind must be 'molecules' or 'music'"),
    'score-missing-known': (['gendl-score', '{model}', '--known', '/nonexistent.txt'], 'gendl-score: unknown corpus'),
    'score-binary-file': (['gendl-score', '{model}', '--known', 'none'], 'gendl-score: '),
}

_rhyme = "Twinkle, twinkle, little star,\nHow I wonder what you are!\nUp above the world so high,\nLike a diamond in the sky.\n"*20

@pytest.fixture(scope='module')
def tiny_model(tmp_path_factory):
    "A character model trained for one epoch on a nursery rhyme"
    from gendl.cli import gendl_train
    d = tmp_path_factory.mktemp('model')
    (d/'rhyme.txt').write_text(_rhyme)
    with redirect_stdout(io.StringIO()):
        gendl_train(str(d/'rhyme.txt'), out=str(d/'m.pth'), preset='cpu', epochs=1, n_hid=16, bs=8, quiet=True, device='cpu')
    return d/'m.pth'

@pytest.mark.parametrize('case', cases)
def test_bad_input(case, tmp_path, request):
    args, msg = cases[case]
    model = request.getfixturevalue('tiny_model') if any('{model}' in a for a in args) else None
    args = [a.format(tmp=tmp_path, model=model) for a in args]
    r = subprocess.run([str(bin_/args[0]), *args[1:]], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode != 0, r.stdout
    assert 'Traceback' not in r.stderr, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert msg in last, last
    if case == 'sample-bad-temperature': assert 'temperature' in last, last   # the model loaded: the check reached is the temperature's
    if case == 'score-binary-file': assert 'not UTF-8' in last or 'binary' in last, last   # a model file is not a file of items

def test_score_files(tmp_path):
    "gendl-score judges a file of SMILES and a file of tunes in one line each, and refuses files without items"
    (tmp_path/'mols.txt').write_text('CCO\nOCC\nC1CC\nc1ccccc1\n'); (tmp_path/'known.txt').write_text('c1ccccc1\n')
    tune = 'X:1\nM:3/4\nL:1/8\nK:G\nGA|B2 d2 g2|fe d2 B2|c2 A2 F2|G4 z2|]'
    (tmp_path/'tunes.abc').write_text(tune + '\n\n' + tune.replace('X:1', 'X:2').replace('fe d2 B2', 'fe d2') + '\n')
    (tmp_path/'blank.txt').write_text(' \n\n')
    r = _run(['gendl-score', 'mols.txt', '--known', 'known.txt'], tmp_path, env=env)
    assert (r.returncode, r.stdout) == (0, '4 molecules: valid 0.750, unique 0.667, novel 0.500 (against known.txt)\n'), r.stderr
    r = _run(['gendl-score', 'tunes.abc', '--known', 'none'], tmp_path, env=env)
    assert (r.returncode, r.stdout) == (0, '2 tunes: parse 1.000, bar fit 0.700 (10 bars)\n'), r.stderr
    for f, msg in (('blank.txt', 'gendl-score: blank.txt holds no SMILES'), ('mols.txt', 'gendl-score: mols.txt holds no tune')):
        r = _run(['gendl-score', f, '--known', 'none'] + (['--kind', 'music'] if f == 'mols.txt' else []), tmp_path, env=env)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 1 and len(lines) == 1 and lines[0].startswith(msg), r.stderr

def test_sample_items(tiny_model, tmp_path):
    "gendl-sample --items N writes N whole items, one a line for a model trained on lines"
    r = _run(['gendl-sample', str(tiny_model), '--items', '5', '--seed', '1', '--out', 'items.txt'], tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (tmp_path/'items.txt').read_text() and r.stdout.count('\n') == 5, r.stdout

def test_ctrl_c_leaves_no_output(tmp_path):
    out = tmp_path/'dream.jpg'
    p = subprocess.Popen([str(bin_/'gendl-dream'), 'chelsea', '--pretrained', 'False', '--steps', '500', '--out', str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
                         # as in a terminal: a shell running us in the background may have set SIGINT to be ignored
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(12)
    assert p.poll() is None, p.stdout.read()
    os.killpg(p.pid, signal.SIGINT)
    outs, _ = p.communicate(timeout=120)   # read its output while waiting: a full pipe would block its exit
    assert p.returncode != 0
    assert 'gendl-dream: interrupted; nothing was written' in outs, outs[-2000:]
    assert 'Traceback' not in outs, outs[-2000:]
    assert list(tmp_path.iterdir()) == []

def _run(args, cwd, **kw):
    return subprocess.run([str(bin_/args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, timeout=600, **kw)

def test_sample_refuses_a_pickle(tmp_path):
    "A pickle that would create a file when loaded is refused with one line, and the file is not created"
    marker = tmp_path/'created-by-pickle'
    (tmp_path/'evil.pkl').write_bytes(pickle.dumps(_Payload(str(marker))))
    r = _run(['gendl-sample', 'evil.pkl'], tmp_path, env=env)
    assert r.returncode == 1 and 'Traceback' not in r.stderr, r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith('gendl-sample: evil.pkl is a pickle'), r.stderr
    assert '--unsafe' in r.stderr
    assert not marker.exists()

def test_sample_on_a_text_file(tmp_path):
    (tmp_path/'notes.txt').write_text('PREFACE\n\nSupposing that Truth is a woman')
    r = _run(['gendl-sample', 'notes.txt'], tmp_path, env=env)
    assert r.returncode == 1 and 'Traceback' not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0] == 'gendl-sample: notes.txt is not a model file saved by gendl-train or save_char_model', r.stderr

def test_normal_runs_print_no_warning(tmp_path):
    "Small real runs of the four main commands, with Python's warnings shown, print no warning"
    quiet_env = {k: v for k, v in env.items() if k != 'PYTHONWARNINGS'}
    (tmp_path/'small.txt').write_text(('the philosopher as we free spirits understand him is a man of the greatest '
                                       'responsibility, who has the conscience for the general development of mankind. ')*40)
    runs = [['gendl-train', 'small.txt', '--out', 'm.pth', '--epochs', '2', '--n-hid', '32', '--bs', '8', '--prime', 'the '],
            ['gendl-sample', 'm.pth', '--prime', 'the ', '--n-chars', '40', '--seed', '1'],
            ['gendl-dream', 'chelsea', '--size', '160', '--octaves', '2', '--steps', '2', '--out', 'd.jpg'],
            ['gendl-style', 'chelsea', 'hokusai_great_wave', '--size', '48', '--steps', '3', '--backbone', 'vgg16_hed', '--out', 's.jpg']]
    for args in runs:
        r = _run(args, tmp_path, env=quiet_env)
        assert r.returncode == 0, (args, r.stderr[-2000:])
        assert 'Warning' not in r.stdout + r.stderr, (args, (r.stdout + r.stderr)[-2000:])
    assert (tmp_path/'d.jpg').exists() and (tmp_path/'s.jpg').exists()

def _cuda_oom(*args, **kwargs): raise RuntimeError("CUDA out of memory.\nTried to allocate 2.00 GiB")

def _runtime_cases(tmp):
    "For each command: the library function to make fail, and the command's call"
    from gendl import cli
    (tmp/'small.txt').write_text(_rhyme)
    (tmp/'m.pth').write_bytes(b'not read')
    return {
        'train': ('gendl.textgen.train_char_model', lambda: cli.gendl_train(str(tmp/'small.txt'), out=str(tmp/'m2.pth'), quiet=True)),
        'sample': ('gendl.textgen.load_char_model', lambda: cli.gendl_sample(str(tmp/'m.pth'))),
        'dream': ('gendl.deepdream.dream', lambda: cli.gendl_dream('chelsea', out=str(tmp/'d.jpg'), quiet=True)),
        'style': ('gendl.style.stylize', lambda: cli.gendl_style('chelsea', 'hokusai_great_wave', out=str(tmp/'s.jpg'), quiet=True)),
        'demo': ('gendl.textgen.train_char_model', lambda: cli.gendl_demo(out=str(tmp/'demo'), quiet=True)),
        'seed': ('gendl.assets.seed_cache', lambda: cli.gendl_seed(str(tmp))),
        'provision': ('gendl.assets.provision', lambda: cli.gendl_provision(quiet=True)),
        'score': ('gendl.uses.score_file', lambda: cli.gendl_score(str(tmp/'small.txt'))),
    }

@pytest.mark.parametrize('cmd', ['train', 'sample', 'dream', 'style', 'demo', 'seed', 'provision', 'score'])
def test_runtime_error_is_one_line(cmd, tmp_path, capsys):
    "A `RuntimeError` from inside gendl (a GPU out of memory) ends every command with one line and exit status 1"
    target, call = _runtime_cases(tmp_path)[cmd]
    mod, name = target.rsplit('.', 1)
    with mock.patch.object(importlib.import_module(mod), name, _cuda_oom), pytest.raises(SystemExit) as e: call()
    # a SystemExit with a message: Python prints the message alone to stderr and exits with status 1
    assert e.value.code == f"gendl-{cmd}: CUDA out of memory. Tried to allocate 2.00 GiB", e.value.code
    assert 'Traceback' not in capsys.readouterr().err
    assert not (tmp_path/'d.jpg').exists() and not (tmp_path/'s.jpg').exists() and not (tmp_path/'m2.pth').exists()

def test_runtime_error_exit_status(tmp_path):
    "Run as a program, like the installed command, the one line is all of stderr, with exit status 1"
    (tmp_path/'gendl_dream_oom.py').write_text(
        "import sys, gendl.deepdream as d\n"
        "def oom(*a, **k): raise RuntimeError('CUDA out of memory')\n"
        "d.dream = oom\n"
        "from gendl.cli import gendl_dream\n"
        "sys.exit(gendl_dream())\n")
    r = subprocess.run([sys.executable, 'gendl_dream_oom.py', 'chelsea', '--out', 'd.jpg'], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=300)
    assert (r.returncode, r.stderr.strip()) == (1, 'gendl-dream: CUDA out of memory'), r.stderr
    assert not (tmp_path/'d.jpg').exists()

# Where an option's name differs from the library parameter it stands for: 'function:parameter'
_renamed = {
    ('gendl_train', 'corpus_name'): 'gendl.assets.corpus:src',
    ('gendl_sample', 'model'): 'gendl.textgen.load_char_model:fname',
    ('gendl_dream', 'image'): 'gendl.deepdream.dream:img',
    ('gendl_provision', 'only'): 'gendl.assets.provision:what',
}
# The library functions each command's options stand for, searched in order
_libs = {
    'gendl_train': ['gendl.textgen.train_char_model'],
    'gendl_sample': ['gendl.textgen.sample_chars', 'gendl.textgen.generate', 'gendl.textgen.load_char_model'],
    'gendl_dream': ['gendl.deepdream.dream', 'gendl.deepdream.dream_zoom', 'gendl.imgopt.save_movie'],
    'gendl_style': ['gendl.style.stylize', 'gendl.imgopt.save_movie'],
    'gendl_demo': ['gendl.textgen.train_char_model'],
    'gendl_seed': ['gendl.assets.seed_cache'],
    'gendl_provision': ['gendl.assets.provision'],
    'gendl_score': ['gendl.uses.score_file'],
}
# An option left at None for the library's own default, which differs between the functions it goes to
_defers = {('gendl_dream', 'octaves'), ('gendl_dream', 'steps')}
# Options with a default of the command's own, and why
_own = {
    ('gendl_train', 'out'): "the file the command writes",
    ('gendl_train', 'lower'): "a flag: off passes None, the preset's",
    ('gendl_train', 'n_hid'): "None: the preset's", ('gendl_train', 'n_layers'): "None: the preset's", ('gendl_train', 'bs'): "None: the preset's",
    ('gendl_train', 'prime'): "SampleCB's, only when given",
    ('gendl_train', 'valid_pct'): "None: 0.1, or the corpus of items' own",
    ('gendl_sample', 'items'): "characters unless given",
    ('gendl_score', 'known'): "'none' on the command line stands for None",
    ('gendl_score', 'json'): "how the command prints",
    ('gendl_sample', 'prime'): "a new line, or the model's first character",
    ('gendl_sample', 'temp'): "the command writes readable text at 0.5; the function's 1 samples the model as it is",
    ('gendl_sample', 'n_samples'): "one sample, printed as it comes",
    ('gendl_sample', 'out'): "only when given",
    ('gendl_dream', 'frames'): "1 is a picture; more make a movie",
    ('gendl_dream', 'out'): "the file the command writes",
    ('gendl_style', 'out'): "the file the command writes",
    ('gendl_style', 'fps'): "a painting's making is slower to watch than a zoom",
    **{('gendl_demo', o): "the main job's small settings" for o in ('out', 'corpus_name', 'minutes', 'n_chars', 'photo', 'dream_size',
                                                                   'dream_steps', 'painting', 'style_size', 'style_steps')},
}

def _params(path):
    mod, name = path.rsplit('.', 1)
    return inspect.signature(getattr(importlib.import_module(mod), name)).parameters

@pytest.mark.parametrize('cmd', _libs)
def test_defaults_are_the_librarys(cmd):
    "Every option of every command has the default of the library parameter it stands for, or is listed above with a reason"
    from gendl import cli
    opts = inspect.signature(getattr(cli, cmd)).parameters
    for k in [k for (c, k) in {**_renamed, **_own, **dict.fromkeys(_defers)} if c == cmd]: assert k in opts, f"{cmd} has no option {k}"
    for name, opt in opts.items():
        if (cmd, name) in _own: continue
        if (cmd, name) in _renamed: where = [_renamed[cmd, name].split(':')]
        else: where = [(f, name) for f in _libs[cmd] if name in _params(f)]
        assert where, f"{cmd} --{name}: no library parameter of that name in {_libs[cmd]}: add it to the maps above"
        f, p = where[0]
        lib = _params(f)[p].default
        got = opt.default
        if (cmd, name) in _defers: assert got is None and lib is not None, (cmd, name, got, lib)
        else: assert got == lib, f"{cmd} --{name} defaults to {got!r}, {f}({p}=) to {lib!r}"

def _huge_png(fn, w=20_000, h=10_000):
    "A PNG that says it is `w` x `h` pixels, over Pillow's limit, without holding them"
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    fn.write_bytes(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                   + chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b''))

@pytest.mark.parametrize('args', [['gendl-dream', 'huge.png', '--pretrained', 'False', '--out', 'd.jpg'],
                                  ['gendl-style', 'huge.png', 'hokusai_great_wave', '--size', '64', '--steps', '2',
                                   '--backbone', 'vgg16_hed', '--out', 's.jpg']], ids=['dream', 'style'])
def test_picture_over_pixel_limit(args, tmp_path):
    "A picture over Pillow's pixel limit gets one line, no traceback, and nothing is written"
    _huge_png(tmp_path/'huge.png')
    r = _run(args, tmp_path, env=env)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and 'Traceback' not in r.stderr and len(lines) == 1, r.stderr[-2000:]
    assert lines[0].startswith(f"{args[0]}: "), lines
    assert sorted(o.name for o in tmp_path.iterdir()) == ['huge.png']

class _Payload:
    "Unpickled, it opens (creates) the file `fn`"
    def __init__(self, fn): self.fn = fn
    def __reduce__(self): return (io.open, (self.fn, 'w'))
