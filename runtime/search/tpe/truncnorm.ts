import type { Random } from '../../random.js';

/**
 * The normal distribution pieces the Parzen estimators need, truncated to
 * the search interval. erfc is Numerical Recipes' Chebyshev fit (relative
 * error below 1.2e-7 everywhere), so upper-tail masses stay accurate where
 * 1 - Phi(z) would cancel; masses are taken from the tail nearer the interval.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** P(a < Z < b) for a standard normal Z, a <= b. */
export function normalMass(a: number, b: number): number {
  if (a >= 0) return 0.5 * (erfc(a / SQRT2) - erfc(b / SQRT2));
  if (b <= 0) return 0.5 * (erfc(-b / SQRT2) - erfc(-a / SQRT2));
  return 1 - 0.5 * erfc(b / SQRT2) - 0.5 * erfc(-a / SQRT2);
}

/** log P(a < Z < b); where the mass underflows, the log of its rectangle bound at the nearer end. */
export function logNormalMass(a: number, b: number): number {
  const mass = normalMass(a, b);
  if (mass > 1e-300) return Math.log(mass);
  const near = Math.min(Math.abs(a), Math.abs(b));
  return Math.log(b - a) - 0.5 * near * near - LOG_SQRT_2PI;
}

/** log density at x of N(mu, sigma) truncated to [low, high]. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logNormalMass((low - mu) / sigma, (high - mu) / sigma);
}

/** A draw of N(mu, sigma) truncated to [low, high], by rejection (mu lies in the interval, so at least ~19% of draws land). */
export function sampleTruncNorm(random: Random, mu: number, sigma: number, low: number, high: number): number {
  for (let attempt = 0; attempt < 1000; attempt++) {
    // Box-Muller; 1 - next() keeps the log argument in (0, 1].
    const x = mu + sigma * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}
