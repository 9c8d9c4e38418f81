/**
 * The normal distribution truncated below (to [low, ∞)): its mean and exact sampling with Teleo's `Rng`.
 * Used by the synthetic bandit data for continuous rewards, which OBP draws from a normal truncated to
 * [0, 1e10] (the upper bound is ≥ 1e10 − μ standard deviations away and changes nothing in float64).
 */
import type { Rng } from '../../core/rng.js';

const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erfc(x) for x >= 0, to ~1e-15 relative error. */
function erfcNonNegative(x: number): number {
  if (x < 2.5) {
    // erf(x) = (2/√π) e^{-x²} Σ_n 2^n x^{2n+1} / (1·3···(2n+1)): positive terms, no cancellation.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
    }
    return 1 - 2 * INV_SQRT_PI * Math.exp(-x2) * sum;
  }
  // Continued fraction erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), bottom-up.
  let tail = x;
  for (let k = 80; k >= 1; k--) tail = x + k / 2 / tail;
  return (INV_SQRT_PI * Math.exp(-x * x)) / tail;
}

/** Standard normal upper tail P(Z > z). */
export function normalSurvival(z: number): number {
  const x = z / Math.SQRT2;
  return x >= 0 ? 0.5 * erfcNonNegative(x) : 1 - 0.5 * erfcNonNegative(-x);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** The hazard φ(α)/P(Z > α), i.e. E[Z | Z > α], computed stably for large α. */
export function normalHazard(alpha: number): number {
  if (alpha > 5) {
    // Mills ratio P(Z>α)/φ(α) = 1/(α + 1/(α + 2/(α + 3/(α + ...)))).
    let tail = alpha;
    for (let k = 60; k >= 1; k--) tail = alpha + k / tail;
    return tail;
  }
  return normalPdf(alpha) / normalSurvival(alpha);
}

/** Mean of N(mean, std²) truncated to [low, ∞). */
export function truncatedNormalMean(mean: number, std: number, low: number): number {
  return mean + std * normalHazard((low - mean) / std);
}

/** One draw of N(mean, std²) truncated to [low, ∞), by exact rejection sampling. */
export function sampleTruncatedNormal(rng: Rng, mean: number, std: number, low: number): number {
  const alpha = (low - mean) / std;
  if (alpha < 0.5) {
    // Plain rejection: acceptance P(Z > α) ≥ 0.31.
    for (;;) {
      const z = rng.normal();
      if (z >= alpha) return mean + std * z;
    }
  }
  // Robert (1995): translated-exponential proposal with the optimal rate; acceptance ≥ 0.76 for α ≥ 0.5.
  const rate = (alpha + Math.sqrt(alpha * alpha + 4)) / 2;
  for (;;) {
    const z = alpha + rng.exponential(1 / rate);
    const diff = z - rate;
    if (rng.random() <= Math.exp(-0.5 * diff * diff)) return mean + std * z;
  }
}
