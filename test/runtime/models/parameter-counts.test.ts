import { describe, expect, it } from 'vitest';
import { CONV_LAYER_COUNTS } from '../../../compiler/types/run-config.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import { architectureParameterCounts, convLayerCount, countParameters } from '../../../runtime/models/count-parameters.js';

// torchvision's numbers with a 10-class head.
const TOTALS = { resnet18: 11_181_642, resnet34: 21_289_802, resnet50: 23_528_522, squeezenet1_1: 727_626 } as const;

describe('parameter counts equal torchvision', () => {
  it.each(Object.entries(TOTALS))('%s has %i parameters', (arch, total) => {
    expect(architectureParameterCounts(arch as keyof typeof TOTALS, 10, 'all')).toEqual({ total, trainable: total });
  });

  it.each([
    [15, 16_956_938],
    [22, 19_453_962],
    [30, 22_150_154],
  ])('resnet50 with trainable_layers %i trains %i', (layers, trainable) => {
    expect(architectureParameterCounts('resnet50', 10, layers)).toEqual({ total: TOTALS.resnet50, trainable });
  });

  it('trainable_layers 0 trains only the head', () => {
    expect(architectureParameterCounts('resnet18', 10, 0).trainable).toBe(512 * 10 + 10);
    expect(architectureParameterCounts('squeezenet1_1', 10, 0).trainable).toBe(512 * 10 + 10);
  });

  it('conv layer counts match the language spec', () => {
    for (const [arch, count] of Object.entries(CONV_LAYER_COUNTS)) expect(convLayerCount(arch as keyof typeof TOTALS)).toBe(count);
  });

  it('a built network counts the same as its description', async () => {
    await selectBackend('cpu');
    const network = buildNetwork({ arch: 'squeezenet1_1', numClasses: 10, trainableLayers: 3, dropout: 0 });
    expect(countParameters(network)).toEqual(architectureParameterCounts('squeezenet1_1', 10, 3));
    expect(network.trainableNames).toEqual([
      'features.12.expand1x1.weight',
      'features.12.expand1x1.bias',
      'features.12.expand3x3.weight',
      'features.12.expand3x3.bias',
      'classifier.1.weight',
      'classifier.1.bias',
    ]);
    network.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });

  it('rejects trainable_layers beyond the conv count', () => {
    expect(() => architectureParameterCounts('resnet18', 10, 21)).toThrow(/\[0, 20\]/);
  });
});
