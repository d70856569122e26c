"Timing shared by the benchmarks: wait for the GPU, time a call, choose torch's CPU threads."
import os, time
import torch

def sync(device):
    "Wait for the work queued on `device` (a CUDA GPU) to finish, so that a clock read after it counts that work"
    if torch.device(device).type == 'cuda': torch.cuda.synchronize()

def timed(f, device):
    "(seconds, result) of calling `f` on `device`"
    sync(device); t = time.perf_counter(); r = f(); sync(device)
    return time.perf_counter() - t, r

def pick_threads(step_secs, threads=None):
    "Use `threads` CPU threads, or the faster of 1 and all the cores, `step_secs(n)` being a step's seconds with `n`"
    if threads: return torch.set_num_threads(threads)
    n = os.cpu_count()
    t1, tn = step_secs(1), step_secs(n)
    torch.set_num_threads(1 if t1 < tn else n)
    print(f"threads: 1 -> {t1*1e3:.0f} ms/batch, {n} -> {tn*1e3:.0f} ms/batch; using {torch.get_num_threads()}")
