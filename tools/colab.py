#!/usr/bin/env python3
"""Point each subject notebook's "Open in Colab" link and its install cell at the repository that `pyproject.toml`
names (`[project.urls] Repository`), the one place gendl's address is written.

A notebook opened on Colab comes straight from the repository, before gendl is installed, so it cannot read the
address itself: this writes it into the notebooks, and `--check` (run by `.ci/run`) fails when a notebook names
another address.
Usage: python tools/colab.py [--check]
"""
import json, re, sys, tomllib
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def repository() -> str:
    "The GitHub repository, `owner/name`, that pyproject.toml's `Repository` URL names"
    url = tomllib.loads((root/'pyproject.toml').read_text())['project']['urls']['Repository']
    m = re.fullmatch(r'https://github\.com/([^/]+/[^/]+?)/?', url)
    if not m: sys.exit(f"pyproject.toml: Repository must be a GitHub address, got {url!r}")
    return m.group(1)

def pointed(s:str, repo:str) -> str:
    "The notebook text `s` with its Colab link and install cell naming `repo`"
    s = re.sub(r'https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/main/nbs/',
               f'https://colab.research.google.com/github/{repo}/blob/main/nbs/', s)
    return re.sub(r'@ git\+https://github\.com/[^/ ]+/[^/ "\\]+', f'@ git+https://github.com/{repo}', s)

def main(check:bool=False) -> int:
    repo, changed = repository(), []
    for p in sorted((root/'nbs').glob('*.ipynb')):
        s = p.read_text()
        new = pointed(s, repo)
        if new == s: continue
        changed.append(p.name)
        if not check: json.loads(new); p.write_text(new)   # still a notebook
    if check and changed:
        print(f"{', '.join(changed)}: the Colab link or install cell names another repository than pyproject.toml's "
              f"({repo}): run python tools/colab.py", file=sys.stderr)
        return 1
    print(f"{repo}: " + (f"rewrote {', '.join(changed)}" if changed else "every notebook already points there"))
    return 0

if __name__ == '__main__': sys.exit(main('--check' in sys.argv[1:]))
