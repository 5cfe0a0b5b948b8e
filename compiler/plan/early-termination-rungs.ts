import type { EarlyTermination, PlannedRun, RunPlan } from '../types/plan.js';

/**
 * The rung epochs of a run of `epochs` epochs under an experiment's
 * early_termination: min_epochs * reduction_factor^k strictly below `epochs`
 * (at `epochs` the run is over anyway, so a rung there would decide nothing).
 * Empty when min_epochs >= epochs. Pure: `plan` prints them and the runner
 * (runtime/search/asha.ts) decides at them.
 */
export function ashaRungs(rule: Pick<EarlyTermination, 'min_epochs' | 'reduction_factor'>, epochs: number): number[] {
  const rungs: number[] = [];
  for (let rung = rule.min_epochs; rung < epochs; rung *= rule.reduction_factor) rungs.push(rung);
  return rungs;
}

/**
 * The early_termination of each experiment a run belongs to, or null when one
 * of them trains it to the end: a run shared with an experiment that does
 * not terminate early is needed there in full.
 */
export function runEarlyTermination(plan: RunPlan, run: PlannedRun): { readonly experiment: string; readonly rule: EarlyTermination }[] | null {
  const rules = [];
  for (const name of run.experiments) {
    const rule = plan.experiments.find((e) => e.name === name)?.early_termination;
    if (!rule) return null;
    rules.push({ experiment: name, rule });
  }
  return rules.length > 0 ? rules : null;
}
