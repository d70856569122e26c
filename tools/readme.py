#!/usr/bin/env python
"""Make README.md from nbs/index.ipynb.

With Quarto installed this is `nbdev-readme`. Without it, the notebook's visible cells are written as
GitHub Markdown: prose as it is, code in fenced blocks, and saved text outputs after their code.
Usage: python tools/readme.py
"""
import os, shutil, subprocess, re
from pathlib import Path
from fastcore.nbio import read_nb
from nbdev.config import get_config

root = Path(__file__).resolve().parent.parent
os.chdir(root)

def _hidden(src):
    return any(re.match(r'^#\|\s*(hide|include:\s*false)', l) for l in src.splitlines())

def _local(md):
    "Point the relative links of `md`, written beside the notebooks, at them from the repository's root"
    md = re.sub(r'\]\((?!https?:|/|#)([^)]+)\)', r'](nbs/\1)', md)
    # a picture with a width (`![alt](src){width=N}`, as the site renders it) as the HTML GitHub shows
    img = lambda m: '<img src="%s" alt="%s" width="%s">' % (m[2], m[1].replace('*', ''), m[3])
    return re.sub(r'!\[([^\]]*)\]\(([^)]+)\)\{width=(\d+)\}', img, md)

def _echo_off(src): return any(re.match(r'^#\|\s*echo:\s*false', l) for l in src.splitlines())

def _outputs(cell):
    res = []
    for o in cell.get('outputs', []):
        md = ''.join(o.get('data', {}).get('text/markdown', []))
        if md.strip(): res.append(_local(md.strip())); continue   # markdown a cell displays is part of the page's text
        txt = ''.join(o['text']) if o.get('output_type') == 'stream' else ''.join(o.get('data', {}).get('text/plain', []))
        if txt.strip(): res.append(f"```\n{txt.rstrip()}\n```")
    return res

def main():
    if shutil.which('quarto'): return subprocess.run(['nbdev-readme'], check=True)
    cfg = get_config()
    nb = read_nb(cfg.nbs_path/cfg.readme_nb)
    parts = []
    for c in nb.cells:
        # pictures and pages live beside the notebooks: point README's relative links at them
        if c.cell_type == 'markdown': parts.append(_local(c.source.strip()))
        elif c.cell_type == 'code' and not _hidden(c.source):
            src = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|')).strip()
            if src and not _echo_off(c.source): parts.append(f"```python\n{src}\n```")
            parts += _outputs(c)
    (root/'README.md').write_text('\n\n'.join(parts) + '\n')
    print("wrote README.md")

if __name__ == '__main__': main()
