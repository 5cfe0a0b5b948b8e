#!/usr/bin/python3
"""PyTorch DataLoader reference figures for bench/data.ts: images per second
through torchvision's ImageFolder, decoding every JPEG every pass (PIL, as
torchvision's default loader does), with the same transforms as sweepspec:

  eval:    Resize(round(size*256/224)), CenterCrop(size), ToTensor, Normalize
  augment: RandomResizedCrop(size, scale, ratio), RandomHorizontalFlip,
           RandomRotation(rotation), ToTensor, Normalize

Batches of --batch, for each --workers count. Workers are persistent and one
untimed pass warms them up (sweepspec's data workers also outlive an epoch),
then the median of --passes timed passes. Prints one JSON object:
{"eval": {"0": img/s, "2": img/s}, "augment": {...}, "versions": {...}}.

  /usr/bin/python3 tools/reference/bench-dataloader.py --root DIR --size 224 --workers 0 2
"""
import argparse
import json
import statistics
import time

import PIL
import torch
import torchvision
from torchvision import datasets, transforms

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def pipeline(mode, size, scale, ratio, rotation):
    if mode == 'eval':
        steps = [transforms.Resize(round(size * 256 / 224)), transforms.CenterCrop(size)]
    else:
        steps = [
            transforms.RandomResizedCrop(size, scale=scale, ratio=ratio),
            transforms.RandomHorizontalFlip(),
            transforms.RandomRotation(rotation),
        ]
    return transforms.Compose(steps + [transforms.ToTensor(), transforms.Normalize(MEAN, STD)])


def rate(root, mode, args, workers):
    dataset = datasets.ImageFolder(root, transform=pipeline(mode, args.size, args.scale, args.ratio, args.rotation))
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=args.batch, shuffle=(mode == 'augment'), num_workers=workers,
        persistent_workers=workers > 0,
    )
    for _ in loader:  # warm-up pass: starts the workers
        pass
    times = []
    for _ in range(args.passes):
        start = time.perf_counter()
        for images, _labels in loader:
            pass
        times.append(time.perf_counter() - start)
    return len(dataset) / statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--root', required=True, help='an ImageFolder root (class folders inside)')
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--workers', type=int, nargs='+', default=[0, 2])
    parser.add_argument('--modes', nargs='+', default=['eval', 'augment'])
    parser.add_argument('--passes', type=int, default=3)
    parser.add_argument('--scale', type=float, nargs=2, default=[0.2, 1.0])
    parser.add_argument('--ratio', type=float, nargs=2, default=[3 / 4, 4 / 3])
    parser.add_argument('--rotation', type=float, default=30)
    parser.add_argument('--threads', type=int, default=0, help='torch.set_num_threads in the main process (0: torch default)')
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    result = {mode: {str(w): rate(args.root, mode, args, w) for w in args.workers} for mode in args.modes}
    result['versions'] = {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'pillow': PIL.__version__, 'threads': torch.get_num_threads()}
    print(json.dumps(result))


if __name__ == '__main__':
    main()
