#!/usr/bin/python3
"""Logit parity fixtures for sweepspec's models (run with Debian's python3-torch
and python3-torchvision; CI never runs this).

Every weight, BatchNorm statistic and input pixel is a pure function of the
tensor's state_dict name and the element's flat index in torch layout
(`formula_values`, mirrored by test/runtime/weights/formula-weights.ts), so the
fixtures hold only logits. The TypeScript test writes the same weights as a
safetensors file, loads it through runtime/weights and compares.

  /usr/bin/python3 tools/reference/make-logit-fixtures.py test/runtime/weights/fixtures
"""
import json
import sys

import numpy as np
import torch
import torchvision

NUM_CLASSES = 5
INPUT_SHAPE = (2, 3, 53, 67)  # N, C, H, W: odd sizes exercise ceil-mode pools and padding
MASK = (1 << 32) - 1


def fnv1a(name):
    h = 0x811C9DC5
    for byte in name.encode():
        h ^= byte
        h = (h * 0x01000193) & MASK
    return h


def uniform(name, count):
    """u in [0, 1) from a 32-bit integer hash of (name, index)."""
    x = (np.arange(count, dtype=np.uint64) * np.uint64(2654435761) + np.uint64(fnv1a(name))) & np.uint64(MASK)
    for _ in range(2):
        x ^= x >> np.uint64(16)
        x = (x * np.uint64(0x45D9F3B)) & np.uint64(MASK)
    x ^= x >> np.uint64(16)
    return x.astype(np.float64) / 4294967296.0


def formula_values(name, shape):
    count = int(np.prod(shape)) if len(shape) else 1
    u = uniform(name, count)
    if name.startswith('input'):
        v = 2 * u - 1
    elif name.endswith('running_mean'):
        v = (2 * u - 1) * 0.2
    elif name.endswith('running_var'):
        v = 0.5 + u
    elif len(shape) >= 2:  # conv / linear weight: kaiming-uniform-like scale
        fan_in = int(np.prod(shape[1:]))
        v = (2 * u - 1) * np.sqrt(6.0 / fan_in)
    else:
        is_bn_weight = name.endswith('.weight')
        v = 0.5 + u if is_bn_weight else (2 * u - 1) * 0.2
    return torch.tensor(v.reshape(shape), dtype=torch.float32)


def build(arch):
    model = getattr(torchvision.models, arch)(num_classes=NUM_CLASSES)
    state = {}
    for name, tensor in model.state_dict().items():
        if name.endswith('num_batches_tracked'):
            state[name] = tensor
            continue
        state[name] = formula_values(name, tuple(tensor.shape))
    model.load_state_dict(state)
    return model


def main(out_dir):
    torch.set_num_threads(2)
    x = formula_values('input', INPUT_SHAPE)
    fixtures = {'num_classes': NUM_CLASSES, 'input_shape_nchw': list(INPUT_SHAPE), 'archs': {}}
    for arch in ['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1']:
        model = build(arch).double()
        model.eval()
        with torch.no_grad():
            logits = model(x.double())
        entry = {'eval_logits': logits.tolist()}
        if arch == 'resnet18':
            model.train()
            with torch.no_grad():
                entry['train_logits'] = model(x.double()).tolist()
            entry['bn1.running_mean'] = model.bn1.running_mean.tolist()
            entry['bn1.running_var'] = model.bn1.running_var.tolist()
        fixtures['archs'][arch] = entry
        print(arch, 'logits[0][:3] =', logits[0][:3].tolist(), file=sys.stderr)
    with open(f'{out_dir}/logit-parity.json', 'w') as f:
        json.dump(fixtures, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'test/runtime/weights/fixtures')
