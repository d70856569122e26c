"""Neural style transfer: PyTorch's own tutorial algorithm vs `gendl.style.stylize`, same inputs, one process.

The reference is the algorithm as PyTorch's neural-style tutorial writes it: the backbone's layers copied into an
`nn.Sequential` with `ContentLoss`/`StyleLoss` modules inserted after the chosen convolutions, the model cut after
the last loss module, and `torch.optim.LBFGS` driven by a closure that clamps the picture and re-runs the model.
gendl runs `stylize` with the same objective (the tutorial's Gram normalisation expressed as per-layer weights
1/C^2; the tutorial's content and style weights 1 and 1e6, rescaled for the backbone's input scale), the same
layers (content conv4_2, style conv1_1..conv5_1), the same start (the content picture) and the same number of
evaluations. Every final picture is rounded to 8 bits and scored with the reference's loss in float32.

gendl runs as `stylize` does by default: bounded L-BFGS (it clamps the picture itself and records the step it
really took) and the best picture evaluated. It runs in float32 and with
`bf16=True` (bfloat16 for the first half of the steps, float32 for the rest). Optionally the reference runs again
from a start moved by 1e-4 noise (`--variants ref,noise`): the tutorial's L-BFGS on this objective is chaotic, and
that run shows how far its final loss moves for reasons that have nothing to do with the implementation. Several
content/style pairs (`--pairs`) give a fairer picture of the final loss than any single one.

On a CPU shared with other work, wall time depends on the neighbours: the script runs one thread and reports
process CPU time too, which does not.

    python bench/style.py                 # quick CPU size: 256 px, 300 evaluations, one pair
    python bench/style.py --pairs chelsea:hokusai_great_wave,coffee:kandinsky_composition_viii,astronaut:van_gogh_cafe_terrace,rocket:van_gogh_night_cafe
    python bench/style.py --size 512 --evals 300 --device cuda --threads 0   # the full GPU size
    python bench/style.py --hires         # also a 2048 px coarse-to-fine run (time, peak memory), in a subprocess
"""
import argparse, copy, json, os, platform, resource, subprocess, sys, time
import torch
from torch import nn
import torch.nn.functional as F
from gendl.assets import get_image, load_backbone
from gendl.imgopt import img2t, t2img, resize_t
from gendl.style import stylize

CONTENT_LAYER, STYLE_LAYERS = 'conv4_2', ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1']

# ---- the reference, as the tutorial writes it ----
class Normalization(nn.Module):
    def __init__(self, bb): super().__init__(); self.bb = bb
    def forward(self, img): return self.bb.normalize(img)

class ContentLoss(nn.Module):
    def __init__(self, target): super().__init__(); self.target = target.detach()
    def forward(self, input):
        self.loss = F.mse_loss(input, self.target)
        return input

def gram_matrix(input):
    a, b, c, d = input.size()
    features = input.view(a * b, c * d)
    G = torch.mm(features, features.t())
    return G.div(a * b * c * d)

class StyleLoss(nn.Module):
    def __init__(self, target_feature): super().__init__(); self.target = gram_matrix(target_feature).detach()
    def forward(self, input):
        G = gram_matrix(input)
        self.loss = F.mse_loss(G, self.target)
        return input

def get_style_model_and_losses(bb, style_img, content_img, content_layers, style_layers):
    cnn = copy.deepcopy(bb.model)
    names = {id(m): n for n, m in bb.layers.items()}      # the backbone's readable names, e.g. conv4_2
    model = nn.Sequential(Normalization(bb))
    content_losses, style_losses = [], []
    for i, layer in enumerate(cnn.children()):
        name = names[id(list(bb.model.children())[i])]
        if isinstance(layer, nn.ReLU): layer = nn.ReLU(inplace=False)
        model.add_module(name, layer)
        if name in content_layers:
            target = model(content_img).detach()
            content_loss = ContentLoss(target)
            model.add_module(f"content_loss_{name}", content_loss)
            content_losses.append(content_loss)
        if name in style_layers:
            target_feature = model(style_img).detach()
            style_loss = StyleLoss(target_feature)
            model.add_module(f"style_loss_{name}", style_loss)
            style_losses.append(style_loss)
    for i in range(len(model) - 1, -1, -1):
        if isinstance(model[i], (ContentLoss, StyleLoss)): break
    model = model[:(i + 1)]
    return model, style_losses, content_losses

def run_style_transfer(bb, content_img, style_img, input_img, num_steps=300, style_weight=1000000, content_weight=1):
    model, style_losses, content_losses = get_style_model_and_losses(bb, style_img, content_img, [CONTENT_LAYER], STYLE_LAYERS)
    input_img.requires_grad_(True)
    model.eval()
    model.requires_grad_(False)
    optimizer = torch.optim.LBFGS([input_img])
    run = [0]
    while run[0] <= num_steps:
        def closure():
            with torch.no_grad(): input_img.clamp_(0, 1)
            optimizer.zero_grad()
            model(input_img)
            style_score = sum(sl.loss for sl in style_losses) * style_weight
            content_score = sum(cl.loss for cl in content_losses) * content_weight
            loss = style_score + content_score
            loss.backward()
            run[0] += 1
            return style_score + content_score
        optimizer.step(closure)
    with torch.no_grad(): input_img.clamp_(0, 1)
    return input_img, run[0]

# ---- scoring: the reference's objective, float32, on 8-bit pictures ----
class Scorer:
    "The reference's objective for one content/style pair, unweighted: built once, then called on each final picture"
    def __init__(self, bb, content, style):
        self.model, self.sls, self.cls = get_style_model_and_losses(bb, style, content, [CONTENT_LAYER], STYLE_LAYERS)
    def __call__(self, img):
        "(content loss, style loss) of `img`"
        with torch.no_grad(): self.model(img)
        return sum(l.loss for l in self.cls).item(), sum(l.loss for l in self.sls).item()

def hires(args):
    "Run a coarse-to-fine 2048 px style transfer in this process and print time and peak memory as JSON"
    t0, c0 = time.time(), time.process_time()
    cname, sname = args.pairs.split(',')[0].split(':')
    img = stylize(cname, sname, size=2048, levels=4, steps=args.hires_steps, backbone=args.backbone,
                  device=args.device, quiet=False)
    secs, cpu = time.time() - t0, time.process_time() - c0
    img.save(args.hires_out)
    print(json.dumps(dict(size=img.size, secs=secs, cpu=cpu, peak_rss_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/2**20)))

VARIANTS = {'ref': 'reference (PyTorch tutorial)',
            'fp32': 'gendl stylize, float32',
            'bf16': 'gendl stylize, bf16=True (bfloat16, then float32 for the last steps)',
            'noise': 'reference again, start moved by 1e-4 noise'}

def run_pair(args, dev, cname, sname, bb_ref, bb_gen, bb_score, variants):
    "Run each variant on one content/style pair; return {variant: (wall s, CPU s, (loss, content, style))}"
    content = img2t(get_image(cname), args.size).to(dev)
    # the tutorial's content loss module also sees the style picture, so both have the same size (as in its loader)
    style = img2t(t2img(resize_t(img2t(get_image(sname)), tuple(content.shape[-2:])))).to(dev)
    print(f"content {cname} {content.shape[-1]}x{content.shape[-2]}, style {sname} {style.shape[-1]}x{style.shape[-2]}", flush=True)
    # The tutorial's weights (content 1, style 1e6) suit ImageNet-normalised input. A Caffe model such as vgg16_hed
    # takes input about 255*0.226 = 58 times larger, so its activations are ~58x, the content loss ~58^2x and the
    # style loss ~58^4x larger: both weights are divided by those factors to keep the tutorial's balance (s = 1 for
    # an ImageNet-normalised backbone such as vgg19).
    sc = float(bb_ref.scale / bb_ref.std.mean() * 0.226)
    cw, sw = 1/sc**2, 1e6/sc**4
    sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)
    scorer = Scorer(bb_score, content, style)
    def loss(img):
        c, s_ = scorer(img2t(img).to(dev))
        return c*cw + s_*sw, c*cw, s_*sw
    def timed(f):
        sync(); t0, c0 = time.perf_counter(), time.process_time()
        img = f()
        sync(); return img, time.perf_counter() - t0, time.process_time() - c0
    # The tutorial's loop runs L-BFGS steps of 20 evaluations while its counter is <= num_steps: num_steps=N-20
    # gives exactly N evaluations (N a multiple of 20), the same number as gendl's N steps.
    def ref(start):
        out, n = run_style_transfer(copy.deepcopy(bb_ref), content, style, start, num_steps=args.evals - 20,
                                    style_weight=sw, content_weight=cw)
        assert n == args.evals, n
        return t2img(out)
    wts = [1/bb_gen.layer(n).out_channels**2 for n in STYLE_LAYERS]   # the tutorial's Gram is also divided by C
    def gen(bf16):
        return stylize(t2img(content), t2img(style), size=args.size, steps=args.evals, backbone=copy.deepcopy(bb_gen),
                       device=dev, content_layer=CONTENT_LAYER, style_layers=STYLE_LAYERS, layer_wts=wts, content_wt=cw,
                       style_wt=sw, tv_wt=0., norm_loss=False, init='content', opt='lbfgs', lr=1.,
                       channels_last=not args.no_channels_last, bf16=bf16, fp32_tail=args.fp32_tail, quiet=True)
    g = torch.Generator().manual_seed(0)
    noisy = (content + 1e-4*torch.randn(content.shape, generator=g).to(dev)).clamp(0, 1)
    fs = {'ref': lambda: ref(content.clone()), 'fp32': lambda: gen(False), 'bf16': lambda: gen(True),
          'noise': lambda: ref(noisy.clone())}
    res = {}
    for v in variants:
        img, t, c = timed(fs[v])
        res[v] = (t, c, loss(img))
        l = res[v][2]
        print(f"  {VARIANTS[v]}: {args.evals} evaluations, {t:.1f}s wall, {c:.1f}s CPU ({c/args.evals*1000:.0f} ms CPU each), "
              f"final loss {l[0]:.4g} (content {l[1]:.4g}, style {l[2]:.4g})", flush=True)
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--evals', type=int, default=300)
    p.add_argument('--pairs', default='chelsea:hokusai_great_wave',
                   help='comma-separated content:style pairs, e.g. chelsea:hokusai_great_wave,astronaut:van_gogh_cafe_terrace')
    p.add_argument('--variants', default='ref,fp32,bf16', help=f"comma-separated, among {', '.join(VARIANTS)}")
    p.add_argument('--backbone', default='vgg16_hed'); p.add_argument('--device', default='cpu')
    p.add_argument('--random', action='store_true', help='random weights (when the pretrained ones are not provisioned)')
    p.add_argument('--fp32-tail', type=float, default=0.5, help="gendl bf16: the fraction of the steps run in float32 at the end")
    p.add_argument('--no-channels-last', action='store_true')
    p.add_argument('--threads', type=int, default=1, help='CPU threads (1: steadier timings on a shared machine; 0: torch default)')
    p.add_argument('--hires', action='store_true', help='also time a 2048 px coarse-to-fine run (subprocess)')
    p.add_argument('--hires-steps', type=int, default=80, help='steps of the coarsest (256 px) level')
    p.add_argument('--hires-out', default='/tmp/gendl_style_2048.jpg')
    p.add_argument('--_hires-child', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    if args._hires_child: return hires(args)
    dev = torch.device(args.device)
    variants = args.variants.split(',')
    if variants[0] != 'ref' or any(v not in VARIANTS for v in variants): sys.exit(f"--variants must start with ref and name some of {', '.join(VARIANTS)}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, device {dev}")
    bbs = [load_backbone(args.backbone, device=dev, pretrained=not args.random) for _ in range(3)]
    if args.random:
        for b in bbs[1:]: b.model.load_state_dict(bbs[0].model.state_dict())
    bb_ref, bb_gen, bb_score = bbs
    print(f"backbone {args.backbone} ({'random init' if args.random else 'pretrained'}), {args.size} px, {args.evals} evaluations")
    # warm up both memory layouts (kernel selection, allocator) before timing anything
    x0 = torch.rand(1, 3, args.size*2//3, args.size, device=dev)
    for fmt in (torch.contiguous_format, torch.channels_last):
        m = copy.deepcopy(bb_ref.model).to(memory_format=fmt)
        x = bb_ref.normalize(x0).contiguous(memory_format=fmt).requires_grad_()
        m(x).sum().backward()
    allres = []
    for pair in args.pairs.split(','):
        cname, sname = pair.split(':')
        allres.append((pair, run_pair(args, dev, cname, sname, bb_ref, bb_gen, bb_score, variants)))
    print(f"\nsummary over {len(allres)} pair(s): time and final loss of each variant / the reference's")
    for v in variants[1:]:
        tr = [r[v][0]/r['ref'][0] for _, r in allres]; cr = [r[v][1]/r['ref'][1] for _, r in allres]
        lr_ = [r[v][2][0]/r['ref'][2][0] for _, r in allres]
        wins = sum(l <= 1 for l in lr_)
        print(f"{VARIANTS[v]}: CPU time {sum(r[v][1] for _, r in allres)/sum(r['ref'][1] for _, r in allres):.2f}x "
              f"(per pair {', '.join(f'{x:.2f}' for x in cr)}), wall time {sum(r[v][0] for _, r in allres)/sum(r['ref'][0] for _, r in allres):.2f}x; "
              f"final loss per pair {', '.join(f'{x:.3g}' for x in lr_)}x, no worse in {wins} of {len(lr_)}")
    if args.hires:
        cmd = [sys.executable, __file__, '--_hires-child', '--threads', str(args.threads), '--pairs', args.pairs,
               '--backbone', args.backbone, '--device', args.device, '--hires-steps', str(args.hires_steps),
               '--hires-out', args.hires_out]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode: sys.exit(out.stderr)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"2048 px coarse-to-fine (4 levels 256-512-1024-2048, {args.hires_steps} steps at 256 px, a quarter as many "
              f"at each finer level): {r['size'][0]}x{r['size'][1]} in {r['secs']:.0f}s wall, {r['cpu']:.0f}s CPU, peak memory {r['peak_rss_gib']:.1f} GiB")

if __name__ == '__main__': main()
