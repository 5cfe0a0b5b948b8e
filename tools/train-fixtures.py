#!/usr/bin/python3
"""Writes the PyTorch / sklearn / ignite reference fixtures that test/runtime/train checks.

Run with Debian's python3-torch and python3-sklearn (CI never needs them):
    /usr/bin/python3 tools/train-fixtures.py
Outputs test/runtime/train/fixtures/{optimizers,schedules,loss,classification-report}.json.

pytorch-ignite is not packaged for Debian, so the cosine schedule is ignite's
CyclicalScheduler + CosineAnnealingScheduler transcribed below (event_index
counter reset when it reaches cycle_size, value read before the increment, the
handler attached to ITERATION_STARTED), from ignite/handlers/param_scheduler.py.
"""
import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import classification_report, confusion_matrix

OUT = Path(__file__).resolve().parent.parent / "test" / "runtime" / "train" / "fixtures"
torch.manual_seed(0)
rng = np.random.default_rng(0)


def write(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(data, indent=1) + "\n")


def tolist(t):
    return t.detach().double().numpy().tolist()


# ---- optimizers -------------------------------------------------------------
IN, CLASSES, N, STEPS = 3, 4, 8, 5
LR_FACTORS = [1.0, 0.8, 0.6, 1.0, 0.5]
init_w = rng.normal(0, 0.5, (IN, CLASSES)).astype(np.float32)
init_b = rng.normal(0, 0.1, (CLASSES,)).astype(np.float32)
x = rng.normal(0, 1, (N, IN)).astype(np.float32)
y = rng.integers(0, CLASSES, N).astype(np.int64)
fixed_grads = [
    {"w": rng.normal(0, 1, (IN, CLASSES)).astype(np.float32), "b": rng.normal(0, 1, (CLASSES,)).astype(np.float32)}
    for _ in range(STEPS)
]

configs = []
for wd in (0.0, 0.05):
    configs += [
        {"type": "sgd", "lr": 0.1, "momentum": 0.0, "nesterov": False, "weight_decay": wd},
        {"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": False, "weight_decay": wd},
        {"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": wd},
        {"type": "adam", "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": wd},
        {"type": "adamw", "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": wd},
    ]
configs.append({"type": "adam", "lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.01})


def make_optimizer(config, params):
    if config["type"] == "sgd":
        return torch.optim.SGD(params, lr=config["lr"], momentum=config["momentum"],
                               nesterov=config["nesterov"], weight_decay=config["weight_decay"])
    cls = torch.optim.Adam if config["type"] == "adam" else torch.optim.AdamW
    return cls(params, lr=config["lr"], betas=tuple(config["betas"]), eps=config["eps"],
               weight_decay=config["weight_decay"])


def trajectory(config, gradient_source):
    w = torch.tensor(init_w, requires_grad=True)
    b = torch.tensor(init_b, requires_grad=True)
    opt = make_optimizer(config, [w, b])
    steps = []
    for t in range(STEPS):
        lr = config["lr"] * LR_FACTORS[t]
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        if gradient_source == "fixed":
            w.grad = torch.tensor(fixed_grads[t]["w"])
            b.grad = torch.tensor(fixed_grads[t]["b"])
            loss = None
        else:
            loss = F.cross_entropy(torch.tensor(x) @ w + b, torch.tensor(y))
            loss.backward()
        opt.step()
        steps.append({"lr": lr, "loss": None if loss is None else loss.item(),
                      "fc.weight": tolist(w), "fc.bias": tolist(b)})
    state = {}
    for name, p in (("fc.weight", w), ("fc.bias", b)):
        for slot, value in opt.state[p].items():
            if slot != "step" and value is not None:
                state[f"{name}/{slot}"] = tolist(value)
    return {"steps": steps, "final_state": state}


write("optimizers.json", {
    "initial": {"fc.weight": init_w.tolist(), "fc.bias": init_b.tolist()},
    "x": x.tolist(), "y": y.tolist(),
    "fixed_grads": [{"fc.weight": g["w"].tolist(), "fc.bias": g["b"].tolist()} for g in fixed_grads],
    "cases": [{"config": c, "fixed": trajectory(c, "fixed"), "model": trajectory(c, "model")} for c in configs],
})

# ---- schedules --------------------------------------------------------------


def step_lr_sequence(lr, step_size, gamma, epochs, steps_per_epoch):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=step_size, gamma=gamma)
    out = []
    for _ in range(epochs):
        for _ in range(steps_per_epoch):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
        sched.step()
    return out


class IgniteCosine:
    """ignite.handlers.CosineAnnealingScheduler (cycle_mult = value mults = 1)."""

    def __init__(self, start_value, end_value, cycle_size):
        if cycle_size < 2:
            raise ValueError("ignite requires cycle_size > 1")
        self.start_value, self.end_value, self.cycle_size = start_value, end_value, int(cycle_size)
        self.event_index = 0
        self.value = None

    def __call__(self):  # CyclicalScheduler.__call__ then ParamScheduler.__call__
        if self.event_index != 0 and self.event_index % self.cycle_size == 0:
            self.event_index = 0
        progress = self.event_index / self.cycle_size
        self.value = self.start_value + ((self.end_value - self.start_value) / 2) * (1 - math.cos(math.pi * progress))
        self.event_index += 1
        return self.value


def cosine_sequence(start, end, cycle_size, total):
    sched = IgniteCosine(start, end, cycle_size)
    return [sched() for _ in range(total)]


schedules = []
for lr, step_size, gamma, epochs, spe in ((0.1, 2, 0.5, 7, 3), (7e-3, 4, 0.5, 8, 5), (0.01, 1, 0.1, 3, 2)):
    schedules.append({"config": {"optimizer": {"type": "sgd", "lr": lr, "momentum": 0, "nesterov": False, "weight_decay": 0},
                                 "schedule": {"type": "step", "step_size": step_size, "gamma": gamma}, "epochs": epochs},
                      "steps_per_epoch": spe, "lrs": step_lr_sequence(lr, step_size, gamma, epochs, spe)})
for start, end, cycle, epochs, spe in ((5e-3, 1e-3, "epoch", 3, 5), (5e-3, 1e-3, "run", 3, 5), (1e-2, 1e-4, "epoch", 2, 7), (1e-3, 1e-2, "run", 4, 3)):
    size = spe if cycle == "epoch" else spe * epochs
    schedules.append({"config": {"optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0, "nesterov": False, "weight_decay": 0},
                                 "schedule": {"type": "cosine", "start_lr": start, "end_lr": end, "cycle": cycle}, "epochs": epochs},
                      "steps_per_epoch": spe, "lrs": cosine_sequence(start, end, size, epochs * spe)})
write("schedules.json", {"cases": schedules})

# ---- loss ---------------------------------------------------------------------
loss_cases = []
logits = torch.tensor(rng.normal(0, 2, (6, 5)).astype(np.float32))
labels = torch.tensor([0, 2, 2, 4, 1, 2])
weights = torch.tensor([0.8, 0.9, 0.5, 1.0, 0.95])
for w in (None, weights):
    for smoothing in (0.0, 0.1, 0.3):
        z = logits.clone().requires_grad_(True)
        loss = F.cross_entropy(z, labels, weight=w, label_smoothing=smoothing)
        loss.backward()
        loss_cases.append({"class_weights": None if w is None else w.tolist(), "label_smoothing": smoothing,
                           "loss": loss.item(), "grad": tolist(z.grad)})
write("loss.json", {"logits": logits.tolist(), "labels": labels.tolist(), "cases": loss_cases})

# ---- classification report ------------------------------------------------------
report_cases = []
classes = ["a", "b", "c", "d", "e"]
for y_true, y_pred in (
    ([0, 0, 1, 1, 2, 2, 2, 3, 0, 1], [0, 1, 1, 1, 2, 0, 2, 1, 0, 1]),  # class 4 has no support, 3 never predicted
    ([1, 1, 1, 2, 3, 3, 4, 4, 4, 4, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),  # one predicted class
    (list(rng.integers(0, 5, 40)), list(rng.integers(0, 4, 40))),
):
    y_true = [int(v) for v in y_true]
    y_pred = [int(v) for v in y_pred]
    rep = classification_report(y_true, y_pred, labels=list(range(5)), target_names=classes,
                                zero_division=0, output_dict=True)
    report_cases.append({"y_true": y_true, "y_pred": y_pred,
                         "confusion": confusion_matrix(y_true, y_pred, labels=list(range(5))).tolist(),
                         "report": rep})
write("classification-report.json", {"classes": classes, "cases": report_cases})
print("wrote", OUT)
