#!/usr/bin/python3
"""Parity fixtures for the data pipeline, from torchvision and scikit-learn.

Run with Debian's python (python3-torchvision, python3-sklearn):
    /usr/bin/python3 tools/data-fixtures/make_fixtures.py test/runtime/data/fixtures

Writes, all small and committed (CI never needs PyTorch):
  transforms/<case>.input.png|jpg   source images (deterministic)
  transforms/<case>.expected.png    torchvision's eval transform (Resize(round(s*256/224)), CenterCrop(s))
  transforms/rotate-<deg>.expected.png  PIL rotate NEAREST, fill 0 (RandomRotation's op) of rotate.input.png
  transforms.json                   cases, sizes, and ToTensor+Normalize values of one row
  random-resized-crop.json          RandomResizedCrop.get_params box statistics
  stratified-split.json             StratifiedShuffleSplit per-class counts over many random states
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
from PIL import Image
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from torchvision import transforms as T
from torchvision.transforms import functional as F


def pattern(width, height, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 128 + 100 * np.sin(x / (3 + seed) + y / 11.0)
    g = 128 + 100 * np.cos(y / (4 + seed % 3) - x / 17.0)
    b = 255 * (x + y) / (width + height)
    image = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (height, width, 3))
    return Image.fromarray(np.clip(np.round(image), 0, 255).astype(np.uint8), "RGB")


def eval_transform(size):
    return T.Compose([T.Resize(round(size * 256 / 224)), T.CenterCrop(size)])


TRANSFORM_CASES = [
    # name, width, height, image_size, format
    ("noop-32", 37, 50, 32, "png"),
    ("noop-64-wide", 90, 73, 64, "png"),
    ("noop-32-jpeg", 45, 37, 32, "jpg"),
    ("down-32", 120, 90, 32, "png"),
    ("down-224", 288, 262, 224, "png"),
    ("down-64-tall", 100, 230, 64, "png"),
    ("up-32", 20, 30, 32, "png"),
    ("down-32-jpeg", 160, 120, 32, "jpg"),
]

ROTATIONS = [7.5, -30.0, 45.0, 133.3]

CROP_CASES = [
    # width, height, scale, ratio
    (224, 224, (0.08, 1.0), (3 / 4, 4 / 3)),
    (400, 300, (0.2, 1.0), (3 / 4, 4 / 3)),
    (120, 500, (0.5, 1.0), (3 / 4, 4 / 3)),
    (600, 40, (0.9, 1.0), (3 / 4, 4 / 3)),  # mostly falls back to the central crop
    (50, 50, (0.99, 1.0), (0.5, 0.6)),  # falls back too
]

SPLIT_CASES = [
    # class counts, validation fraction
    ([10, 10, 10], 0.15),
    ([50, 7, 13, 2], 0.15),
    ([100, 3, 41, 12, 9], 0.2),
    ([31, 17, 5], 0.33),
    ([1000, 250, 60, 4], 0.1),
    ([8, 9, 10, 11, 12], 0.5),
    ([3, 3, 3, 3, 3, 3, 3], 0.3),
]


def transforms_fixtures(out):
    folder = os.path.join(out, "transforms")
    os.makedirs(folder, exist_ok=True)
    cases = []
    for index, (name, width, height, size, fmt) in enumerate(TRANSFORM_CASES):
        source = pattern(width, height, index + 1)
        input_path = os.path.join(folder, f"{name}.input.{fmt}")
        if fmt == "jpg":
            source.save(input_path, quality=90)
        else:
            source.save(input_path)
        # torchvision's default loader: PIL open + convert('RGB')
        loaded = Image.open(input_path).convert("RGB")
        expected = eval_transform(size)(loaded)
        expected.save(os.path.join(folder, f"{name}.expected.png"))
        cases.append({"name": name, "input": f"{name}.input.{fmt}", "expected": f"{name}.expected.png",
                      "width": width, "height": height, "image_size": size,
                      "resize_noop": min(width, height) == round(size * 256 / 224)})
    rotate_source = pattern(32, 32, 99)
    rotate_source.save(os.path.join(folder, "rotate.input.png"))
    for degrees in ROTATIONS:
        rotated = F.rotate(rotate_source, degrees, interpolation=T.InterpolationMode.NEAREST, fill=0)
        rotated.save(os.path.join(folder, f"rotate-{degrees}.expected.png"))
    crops = []
    crop_source = Image.open(os.path.join(folder, "down-224.input.png")).convert("RGB")
    for index, (top, left, height, width, size) in enumerate([(10, 20, 150, 200, 64), (0, 0, 262, 288, 224), (100, 50, 30, 25, 32)]):
        name = f"resized-crop-{index}.expected.png"
        F.resized_crop(crop_source, top, left, height, width, [size, size], T.InterpolationMode.BILINEAR).save(os.path.join(folder, name))
        crops.append({"input": "down-224.input.png", "top": top, "left": left, "height": height, "width": width, "size": size, "expected": name})
    first = Image.open(os.path.join(folder, "noop-32.input.png")).convert("RGB")
    tensor = T.Compose([eval_transform(32), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])(first)
    normalized_row = tensor[:, 0, :].permute(1, 0).reshape(-1).tolist()  # first row, HWC order
    return {"cases": cases, "rotations": ROTATIONS, "resized_crops": crops, "normalized_first_row": {"case": "noop-32", "values": normalized_row}}


def crop_statistics():
    torch.manual_seed(0)
    draws = 20000
    results = []
    for width, height, scale, ratio in CROP_CASES:
        image = Image.new("RGB", (width, height))
        boxes = np.array([T.RandomResizedCrop.get_params(image, list(scale), list(ratio)) for _ in range(draws)], dtype=np.float64)
        top, left, h, w = boxes.T
        results.append({
            "width": width, "height": height, "scale": list(scale), "ratio": list(ratio), "draws": draws,
            "mean": {"top": top.mean(), "left": left.mean(), "height": h.mean(), "width": w.mean(), "area": (h * w).mean()},
            "std": {"top": top.std(), "left": left.std(), "height": h.std(), "width": w.std(), "area": (h * w).std()},
            "full_image_fraction": float(np.mean((h == height) & (w == width))),
        })
    return results


def split_counts():
    results = []
    for counts, fraction in SPLIT_CASES:
        y = np.concatenate([np.full(count, label) for label, count in enumerate(counts)])
        seen = set()
        for state in range(200):
            splitter = StratifiedShuffleSplit(n_splits=1, test_size=fraction, random_state=state)
            train, test = next(splitter.split(np.zeros(len(y)), y))
            seen.add((tuple(np.bincount(y[train], minlength=len(counts)).tolist()),
                      tuple(np.bincount(y[test], minlength=len(counts)).tolist())))
        plain_train, plain_test = next(ShuffleSplit(n_splits=1, test_size=fraction, random_state=0).split(y))
        results.append({
            "counts": counts, "fraction": fraction,
            "stratified": [{"train": list(a), "validation": list(b)} for a, b in sorted(seen)],
            "shuffle_sizes": {"train": len(plain_train), "validation": len(plain_test)},
        })
    return results


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    versions = {"torch": torch.__version__, "torchvision": torchvision.__version__,
                "sklearn": __import__("sklearn").__version__, "PIL": Image.__version__}
    dump = lambda name, value: json.dump({"generated_by": "tools/data-fixtures/make_fixtures.py", "versions": versions, **value},
                                         open(os.path.join(out, name), "w"), indent=1)
    dump("transforms.json", transforms_fixtures(out))
    dump("random-resized-crop.json", {"cases": crop_statistics()})
    dump("stratified-split.json", {"cases": split_counts()})


if __name__ == "__main__":
    main()
