/**
 * Writes the split sweepspec draws for the fmnist protocol comparison, so the
 * PyTorch reference (tools/fmnist-protocol-torch.py) trains on the same images:
 *   node --import tsx tools/fmnist-split.ts DATA_ROOT OUT.json [SEED]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDatasetSplits } from '../runtime/data/load-dataset-splits.js';
import { protocolConfig } from './fmnist-protocol-config.js';

const [root, out, seed = '0'] = process.argv.slice(2);
if (root === undefined || out === undefined) throw new Error('usage: fmnist-split.ts DATA_ROOT OUT.json [SEED]');
const config = protocolConfig(Number(seed));
const splits = await loadDatasetSplits({ data: config.data, root: path.resolve(root), seed: config.seed });
writeFileSync(out, JSON.stringify({ root: splits.root, classes: splits.classes, train: splits.train, validation: splits.validation, test: splits.test }));
console.log(`train ${splits.train.length}, validation ${splits.validation.length}, test ${splits.test?.length ?? 0} -> ${out}`);
