/**
 * The one TensorFlow.js entry every runtime module imports. tfjs-core's
 * published ESM files cannot be deep-imported under Node, and its gradient
 * definitions are registered only by the `@tensorflow/tfjs` bundle (into the
 * shared tfjs-core engine), so that bundle is loaded once here for its side
 * effect. Backends are registered and chosen by select-backend.ts.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
