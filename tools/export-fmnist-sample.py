#!/usr/bin/env python3
"""Export a stratified, seeded Fashion-MNIST sample as an ImageFolder tree of PNGs.

The evidence in docs/performance.md (accuracy parity with PyTorch, the sweep
benchmark) trains on such a sample. Source: Debian's `dataset-fashion-mnist`
(`/usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz`), or any folder holding
the four original IDX archives.

    python3 tools/export-fmnist-sample.py                      # 3,000 train + 1,000 test
    python3 tools/export-fmnist-sample.py OUT --train-per-class 40 --test-per-class 20

Layout written (the same as data/fmnist-mini, the embedded demo sample):

    OUT/train/<class>/<index>.png   OUT/test/<class>/<index>.png
    OUT/manifest.csv                OUT/README.md

Deterministic and dependency-free (Python standard library only): the images
of a class are ranked by SHA-256 of "<seed>:<split>:<index>" and the first N
kept, so the sample is the same on every machine and Python version. Running it
again on an up-to-date folder rewrites nothing.

Default OUT: $SWEEPSPEC_FMNIST_3K, else `.cache/fmnist-3k` at the repository
root, which git ignores and which specs/parity/final-protocol.yaml reads through
the relative path `../../.cache/fmnist-3k`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import struct
import sys
import zlib
from pathlib import Path

CLASS_SLUGS = ['tshirt_top', 'trouser', 'pullover', 'dress', 'coat',
               'sandal', 'shirt', 'sneaker', 'bag', 'ankle_boot']
SPLITS = {'train': 'train', 'test': 't10k'}
MANIFEST_HEADER = 'split,class_slug,label,source_file,source_index,sha256_pixels,path'
README = """# Fashion-MNIST sample ({train} train, {test} test images)

Exported by sweepspec's `tools/export-fmnist-sample.py` (seed {seed}, {tpc} train
and {epc} test images per class) from the original IDX archives.

[Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) by Zalando
Research (Han Xiao, Kashif Rasul, Roland Vollgraf), MIT licence; copyright (c)
2017 Zalando SE. `manifest.csv` names each image's source archive and index and
a SHA-256 of its 784 pixel bytes.
"""


def default_out() -> Path:
    env = os.environ.get('SWEEPSPEC_FMNIST_3K')
    return Path(env) if env else Path(__file__).resolve().parent.parent / '.cache' / 'fmnist-3k'


def read_idx(path: Path, magic: int) -> tuple[list[int], bytes]:
    data = gzip.open(path, 'rb').read()
    found, count = struct.unpack('>II', data[:8])
    if found != magic:
        raise SystemExit(f'{path}: not an IDX file with magic {magic:#x} (got {found:#x})')
    dims = list(struct.unpack('>' + 'I' * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)]))
    return dims, data[4 + 4 * len(dims):]


def png_grey(pixels: bytes, width: int, height: int) -> bytes:
    """A minimal 8-bit greyscale PNG (filter 0 on every row), byte-stable across machines."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b''.join(b'\x00' + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b''))


def select(labels: bytes, split: str, per_class: int, seed: int) -> list[tuple[int, int]]:
    """(label, index) pairs: per class, the per_class indices with the smallest seeded hash, in index order."""
    chosen: list[tuple[int, int]] = []
    for label in range(len(CLASS_SLUGS)):
        indices = [i for i, y in enumerate(labels) if y == label]
        if len(indices) < per_class:
            raise SystemExit(f'{split}: class {CLASS_SLUGS[label]} has {len(indices)} images, asked for {per_class}')
        ranked = sorted(indices, key=lambda i: hashlib.sha256(f'{seed}:{split}:{i}'.encode()).digest())
        chosen.extend((label, i) for i in sorted(ranked[:per_class]))
    return chosen


def build_rows(source: Path, per_class: dict[str, int], seed: int) -> list[tuple[str, bytes]]:
    """Manifest lines and the PNG bytes of each image, split by split."""
    rows: list[tuple[str, bytes]] = []
    for split, prefix in SPLITS.items():
        image_file = f'{prefix}-images-idx3-ubyte.gz'
        (_, height, width), images = read_idx(source / image_file, 0x0803)
        _, labels = read_idx(source / f'{prefix}-labels-idx1-ubyte.gz', 0x0801)
        size = height * width
        for label, index in select(labels, split, per_class[split], seed):
            pixels = images[index * size:(index + 1) * size]
            path = f'{split}/{CLASS_SLUGS[label]}/{index:05d}.png'
            line = ','.join([split, CLASS_SLUGS[label], str(label), image_file, str(index),
                             hashlib.sha256(pixels).hexdigest(), path])
            rows.append((line, png_grey(pixels, width, height)))
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('out', nargs='?', type=Path, default=default_out(), help='output folder (default: %(default)s)')
    parser.add_argument('--source', type=Path, default=Path('/usr/share/datasets/fashion-mnist'),
                        help='folder with the four IDX .gz archives (default: %(default)s)')
    parser.add_argument('--train-per-class', type=int, default=300)
    parser.add_argument('--test-per-class', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if not (args.source / 'train-images-idx3-ubyte.gz').is_file():
        print(f'export-fmnist-sample: no Fashion-MNIST archives in {args.source} '
              '(Debian: apt-get install dataset-fashion-mnist)', file=sys.stderr)
        return 2
    rows = build_rows(args.source, {'train': args.train_per_class, 'test': args.test_per_class}, args.seed)
    manifest = '\n'.join([MANIFEST_HEADER] + [line for line, _ in rows]) + '\n'
    out: Path = args.out
    manifest_path = out / 'manifest.csv'
    if manifest_path.is_file() and manifest_path.read_text() == manifest and all(
            (out / line.rsplit(',', 1)[1]).is_file() for line, _ in rows):
        print(f'{out}: up to date ({len(rows)} images)')
        return 0
    if out.exists() and any(out.iterdir()) and not manifest_path.is_file():
        print(f'export-fmnist-sample: {out} is not empty and holds no manifest.csv; refusing to write there',
              file=sys.stderr)
        return 2
    for split in SPLITS:
        shutil.rmtree(out / split, ignore_errors=True)
    for line, png in rows:
        path = out / line.rsplit(',', 1)[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
    (out / 'README.md').write_text(README.format(
        train=10 * args.train_per_class, test=10 * args.test_per_class, seed=args.seed,
        tpc=args.train_per_class, epc=args.test_per_class))
    manifest_path.write_text(manifest)
    print(f'{out}: wrote {len(rows)} images')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
