/** The training module's public surface, for the runner. */
export { trainRun, type TrainRunOptions, type TrainResume } from './train-run.js';
export { evaluate, summarize, type EvaluateOptions } from './evaluate.js';
export { learningRate, epochLearningRates, type ScheduleInput } from './learning-rate.js';
export { createOptimizer, type Optimizer } from './optimizers/create-optimizer.js';
export { crossEntropy, type LossOptions } from './loss.js';
export { classificationReport, confusionMatrix } from './classification-report.js';
export { keptEpoch, bestEpoch, epochsWithoutImprovement, shouldStopEarly } from './selection.js';
export type * from './types.js';
