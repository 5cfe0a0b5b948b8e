import type { SearchParam, SearchPoint } from '../../../compiler/types/search.js';
import { deriveSeed, Random } from '../../random.js';
import { parzenEstimator } from './parzen-estimator.js';
import { splitObservations, type Observation } from './split-observations.js';

export interface ProposeInput {
  readonly params: readonly SearchParam[];
  readonly direction: 'maximize' | 'minimize';
  /** Candidates drawn from l(x) per param. */
  readonly candidates: number;
  /** Finished runs needed before the model is used; fewer and the slot is a random draw. */
  readonly startup: number;
  readonly seed: number;
  /** The slot being filled (0-based over all samples): with the seed, it names the random stream. */
  readonly slot: number;
  /** Every run of the experiment so far, in the order they were planned or proposed. */
  readonly observations: readonly Observation[];
  /** Runs finished in any way, failed ones included (they count toward startup but are not modelled). */
  readonly finished: number;
  /** Whether a point may be proposed (it resolves to a valid run not already tried); default: any. */
  readonly accept?: (point: SearchPoint) => boolean;
}

export interface Proposal {
  readonly point: SearchPoint;
  /** tpe: l(x)/g(x) was maximised; random: too few finished runs, or no acceptable candidate. */
  readonly mode: 'tpe' | 'random';
  /** Runs that formed l(x) (the best), and g(x) (the rest, pending ones included), in observation order. */
  readonly below: readonly string[];
  readonly above: readonly string[];
  readonly pending: readonly string[];
}

const RANDOM_TRIES = 1000;

/**
 * The TPE proposal for one slot (Bergstra et al. 2011; Optuna's TPESampler
 * with its defaults, independent sampling): split the observations into the
 * best gamma(n) and the rest, fit a Parzen estimator l to the best and g to
 * the rest for each param (over the observations where that param applied,
 * which is how conditional params are handled), draw `candidates` values
 * from l and keep the one maximising log l - log g. Pure: the same input
 * gives the same proposal.
 */
export function proposeTpe(input: ProposeInput): Proposal {
  const random = new Random(deriveSeed('tpe', input.seed, input.slot));
  const accept = input.accept ?? (() => true);
  const pending = input.observations.filter((o) => o.state === 'pending').map((o) => o.run);
  if (input.finished < input.startup || !input.observations.some((o) => o.state !== 'pending')) {
    return { point: randomPoint(input.params, random, accept), mode: 'random', below: [], above: [], pending };
  }
  const { below, above } = splitObservations(input.observations, input.direction);
  // Per param: candidates from l, and their log l - log g.
  const columns = input.params.map((param) => {
    const l = parzenEstimator(param, below.filter((o) => param.label in o.point).map((o) => o.point[param.label]));
    const g = parzenEstimator(param, above.filter((o) => param.label in o.point).map((o) => o.point[param.label]));
    const values = Array.from({ length: input.candidates }, () => l.sample(random));
    return { param, values, scores: values.map((v) => l.logPdf(v) - g.logPdf(v)) };
  });
  const fromGroups = { below: below.map((o) => o.run), above: above.map((o) => o.run), pending };
  // Each param's best candidate (Optuna's independent sampling) ...
  const best: Record<string, number> = {};
  for (const c of columns) best[c.param.label] = c.values[argmax(c.scores)];
  if (accept(best)) return { point: best, mode: 'tpe', ...fromGroups };
  // ... else the best joint candidate that is acceptable (a duplicate of a tried run, or a combination the run rules refuse).
  const joint = Array.from({ length: input.candidates }, (_, i) => i).sort(
    (a, b) => columns.reduce((s, c) => s + c.scores[b] - c.scores[a], 0),
  );
  for (const i of joint) {
    const point = Object.fromEntries(columns.map((c) => [c.param.label, c.values[i]]));
    if (accept(point)) return { point, mode: 'tpe', ...fromGroups };
  }
  return { point: randomPoint(input.params, random, accept), mode: 'random', ...fromGroups };
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** A uniform draw from the space, redrawn until acceptable (the last draw when none is within RANDOM_TRIES). */
function randomPoint(params: readonly SearchParam[], random: Random, accept: (point: SearchPoint) => boolean): SearchPoint {
  let point: Record<string, number> = {};
  for (let attempt = 0; attempt < RANDOM_TRIES; attempt++) {
    point = {};
    for (const param of params) {
      if (param.kind === 'categorical') point[param.label] = random.int(param.choices.length);
      else if (param.kind === 'int') point[param.label] = param.low + random.int(param.high - param.low + 1);
      else point[param.label] = param.log ? Math.exp(random.uniform(Math.log(param.low), Math.log(param.high))) : random.uniform(param.low, param.high);
    }
    if (accept(point)) return point;
  }
  return point;
}
