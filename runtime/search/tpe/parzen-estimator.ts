import type { SearchParam } from '../../../compiler/types/search.js';
import type { Random } from '../../random.js';
import { logNormalMass, sampleTruncNorm, truncNormLogPdf } from './truncnorm.js';

/**
 * A one-dimensional Parzen estimator over one search param, after Optuna's
 * _ParzenEstimator: one kernel per observation plus a prior kernel (weight
 * 1, the whole interval). Floats are modelled in log space when log-scaled;
 * integers are a normal mixture over [low - 1/2, high + 1/2] whose mass is
 * integrated over each integer's cell; categories are a mixture of
 * smoothed one-hot rows. Values in and out are the point's values (floats,
 * integers, choice indices).
 */
export interface ParzenEstimator {
  sample(random: Random): number;
  logPdf(value: number): number;
}

const PRIOR_WEIGHT = 1;

/** Optuna's default_weights: equal for the last 25 observations, a linear ramp down for older ones. */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26)));
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

/** `values` in the order the observations were made (older first). */
export function parzenEstimator(param: SearchParam, values: readonly number[]): ParzenEstimator {
  const raw = [...observationWeights(values.length), PRIOR_WEIGHT];
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const pick = (random: Random) => {
    let u = random.next();
    for (let k = 0; k < weights.length - 1; k++) if ((u -= weights[k]) < 0) return k;
    return weights.length - 1;
  };
  if (param.kind === 'categorical') return categorical(param.choices.length, values, weights, pick);
  return numerical(param, values, weights, pick);
}

function categorical(n: number, values: readonly number[], weights: readonly number[], pick: (random: Random) => number): ParzenEstimator {
  const kernels = values.length + 1;
  // Row k: prior_weight / kernels spread over every choice, plus 1 at the observed one, normalised; the prior row is uniform.
  const rows = values.map((observed) => {
    const row = Array.from({ length: n }, (_, c) => PRIOR_WEIGHT / kernels + (c === observed ? 1 : 0));
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((p) => p / sum);
  });
  rows.push(Array.from({ length: n }, () => 1 / n));
  return {
    sample(random) {
      const row = rows[pick(random)];
      let u = random.next();
      for (let c = 0; c < n - 1; c++) if ((u -= row[c]) < 0) return c;
      return n - 1;
    },
    logPdf(value) {
      return Math.log(rows.reduce((sum, row, k) => sum + weights[k] * row[value], 0));
    },
  };
}

function numerical(
  param: Extract<SearchParam, { kind: 'float' | 'int' }>,
  values: readonly number[],
  weights: readonly number[],
  pick: (random: Random) => number,
): ParzenEstimator {
  const log = param.kind === 'float' && param.log;
  const to = (x: number) => (log ? Math.log(x) : x);
  const step = param.kind === 'int' ? 1 : 0;
  const low = to(param.low) - step / 2;
  const high = to(param.high) + step / 2;
  const mus = values.map(to);
  const sigmas = kernelWidths(mus, low, high);
  mus.push((low + high) / 2);
  sigmas.push(high - low);
  const logWeights = weights.map(Math.log);
  return {
    sample(random) {
      const k = pick(random);
      const x = sampleTruncNorm(random, mus[k], sigmas[k], low, high);
      if (step) return Math.min(param.high, Math.max(param.low, Math.round(x)));
      return log ? Math.min(param.high, Math.max(param.low, Math.exp(x))) : x;
    },
    logPdf(value) {
      const x = to(value);
      const terms = mus.map((mu, k) => {
        const s = sigmas[k];
        const density = step
          ? logNormalMass((x - 0.5 - mu) / s, (x + 0.5 - mu) / s) - logNormalMass((low - mu) / s, (high - mu) / s)
          : truncNormLogPdf(x, mu, s, low, high);
        return logWeights[k] + density;
      });
      const top = Math.max(...terms);
      return top + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - top), 0));
    },
  };
}

/**
 * Optuna's bandwidths (consider_endpoints off, magic clip on): each kernel is
 * as wide as the larger gap to its sorted neighbours (the interval ends count
 * as neighbours except for the outermost kernels), clipped to
 * [(high - low) / min(100, 1 + kernels), high - low].
 */
function kernelWidths(mus: readonly number[], low: number, high: number): number[] {
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const sorted = [low, ...order.map((i) => mus[i]), high];
  const widths = order.map((_, j) => Math.max(sorted[j + 1] - sorted[j], sorted[j + 2] - sorted[j + 1]));
  if (sorted.length >= 4) {
    widths[0] = sorted[2] - sorted[1];
    widths[widths.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const minWidth = (high - low) / Math.min(100, 1 + mus.length + 1);
  const out = new Array<number>(mus.length);
  order.forEach((i, j) => (out[i] = Math.min(high - low, Math.max(minWidth, widths[j]))));
  return out;
}
