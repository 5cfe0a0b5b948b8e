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
 * augmented and normalised by the data workers, PREFETCH_DEPTH batches
 * ahead of training. When the network
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

  async function prepare(order: readonly number[], epoch: number, b: number) {
    const batch = order.slice(b * batchSize, (b + 1) * batchSize).map((i) => samples[i]);
    const labels = Int32Array.from(batch, (sample) => sample.label);
    if (features) return { batch, labels, features: await features.prepare(batch), images: null };
    const images = new Float32Array(batch.length * size * size * 3);
    const augmentation = augment ? { config: augment, seed: options.seed, epoch } : null;
    await Promise.all(batch.map((sample, i) => loadNormalized(loader, sample.file, variant, augmentation, images, i * size * size * 3)));
    return { batch, labels, features: null, images };
  }

  async function* generate(epoch: number): AsyncGenerator<Batch> {
    const order = role === 'train' ? new Random(deriveSeed(options.seed, 'shuffle', epoch)).permutation(samples.length) : samples.map((_, i) => i);
    for await (const prepared of prefetch(numBatches, PREFETCH_DEPTH, (b) => prepare(order, epoch, b))) {
      const inputs = prepared.features
        ? features!.finish(prepared.features)
        : tf.tidy(() => network.forwardPrefix(tf.tensor4d(prepared.images!, [prepared.batch.length, size, size, 3])));
      yield { inputs, labels: prepared.labels, samples: prepared.batch };
    }
  }

  return { numSamples: samples.length, numBatches, batches: (epoch) => generate(epoch) };
}
