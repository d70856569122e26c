"""Where a benchmark's figures go: a JSON file beside its log, with what the run ran on.

A run's log, `bench/results/NAME.txt`, is what it printed, nothing else; `bench/results/NAME.json` holds the same
figures for pages and scripts to read, with the command, the date, the hardware, torch's version and the load average
when the run started. A smoke run writes its JSON to a temporary folder, never into `bench/results/`. A real run's
JSON is also copied into the package (`gendl/data/runs/NAME.json`), where the course notes read it with
`gendl.core.run_record`, so a page shows the same figures after a plain `pip install`.
"""
import datetime, json, math, os, platform, shlex, sys, tempfile
from importlib import metadata
from pathlib import Path
from gendl.core import atomic_path

RESULTS = Path(os.path.relpath(Path(__file__).parent/'results'))
SHIPPED = Path(__file__).resolve().parent.parent/'gendl'/'data'/'runs'   # the records the package carries
LOAD_AT_START = os.getloadavg()  # the benchmarks import this module before their work starts

def add_json_arg(p, name):
    "Add `--json PATH` to the argument parser `p` of the benchmark `name`"
    p.add_argument('--json', default=None,
                   help=f'where the figures go (default bench/results/{name}.json; with --smoke, a temporary folder)')

def json_path(args, name):
    "The JSON file of the benchmark `name` run with `args`: `--json`, else a temporary folder in smoke mode, else bench/results/"
    if args.json: return Path(args.json)
    return Path(tempfile.mkdtemp() if getattr(args, 'smoke', False) else RESULTS)/f'{name}.json'

def _cpu_name():
    "The CPU's model name, where the system says it"
    try: names = [l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')]
    except OSError: names = []
    return names[0] if names else platform.processor() or platform.machine()

def machine():
    "The GPU torch has used, else the CPU with its cores (and torch's threads, once torch is imported)"
    torch = sys.modules.get('torch')
    if torch is not None and torch.cuda.is_initialized(): return torch.cuda.get_device_name()
    threads = f', {torch.get_num_threads()} torch thread(s)' if torch is not None else ''
    return f'{_cpu_name()}, {os.cpu_count()} cores{threads}'

def _loads(l): return [round(o, 2) for o in l]

def _plain(o):
    "`o` as JSON holds it: tuples as lists, infinite or undefined floats as null"
    if isinstance(o, dict): return {k: _plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [_plain(v) for v in o]
    if isinstance(o, float) and not math.isfinite(o): return None
    return o

def run_record(figures, hardware=None):
    "`figures` with the command that made them, the date, the hardware, torch's version and the load averages"
    return dict(command=shlex.join(['python', *sys.argv]), date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
                hardware=hardware or machine(), torch=metadata.version('torch'), load_start=_loads(LOAD_AT_START),
                load_end=_loads(os.getloadavg()), figures=_plain(figures))

def save_figures(path, figures, hardware=None):
    "Write the run's `figures` (a dict that JSON can hold) to `path`, whole or not at all"
    text = json.dumps(dict(runs=[run_record(figures, hardware)]), indent=1) + '\n'
    dests = [Path(path)] + ([SHIPPED/Path(path).name] if Path(path).resolve().parent == RESULTS.resolve() else [])
    for dest in dests:
        with atomic_path(dest) as tmp: Path(tmp).write_text(text)
    print(f'figures written to {path}')
    return Path(path)
