#!/usr/bin/python3
"""PyTorch reference for the seed's final protocol on a Fashion-MNIST sample.

resnet18 from scratch, 32 px (Resize(round(32*256/224)=37) + CenterCrop(32),
RGB, ImageNet normalisation, no augmentation), new head Dropout(0.4) +
Linear(512, C), SGD lr 7e-3 momentum 0.9 weight_decay 1e-3, StepLR(4, 0.5)
per epoch, 8 epochs, batch 32 (eval 16), plain cross-entropy, kept weights by
best val_accuracy (first on ties), then the test split.

It reads the exact split the sweepspec run used (a JSON written by
tools/fmnist-protocol.ts: {root, classes, train, validation, test} of
{file, label}), so the two runs differ only in framework, initialisation and
shuffling. Usage:
    /usr/bin/python3 tools/fmnist-protocol-torch.py SPLIT.json OUT.json [--threads 2] [--epochs 8]
"""
import argparse
import copy
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

parser = argparse.ArgumentParser()
parser.add_argument("split")
parser.add_argument("out")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--epochs", type=int, default=8)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

split = json.load(open(args.split))
classes = split["classes"]
transform = transforms.Compose([
    transforms.Resize(37),
    transforms.CenterCrop(32),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


def load(samples):
    images = torch.stack([transform(Image.open(f"{split['root']}/{s['file']}").convert("RGB")) for s in samples])
    return images, torch.tensor([s["label"] for s in samples])


train_x, train_y = load(split["train"])
val_x, val_y = load(split["validation"])
test_x, test_y = load(split["test"])

model = torchvision.models.resnet18(num_classes=len(classes))
model.fc = nn.Sequential(nn.Dropout(0.4), nn.Linear(512, len(classes)))
optimizer = torch.optim.SGD(model.parameters(), lr=7e-3, momentum=0.9, weight_decay=1e-3)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)


def evaluate(x, y, batch=16):
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            logits = model(x[i:i + batch])
            loss_sum += F.cross_entropy(logits, y[i:i + batch]).item() * len(logits)
            correct += (logits.argmax(1) == y[i:i + batch]).sum().item()
    return loss_sum / len(y), correct / len(y)


history, best, best_state = [], None, None
for epoch in range(1, args.epochs + 1):
    model.train()
    started = time.time()
    lr = optimizer.param_groups[0]["lr"]
    order = torch.randperm(len(train_y))
    loss_sum, correct = 0.0, 0
    for i in range(0, len(order), 32):
        idx = order[i:i + 32]
        logits = model(train_x[idx])
        loss = F.cross_entropy(logits, train_y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(idx)
        correct += (logits.argmax(1) == train_y[idx]).sum().item()
    train_seconds = time.time() - started
    scheduler.step()
    val_loss, val_acc = evaluate(val_x, val_y)
    metrics = {"epoch": epoch, "train_loss": loss_sum / len(order), "train_accuracy": correct / len(order),
               "val_loss": val_loss, "val_accuracy": val_acc, "lr": lr, "seconds": time.time() - started,
               "images_per_second": len(order) / train_seconds}
    history.append(metrics)
    print(json.dumps(metrics), flush=True)
    if best is None or val_acc > best["val_accuracy"]:
        best = metrics
        best_state = copy.deepcopy(model.state_dict())

model.load_state_dict(best_state)
test_loss, test_acc = evaluate(test_x, test_y)
result = {"history": history, "best_epoch": best["epoch"], "test_loss": test_loss, "test_accuracy": test_acc,
          "threads": args.threads, "torch": torch.__version__}
print(json.dumps({"best_epoch": best["epoch"], "test_accuracy": test_acc, "test_loss": test_loss}))
json.dump(result, open(args.out, "w"), indent=1)
