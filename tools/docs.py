#!/usr/bin/env python
"""Build gendl's docs site into `_docs/`.

With Quarto installed this is `nbdev-docs`. Without it, nbdev processes the notebooks (the same steps
`nbdev-docs` takes before it calls Quarto) and `smalldocs` renders the processed Quarto project offline.
Usage: python tools/docs.py [--check]
"""
import os, shutil, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)

def main():
    if shutil.which('quarto'): return subprocess.run(['nbdev-docs'], check=True)
    import nbdev.doclinks
    from nbdev.config import get_config
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    cfg = get_config()
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__()
    cache = proc_nbs(n_workers=0)
    smalldocs = Path(sys.executable).parent/'smalldocs'
    subprocess.run([str(smalldocs), 'render', '--quiet', str(cache)], check=True)
    shutil.rmtree(cfg.doc_path, ignore_errors=True)
    shutil.move(str(cache/cfg.doc_path.name), str(cfg.doc_path))
    if '--check' in sys.argv:
        r = subprocess.run([str(smalldocs), 'check', str(cache)], capture_output=True, text=True)
        print(r.stdout[-3000:], r.stderr[-3000:])
    print(f"docs site written to {cfg.doc_path}")

if __name__ == '__main__': main()
