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

def fix(nb_path:Path, repo:str) -> bool:
    "Rewrite the Colab link and the install cell of `nb_path` to `repo`; True if anything changed"
    s = nb_path.read_text()
    new = re.sub(r'https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/main/nbs/',
                 f'https://colab.research.google.com/github/{repo}/blob/main/nbs/', s)
    new = re.sub(r'@ git\+https://github\.com/[^/ ]+/[^/ "\\]+', f'@ git+https://github.com/{repo}', new)
    if new == s: return False
    json.loads(new)   # still a notebook
    nb_path.write_text(new)
    return True

def main(check:bool=False) -> int:
    repo, changed = repository(), []
    for p in sorted((root/'nbs').glob('*.ipynb')):
        s = p.read_text()
        if 'colab.research.google.com' not in s and '@ git+' not in s: continue
        if check:
            tmp = p.with_suffix('.check')
            tmp.write_text(s)
            if fix(tmp, repo): changed.append(p.name)
            tmp.unlink()
        elif fix(p, repo): changed.append(p.name)
    if check and changed:
        print(f"{', '.join(changed)}: the Colab link or install cell names another repository than pyproject.toml's "
              f"({repo}): run python tools/colab.py", file=sys.stderr)
        return 1
    print(f"{repo}: " + (f"rewrote {', '.join(changed)}" if changed else "every notebook already points there"))
    return 0

if __name__ == '__main__': sys.exit(main('--check' in sys.argv[1:]))
