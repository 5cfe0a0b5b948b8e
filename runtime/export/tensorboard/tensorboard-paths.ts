import { join } from 'node:path';

/**
 * Where the TensorBoard files of a study go: `<study results>/tensorboard/`,
 * holding the study's hparams declaration and one folder per run, named
 * `<run name>_<run id>` so that TensorBoard's run list reads as the plan.
 */
export function tensorboardDir(studyDir: string): string {
  return join(studyDir, 'tensorboard');
}

/** A folder name from a run name: path separators and control characters become `_`, long names are cut (the id keeps it unique). */
export function runDirName(run: { readonly id: string; readonly name: string }): string {
  const safe = run.name.replace(/[/\\\x00-\x1f\x7f:*?"<>|]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return `${safe}_${run.id}`;
}
