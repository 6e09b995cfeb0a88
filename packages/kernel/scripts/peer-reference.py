#!/usr/bin/env python3
"""Writes the peer fixtures the kernel's optimiser and safetensors tests compare against.

The tests read the fixtures (so CI needs neither Python nor the peers); this script regenerates them
from the real peers, and checks a file neurite wrote. It needs PyTorch (Debian: python3-torch, 1.13)
and the safetensors package (pip), for example:

    apt-get install python3-torch python3-numpy
    python3 -m venv --system-site-packages /tmp/st && /tmp/st/bin/pip install safetensors
    /tmp/st/bin/python packages/kernel/scripts/peer-reference.py            # regenerate fixtures
    /tmp/st/bin/python packages/kernel/scripts/peer-reference.py --check F  # read a neurite file

Fixtures (packages/kernel/test/fixtures/):
  torch-optim.json          SGD/Adam/AdamW trajectories with schedulers, and clip_grad_norm_ results
  peer-dtypes.safetensors   every dtype neurite reads, written by safetensors (+ peer-dtypes.json values)
  peer-writer.safetensors   a state dict written by safetensors, which neurite's writer must reproduce
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import safetensors
from safetensors.numpy import load_file, save_file
from safetensors.torch import save_file as save_torch

FIXTURES = Path(__file__).resolve().parent.parent / "test" / "fixtures"
STEPS = 25
SHAPES = [[3, 4], [5], [2, 3]]


def initial_params():
    out = []
    for k, shape in enumerate(SHAPES):
        n = int(np.prod(shape))
        values = [math.sin(0.37 * i + 1.1 * k) for i in range(n)]
        out.append(torch.tensor(values, dtype=torch.float32).reshape(shape).requires_grad_())
    return out


def gradient(params, t):
    # A quadratic pull towards a target plus a drifting term, so weight decay and momentum matter.
    grads = []
    for k, p in enumerate(params):
        n = p.numel()
        i = torch.arange(n, dtype=torch.float32).reshape(p.shape)
        a = 0.5 + 0.25 * torch.cos(i + k)
        target = 0.2 * torch.sin(0.5 * i - k)
        drift = 0.3 * torch.sin(0.7 * t + 1.3 * i + k)
        grads.append((a * (p.detach() - target) + drift).to(torch.float32))
    return grads


def make_optimizer(spec, params):
    groups = [{"params": params[:2]}, {"params": params[2:], **spec.get("group1", {})}]
    kind = spec["optimizer"]
    options = dict(spec["options"])
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    return cls(groups, **options)


def make_scheduler(spec, opt):
    s = spec.get("scheduler")
    if s is None:
        return None
    S = torch.optim.lr_scheduler
    kind = s["type"]
    if kind == "step":
        return S.StepLR(opt, step_size=s["stepSize"], gamma=s["gamma"])
    if kind == "cosine":
        return S.CosineAnnealingLR(opt, T_max=s["tMax"], eta_min=s["etaMin"])
    if kind == "one-cycle":
        return S.OneCycleLR(
            opt,
            max_lr=s["maxLr"],
            total_steps=s["totalSteps"],
            anneal_strategy=s.get("annealStrategy", "cos"),
            three_phase=s.get("threePhase", False),
        )
    if kind == "warmup-cosine":
        warm = S.LinearLR(opt, start_factor=s["startFactor"], total_iters=s["warmup"])
        cos = S.CosineAnnealingLR(opt, T_max=s["tMax"])
        return S.SequentialLR(opt, [warm, cos], milestones=[s["warmup"]])
    raise ValueError(kind)


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum")


def run_case(spec):
    params = initial_params()
    opt = make_optimizer(spec, params)
    sched = make_scheduler(spec, opt)
    record = {
        "spec": spec,
        "initial": [p.detach().flatten().tolist() for p in params],
        "steps": [],
    }
    for t in range(STEPS):
        opt.zero_grad()
        grads = gradient(params, t)
        for p, g in zip(params, grads):
            p.grad = g.clone()
        lrs = [g["lr"] for g in opt.param_groups]
        momenta = [momentum_of(g) for g in opt.param_groups]
        opt.step()
        if sched is not None:
            sched.step()
        record["steps"].append(
            {
                "grads": [g.flatten().tolist() for g in grads],
                "lr": lrs,
                "momentum": momenta,
                "params": [p.detach().flatten().tolist() for p in params],
            }
        )
    return record


CASES = [
    {"name": "sgd", "optimizer": "sgd", "options": {"lr": 0.1}},
    {
        "name": "sgd-momentum-dampening-wd",
        "optimizer": "sgd",
        "options": {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
        "group1": {"lr": 0.05},
    },
    {"name": "sgd-nesterov", "optimizer": "sgd", "options": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}},
    {"name": "sgd-maximize", "optimizer": "sgd", "options": {"lr": 0.05, "momentum": 0.5, "maximize": True}},
    {"name": "adam", "optimizer": "adam", "options": {"lr": 0.01}},
    {
        "name": "adam-amsgrad-wd",
        "optimizer": "adam",
        "options": {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.05, "amsgrad": True},
        "group1": {"lr": 0.003},
    },
    {"name": "adamw", "optimizer": "adamw", "options": {"lr": 0.01, "weight_decay": 0.1}, "group1": {"weight_decay": 0.0}},
    {"name": "adamw-amsgrad-maximize", "optimizer": "adamw", "options": {"lr": 0.01, "amsgrad": True, "maximize": True}},
    {
        "name": "sgd-step-lr",
        "optimizer": "sgd",
        "options": {"lr": 0.1, "momentum": 0.9},
        "scheduler": {"type": "step", "stepSize": 7, "gamma": 0.5},
    },
    {
        "name": "adam-cosine",
        "optimizer": "adam",
        "options": {"lr": 0.05},
        "group1": {"lr": 0.01},
        "scheduler": {"type": "cosine", "tMax": 10, "etaMin": 1e-4},
    },
    {
        "name": "sgd-one-cycle",
        "optimizer": "sgd",
        "options": {"lr": 0.1, "momentum": 0.9},
        "scheduler": {"type": "one-cycle", "maxLr": [0.2, 0.1], "totalSteps": STEPS},
    },
    {
        "name": "adam-one-cycle-linear-three-phase",
        "optimizer": "adam",
        "options": {"lr": 0.01},
        "scheduler": {"type": "one-cycle", "maxLr": 0.05, "totalSteps": STEPS, "annealStrategy": "linear", "threePhase": True},
    },
    {
        "name": "adamw-warmup-cosine",
        "optimizer": "adamw",
        "options": {"lr": 0.02},
        "scheduler": {"type": "warmup-cosine", "startFactor": 0.1, "warmup": 5, "tMax": 20},
    },
]


def clip_cases():
    out = []
    gen = torch.Generator().manual_seed(7)
    for norm_type in [2.0, 1.0, 3.0, math.inf]:
        for max_norm in [0.5, 100.0]:
            params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
            for p in params:
                p.grad = torch.randn(p.shape, generator=gen)
            grads = [p.grad.flatten().tolist() for p in params]
            total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
            out.append(
                {
                    "normType": "inf" if math.isinf(norm_type) else norm_type,
                    "maxNorm": max_norm,
                    "grads": grads,
                    "total": float(total),
                    "clipped": [p.grad.flatten().tolist() for p in params],
                }
            )
    return out


def write_optim():
    data = {
        "peer": f"torch {torch.__version__}",
        "shapes": SHAPES,
        "cases": [run_case(spec) for spec in CASES],
        "clip": clip_cases(),
    }
    (FIXTURES / "torch-optim.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")


def write_safetensors():
    rng = np.random.default_rng(3)
    tensors = {
        "f64": rng.normal(size=(2, 3)).astype(np.float64),
        "f32": rng.normal(size=(4,)).astype(np.float32),
        "f16": np.array([0.0, -0.0, 1.5, -2.25, 65504.0, 6.1035156e-05, 5.9604645e-08, np.inf], dtype=np.float16),
        "i64": np.array([[-2147483648, 2147483647], [0, -7]], dtype=np.int64),
        "u64": np.array([0, 2147483647], dtype=np.uint64),
        "i32": np.array([-5, 6, 7], dtype=np.int32),
        "u32": np.array([1, 2147483647], dtype=np.uint32),
        "i16": np.array([-32768, 32767, 3], dtype=np.int16),
        "u16": np.array([65535, 0], dtype=np.uint16),
        "i8": np.array([-128, 127, 0], dtype=np.int8),
        "u8": np.array([0, 255, 17], dtype=np.uint8),
        "bool": np.array([True, False, True], dtype=np.bool_),
        "scalar": np.array(2.5, dtype=np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }
    save_file(tensors, str(FIXTURES / "peer-dtypes.safetensors"), metadata={"format": "np", "note": "peer fixture"})
    # bfloat16 needs torch; the values are exact in bfloat16.
    save_torch(
        {"bf16": torch.tensor([1.0, -3.5, 0.15625, 3.0e38], dtype=torch.bfloat16)},
        str(FIXTURES / "peer-bf16.safetensors"),
    )
    def plain(x):  # JSON has no infinities: write them as strings
        return x if math.isfinite(x) else str(x)

    expected = {
        k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": [plain(x) for x in v.astype(np.float64).flatten().tolist()]}
        for k, v in tensors.items()
    }
    expected["bf16"] = {"dtype": "bfloat16", "shape": [4], "values": [1.0, -3.5, 0.15625, float(torch.tensor(3.0e38, dtype=torch.bfloat16).float())]}
    (FIXTURES / "peer-dtypes.json").write_text(json.dumps({"peer": f"safetensors {safetensors.__version__}", "tensors": expected}, allow_nan=False) + "\n")

    # A state dict in the three dtypes neurite writes, with names that sort differently by dtype and
    # by name; neurite's writer must produce these exact bytes.
    state = {
        "layer.weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 8,
        "layer.bias": np.array([0.5, -1.0], dtype=np.float32),
        "a.double": np.array([1.0 / 3.0], dtype=np.float64),
        "z.index": np.array([3, -1, 2**31 - 1], dtype=np.int32),
        "0": np.array(1.25, dtype=np.float32),
    }
    save_file(state, str(FIXTURES / "peer-writer.safetensors"), metadata={"format": "pt"})


def check(path):
    """Loads a file neurite wrote with the reference reader and prints what it holds."""
    from safetensors import safe_open

    with safe_open(path, framework="np") as f:
        print("metadata", f.metadata())
        for name in f.keys():
            t = f.get_tensor(name)
            print(name, t.dtype, list(t.shape), t.flatten()[:8].tolist())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        FIXTURES.mkdir(parents=True, exist_ok=True)
        write_optim()
        write_safetensors()
        print("fixtures written to", FIXTURES)
