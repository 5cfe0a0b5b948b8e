import type { RunConfig } from '../../compiler/types/run-config.js';
import * as tf from '../backend/tf.js';
import type { Network } from '../models/network.js';
import { deriveSeed, Random } from '../random.js';
import { activeAugment, augmentBase } from './augment-image.js';
import type { DataCaches } from './data-caches.js';
import { expectedDigests } from './expected-digests.js';
import { FeatureLookup } from './feature-lookup.js';
import { loadNormalized, type ImageLoaderOptions } from './image-loader.js';
import { prefetch } from './prefetch.js';
import { SharedBatchBuffers } from './shared-batches.js';
import type { Batch, BatchSource, ImageSample } from './types.js';

/** Batches prepared ahead of the one being consumed. */
export const PREFETCH_DEPTH = 2;

export interface BatchSourceOptions {
  readonly samples: readonly ImageSample[];
  /** Absolute path of the data root. */
  readonly root: string;
  /** `train` shuffles per epoch and augments; `eval` keeps the order and never augments. */
  readonly role: 'train' | 'eval';
  readonly config: RunConfig;
  readonly network: Network;
  readonly seed: number;
  readonly caches: DataCaches | null;
}

/**
 * Batches of one split: NHWC float32 images, normalised with ImageNet
 * statistics, passed through `network.forwardPrefix`. Train batches follow a
 * permutation drawn from deriveSeed(seed, 'shuffle', epoch); the last partial
 * batch is kept (PyTorch's drop_last=False). Each image is decoded,
 * augmented and normalised by the data workers, straight into the batch's
 * shared buffer (shared-batches.ts), PREFETCH_DEPTH batches ahead of
 * training. When the network
 * has a frozen prefix and the images are not augmented, each image's prefix
 * output comes from the feature cache and is computed only the first time.
 * Samples from loadDatasetSplits are checked against the digests they were
 * loaded with: a file edited during the run fails with DATASET_CHANGED.
 */
export function createBatchSource(options: BatchSourceOptions): BatchSource {
  const { samples, role, config, network } = options;
  const batchSize = role === 'train' ? config.data.batch_size : config.data.eval_batch_size;
  const augment = role === 'train' ? activeAugment(config.augment) : null;
  const loader: ImageLoaderOptions = {
    root: options.root,
    imageSize: config.data.image_size,
    caches: options.caches,
    expected: expectedDigests(samples),
  };
  const features = network.frozenPrefixId !== null && augment === null ? new FeatureLookup(loader, network) : null;
  const size = config.data.image_size;
  const numBatches = Math.ceil(samples.length / batchSize);
  const variant = augment ? augmentBase(augment) : 'eval';
  const buffers = new SharedBatchBuffers(PREFETCH_DEPTH + 1);

  async function prepare(order: readonly number[], epoch: number, b: number) {
    const batch = order.slice(b * batchSize, (b + 1) * batchSize).map((i) => samples[i]);
    const labels = Int32Array.from(batch, (sample) => sample.label);
    if (features) return { batch, labels, features: await features.prepare(batch), images: null };
    // Each image's floats are written in place (by a data worker): every float of the buffer is overwritten.
    const images = buffers.take(batch.length * size * size * 3);
    const augmentation = augment ? { config: augment, seed: options.seed, epoch } : null;
    await Promise.all(batch.map((sample, i) => loadNormalized(loader, sample.file, variant, augmentation, images, i * size * size * 3)));
    return { batch, labels, features: null, images };
  }

  async function* generate(epoch: number): AsyncGenerator<Batch> {
    const order = role === 'train' ? new Random(deriveSeed(options.seed, 'shuffle', epoch)).permutation(samples.length) : samples.map((_, i) => i);
    for await (const prepared of prefetch(numBatches, PREFETCH_DEPTH, (b) => prepare(order, epoch, b))) {
      let inputs: tf.Tensor;
      if (prepared.features) inputs = features!.finish(prepared.features);
      else {
        const images = prepared.images!;
        const shape: [number, number, number, number] = [prepared.batch.length, size, size, 3];
        // Without a frozen prefix, forwardPrefix is the identity: it would only copy the batch (19 MB at 224 px, batch 32).
        inputs = network.frozenPrefixId === null ? batchTensor(images, shape) : tf.tidy(() => network.forwardPrefix(batchTensor(images, shape)));
        buffers.release(images);
      }
      yield { inputs, labels: prepared.labels, samples: prepared.batch };
    }
  }

  return { numSamples: samples.length, numBatches, batches: (epoch) => generate(epoch) };
}

/**
 * A batch's tensor from its shared buffer, which is reused once this returns.
 * The wasm backend copies a typed array into its own memory as the tensor is
 * made; others may keep the array they are given (cpu; tensorflow until the
 * tensor's first use), so they get a copy. (Copying 19 MB of floats into a
 * fresh array, batch 32 at 224 px, costs the main thread about 0.3 ms per
 * image, mostly the new array's page faults.)
 */
function batchTensor(images: Float32Array, shape: [number, number, number, number]): tf.Tensor4D {
  return tf.tensor4d(tf.getBackend() === 'wasm' ? images : images.slice(), shape);
}
