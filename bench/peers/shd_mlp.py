"""Peer of the `shd-mlp` workload: one training step (forward, backward, Adam) of the SHD MLP in plain
PyTorch, stepped per timestep in the snnTorch style, on one thread."""
import torch

from common import args, emit, measure
from snn import lif_step, single_thread

a = args()
single_thread()
torch.manual_seed(0)
T, B, sizes, rate = a["steps"], a["batch"], a["sizes"], a["inputRate"]
BETA, THRESHOLD, SLOPE = 0.9, 1.0, 25.0

layers = torch.nn.ModuleList(torch.nn.Linear(i, o) for i, o in zip(sizes[:-1], sizes[1:]))
optimizer = torch.optim.Adam(layers.parameters(), lr=1e-3)
x = (torch.rand(T, B, sizes[0]) < rate).float()
labels = torch.tensor([(k * 7) % sizes[-1] for k in range(B)])


def forward():
    hidden = [torch.zeros(B, n) for n in sizes[1:-1]]
    readout = torch.zeros(B, sizes[-1])
    record = []
    for t in range(T):
        h = x[t]
        for k, layer in enumerate(layers[:-1]):
            h, hidden[k] = lif_step(layer(h), hidden[k], BETA, THRESHOLD, SLOPE)
        readout = BETA * readout + layers[-1](h)  # leaky integrator, no reset
        record.append(readout)
    return torch.stack(record)


last = {}


def step():
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(forward().mean(0), labels)
    loss.backward()
    optimizer.step()
    last["loss"] = loss.item()


timing = measure(step, a["warmup"], a["repeats"])
emit({"name": "PyTorch", "version": torch.__version__, "timing": timing, "loss": last["loss"]})
