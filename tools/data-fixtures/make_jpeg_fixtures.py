#!/usr/bin/python3
"""JPEG decoding fixtures: files Pillow encodes and the pixels Pillow decodes them to.

Run with Debian's python (python3-pil, the Pillow torchvision's loader uses, on
Debian's libjpeg62-turbo 2.1.5):
    /usr/bin/python3 tools/data-fixtures/make_jpeg_fixtures.py test/runtime/data/fixtures/jpeg-decoder

Writes, all small and committed (CI never needs Python):
  <case>.jpg          a deterministic image saved with the case's settings
  <case>.pil.png      Image.open(<case>.jpg).convert('RGB'), torchvision's default_loader
  cases.json          the cases and the libjpeg-turbo version Pillow decoded with

test/runtime/data/jpeg-decoder.test.ts holds sweepspec's WebAssembly decoder to
these pixels byte for byte.
"""
import json
import os
import sys

import numpy as np
from PIL import Image, features


def photo_like(width, height, seed):
    """Smooth gradients, edges and noise: exercises every DCT frequency and the chroma upsampling."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 128 + 90 * np.sin(x / (3 + seed) + y / 7)
    g = 128 + 90 * np.cos(y / 5 - x / (11 + seed))
    b = np.where((x // 8 + y // 8) % 2 == 0, 40, 210) + 0 * x
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (height, width, 3))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), 'RGB')


CASES = [
    # name, size, mode, save options
    ('ycbcr-420-q90', (37, 29), 'RGB', dict(quality=90, subsampling=2)),
    ('ycbcr-422-q75', (45, 33), 'RGB', dict(quality=75, subsampling=1)),
    ('ycbcr-444-q95', (31, 40), 'RGB', dict(quality=95, subsampling=0)),
    ('ycbcr-420-q100', (64, 48), 'RGB', dict(quality=100, subsampling=2)),
    ('ycbcr-420-q20', (50, 50), 'RGB', dict(quality=20, subsampling=2)),
    ('progressive-420', (57, 43), 'RGB', dict(quality=85, subsampling=2, progressive=True)),
    ('progressive-444', (23, 61), 'RGB', dict(quality=85, subsampling=0, progressive=True)),
    ('optimized-huffman', (40, 30), 'RGB', dict(quality=90, optimize=True)),
    ('grey', (33, 27), 'L', dict(quality=90)),
    ('grey-progressive', (26, 35), 'L', dict(quality=80, progressive=True)),
    ('one-pixel', (1, 1), 'RGB', dict(quality=90)),
    ('wide-strip', (300, 3), 'RGB', dict(quality=90, subsampling=2)),
]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    for seed, (name, size, mode, options) in enumerate(CASES):
        image = photo_like(*size, seed).convert(mode)
        path = os.path.join(out_dir, f'{name}.jpg')
        image.save(path, 'JPEG', **options)
        Image.open(path).convert('RGB').save(os.path.join(out_dir, f'{name}.pil.png'))
        cases.append({'name': name, 'width': size[0], 'height': size[1], 'mode': mode, 'options': options})
    # Decoded elsewhere (sharp): CMYK is not one of the decoder's colour spaces.
    photo_like(20, 20, 99).convert('CMYK').save(os.path.join(out_dir, 'cmyk.jpg'), 'JPEG', quality=90)
    manifest = {'libjpeg_turbo': features.version('libjpeg_turbo'), 'pillow': Image.__version__, 'cases': cases, 'not_decoded_here': ['cmyk.jpg']}
    with open(os.path.join(out_dir, 'cases.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
