import type { RunPlan } from '../../../compiler/types/plan.js';
import { encodeEventFile } from './encode-events.js';
import { syncEventFile, type SyncOutcome } from './event-file.js';
import { studyEvents } from './study-events.js';
import type { StudyHParams } from './study-hparams.js';

/** The study's hparams declaration in the TensorBoard folder's root (identical bytes from every writer). */
export function writeStudyEvents(outDir: string, plan: RunPlan, hparams: StudyHParams): Promise<SyncOutcome> {
  return syncEventFile(outDir, encodeEventFile(studyEvents(plan, hparams)));
}
