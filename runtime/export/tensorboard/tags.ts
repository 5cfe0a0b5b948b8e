import type { EpochMetrics, TestEvaluation } from '../../results/records.js';

/**
 * The scalar tags a run writes, one place for the writer, the hparams
 * metric declarations and the docs. Per epoch (step = epoch, 1-based):
 */
export const EPOCH_TAGS: readonly { readonly tag: string; readonly field: keyof EpochMetrics; readonly description: string; readonly dataset: 'training' | 'validation' | null }[] = [
  { tag: 'train/loss', field: 'train_loss', description: 'mean training loss of the epoch', dataset: 'training' },
  { tag: 'train/accuracy', field: 'train_accuracy', description: 'training accuracy of the epoch (augmented images, weights changing)', dataset: 'training' },
  { tag: 'validation/loss', field: 'val_loss', description: 'validation loss after the epoch', dataset: 'validation' },
  { tag: 'validation/accuracy', field: 'val_accuracy', description: 'validation accuracy after the epoch', dataset: 'validation' },
  { tag: 'learning_rate', field: 'lr', description: "learning rate at the epoch's first step", dataset: null },
  { tag: 'images_per_second', field: 'images_per_second', description: 'training throughput of the epoch', dataset: null },
];

/** Once the run is evaluated (step = the kept epoch): the kept weights on the test split. */
export const TEST_TAGS: readonly { readonly tag: string; readonly field: keyof TestEvaluation; readonly description: string }[] = [
  { tag: 'test/accuracy', field: 'accuracy', description: 'accuracy of the kept weights' },
  { tag: 'test/loss', field: 'loss', description: 'loss of the kept weights' },
  { tag: 'test/top3_accuracy', field: 'top3_accuracy', description: 'top-3 accuracy of the kept weights' },
  { tag: 'test/mean_entropy', field: 'mean_entropy', description: 'mean predictive entropy of the kept weights, nats' },
];

export const CONFUSION_TAG = 'test/confusion_matrix';

/**
 * The HParams table's metric columns, most telling first: TensorBoard shows
 * the first few by default and hides the rest behind checkboxes.
 */
export const TABLE_METRICS: readonly string[] = [
  'validation/accuracy', 'validation/loss', 'test/accuracy', 'test/loss', 'test/top3_accuracy',
  'train/accuracy', 'train/loss', 'learning_rate', 'images_per_second', 'test/mean_entropy',
];
