#!/usr/bin/env python3
"""Full-height screenshots of the built docs site (`_docs/`) in headless Chromium, with no network but the site.

The site is served on 127.0.0.1 and Chromium may resolve no other host, so a page that needs the internet shows
it. For each page this prints the picture it wrote and what a reader's browser found: the page's height, its
formulas and how many rendered, code or output blocks wider than the column, pictures shown smaller than they
are though the column has room, the width each picture is shown at (also in screenshots/figures.json), and
anything the page tried to load from elsewhere. Exit 1 when a formula did
not render or a picture of the site did not load.
Usage: python3 tools/screenshots.py [PAGE.html ...]   (default: every page; into screenshots/)
Environment: SHOT_WIDTH (default 1280), CHROMIUM (default: chromium on the PATH)
"""
import base64, functools, http.server, json, os, shutil, subprocess, sys, tempfile, threading, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
site, out = root/'_docs', root/'screenshots'

# What the browser finds on a page, once it has loaded and its fonts are in
PROBE = """(() => {
  const main = document.querySelector('main') || document.body, col = main.clientWidth;
  const pres = [...main.querySelectorAll('pre')].filter(p => p.scrollWidth > p.clientWidth + 1);
  const imgs = [...main.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth &&
    i.getBoundingClientRect().width + 1 < Math.min(i.naturalWidth, col));
  const broken = [...main.querySelectorAll('img')].filter(i => i.complete && !i.naturalWidth && !/^https?:/.test(i.getAttribute('src')))
    .map(i => i.getAttribute('src').slice(0, 80));  // the site's own pictures; one from elsewhere (a badge) shows its text offline
  const ext = performance.getEntriesByType('resource').map(e => e.name)
    .filter(u => !u.startsWith(location.origin) && !u.startsWith('data:'));
  let chars = 0;  // how many characters of code a block holds without scrolling
  const pre = main.querySelector('div.sourceCode pre, .cell-output pre');
  if (pre) {
    const cs = getComputedStyle(pre), probe = document.createElement('span');
    probe.textContent = 'x'.repeat(100); pre.appendChild(probe);
    chars = Math.floor(100 * (pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)) / probe.getBoundingClientRect().width);
    probe.remove();
  }
  return {height: document.documentElement.scrollHeight, column: col, chars,
    math: document.querySelectorAll('span.math').length,
    rendered: document.querySelectorAll('span.math .katex').length,
    mathErrors: document.querySelectorAll('.katex-error').length,
    wide: pres.length, widest: Math.max(0, ...pres.map(p => p.scrollWidth)), shrunk: imgs.length,
    broken, external: ext,
    figures: [...main.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth)
      .map(i => [Math.round(i.getBoundingClientRect().width), i.naturalWidth])};
})()"""

class CDP:
    "Chromium's DevTools protocol over `--remote-debugging-pipe` (fd 3: commands in, fd 4: replies out)."
    def __init__(self, args):
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()
        hi = [os.dup(f) for f in (to_r, from_w)]  # out of the way of 3 and 4, which the child needs
        def child(): os.dup2(hi[0], 3); os.dup2(hi[1], 4)
        self.proc = subprocess.Popen(args + ['--remote-debugging-pipe'], pass_fds=(3, 4), preexec_fn=child,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for f in (to_r, from_w, *hi): os.close(f)
        self._buf, self._id, self.session, self.events = b'', 0, None, []

    def _read(self):
        while b'\0' not in self._buf:
            chunk = os.read(self._from_r, 1 << 20)
            if not chunk: raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b'\0', 1)
        return json.loads(msg)

    def send(self, method, **params):
        self._id += 1
        msg = {'id': self._id, 'method': method, 'params': params}
        if self.session: msg['sessionId'] = self.session
        os.write(self._to_w, json.dumps(msg).encode() + b'\0')
        while True:
            m = self._read()
            if m.get('id') == self._id:
                if 'error' in m: raise RuntimeError(f"{method}: {m['error'].get('message')}")
                return m.get('result', {})
            self.events.append(m)

    def wait_event(self, method, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for i, m in enumerate(self.events):
                if m.get('method') == method: return self.events.pop(i)
            self.events.append(self._read())
        raise TimeoutError(method)

    def eval(self, expr):
        r = self.send('Runtime.evaluate', expression=expr, returnByValue=True, awaitPromise=True)
        return r.get('result', {}).get('value')

    def close(self):
        try: self.send('Browser.close')
        except Exception: pass
        try: self.proc.wait(10)
        except subprocess.TimeoutExpired: self.proc.kill()

def serve(d):
    "Serve folder `d` on 127.0.0.1 in a thread; return the server."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(d)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv

def shoot(pages, width):
    chromium = os.environ.get('CHROMIUM') or shutil.which('chromium') or shutil.which('chromium-browser')
    if not chromium: sys.exit("screenshots: no Chromium: install it (Debian: `apt-get install -y chromium`)")
    srv = serve(site)
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    prof = tempfile.mkdtemp(prefix='gendl-chromium-')
    cdp = CDP([chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--hide-scrollbars',
               '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', f'--user-data-dir={prof}',
               f'--window-size={width},900', 'about:blank'])
    problems, figures = 0, {}
    try:
        tid = cdp.send('Target.createTarget', url='about:blank')['targetId']
        cdp.session = cdp.send('Target.attachToTarget', targetId=tid, flatten=True)['sessionId']
        cdp.send('Page.enable')
        cdp.send('Emulation.setDeviceMetricsOverride', width=width, height=900, deviceScaleFactor=1, mobile=False)
        out.mkdir(exist_ok=True)
        for p in pages:
            cdp.events.clear()
            cdp.send('Page.navigate', url=base + p)
            cdp.wait_event('Page.loadEventFired')
            cdp.eval('document.fonts.ready.then(() => new Promise(r => setTimeout(r, 300)))')
            info = cdp.eval(PROBE)
            shot = cdp.send('Page.captureScreenshot', format='png', captureBeyondViewport=True,
                            clip=dict(x=0, y=0, width=width, height=info['height'], scale=1))
            dest = out/(Path(p).with_suffix('.png').name)
            tmp = dest.with_suffix('.png.part')
            tmp.write_bytes(base64.b64decode(shot['data'])); tmp.replace(dest)
            notes = [f"{info['height']} px high"]
            if info['math']: notes.append(f"{info['rendered']}/{info['math']} formulas rendered"
                                          + (f", {info['mathErrors']} with errors" if info['mathErrors'] else ''))
            if info['chars']: notes.append(f"code blocks hold {info['chars']} characters")
            if info['wide']: notes.append(f"{info['wide']} code/output blocks wider than that (widest {info['widest']} px)")
            if info['shrunk']: notes.append(f"{info['shrunk']} pictures shown smaller than they are")
            if info['broken']: notes.append(f"pictures that did not load: {info['broken']}")
            if info['external']: notes.append(f"loads from outside the site: {info['external'][:3]}")
            if info['figures']: notes.append("pictures shown at " + ', '.join(f"{w}" for w, _ in info['figures']) + " px wide")
            figures[p] = [dict(shown=w, natural=n) for w, n in info['figures']]
            problems += bool(info['math'] != info['rendered'] or info['mathErrors'] or info['broken'])
            print(f"{dest.relative_to(root)}: {'; '.join(notes)}")
    finally:
        cdp.close(); srv.shutdown(); shutil.rmtree(prof, ignore_errors=True)
    (out/'figures.json').write_text(json.dumps(figures, indent=1))   # each picture's shown and natural width, per page
    return problems

def main(args):
    if not site.is_dir(): sys.exit("screenshots: no _docs/: build the site first with `python tools/docs.py`")
    pages = args or sorted(p.name for p in site.glob('*.html'))
    missing = [p for p in pages if not (site/p).is_file()]
    if missing: sys.exit(f"screenshots: no such page in _docs/: {', '.join(missing)}")
    return 1 if shoot(pages, int(os.environ.get('SHOT_WIDTH', 1280))) else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
