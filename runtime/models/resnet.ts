/**
 * torchvision ResNet18/34/50 (v1.5: the Bottleneck's stride is on its 3x3
 * conv), with 1x1 projection shortcuts and the new head Dropout(p) + Linear,
 * named `fc`.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { type Architecture, ArchitectureBuilder, type Stage } from './architecture.js';

const LAYOUTS = {
  resnet18: { block: 'basic', counts: [2, 2, 2, 2] },
  resnet34: { block: 'basic', counts: [3, 4, 6, 3] },
  resnet50: { block: 'bottleneck', counts: [3, 4, 6, 3] },
} as const;

export type ResNetName = keyof typeof LAYOUTS;

export function resnet(name: ResNetName, numClasses: number): Architecture {
  const { block, counts } = LAYOUTS[name];
  const expansion = block === 'basic' ? 1 : 4;
  const b = new ArchitectureBuilder();
  const stages: Stage[] = [];

  b.conv('conv1', 3, 64, 7);
  b.batchNorm('bn1', 64, 'conv1');
  stages.push({
    name: 'conv1',
    modules: ['conv1', 'bn1'],
    run: (c, x) => c.maxPool3x3s2(c.relu(c.batchNorm('bn1', c.conv('conv1', x, 2, 3)))),
  });

  let inChannels = 64;
  counts.forEach((count, layerIndex) => {
    const width = 64 * 2 ** layerIndex;
    for (let i = 0; i < count; i++) {
      const prefix = `layer${layerIndex + 1}.${i}`;
      const stride = i === 0 && layerIndex > 0 ? 2 : 1;
      const outChannels = width * expansion;
      const modules: string[] = [];
      const conv = (suffix: string, cin: number, cout: number, kernel: number, bn: string): void => {
        b.conv(`${prefix}.${suffix}`, cin, cout, kernel);
        b.batchNorm(`${prefix}.${bn}`, cout, `${prefix}.${suffix}`);
        modules.push(`${prefix}.${suffix}`, `${prefix}.${bn}`);
      };
      if (block === 'basic') {
        conv('conv1', inChannels, width, 3, 'bn1');
        conv('conv2', width, width, 3, 'bn2');
      } else {
        conv('conv1', inChannels, width, 1, 'bn1');
        conv('conv2', width, width, 3, 'bn2');
        conv('conv3', width, outChannels, 1, 'bn3');
      }
      const project = stride !== 1 || inChannels !== outChannels;
      if (project) conv('downsample.0', inChannels, outChannels, 1, 'downsample.1');
      stages.push({ name: prefix, modules, run: (c, x) => residual(c, x, prefix, block, stride, project) });
      inChannels = outChannels;
    }
  });

  stages.push({ name: 'avgpool', modules: [], run: (c, x) => c.globalAveragePool(x) });
  b.linear('fc', inChannels, numClasses);
  stages.push({ name: 'fc', modules: ['fc'], run: (c, x) => c.linear('fc', c.dropout(x)) });
  return { ...b, head: ['fc'], stages };
}

function residual(c: import('./forward-context.js').ForwardContext, x: tfc.Tensor, prefix: string, block: 'basic' | 'bottleneck', stride: number, project: boolean): tfc.Tensor {
  const unit = (conv: string, bn: string, input: tfc.Tensor, s: number, pad: number): tfc.Tensor =>
    c.batchNorm(`${prefix}.${bn}`, c.conv(`${prefix}.${conv}`, input, s, pad));
  let y: tfc.Tensor;
  if (block === 'basic') {
    y = unit('conv2', 'bn2', c.relu(unit('conv1', 'bn1', x, stride, 1)), 1, 1);
  } else {
    const a = c.relu(unit('conv1', 'bn1', x, 1, 0));
    const m = c.relu(unit('conv2', 'bn2', a, stride, 1));
    y = unit('conv3', 'bn3', m, 1, 0);
  }
  const shortcut = project ? unit('downsample.0', 'downsample.1', x, stride, 0) : x;
  return c.relu(c.add(y, shortcut));
}
