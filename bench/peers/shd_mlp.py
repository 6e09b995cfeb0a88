"""Peer of the `shd-mlp` workload: one training step (forward, backward, Adam) of the SHD MLP in plain
PyTorch, stepped per timestep in the snnTorch style, on one CPU thread or on the GPU (`device`)."""
import torch

from common import args, emit, measure
from snn import device_label, lif_step, torch_device

a = args()
dev, sync = torch_device(a)
# TF32 would trade fp32 accuracy for speed; neurite computes in fp32, so the peer does too.
torch.backends.cuda.matmul.allow_tf32 = False
torch.manual_seed(0)
T, B, sizes, rate = a["steps"], a["batch"], a["sizes"], a["inputRate"]
BETA, THRESHOLD, SLOPE = 0.9, 1.0, 25.0

layers = torch.nn.ModuleList(torch.nn.Linear(i, o) for i, o in zip(sizes[:-1], sizes[1:])).to(dev)
optimizer = torch.optim.Adam(layers.parameters(), lr=1e-3)
x = (torch.rand(T, B, sizes[0], device=dev) < rate).float()
labels = torch.tensor([(k * 7) % sizes[-1] for k in range(B)], device=dev)


def forward():
    hidden = [torch.zeros(B, n, device=dev) for n in sizes[1:-1]]
    readout = torch.zeros(B, sizes[-1], device=dev)
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


timing = measure(step, a["warmup"], a["repeats"], sync)
emit({
    "name": "PyTorch",
    "version": torch.__version__,
    "device": device_label(dev),
    "timing": timing,
    "loss": last["loss"],
})
