#!/usr/bin/env bash
# The subject notebooks as a reader runs them on Colab: in a fresh virtual environment with gendl installed by pip
# from its wheel (with the `notes` extra that the Colab install cell asks for) and no file of the repository beside
# the notebook. Each notebook runs top to bottom, skipping its slow cells as the tests do.
# Usage: tools/pip_notes.sh [NB.ipynb ...]   (default: 00_textgen, 01_deepdream, 02_style)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nbs=("$@"); [ ${#nbs[@]} -gt 0 ] || nbs=(00_textgen.ipynb 01_deepdream.ipynb 02_style.ipynb)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive HEAD | (mkdir -p "$tmp/src" && tar -x -C "$tmp/src")
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --disable-pip-version-check wheel
"$tmp/venv/bin/pip" wheel -q --no-deps -w "$tmp/dist" "$tmp/src"
whl=$(ls "$tmp"/dist/gendl-*.whl)
"$tmp/venv/bin/pip" install -q --disable-pip-version-check "gendl[notes] @ file://$whl"
"$tmp/venv/bin/gendl-provision" >/dev/null
rc=0
for nb in "${nbs[@]}"; do
  mkdir -p "$tmp/run/${nb%.ipynb}" && cp "$root/nbs/$nb" "$tmp/run/${nb%.ipynb}/"
  if (cd "$tmp/run/${nb%.ipynb}" && MPLBACKEND=Agg "$tmp/venv/bin/python" - "$nb" <<'PY'
import sys, time
from fastcore.nbio import read_nb
from execnb.shell import CaptureShell
nb, sh, t0 = read_nb(sys.argv[1]), CaptureShell(), time.time()
for c in nb.cells:
    if c.cell_type != 'code': continue
    flags = [l for l in c.source.splitlines() if l.startswith('#|')]
    if any('slow' in l or 'eval: false' in l or 'cuda' in l for l in flags): continue
    sh.cell(c)
    err = [o for o in c.outputs if o.get('output_type') == 'error']
    if err: sys.exit(f"{sys.argv[1]}: a cell failed:\n{c.source[:300]}\n" + '\n'.join(err[0].get('traceback', []))[-2000:])
print(f"{sys.argv[1]}: every cell but the slow ones ran, in {time.time()-t0:.0f} s, with only the pip-installed package")
PY
  ); then :; else rc=1; fi
done
exit $rc
