"""Peer of the `on-lif` workload (the Open Neuromorphic SNN library benchmark): Linear(n, n) then a LIF
layer over T steps, loss = sum of output spikes, forward + backward, on one CPU thread or on the GPU
(`device`). Two ways to write it: the Linear inside the per-step loop (snnTorch style, `sizes`), and,
with `allSteps`, the Linear applied to all T steps at once before the loop (`sizesAllSteps`)."""
import torch

from common import args, emit, measure
from snn import device_label, lif_step, torch_device

a = args()
dev, sync = torch_device(a)
torch.backends.cuda.matmul.allow_tf32 = False
torch.manual_seed(0)
T, B = a["steps"], a["batch"]
out = {"name": "PyTorch", "version": torch.__version__, "device": device_label(dev), "sizes": {}}
if a.get("allSteps"):
    out["sizesAllSteps"] = {}


def lif_over_time(currents, v):
    spikes = []
    for t in range(T):
        s, v = lif_step(currents[t], v, 0.9, 1.0, 25.0)
        spikes.append(s)
    return torch.stack(spikes)


for n in a["sizes"]:
    linear = torch.nn.Linear(n, n).to(dev)
    x = torch.rand(T, B, n, device=dev)

    def per_step():
        linear.zero_grad()
        v = torch.zeros(B, n, device=dev)
        spikes = []
        for t in range(T):
            s, v = lif_step(linear(x[t]), v, 0.9, 1.0, 25.0)
            spikes.append(s)
        torch.stack(spikes).sum().backward()

    def all_steps():
        linear.zero_grad()
        lif_over_time(linear(x), torch.zeros(B, n, device=dev)).sum().backward()

    out["sizes"][str(n)] = measure(per_step, a["warmup"], a["repeats"], sync)
    if a.get("allSteps"):
        out["sizesAllSteps"][str(n)] = measure(all_steps, a["warmup"], a["repeats"], sync)
    del linear, x
emit(out)
