/**
 * Child of onednn-check.ts, started with TF_ENABLE_ONEDNN_OPTS=1: one
 * training step of each architecture on the tensorflow backend. Exit 0 means
 * oneDNN ran every kind of layer sweepspec uses; a crash ends the process.
 */
import type { ArchName } from '../../compiler/types/run-config.js';
import { buildNetwork } from '../models/build-network.js';
import { loadNativeBackend } from './native-backend.js';
import * as tf from './tf.js';

const ARCHS: readonly ArchName[] = ['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1'];

await loadNativeBackend('tensorflow');
for (const arch of ARCHS) {
  for (const size of [64, 96]) {
    const network = buildNetwork({ arch, numClasses: 10, trainableLayers: 'all', dropout: 0, seed: 1 });
    const variables = network.trainableNames.map((name) => network.parameters.get(name) as tf.Variable);
    tf.tidy(() => {
      const x = tf.randomNormal([2, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const labels = tf.oneHot(tf.tensor1d([1, 2], 'int32'), 10);
      const { value, grads } = tf.variableGrads(() => {
        const result = network.forwardSuffix(network.forwardPrefix(x), { training: true });
        for (const update of result.batchNormUpdates.values()) update.dispose();
        return tf.losses.softmaxCrossEntropy(labels, result.logits) as tf.Scalar;
      }, variables);
      if (!Number.isFinite(value.dataSync()[0])) throw new Error(`${arch}: non-finite loss with oneDNN`);
      tf.dispose(Object.values(grads));
    });
    network.dispose();
  }
}
