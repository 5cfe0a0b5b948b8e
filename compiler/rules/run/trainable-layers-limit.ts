import { CONV_LAYER_COUNTS } from '../../types/run-config.js';
import { NO_PROBLEMS, type RunRule } from './run-rule.js';

/** trainable_layers may not exceed the architecture's number of convolution layers. */
export const trainableLayersLimit: RunRule = {
  name: 'trainable-layers-limit',
  check: ({ config }) => {
    const { arch, trainable_layers: layers } = config.model;
    const count = CONV_LAYER_COUNTS[arch];
    if (typeof layers !== 'number' || count === undefined || layers <= count) return NO_PROBLEMS;
    return [
      {
        code: 'TRAINABLE_LAYERS_EXCEED',
        path: ['model', 'trainable_layers'],
        message: `model.trainable_layers: ${arch} has ${count} convolution layers, got ${layers} (use all to train every layer)`,
      },
    ];
  },
};
