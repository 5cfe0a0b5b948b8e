#!/usr/bin/python3
"""The seed study's final protocol in plain PyTorch: the reference side of the accuracy parity.

ResNet18 from scratch (torchvision's, its fc replaced by Dropout(0.4) + Linear as
the seed notebook did) on an ImageFolder dataset at 32 px; eval transform for
every split (Resize(round(32 * 256 / 224)) = Resize(37), CenterCrop(32),
ToTensor, ImageNet Normalize; grey PNGs converted to RGB by ImageFolder's
loader); SGD lr 7e-3 momentum 0.9 weight decay 1e-3; StepLR(4, 0.5) stepped per
epoch; cross-entropy; 8 epochs; batch 32 (shuffled), eval batch 16; 85/15
stratified split (sklearn StratifiedShuffleSplit, random_state = seed); the
epoch with the best validation accuracy is kept (first on ties) and tested:
accuracy and macro-F1.

    nice -n 10 /usr/bin/python3 tools/parity/pytorch_final_protocol.py --seed 0 \
        --data .cache/fmnist-3k --json tools/parity/measured/pytorch-seed0.json

Needs Debian's python3-torch, python3-torchvision, python3-sklearn. Images are
decoded and transformed once up front (the protocol has no augmentation, so
every epoch would see the same tensors); the per-epoch times therefore exclude
image decoding.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
import torch
import torchvision
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedShuffleSplit
from torch import nn
from torchvision import datasets, transforms

# The protocol both sides run; test/tools/parity-protocol.test.ts checks that
# specs/parity/final-protocol.yaml resolves to the same settings.
PROTOCOL = json.loads((Path(__file__).resolve().parent / 'final-protocol.json').read_text())
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def load_split(folder: Path, size: int) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    transform = transforms.Compose([
        transforms.Resize(round(size * 256 / 224)), transforms.CenterCrop(size),
        transforms.ToTensor(), transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    dataset = datasets.ImageFolder(str(folder), transform=transform)
    images = torch.stack([dataset[i][0] for i in range(len(dataset))])
    return images, torch.tensor(dataset.targets), dataset.classes


def build_model(classes: int, dropout: float) -> nn.Module:
    model = torchvision.models.resnet18(num_classes=classes)
    model.fc = nn.Sequential(nn.Dropout(dropout), nn.Linear(model.fc.in_features, classes))
    return model


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int) -> tuple[float, float, np.ndarray]:
    """Mean loss, accuracy and the predictions, in eval mode, without gradients."""
    model.eval()
    loss_sum, predictions = 0.0, []
    with torch.no_grad():
        for start in range(0, len(x), batch):
            logits = model(x[start:start + batch])
            loss_sum += nn.functional.cross_entropy(logits, y[start:start + batch], reduction='sum').item()
            predictions.append(logits.argmax(1))
    predicted = torch.cat(predictions).numpy()
    return loss_sum / len(x), float((predicted == y.numpy()).mean()), predicted


def train_epoch(model, optimizer, x, y, batch: int, generator: torch.Generator) -> tuple[float, float]:
    model.train()
    order = torch.randperm(len(x), generator=generator)
    loss_sum, correct = 0.0, 0
    for start in range(0, len(x), batch):
        index = order[start:start + batch]
        optimizer.zero_grad()
        logits = model(x[index])
        loss = nn.functional.cross_entropy(logits, y[index])
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(index)
        correct += int((logits.argmax(1) == y[index]).sum())
    return loss_sum / len(x), correct / len(x)


def run(seed: int, data: Path, threads: int, epochs: int) -> dict:
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    np.random.seed(seed)
    p = PROTOCOL
    implemented = (p['arch'], p['pretrained'], p['trainable_layers'], p['optimizer']['type'], p['schedule']['type'],
                   p['select'], p['augment'], p['loss'])
    assert implemented == ('resnet18', 'none', 'all', 'sgd', 'step', 'val_accuracy', False, 'cross_entropy'), \
        f'final-protocol.json asks for {implemented}; this script implements only the seed protocol'
    started = time.perf_counter()
    x_all, y_all, classes = load_split(data / 'train', p['image_size'])
    x_test, y_test, test_classes = load_split(data / 'test', p['image_size'])
    assert classes == test_classes, 'train and test class folders differ'
    split = StratifiedShuffleSplit(n_splits=1, test_size=p['validation_fraction'], random_state=seed)
    train_index, val_index = next(split.split(np.zeros(len(y_all)), y_all.numpy()))
    x_train, y_train = x_all[train_index], y_all[train_index]
    x_val, y_val = x_all[val_index], y_all[val_index]
    load_seconds = time.perf_counter() - started

    model = build_model(len(classes), p['dropout'])
    o = p['optimizer']
    optimizer = torch.optim.SGD(model.parameters(), lr=o['lr'], momentum=o['momentum'], weight_decay=o['weight_decay'])
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=p['schedule']['step_size'], gamma=p['schedule']['gamma'])
    generator = torch.Generator().manual_seed(seed)
    history, best_accuracy, best_epoch, best_state = [], -1.0, 0, None
    for epoch in range(1, epochs + 1):
        epoch_started = time.perf_counter()
        lr = optimizer.param_groups[0]['lr']
        train_loss, train_accuracy = train_epoch(model, optimizer, x_train, y_train, p['batch_size'], generator)
        train_seconds = time.perf_counter() - epoch_started
        val_loss, val_accuracy, _ = evaluate(model, x_val, y_val, p['eval_batch_size'])
        scheduler.step()
        history.append({'epoch': epoch, 'lr': lr, 'train_loss': train_loss, 'train_accuracy': train_accuracy,
                        'val_loss': val_loss, 'val_accuracy': val_accuracy, 'train_seconds': train_seconds,
                        'seconds': time.perf_counter() - epoch_started})
        print(f'seed {seed} epoch {epoch}: lr {lr:.2e} train {train_loss:.4f}/{train_accuracy:.4f} '
              f'val {val_loss:.4f}/{val_accuracy:.4f} {history[-1]["seconds"]:.1f}s', file=sys.stderr, flush=True)
        if val_accuracy > best_accuracy:
            best_accuracy, best_epoch, best_state = val_accuracy, epoch, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    test_loss, test_accuracy, predicted = evaluate(model, x_test, y_test, p['eval_batch_size'])
    return {
        'side': 'pytorch', 'seed': seed, 'data': str(data), 'protocol': {k: v for k, v in {**p, 'epochs': epochs}.items() if k != 'seeds'},
        'threads': threads, 'classes': classes,
        'counts': {'train': len(train_index), 'validation': len(val_index), 'test': len(y_test)},
        'versions': {'torch': torch.__version__, 'torchvision': torchvision.__version__,
                     'sklearn': sklearn.__version__, 'python': platform.python_version()},
        'epochs': history, 'best_epoch': best_epoch,
        'test': {'accuracy': test_accuracy, 'macro_f1': float(f1_score(y_test.numpy(), predicted, average='macro',
                                                                         zero_division=0)),
                 'loss': test_loss},
        'seconds': {'load': load_seconds, 'total': time.perf_counter() - started},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--data', type=Path, default=Path(__file__).resolve().parents[2] / '.cache' / 'fmnist-3k',
                        help='ImageFolder root with train/ and test/ (default: %(default)s)')
    parser.add_argument('--json', type=Path, help='write the result here (default: stdout)')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--epochs', type=int, default=PROTOCOL['epochs'], help='fewer only to smoke-test the script')
    args = parser.parse_args(argv)
    result = run(args.seed, args.data, args.threads, args.epochs)
    text = json.dumps(result, indent=2) + '\n'
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text)
    else:
        sys.stdout.write(text)
    print(f'seed {args.seed}: test accuracy {result["test"]["accuracy"]:.4f}, macro-F1 {result["test"]["macro_f1"]:.4f} '
          f'(kept epoch {result["best_epoch"]})', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
