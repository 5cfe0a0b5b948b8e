import * as tf from '../../runtime/backend/tf.js';
import type { Batch, BatchSource, ImageSample } from '../../runtime/data/types.js';
import { deriveSeed, Random } from '../../runtime/random.js';

/** An in-memory BatchSource over NHWC images; shuffles per epoch as a pure function of (seed, epoch) when given a seed. */
export class MemoryBatchSource implements BatchSource {
  readonly numSamples: number;
  readonly numBatches: number;

  constructor(
    private readonly data: {
      readonly images: Float32Array;
      readonly labels: Int32Array;
      readonly shape: readonly [number, number, number];
      readonly batchSize: number;
      readonly shuffleSeed: number | null;
      readonly prefix?: string;
    },
  ) {
    this.numSamples = data.labels.length;
    this.numBatches = Math.ceil(this.numSamples / data.batchSize);
  }

  async *batches(epoch: number): AsyncIterable<Batch> {
    const { images, labels, shape, batchSize, shuffleSeed } = this.data;
    const size = shape[0] * shape[1] * shape[2];
    const order =
      shuffleSeed === null
        ? Array.from({ length: this.numSamples }, (_, i) => i)
        : new Random(deriveSeed(shuffleSeed, 'shuffle', epoch)).permutation(this.numSamples);
    for (let start = 0; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const pixels = new Float32Array(indices.length * size);
      indices.forEach((index, row) => pixels.set(images.subarray(index * size, (index + 1) * size), row * size));
      const samples: ImageSample[] = indices.map((index) => ({ file: `${this.data.prefix ?? 'img'}/${index}.png`, label: labels[index] }));
      yield {
        inputs: tf.tensor4d(pixels, [indices.length, ...shape]),
        labels: Int32Array.from(indices, (index) => labels[index]),
        samples,
      };
    }
  }
}

/**
 * A generated classification problem: class c brightens channel c % channels
 * in quadrant c % 4, over Gaussian noise. A pure function of its arguments.
 */
export function generatedImages(options: {
  readonly count: number;
  readonly numClasses: number;
  readonly size: number;
  readonly channels: number;
  readonly seed: number;
}): { images: Float32Array; labels: Int32Array } {
  const { count, numClasses, size, channels } = options;
  const random = new Random(options.seed);
  const images = new Float32Array(count * size * size * channels);
  const labels = new Int32Array(count);
  const half = size / 2;
  for (let i = 0; i < count; i++) {
    const label = i % numClasses;
    labels[i] = label;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          const quadrant = (y < half ? 0 : 2) + (x < half ? 0 : 1);
          const signal = c === label % channels && quadrant === label % 4 ? 1.0 : 0;
          const noise = (random.next() + random.next() + random.next() - 1.5) * 0.8;
          images[((i * size + y) * size + x) * channels + c] = signal + noise;
        }
      }
    }
  }
  return { images, labels };
}
