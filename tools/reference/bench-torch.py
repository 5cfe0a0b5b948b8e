#!/usr/bin/python3
"""PyTorch CPU reference figures for bench/compute.ts (images per second,
median of repeats): forward (eval), full training step (SGD), frozen-trunk
step (trunk in eval mode without grad, head trains). Prints one JSON object.

  /usr/bin/python3 tools/reference/bench-torch.py --threads 2
"""
import argparse
import json
import statistics
import time

import torch
import torchvision

CASES = [('resnet18', 64, 32), ('resnet50', 224, 8)]


def timed(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(arch, size, batch, repeats):
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(num_classes=10)
    x = torch.randn(batch, 3, size, size)
    y = torch.randint(0, 10, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def forward():
        model.eval()
        with torch.no_grad():
            model(x)

    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def train():
        model.train()
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    trunk = torch.nn.Sequential(*list(model.children())[:-1])
    head = model.fc
    head_optimizer = torch.optim.SGD(head.parameters(), lr=0.01)

    def frozen_trunk():
        trunk.eval()
        with torch.no_grad():
            features = torch.flatten(trunk(x), 1)
        head_optimizer.zero_grad()
        loss_fn(head(features), y).backward()
        head_optimizer.step()

    return {name: batch / timed(fn, repeats) for name, fn in [('forward', forward), ('train', train), ('frozen_trunk', frozen_trunk)]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = {'torch': torch.__version__, 'threads': args.threads}
    for arch, size, batch in CASES:
        out[f'{arch}-{size}-b{batch}'] = measure(arch, size, batch, args.repeats)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
