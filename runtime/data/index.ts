/** The data pipeline's public entry: what the runner, trainer and CLI call. */
export { scanImageFolder, type ImageFolderScan, type IgnoredEntry } from './scan-image-folder.js';
export { loadDatasetSplits } from './load-dataset-splits.js';
export { inspectDataset, type DatasetInspection, type DatasetProblem, type SplitInspection, type SizeRange } from './inspect-dataset.js';
export { classWeights } from './class-weights.js';
export { createBatchSource, type BatchSourceOptions } from './batch-source.js';
export { createDataCaches, type DataCaches } from './data-caches.js';
export { DataError, type DataErrorCode } from './data-error.js';
export { IMAGE_EXTENSIONS } from './image-extensions.js';
export type { Batch, BatchSource, DatasetSplits, ImageSample, SkippedImage } from './types.js';
