#!/usr/bin/env python3
"""Convert torchvision's published ImageNet weights to the safetensors files
`pretrained: imagenet` reads (<arch>-imagenet.safetensors, torchvision
state_dict names, torch layout). Needs torch and torchvision; downloads the
weights the first time unless they are in torch's hub cache already.

  python3 tools/convert-torchvision-weights.py --arch resnet18 --out ~/.cache/sweepspec/weights
  python3 tools/convert-torchvision-weights.py --arch all --out DIR
"""
import argparse
import json
import os
import struct

import torch
import torchvision

ARCHS = ['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1']
DTYPES = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64'}


def write_safetensors(path, tensors, metadata):
    header = {'__metadata__': metadata}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {'dtype': DTYPES[tensor.dtype], 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    encoded += b' ' * ((8 - len(encoded) % 8) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)
    os.replace(tmp, path)


def convert(arch, out_dir):
    # torchvision >= 0.13: weights='DEFAULT' is the IMAGENET1K_V1/V2 recommended set.
    model = getattr(torchvision.models, arch)(weights='DEFAULT')
    path = os.path.join(out_dir, f'{arch}-imagenet.safetensors')
    write_safetensors(path, model.state_dict(), {'format': 'pt', 'arch': arch, 'num_classes': '1000', 'source': 'torchvision'})
    print(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--arch', required=True, choices=ARCHS + ['all'])
    parser.add_argument('--out', default=os.path.expanduser(os.environ.get('SWEEPSPEC_WEIGHTS', '~/.cache/sweepspec/weights')))
    args = parser.parse_args()
    out_dir = os.path.expanduser(args.out)
    os.makedirs(out_dir, exist_ok=True)
    for arch in ARCHS if args.arch == 'all' else [args.arch]:
        convert(arch, out_dir)


if __name__ == '__main__':
    main()
