/**
 * Small dense linear algebra for the reward models: accumulating weighted normal equations and solving
 * symmetric positive-definite systems by Cholesky factorisation. Matrices are row-major Float64Arrays.
 */
import { InvalidArgumentError } from '../core/errors.js';

/** Adds w · x xᵀ to the upper triangle of the p × p matrix `A` (call `symmetrize` when done). */
export function addOuterUpper(A: Float64Array, x: Float64Array, w: number, p: number): void {
  for (let r = 0; r < p; r++) {
    const wx = w * x[r]!;
    if (wx === 0) continue;
    const row = r * p;
    for (let c = r; c < p; c++) A[row + c] = A[row + c]! + wx * x[c]!;
  }
}

/** Copies the upper triangle into the lower one. */
export function symmetrize(A: Float64Array, p: number): void {
  for (let r = 0; r < p; r++) for (let c = 0; c < r; c++) A[r * p + c] = A[c * p + r]!;
}

/**
 * Solves A x = b for symmetric positive-definite A (p × p) by Cholesky; A and b are not modified.
 * Throws `InvalidArgumentError` if A is not (numerically) positive definite.
 */
export function solveSpd(A: Float64Array, b: Float64Array, p: number, what = 'system'): Float64Array {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diag = A[j * p + j]!;
    for (let k = 0; k < j; k++) diag -= L[j * p + k]! ** 2;
    if (!(diag > 1e-12 * Math.max(1, Math.abs(A[j * p + j]!)))) {
      throw new InvalidArgumentError(`The ${what} is singular or not positive definite (pivot ${j}); increase the L2 penalty alpha`);
    }
    const ljj = Math.sqrt(diag);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = s / ljj;
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * y[k]!;
    y[i] = s / L[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * x[k]!;
    x[i] = s / L[i * p + i]!;
  }
  return x;
}
