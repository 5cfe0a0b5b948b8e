#!/usr/bin/python3
"""The seed's architectures experiment as the notebook ran it: the PyTorch half of the sweep benchmark.

For each of resnet18, resnet34, resnet50 and squeezenet1_1 (random initialisation,
as `pretrained: none`): freeze the backbone, put a new head on it (resnets: a new
fc; squeezenet: a new final 1x1 conv, as torchvision's num_classes does), train
the head with Adam 1e-3 and cross-entropy for N epochs at 64 px, batch 32,
validate each epoch (eval batch 16) on a stratified 15% split, keep the best
validation epoch and test it. Like the notebook, every epoch runs the full
forward pass through the frozen backbone, images come through an ImageFolder
DataLoader (decode, Resize(73), CenterCrop(64), ToTensor, Normalize), 2 threads.
The frozen backbone stays in eval mode (its BatchNorm statistics frozen, which
is what sweepspec's `trainable_layers: 0` means).

    nice /usr/bin/python3 tools/parity/pytorch_sweep.py --data .cache/fmnist-bench --json out.json

bench/sweep.ts runs this next to `sweepspec run specs/parity/architectures-64.yaml`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchvision
from sklearn.model_selection import StratifiedShuffleSplit
from torch import nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

ARCHS = ['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1']
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def frozen_with_head(arch: str, classes: int) -> tuple[nn.Module, nn.Module, list[nn.Parameter]]:
    """The model, its frozen backbone and the parameters of its new head."""
    model = getattr(torchvision.models, arch)()
    for parameter in model.parameters():
        parameter.requires_grad = False
    if arch.startswith('resnet'):
        model.fc = nn.Linear(model.fc.in_features, classes)
        return model, nn.Sequential(*list(model.children())[:-1]), list(model.fc.parameters())
    model.classifier[1] = nn.Conv2d(model.classifier[1].in_channels, classes, kernel_size=1)
    return model, model.features, list(model.classifier[1].parameters())


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(1) == y).sum())
            total += len(y)
    return correct / total


def run_arch(arch: str, data: Path, size: int, epochs: int, seed: int) -> dict:
    started = time.perf_counter()
    torch.manual_seed(seed)
    transform = transforms.Compose([
        transforms.Resize(round(size * 256 / 224)), transforms.CenterCrop(size),
        transforms.ToTensor(), transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    train_all = datasets.ImageFolder(str(data / 'train'), transform=transform)
    test = datasets.ImageFolder(str(data / 'test'), transform=transform)
    split = StratifiedShuffleSplit(n_splits=1, test_size=0.15, random_state=seed)
    train_index, val_index = next(split.split(np.zeros(len(train_all)), np.array(train_all.targets)))
    generator = torch.Generator().manual_seed(seed)
    train_loader = DataLoader(Subset(train_all, train_index), batch_size=32, shuffle=True, generator=generator)
    val_loader = DataLoader(Subset(train_all, val_index), batch_size=16)
    test_loader = DataLoader(test, batch_size=16)

    model, backbone, head = frozen_with_head(arch, len(train_all.classes))
    optimizer = torch.optim.Adam(head, lr=1e-3)
    best_accuracy, best_state, history = -1.0, None, []
    for epoch in range(1, epochs + 1):
        epoch_started = time.perf_counter()
        model.train()
        backbone.eval()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        val_accuracy = evaluate(model, val_loader)
        history.append({'epoch': epoch, 'val_accuracy': val_accuracy, 'seconds': time.perf_counter() - epoch_started})
        if val_accuracy > best_accuracy:
            best_accuracy = val_accuracy
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    test_accuracy = evaluate(model, test_loader)
    seconds = time.perf_counter() - started
    print(f'{arch}: test accuracy {test_accuracy:.4f}, {seconds:.1f}s', file=sys.stderr, flush=True)
    return {'arch': arch, 'epochs': history, 'test_accuracy': test_accuracy, 'seconds': seconds,
            'counts': {'train': len(train_index), 'validation': len(val_index), 'test': len(test)}}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data', type=Path, required=True, help='ImageFolder root with train/ and test/')
    parser.add_argument('--json', type=Path, help='write the result here (default: stdout)')
    parser.add_argument('--image-size', type=int, default=64)
    parser.add_argument('--epochs', type=int, default=5)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--archs', default=','.join(ARCHS))
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    runs = [run_arch(arch, args.data, args.image_size, args.epochs, args.seed) for arch in args.archs.split(',')]
    result = {'side': 'pytorch', 'threads': args.threads, 'image_size': args.image_size, 'epochs': args.epochs,
              'versions': {'torch': torch.__version__, 'torchvision': torchvision.__version__},
              'runs': runs, 'seconds': time.perf_counter() - started}
    text = json.dumps(result, indent=2) + '\n'
    if args.json:
        args.json.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
