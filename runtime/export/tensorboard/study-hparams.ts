import { isDeepStrictEqual } from 'node:util';
import type { PlannedRun, RunPlan } from '../../../compiler/types/plan.js';
import type { SearchParam } from '../../../compiler/types/search.js';
import type { Axis, ExperimentStudy, Variant } from '../../../compiler/types/study.js';

/**
 * The study's hyperparameters for TensorBoard's hparams plugin: one per axis
 * label of the plan's experiments (the settings that vary), with a domain and
 * a value for every run. Pure: plan (and, when the spec is at hand, the
 * normalised study) in, declarations out.
 *
 * A run that belongs to an experiment takes the value the plan's table shows
 * there (value, variant name or sampled number). A run outside every
 * experiment with that axis still has a value when it can be told: value
 * axes read the run's config at the axis path; variant axes match the run's
 * config against each variant's settings (the most specific variant whose
 * settings all hold; a variant that sets nothing holds for every run), which
 * needs the study. `repeat` is no hyperparameter: repeats of one setting form
 * one session group, which TensorBoard aggregates.
 */
export type HParamValue = string | number | boolean;

export type HParamDomain =
  | { readonly kind: 'discrete'; readonly values: readonly HParamValue[] }
  | { readonly kind: 'interval'; readonly min: number; readonly max: number };

export interface HParamDeclaration {
  readonly name: string;
  readonly type: 'string' | 'float64' | 'bool';
  readonly domain: HParamDomain;
  readonly description: string;
}

export interface StudyHParams {
  readonly hparams: readonly HParamDeclaration[];
  /** Run id -> hparam name -> value; a run without a value for an hparam has no key. */
  readonly values: Readonly<Record<string, Readonly<Record<string, HParamValue>>>>;
  /** Run id -> session group: runs that differ only in `repeat` share one. */
  readonly groups: Readonly<Record<string, string>>;
}

type Cell = string | number | boolean | null;

export function studyHParams(plan: RunPlan, study?: ExperimentStudy): StudyHParams {
  const labels = [...new Set(plan.experiments.flatMap((e) => e.axes.filter((label) => label !== 'repeat')))];
  const values: Record<string, Record<string, HParamValue>> = Object.fromEntries(plan.runs.map((run) => [run.id, {}]));
  const hparams: HParamDeclaration[] = [];
  for (const label of labels) {
    const axes = (study?.experiments ?? []).flatMap((e) => e.axes.filter((axis) => axis.label === label));
    const params = plan.experiments.flatMap((e) => e.search?.params.filter((param) => param.label === label) ?? []);
    const experiments = plan.experiments.filter((e) => e.axes.includes(label)).map((e) => e.name);
    const isValueAxis = axes.length > 0 ? axes.every((axis) => axis.kind !== 'variants') : cellsMatchConfig(plan, label);
    const raw = new Map<string, Cell>();
    for (const run of plan.runs) {
      const own = experiments.map((name) => run.axes[name]?.[label]).find((cell) => cell !== undefined && cell !== null);
      const cell = own ?? (isValueAxis ? cellOf(valueAt(run.config, label.split('.'))) : matchVariant(run, axes));
      if (cell !== null && cell !== undefined) raw.set(run.id, cell);
    }
    const cells = [...raw.values()];
    const type = cells.every((c) => typeof c === 'number') ? 'float64' : cells.every((c) => typeof c === 'boolean') ? 'bool' : 'string';
    const typed = (cell: Cell): HParamValue => (type === 'string' ? String(cell) : (cell as number | boolean));
    for (const [id, cell] of raw) values[id][label] = typed(cell);
    hparams.push({ name: label, type, domain: domainOf(axes, params, cells.map(typed), typed), description: describe(label, axes, params, experiments, isValueAxis) });
  }
  return { hparams, values, groups: sessionGroups(plan) };
}

/**
 * Random-search distributions and tpe's numeric params are intervals; lists,
 * variants and tpe's categorical params are discrete sets, in written order.
 * tpe's params come with the plan, so they need no study.
 */
function domainOf(axes: readonly Axis[], params: readonly SearchParam[], observed: readonly HParamValue[], typed: (cell: Cell) => HParamValue): HParamDomain {
  const bounds = [
    ...axes.flatMap((axis) => (axis.kind === 'distribution' ? [axis.low, axis.high] : [])),
    ...params.flatMap((param) => (param.kind === 'categorical' ? [] : [param.low, param.high])),
  ];
  if (bounds.length > 0 && observed.every((v) => typeof v === 'number')) {
    // Runs outside the search (an include, another experiment) may lie outside its bounds; TensorBoard's filter starts at the domain.
    const numbers = [...bounds, ...(observed as number[])];
    return { kind: 'interval', min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  const declared = [
    ...axes.flatMap((axis): Cell[] =>
      axis.kind === 'variants' ? axis.variants.map((v) => v.name) : axis.kind === 'values' ? axis.values.map((v) => cellOf(v.value)) : [],
    ),
    ...params.flatMap((param): Cell[] => (param.kind === 'categorical' ? param.choices.map((choice) => choice.cell) : [])),
  ];
  const all = [...declared.filter((c): c is Exclude<Cell, null> => c !== null).map(typed), ...observed];
  return { kind: 'discrete', values: [...new Set(all)] };
}

function describe(label: string, axes: readonly Axis[], params: readonly SearchParam[], experiments: readonly string[], isValueAxis: boolean): string {
  const where = `experiment${experiments.length === 1 ? '' : 's'} ${experiments.join(', ')}`;
  const distribution = axes.find((axis) => axis.kind === 'distribution');
  if (distribution) return `\`${label}\`: ${distribution.distribution} from ${distribution.low} to ${distribution.high} (random search), in ${where}`;
  const numeric = params.find((param): param is Exclude<SearchParam, { kind: 'categorical' }> => param.kind !== 'categorical');
  if (numeric) return `\`${label}\`: ${numeric.kind} from ${numeric.low} to ${numeric.high} (tpe search), in ${where}`;
  return isValueAxis ? `\`${label}\`: the value in the run's config; an axis of ${where}` : `variant axis \`${label}\` of ${where}`;
}

/** Without the study: a value axis is one whose table cells are the run's config at the label path. */
function cellsMatchConfig(plan: RunPlan, label: string): boolean {
  return plan.runs.every((run) =>
    Object.values(run.axes).every((cells) => !(label in cells) || cells[label] === null || cells[label] === cellOf(valueAt(run.config, label.split('.')))),
  );
}

function matchVariant(run: PlannedRun, axes: readonly Axis[]): Cell {
  const holds = (variant: Variant) => variant.assignments.every((a) => isDeepStrictEqual(valueAt(run.config, a.path), a.value));
  const matches = axes.flatMap((axis) => (axis.kind === 'variants' ? axis.variants.filter(holds) : []));
  if (matches.length === 0) return null;
  const most = Math.max(...matches.map((v) => v.assignments.length));
  const names = new Set(matches.filter((v) => v.assignments.length === most).map((v) => v.name));
  return names.size === 1 ? [...names][0] : null; // two equally specific variants hold: no single answer
}

function sessionGroups(plan: RunPlan): Record<string, string> {
  const groups: Record<string, string> = {};
  for (const run of plan.runs) {
    const repeated = Object.entries(run.axes).find(([, cells]) => 'repeat' in cells);
    if (repeated) groups[run.id] = `${repeated[0]}/${run.name.replace(/#\d+$/, '')}`;
  }
  return groups;
}

function valueAt(config: unknown, path: readonly string[]): unknown {
  let node = config;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** As the plan's table cells: scalars as they are, objects and lists as compact JSON. */
function cellOf(value: unknown): Cell {
  if (value === undefined) return null;
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
}
