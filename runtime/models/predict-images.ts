/**
 * Classifies image files with a network: the eval transform of the data
 * engine (resize shorter side to image_size * 256/224 with PIL's bilinear,
 * centre crop, ImageNet normalisation), then softmax over the logits.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../bin/user-error.js';
import * as tf from '../backend/tf.js';
import { decodeVariant } from '../data/image-loader.js';
import { normalizeInto } from '../data/normalize.js';
import type { Network } from './network.js';

export interface ImagePredictionResult {
  readonly file: string;
  /** Best first: class index, name and probability. */
  readonly top: readonly { readonly index: number; readonly name: string; readonly probability: number }[];
  readonly logits: readonly number[];
}

export interface PredictImagesOptions {
  readonly network: Network;
  readonly files: readonly string[];
  readonly imageSize: number;
  /** Class names by index; defaults to the indices. */
  readonly classes?: readonly string[];
  readonly top?: number;
  readonly batchSize?: number;
}

export async function predictImages(options: PredictImagesOptions): Promise<ImagePredictionResult[]> {
  const { network, imageSize } = options;
  const classes = options.classes ?? Array.from({ length: network.numClasses }, (_, i) => String(i));
  if (classes.length !== network.numClasses) {
    throw new UserError(`${classes.length} class names given for a network with ${network.numClasses} classes`);
  }
  const top = Math.min(options.top ?? 5, network.numClasses);
  const batchSize = options.batchSize ?? 16;
  const results: ImagePredictionResult[] = [];
  for (let start = 0; start < options.files.length; start += batchSize) {
    const files = options.files.slice(start, start + batchSize);
    const pixels = new Float32Array(files.length * imageSize * imageSize * 3);
    for (const [i, file] of files.entries()) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new UserError(`cannot read image ${file}: ${(error as Error).message}`);
      }
      const image = await decodeVariant(bytes, file, 'eval', imageSize).catch((error: unknown) => {
        throw new UserError(`cannot decode image ${file}: ${(error as Error).message}`);
      });
      normalizeInto(image.data, pixels, i * imageSize * imageSize * 3);
    }
    const logits = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [files.length, imageSize, imageSize, 3]);
      const prefix = network.forwardPrefix(x);
      return network.forwardSuffix(prefix, { training: false }).logits;
    });
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    files.forEach((file, i) => {
      const row = Array.from(values.subarray(i * network.numClasses, (i + 1) * network.numClasses));
      const probabilities = softmax(row);
      const order = probabilities.map((p, index) => ({ p, index })).sort((a, b) => b.p - a.p || a.index - b.index);
      results.push({
        file,
        top: order.slice(0, top).map(({ p, index }) => ({ index, name: classes[index], probability: p })),
        logits: row,
      });
    });
  }
  return results;
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}
