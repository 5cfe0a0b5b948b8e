import type { RunPlan } from '../types/plan.js';

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
    const header = ['run', 'id', ...experiment.axes, ''];
    const rows = experiment.runs.map((id) => {
      const run = byId.get(id)!;
      const cells = run.axes[experiment.name] ?? {};
      const others = run.experiments.filter((name) => name !== experiment.name);
      return [run.name, run.id, ...experiment.axes.map((axis) => cellText(cells[axis])), others.length ? `(also in ${others.join(', ')})` : ''];
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

function cellText(value: unknown): string {
  return value === undefined ? '' : String(value);
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}
