import * as tf from '../backend/tf.js';
import type { Network } from '../models/network.js';
import type { CachedFeature } from './cache-codecs.js';
import { assertUnchanged } from './expected-digests.js';
import { fileDigest, sha256 } from './file-digest.js';
import { frozenWeightsDigest } from './frozen-weights-digest.js';
import { resolveUnder } from './fs-names.js';
import { loadNormalized, type ImageLoaderOptions } from './image-loader.js';
import type { ImageSample } from './types.js';

/** A batch whose cached features were found and whose other images were decoded. */
export interface PreparedFeatures {
  readonly found: readonly (CachedFeature | null)[];
  readonly keys: readonly string[];
  /** Normalised images of the samples without a cached feature, in batch order. */
  readonly missing: Float32Array;
}

/**
 * The frozen-trunk feature cache as a batch source uses it. Key: SHA-256 of
 * (frozenPrefixId, frozen weights digest, image size, file content digest);
 * any change to one of them is a different entry, never a stale one.
 */
export class FeatureLookup {
  private weights: string | null = null;

  constructor(
    private readonly loader: ImageLoaderOptions,
    private readonly network: Network,
  ) {}

  async prepare(batch: readonly ImageSample[]): Promise<PreparedFeatures> {
    this.weights ??= frozenWeightsDigest(this.network);
    const size = this.loader.imageSize;
    const keys = await Promise.all(
      batch.map(async (sample) => {
        const digest = await fileDigest(resolveUnder(this.loader.root, sample.file));
        assertUnchanged(this.loader.expected, sample.file, digest);
        return sha256('feature/v1', this.network.frozenPrefixId!, this.weights!, String(size), digest);
      }),
    );
    const caches = this.loader.caches;
    const found = await Promise.all(keys.map(async (key) => (caches ? ((await caches.features.get(key)) ?? null) : null)));
    const missingIndices = found.flatMap((feature, i) => (feature ? [] : [i]));
    const missing = new Float32Array(missingIndices.length * size * size * 3);
    await Promise.all(missingIndices.map((i, j) => loadNormalized(this.loader, batch[i].file, 'eval', null, missing, j * size * size * 3)));
    return { found, keys, missing };
  }

  /** Runs the prefix on the missing images, stores their features, and returns the whole batch's prefix output. */
  finish(prepared: PreparedFeatures): tf.Tensor {
    const size = this.loader.imageSize;
    const count = prepared.missing.length / (size * size * 3);
    const features = prepared.found.slice();
    if (count > 0) {
      const output = tf.tidy(() => this.network.forwardPrefix(tf.tensor4d(prepared.missing, [count, size, size, 3])));
      const values = output.dataSync() as Float32Array;
      const shape = output.shape.slice(1);
      output.dispose();
      const per = values.length / count;
      let j = 0;
      features.forEach((feature, i) => {
        if (feature) return;
        const computed: CachedFeature = { shape, data: values.slice(j * per, (j + 1) * per) };
        features[i] = computed;
        j += 1;
        void this.loader.caches?.features.put(prepared.keys[i], computed);
      });
    }
    const shape = features[0]!.shape;
    const per = features[0]!.data.length;
    const batch = new Float32Array(per * features.length);
    features.forEach((feature, i) => batch.set(feature!.data, i * per));
    return tf.tensor(batch, [features.length, ...shape]);
  }
}
