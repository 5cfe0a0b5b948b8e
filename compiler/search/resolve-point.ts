import type { Origin } from '../diagnostics/diagnostic.js';
import { applyAssignment, type ConfigState } from '../expand/config-state.js';
import { createFinalizer } from '../expand/finalize-config.js';
import { PARAMETERS_OF_TYPE } from '../expand/type-parameters.js';
import { runId } from '../plan/canonical-json.js';
import type { RunConfig } from '../types/run-config.js';
import type { PlannedSearch, SearchParam, SearchPoint } from '../types/search.js';
import type { Assignment } from '../types/study.js';

export interface ResolvedPoint {
  readonly id: string;
  readonly name: string;
  readonly config: RunConfig;
  /** Table cells by axis label (null where the param does not apply). */
  readonly cells: Readonly<Record<string, string | number | boolean | null>>;
  /** The point with the params that do not apply to this run removed. */
  readonly point: SearchPoint;
  /** The assignments applied, by param label (for pointing a bad run at its axis). */
  readonly applied: ReadonlyMap<string, readonly Assignment[]>;
}

const PROPOSED: Origin = { file: '', path: [], range: null, what: 'a search proposal' };
/** The base is finalised, so data.test is already set and the probe is never asked. */
const finalize = createFinalizer({ specDir: '.', isDirectory: () => false });

/**
 * The run at a point: the experiment's base config with each param's
 * assignments applied in axis order, then finalised. Conditional params:
 * an axis over an optimizer or schedule parameter that the run's resolved
 * type lacks (momentum when the optimizer drawn is adam) does not apply and
 * is dropped from the run and the point. Pure; the compiler plans startup
 * draws with it and the runtime resolves proposals with it, so a proposal
 * equal to a startup draw gets the same id.
 */
export function resolvePoint(search: Pick<PlannedSearch, 'base' | 'params'>, point: SearchPoint): ResolvedPoint {
  const chosen = search.params
    .filter((param) => point[param.label] !== undefined)
    .map((param) => ({ param, assignments: assignmentsAt(param, point[param.label]) }));
  const apply = (list: typeof chosen) =>
    list.reduce<ConfigState>((state, c) => c.assignments.reduce((s, a) => applyAssignment(s, a), state), search.base as unknown as ConfigState);
  const full = apply(chosen);
  const active = chosen.filter((c) => c.param.kind === 'categorical' || appliesTo(c.param.path, full));
  const config = finalize(active.length === chosen.length ? full : apply(active));
  const cells: Record<string, string | number | boolean | null> = {};
  const names: string[] = [];
  const kept: Record<string, number> = {};
  for (const param of search.params) cells[param.label] = null;
  for (const { param } of active) {
    const value = point[param.label];
    kept[param.label] = value;
    if (param.kind === 'categorical') {
      cells[param.label] = param.choices[value].cell;
      names.push(param.choices[value].nameText);
    } else {
      cells[param.label] = value;
      names.push(`${param.short}=${param.kind === 'int' ? value : Number(value.toPrecision(3))}`);
    }
  }
  return {
    id: runId(config),
    name: names.join(',') || 'default',
    config,
    cells,
    point: kept,
    applied: new Map(active.map((c) => [c.param.label, c.assignments])),
  };
}

function assignmentsAt(param: SearchParam, value: number): Assignment[] {
  if (param.kind === 'categorical') return param.choices[value].assignments.map((a) => ({ path: a.path, value: a.value, origin: PROPOSED }));
  return [{ path: param.path, value, origin: PROPOSED }];
}

/** Whether a written path exists in the resolved config's optimizer or schedule type (other paths always apply). */
function appliesTo(path: readonly string[], state: ConfigState): boolean {
  const group = path[0];
  if ((group !== 'optimizer' && group !== 'schedule') || path.length !== 2 || path[1] === 'type') return true;
  const type = (state[group] as ConfigState | undefined)?.type;
  const params = typeof type === 'string' ? PARAMETERS_OF_TYPE[group][type] : undefined;
  return params === undefined || params.includes(path[1]);
}
