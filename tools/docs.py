#!/usr/bin/env python
"""Build gendl's docs site into `_docs/`.

With Quarto installed this is `nbdev-docs`. Without it, nbdev processes the notebooks (the same steps
`nbdev-docs` takes before it calls Quarto) and `smalldocs` renders the processed Quarto project offline; the
pages are then published under the names nbdev gives them (`output-file`: `textgen.html`, ...), as Quarto does.
Either way the site carries its own KaTeX (npm package `katex`, fetched once into `.cache/`), so its maths
renders without internet.
Usage: python tools/docs.py [--check]
"""
import json, os, re, shutil, subprocess, sys, tarfile, tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)
KATEX = '0.16.11'  # the version smalldocs asks for; `html-math-method` in nbs/_quarto.yml points Quarto at the same files
KATEX_FILES = ('katex.min.js', 'katex.min.css', 'contrib/auto-render.min.js')
# smalldocs' notes about options that this script carries out itself (and styles.css, for `grid`)
HANDLED = re.compile(r'output-file is not read|html-math-method is ignored|grid is ignored')

def unhandled(text): return '\n'.join(l for l in text.splitlines() if not HANDLED.search(l))

def katex_dist():
    "KaTeX's browser files, from the npm package `katex`, fetched once into `.cache/katex-VERSION`."
    d = root/'.cache'/f'katex-{KATEX}'
    if all((d/f).exists() for f in KATEX_FILES): return d
    npm = shutil.which('npm')
    if not npm: sys.exit("docs.py: the site's maths needs KaTeX from npm, and npm is not installed: "
                         "install Node.js and npm (e.g. `apt-get install -y npm`), then run this again")
    tmp = d.with_name(d.name + '.part')
    shutil.rmtree(tmp, ignore_errors=True)
    with tempfile.TemporaryDirectory() as t:
        subprocess.run([npm, 'pack', '--silent', f'katex@{KATEX}', '--pack-destination', t], check=True, stdout=subprocess.DEVNULL)
        with tarfile.open(next(Path(t).glob('katex-*.tgz'))) as tf:
            for m in tf.getmembers():
                n = m.name.removeprefix('package/dist/') if m.name != 'package/LICENSE' else 'LICENSE'
                if m.isfile() and (n in KATEX_FILES or n == 'LICENSE' or (n.startswith('fonts/') and n.endswith('.woff2'))):
                    (tmp/n).parent.mkdir(parents=True, exist_ok=True)
                    (tmp/n).write_bytes(tf.extractfile(m).read())
    shutil.rmtree(d, ignore_errors=True)
    tmp.rename(d)
    return d

def add_katex(site):
    "Put KaTeX in `site/katex/` and point every page that loads it from a CDN there."
    shutil.copytree(katex_dist(), site/'katex', dirs_exist_ok=True)
    cdn = re.compile(r'https://cdn\.jsdelivr\.net/npm/katex@[^/"\']+/dist')
    for p in site.rglob('*.html'):
        s = p.read_text()
        if cdn.search(s): p.write_text(cdn.sub(os.path.relpath(site/'katex', p.parent), s))

def output_files(cache):
    "Map each processed notebook's default page name to the `output-file` nbdev set in its front matter."
    names = {}
    for nb in cache.rglob('*.ipynb'):
        cells = json.loads(nb.read_text())['cells']
        front = ''.join(cells[0]['source']) if cells and cells[0]['cell_type'] == 'raw' else ''
        m = re.search(r'^output-file:\s*(\S+)\s*$', front, re.M)
        rel = nb.relative_to(cache).with_suffix('.html')
        if m and m.group(1) != rel.name: names[rel.as_posix()] = (rel.parent/m.group(1)).as_posix()
    return names

def publish_names(site, names):
    "Rename the pages to their `output-file` names, and every link to them (pages, search index, sitemap)."
    if not names: return
    for old, new in names.items(): (site/old).rename(site/new)
    pat = re.compile(r'(?<![\w.-])(' + '|'.join(re.escape(o) for o in names) + r')(?=[#?"\'<\s]|$)')
    for p in [*site.rglob('*.html'), site/'search.json', site/'sitemap.xml']:
        if not p.exists(): continue
        s = p.read_text()
        t = pat.sub(lambda m: names[m.group(1)], s)
        if t != s: p.write_text(t)

def relative_links(site, base):
    "Point links to the site's published address (`base`, nbdev's cross-references) at the page beside them."
    pat = re.compile(r'(href=["\'])' + re.escape(base.rstrip('/') + '/'))
    for p in site.rglob('*.html'):
        s = p.read_text()
        t = pat.sub(lambda m: m.group(1), s)
        if t != s: p.write_text(t)

def unlink_private(site):
    "Private names have no section of their own: show them as code, not as a link to a missing anchor."
    pages = {p.name: set(re.findall(r'\bid="([^"]+)"', p.read_text())) for p in site.glob('*.html')}
    pat = re.compile(r'<a href="([\w.-]+\.html)#(_[\w]+)"[^>]*>(.*?)</a>', re.S)
    for p in site.glob('*.html'):
        s = p.read_text()
        t = pat.sub(lambda m: m.group(0) if m.group(2) in pages.get(m.group(1), ()) else m.group(3), s)
        if t != s: p.write_text(t)

def main():
    if shutil.which('quarto'):
        from nbdev.config import get_config
        subprocess.run(['nbdev-docs'], check=True)
        add_katex(get_config().doc_path)
        relative_links(get_config().doc_path, get_config().doc_host + get_config().doc_baseurl)
        unlink_private(get_config().doc_path)
        return
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
    r = subprocess.run([str(smalldocs), 'render', '--quiet', str(cache)], stderr=subprocess.PIPE, text=True)
    if unhandled(r.stderr): print(unhandled(r.stderr), file=sys.stderr)
    if r.returncode: sys.exit(r.returncode)
    site = cache/cfg.doc_path.name
    publish_names(site, output_files(cache))
    relative_links(site, cfg.doc_host + cfg.doc_baseurl)
    unlink_private(site)
    add_katex(site)
    shutil.rmtree(cfg.doc_path, ignore_errors=True)
    shutil.move(str(site), str(cfg.doc_path))
    if '--check' in sys.argv:
        r = subprocess.run([str(smalldocs), 'check', str(cache)], capture_output=True, text=True)
        print(unhandled(r.stdout + r.stderr)[-3000:])
    print(f"docs site written to {cfg.doc_path}")

if __name__ == '__main__': main()
