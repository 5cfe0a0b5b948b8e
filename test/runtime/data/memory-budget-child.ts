// A process that trains one epoch on a dataset whose decoded images are many times the
// image cache's memory budget, then prints its peak RSS (memory-budget.test.ts runs it).
// argv: dataRoot cacheDir; env SWEEPSPEC_IMAGE_CACHE_MB sets the budget.
import * as tf from '../../../runtime/backend/tf.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import { createBatchSource, createDataCaches, loadDatasetSplits } from '../../../runtime/data/index.js';
import { dataWorkers } from '../../../runtime/data/data-workers.js';
import { trainRun } from '../../../runtime/train/index.js';
import { runConfig } from '../train/fixtures-run.js';
import type { Network } from '../../../runtime/models/network.js';
import { createTinyNetwork } from '../../helpers/tiny-network.js';

const [root, cacheDir] = process.argv.slice(2);
await selectBackend('cpu');
const config = runConfig({
  data: { root, train: 'train', test: null, validation: { fraction: 0.1, stratify: true }, image_size: 192, batch_size: 16, eval_batch_size: 16, on_bad_image: 'error' },
  augment: { random_resized_crop: { scale: [0.2, 1], ratio: [3 / 4, 4 / 3] }, horizontal_flip: true, rotation: 10 },
  epochs: 1,
});
// The tests' tiny conv net behind a 12x12 average pool: the images stay 192 px (large cache
// entries, which is what this test is about) while training costs what 16 px images would.
const tiny = createTinyNetwork({ channels: 3, numClasses: 3, filters: 4 });
const network: Network = { ...tiny, forwardSuffix: (input, options) => tiny.forwardSuffix(tf.avgPool(input as tf.Tensor4D, 12, 12, 'valid'), options) };
// Start the data workers and warm the backend before the baseline: they are fixed costs, not the cache.
await dataWorkers().warmUp();
tf.tidy(() => network.forwardSuffix(tf.zeros([2, 192, 192, 3]), { training: false }).logits);
global.gc?.();
const baseline = process.memoryUsage().rss;
const caches = createDataCaches({ cacheDir });
const splits = await loadDatasetSplits({ data: config.data, root, seed: 0, caches });
const source = (samples: typeof splits.train, role: 'train' | 'eval') => createBatchSource({ samples, root, role, config, network, seed: 0, caches });
const outcome = await trainRun({ config, network, classWeights: null, seed: 0, train: source(splits.train, 'train'), validation: source(splits.validation, 'eval') });
await caches.images.settled();
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ status: outcome.status, baseline, peak, held: caches.images.stats.memoryBytes, stats: caches.images.stats })}\n`);
process.exit(0);
