/**
 * pass@k with the unbiased estimator of Chen et al. (2021, "Evaluating Large Language Models Trained on
 * Code"): from n samples of which c are correct, pass@k = 1 − C(n − c, k) / C(n, k), the probability that a
 * random k-subset of the n samples holds at least one correct one. Computed as a product to stay exact
 * in floating point for large n.
 */
import { InvalidArgumentError } from '../../core/errors.js';

export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`passAtK: n (samples) must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(c) || c < 0 || c > n) throw new InvalidArgumentError(`passAtK: c (correct samples) must be an integer in [0, ${n}], got ${c}`);
  if (!Number.isSafeInteger(k) || k < 1 || k > n) throw new InvalidArgumentError(`passAtK: k must be an integer in [1, n = ${n}], got ${k}`);
  if (n - c < k) return 1;
  // C(n−c, k) / C(n, k) = ∏_{i = n−c+1}^{n} (1 − k / i)
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}
