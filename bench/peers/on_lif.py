"""Peer of the `on-lif` workload (the Open Neuromorphic SNN library benchmark at CPU scale): Linear(n, n)
then a LIF layer over T steps, loss = sum of output spikes, forward + backward, one thread."""
import torch

from common import args, emit, measure
from snn import lif_step, single_thread

a = args()
single_thread()
torch.manual_seed(0)
T, B = a["steps"], a["batch"]
out = {"name": "PyTorch", "version": torch.__version__, "sizes": {}}
for n in a["sizes"]:
    linear = torch.nn.Linear(n, n)
    x = torch.rand(T, B, n)

    def step():
        linear.zero_grad()
        v = torch.zeros(B, n)
        spikes = []
        for t in range(T):
            s, v = lif_step(linear(x[t]), v, 0.9, 1.0, 25.0)
            spikes.append(s)
        torch.stack(spikes).sum().backward()

    out["sizes"][str(n)] = measure(step, a["warmup"], a["repeats"])
emit(out)
