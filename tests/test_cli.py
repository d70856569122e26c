"The `gendl-*` commands end bad input with one clear line and a non-zero exit, Ctrl-C leaves no half-written output, a model\nfile never runs code, and a normal run prints no warning."
import io, os, pickle, signal, subprocess, sys, time
from pathlib import Path
import pytest

bin_ = Path(sys.executable).parent
env = dict(os.environ, GENDL_OFFLINE='1', PYTHONWARNINGS='ignore')

cases = {
    'dream-missing-file': (['gendl-dream', '/nonexistent.jpg'], 'gendl-dream: no picture'),
    'style-missing-file': (['gendl-style', '/nonexistent.jpg', 'hokusai_great_wave'], 'gendl-style: no picture'),
    'train-missing-corpus': (['gendl-train', '/nonexistent.txt'], 'gendl-train: unknown corpus'),
    'sample-missing-model': (['gendl-sample', '/nonexistent.pkl'], 'gendl-sample: no saved model'),
    'seed-missing-folder': (['gendl-seed', '/nonexistent'], 'gendl-seed: cannot seed'),
    'demo-missing-corpus': (['gendl-demo', '--corpus-name', '/nonexistent.txt', '--out', '{tmp}/demo'], 'gendl-demo: unknown corpus'),
    'dream-unknown-option': (['gendl-dream', 'chelsea', '--bogus', '1'], 'error: unrecognized arguments: --bogus'),
    'dream-impossible-steps': (['gendl-dream', 'chelsea', '--steps', '-3'], 'gendl-dream: the number of steps must be >= 1'),
    'style-impossible-size': (['gendl-style', 'chelsea', 'hokusai_great_wave', '--size', '0'], 'gendl-style: size must be'),
    'sample-bad-temperature': (['gendl-sample', '/nonexistent.pkl', '--temperature', '-1'], 'gendl-sample:'),
}

@pytest.mark.parametrize('case', cases)
def test_bad_input(case, tmp_path):
    args, msg = cases[case]
    args = [a.format(tmp=tmp_path) for a in args]
    r = subprocess.run([str(bin_/args[0]), *args[1:]], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode != 0, r.stdout
    assert 'Traceback' not in r.stderr, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert msg in last, last

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
            ['gendl-sample', 'm.pth', '--prime', 'the ', '--length', '40', '--seed', '1'],
            ['gendl-dream', 'chelsea', '--size', '160', '--octaves', '2', '--steps', '2', '--out', 'd.jpg'],
            ['gendl-style', 'chelsea', 'hokusai_great_wave', '--size', '48', '--steps', '3', '--backbone', 'vgg16_hed', '--out', 's.jpg']]
    for args in runs:
        r = _run(args, tmp_path, env=quiet_env)
        assert r.returncode == 0, (args, r.stderr[-2000:])
        assert 'Warning' not in r.stdout + r.stderr, (args, (r.stdout + r.stderr)[-2000:])
    assert (tmp_path/'d.jpg').exists() and (tmp_path/'s.jpg').exists()

class _Payload:
    "Unpickled, it opens (creates) the file `fn`"
    def __init__(self, fn): self.fn = fn
    def __reduce__(self): return (io.open, (self.fn, 'w'))
