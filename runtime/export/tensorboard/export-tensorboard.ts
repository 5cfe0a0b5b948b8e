import { basename, dirname } from 'node:path';
import type { RunPlan } from '../../../compiler/types/plan.js';
import type { ExperimentStudy } from '../../../compiler/types/study.js';
import { runPaths, specPaths } from '../../results/run-paths.js';
import { withProposals } from '../../search/with-proposals.js';
import { studyHParams } from './study-hparams.js';
import { writeRunEvents } from './write-run-events.js';
import { writeStudyEvents } from './write-study-events.js';

export interface ExportTensorboardOptions {
  readonly plan: RunPlan;
  /** The study's results folder (`results/<spec name>`). */
  readonly studyDir: string;
  /** Where the TensorBoard files go (the live path uses `<studyDir>/tensorboard`). */
  readonly outDir: string;
  /** The normalised spec, when at hand: interval domains of random search and variants of runs outside their experiment. */
  readonly study?: ExperimentStudy;
}

export interface ExportSummary {
  readonly written: number;
  readonly notStarted: number;
  /** Runs whose stored files could not be read (a damaged record.json, say): left out, the others written. */
  readonly problems: readonly { readonly run: string; readonly message: string }[];
}

/** `sweepspec export tensorboard`: the study's declaration and every started run's event file, with the live path's writer. */
export async function exportTensorboard(options: ExportTensorboardOptions): Promise<ExportSummary> {
  // tpe searches: the runs proposed so far join the planned ones.
  const { plan } = await withProposals(options.plan, options.studyDir);
  const hparams = studyHParams(plan, options.study);
  const spec = specPaths(dirname(options.studyDir), basename(options.studyDir));
  await writeStudyEvents(options.outDir, plan, hparams);
  let written = 0;
  let notStarted = 0;
  const problems: { run: string; message: string }[] = [];
  for (const run of plan.runs) {
    const paths = runPaths(spec, run.id);
    try {
      const outcome = await writeRunEvents({ run, paths, outDir: options.outDir, hparams });
      if (outcome === 'not-started') notStarted++;
      else written++;
    } catch (error) {
      problems.push({ run: `${run.id} (${run.name})`, message: `${paths.dir}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { written, notStarted, problems };
}
