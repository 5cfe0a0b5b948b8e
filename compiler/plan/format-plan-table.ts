import type { PlannedExperiment, PlannedRun, RunPlan } from '../types/plan.js';
import { ashaRungs, runEarlyTermination } from './early-termination-rungs.js';

/**
 * The plan as text: one table per experiment (run name, id, one column per
 * axis), runs shared with another experiment marked, the runs a model-based
 * search will propose during the sweep, then totals.
 */
export function formatPlanTable(plan: RunPlan): string {
  const byId = new Map(plan.runs.map((run) => [run.id, run]));
  const lines: string[] = [`${plan.name}: ${plan.spec}`, ''];
  let planned = 0;
  let proposed = 0;
  for (const experiment of plan.experiments) {
    planned += experiment.runs.length;
    const title = experiment.title === experiment.name ? '' : `  ${experiment.title}`;
    lines.push(`${experiment.name}${title} (${experiment.runs.length} run${experiment.runs.length === 1 ? '' : 's'})`);
    if (experiment.early_termination) lines.push(`  ${earlyTerminationLine(experiment, experiment.runs.map((id) => byId.get(id)!))}`);
    const header = ['run', 'id', ...experiment.axes, ''];
    const rows = experiment.runs.map((id) => {
      const run = byId.get(id)!;
      const cells = run.axes[experiment.name] ?? {};
      const others = run.experiments.filter((name) => name !== experiment.name);
      const full = experiment.early_termination && !runEarlyTermination(plan, run) ? '; trains to the end' : '';
      return [run.name, run.id, ...experiment.axes.map((axis) => cellText(cells[axis])), others.length ? `(also in ${others.join(', ')}${full})` : ''];
    });
    lines.push(...table([header, ...rows]).map((line) => `  ${line}`));
    if (experiment.search) {
      const { samples, startup, seed, objective } = experiment.search;
      proposed += samples - experiment.runs.length;
      lines.push(
        `  + ${samples - experiment.runs.length} run${samples - experiment.runs.length === 1 ? '' : 's'} to be proposed during the sweep by tpe ` +
          `from the results so far (${startup} startup draw${startup === 1 ? '' : 's'} above, seed ${seed}; objective: ${objective.direction} ${objective.metric})`,
      );
    }
    lines.push('');
  }
  const shared = planned - plan.runs.length;
  lines.push(
    `${plan.runs.length} run${plan.runs.length === 1 ? '' : 's'} to train in ${plan.experiments.length} experiment${plan.experiments.length === 1 ? '' : 's'}` +
      (shared > 0 ? ` (${planned} planned, ${shared} shared between experiments)` : '') +
      (proposed > 0 ? `, and ${proposed} to be proposed during the sweep` : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** `early termination: asha on val_accuracy, reduction factor 3, rungs at epochs 1, 3 of 9` (one rung list per distinct run length). */
function earlyTerminationLine(experiment: PlannedExperiment, runs: readonly PlannedRun[]): string {
  const rule = experiment.early_termination!;
  const lengths = [...new Set(runs.map((run) => run.config.epochs))].sort((a, b) => a - b);
  const rungs = lengths.map((epochs) => {
    const at = ashaRungs(rule, epochs);
    return at.length > 0 ? `${at.join(', ')} of ${epochs}` : `none below ${epochs}`;
  });
  return `early termination: ${rule.type} on ${rule.metric}, reduction factor ${rule.reduction_factor}, rungs at epochs ${rungs.join('; ')}`;
}

function cellText(value: unknown): string {
  return value === undefined ? '' : String(value);
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}
