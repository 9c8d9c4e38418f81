/**
 * The Adam moment update (Kingma & Ba 2015) on plain typed arrays, in PyTorch's arrangement:
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε).
 * Shared by `Adam` (Float32Array moments of tfjs parameters) and `TypedAdam` (Float64Array parameters of the
 * plain-TypeScript off-policy learners), which differ only in how they find and check their arrays.
 */

/** The per-step constants of update t (1-based): the bias-corrected step size and √(1 − β2ᵗ). */
export interface AdamStepConstants {
  stepSize: number;
  sqrtBiasCorrection2: number;
}

export function adamStepConstants(learningRate: number, beta1: number, beta2: number, t: number): AdamStepConstants {
  return { stepSize: learningRate / (1 - beta1 ** t), sqrtBiasCorrection2: Math.sqrt(1 - beta2 ** t) };
}

/**
 * Updates the moments `m`, `v` with gradient `grad · gradScale` and moves `params` against it by
 * `stepSize` (a negative `stepSize` moves along the gradient: ascent). All arrays have the same length.
 */
export function adamUpdate(
  params: Float32Array | Float64Array,
  grad: Float32Array | Float64Array,
  m: Float32Array | Float64Array,
  v: Float32Array | Float64Array,
  gradScale: number,
  beta1: number,
  beta2: number,
  eps: number,
  { stepSize, sqrtBiasCorrection2 }: AdamStepConstants,
): void {
  for (let j = 0; j < params.length; j++) {
    const g = grad[j]! * gradScale;
    const mj = (m[j] = beta1 * m[j]! + (1 - beta1) * g);
    const vj = (v[j] = beta2 * v[j]! + (1 - beta2) * g * g);
    params[j] = params[j]! - (stepSize * mj) / (Math.sqrt(vj) / sqrtBiasCorrection2 + eps);
  }
}
