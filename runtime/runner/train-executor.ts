import { resolve } from 'node:path';
import type { DataCaches } from '../data/data-caches.js';
import { classWeights, createBatchSource, createDataCaches, loadDatasetSplits } from '../data/index.js';
import { readRunRecord } from '../results/record-file.js';
import { keptEpoch, openRunForResume, persistEpoch } from '../results/run-checkpoints.js';
import { shouldStopEarly, trainRun, type TrainResume } from '../train/index.js';
import { wasmMemoryRefusal } from '../train/step-memory.js';
import { checkpointFiles, loadCheckpoint, loadKeptWeights } from './checkpoint-tensors.js';
import { buildRunNetwork, type NetworkBuilder } from './build-run-network.js';
import { createRungGate } from './early-termination.js';
import { stoppedReason } from './sweep-status.js';
import { storeInitialWeights } from './initial-weights-store.js';
import type { RunExecution, RunExecutor, RunJob } from './executor.js';
import { runtimeVersions } from './runtime-versions.js';
import { writeTestResult } from './write-test-result.js';

/**
 * The real executor: backend, dataset, network (pretrained weights), resume
 * from the latest valid checkpoint, training with a checkpoint per epoch
 * (latest and kept), then the test evaluation of the kept weights (the test
 * split, or validation when there is none) into evaluation.json and
 * predictions.jsonl. One per process; the data caches are shared by its runs.
 */
export interface TrainExecutorOptions {
  /** Builds the run's network with its pretrained weights (default: runtime/models and runtime/weights). */
  readonly buildNetwork?: NetworkBuilder;
}

export function createTrainExecutor(options: TrainExecutorOptions = {}): RunExecutor {
  const caches = new Map<string, DataCaches>();
  return async (job) => {
    const cache = caches.get(job.cacheDir) ?? createDataCaches({ cacheDir: job.cacheDir });
    caches.set(job.cacheDir, cache);
    return executeRun(job, cache, options.buildNetwork ?? buildRunNetwork);
  };
}

async function executeRun(job: RunJob, caches: DataCaches, buildNetwork: NetworkBuilder): Promise<RunExecution> {
  const { run, paths } = job;
  const config = run.config;
  job.report({ type: 'phase', phase: 'loading the backend' });
  const { selectBackend } = await import('../backend/select-backend.js');
  const backend = await selectBackend(job.backend);
  await job.updateRecord({ backend, versions: await runtimeVersions() });

  job.report({ type: 'phase', phase: 'checking the dataset' });
  const root = resolve(job.specDir, config.data.root);
  const splits = await loadDatasetSplits({ data: config.data, root, seed: config.seed, caches });
  // Checkpoints trained on other images must not be continued; with none yet there is nothing to protect.
  const previous = await readRunRecord(paths.record);
  const stored = previous?.dataset;
  if (stored && stored.fingerprint !== splits.fingerprint && previous.epochs_completed > 0) {
    const message =
      `the dataset under ${root} is not the one this run started on (fingerprint ${stored.fingerprint.slice(0, 12)} ` +
      `at ${stored.root}, now ${splits.fingerprint.slice(0, 12)}); restore it, or retrain the run on the new data with --rerun failed`;
    return { status: 'failed', failure: { code: 'DATASET_CHANGED', message } };
  }
  const counts = { train: splits.train.length, validation: splits.validation.length, test: splits.test?.length ?? 0 };
  await job.updateRecord({
    classes: splits.classes,
    dataset: { root, fingerprint: splits.fingerprint, counts, skipped_images: splits.skipped.length },
  });

  job.report({ type: 'phase', phase: 'building the model' });
  let resume: TrainResume | undefined;
  const network = await buildNetwork({
    config, numClasses: splits.classes.length, specDir: job.specDir,
    notice: (message) => job.report({ type: 'notice', message }),
  });
  try {
    const trainable = network.trainableNames.reduce((sum: number, name: string) => sum + network.parameters.get(name)!.size, 0);
    const total = [...network.parameters.values()].reduce((sum, p) => sum + p.size, 0);
    await job.updateRecord({ parameters: { total, trainable } });

    const opened = await openRunForResume(paths);
    for (const problem of opened.problems) {
      job.report({ type: 'notice', message: `checkpoint of epoch ${problem.epoch} skipped: ${problem.code}: ${problem.message}` });
    }
    if (opened.resume) {
      job.report({ type: 'phase', phase: `resuming after epoch ${opened.resume.state.epochsCompleted}` });
      resume = await loadCheckpoint(network, paths, opened.resume);
    }
    // A resumed run keeps the base its checkpoints name (older checkpoints name their frozen file `frozen`);
    // a fresh one stores the weights it was just built with.
    const shared = opened.resume?.checkpoint.manifest.shared;
    const initial = await storeInitialWeights(network, paths, shared?.base ?? shared?.frozen);
    const weights = classWeights(config.loss.class_weights, splits.train, splits.classes.length);
    const source = (samples: typeof splits.train, role: 'train' | 'eval') =>
      createBatchSource({ samples, root, role, config, network, seed: config.seed, caches });

    let state = resume?.state;
    const finished = state && (state.epochsCompleted >= config.epochs || shouldStopEarly(state.history, config.select, config.early_stopping));
    // Early termination (ASHA): decided after each rung epoch from the results folder, see early-termination.ts.
    const gate = createRungGate({
      task: job.earlyTermination, previous, epochs: config.epochs, signal: job.signal,
      record: (decision) => job.updateRecord({ early_termination: decision }),
    });
    // An attempt that died between a rung epoch's checkpoint and its decision decides now.
    const last = state?.history.at(-1);
    if (!finished && gate && last) await gate.afterEpoch(last);
    const stopped = () => ({ status: 'stopped' as const, epochsCompleted: state!.epochsCompleted, bestEpoch: keptEpoch(state!) });
    if (gate?.stopped()) return stopped();
    if (!finished) {
      if (backend.name === 'wasm') {
        // Past wasm's 4 GB a step aborts the instance (or hangs its threads): refuse first.
        const refusal = await wasmMemoryRefusal(network, config.data.image_size, config.data.batch_size);
        if (refusal) return { status: 'failed', failure: { code: 'OUT_OF_MEMORY', message: refusal }, epochsCompleted: state?.epochsCompleted ?? 0 };
      }
      job.report({ type: 'phase', phase: 'training' });
      const outcome = await trainRun({
        config, network, classWeights: weights, resume, signal: gate?.signal ?? job.signal, seed: config.seed,
        train: source(splits.train, 'train'),
        validation: source(splits.validation, 'eval'),
        hooks: {
          onEpochBegin: ({ epoch, lr }) => job.report({ type: 'epoch-begin', epoch, epochs: config.epochs, lr }),
          onBatchEnd: (e) => job.report({ type: 'batch', ...e }),
          onEpochEnd: async (e) => {
            await persistEpoch(paths, { metrics: e.metrics, state: e.state, ...checkpointFiles(network, e.optimizerState, initial) });
            await job.updateRecord({ epochs_completed: e.state.epochsCompleted, best_epoch: keptEpoch(e.state) });
            job.report({ type: 'epoch-end', metrics: e.metrics });
            await gate?.afterEpoch(e.metrics);
          },
        },
      });
      state = outcome.state;
      const decision = gate?.stopped();
      // Stopped at a rung; when early stopping ended the run at that same epoch, it is simply complete.
      if (decision && outcome.status !== 'completed') {
        job.report({ type: 'notice', message: `stopped early at epoch ${decision.rung}: ${stoppedReason(decision)}` });
        return stopped();
      }
      if (outcome.status !== 'completed') {
        return { status: outcome.status, failure: outcome.status === 'failed' ? outcome.failure : undefined, epochsCompleted: state.epochsCompleted };
      }
    } else {
      await loadKeptWeights(network, paths, state!);
    }
    if (state!.epochsCompleted === 0) return { status: 'completed', epochsCompleted: 0 };

    const kept = keptEpoch(state!);
    job.report({ type: 'phase', phase: `evaluating the weights of epoch ${kept}` });
    await writeTestResult(paths, {
      network, classes: splits.classes, epoch: kept,
      split: splits.test ? 'test' : 'validation',
      source: source(splits.test ?? splits.validation, 'eval'),
    });
    return { status: 'completed', epochsCompleted: state!.epochsCompleted, bestEpoch: kept };
  } finally {
    resume?.optimizerState.forEach((t) => t.dispose());
    resume?.bestWeights?.forEach((t) => t.dispose());
    network.dispose();
  }
}

