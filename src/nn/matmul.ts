/**
 * Matrix products with transposed operands, done the fastest way for the active backend. On wasm,
 * `tf.matMul(a, b, transposeA, transposeB)` leaves XNNPACK's fast path and is 5–14× slower than
 * transposing explicitly first; on cpu (and TensorFlow's native backend) the flags are cheaper than a
 * separate transpose (~10–15% per training step, `bench/nn-update.ts`). Batched (rank ≥ 3) operands
 * transpose their last two axes.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Whether transposes are done as separate ops (true on wasm). */
export function explicitTransposes(): boolean {
  return tf.getBackend() === 'wasm';
}

/** Swaps the last two axes. */
export function transposeLast2(x: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return tf.transpose(x);
  const perm = [...x.shape.keys()];
  perm[perm.length - 2] = perm.length - 1;
  perm[perm.length - 1] = perm.length - 2;
  return tf.transpose(x, perm);
}

/** op(a)·op(b), where op transposes the last two axes when the flag is set. */
export function matMulT(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (!transposeA && !transposeB) return tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D);
  if (explicitTransposes()) {
    return tf.matMul((transposeA ? transposeLast2(a) : a) as tf.Tensor3D, (transposeB ? transposeLast2(b) : b) as tf.Tensor3D);
  }
  return tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB);
}
