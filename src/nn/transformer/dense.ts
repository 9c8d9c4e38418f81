/**
 * A dense layer y = act(x·W + b) for x `[rows, in]`, as one fused matMul forward and a hand-written
 * backward pass (like `../linear.ts`, which owns its variables; here the variables belong to the decoder).
 * Why not `tf.fused.matMul` under autograd: its built-in gradient uses transposed matMuls, 5–14× slower
 * on wasm than explicit transposes (`../matmul.ts`); `matMulT` picks the fast form for the backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.js';
import { explicitTransposes, matMulT } from '../matmul.js';

/**
 * Column sums of a `[rows, cols]` tensor → `[cols]`. On wasm a reduction over axis 0 transposes first and
 * is ~20× slower than the product 1ᵀ·x (XNNPACK), measured at [6144, 256]: 35 ms vs 1.7 ms.
 * Caution: tfjs-backend-wasm caches a matMul operator by the data of its second operand, ignoring the
 * shape, so `x`'s data must never be a matMul's second operand under another shape (wasm aborts).
 */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  if (!explicitTransposes()) return tf.sum(x, 0);
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]);
}

export function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor, activation: 'linear' | 'relu' = 'linear'): tf.Tensor2D {
  return tf.customGrad((xi, wi, bi, save) => {
    const y = tf.fused.matMul({ a: xi as tf.Tensor2D, b: wi as tf.Tensor2D, bias: bi as tf.Tensor, activation });
    (save as tf.GradSaveFunc)([xi as tf.Tensor, wi as tf.Tensor, y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dz = activation === 'relu' ? tf.mul(dy as tf.Tensor, tf.step(ys)) : (dy as tf.Tensor);
        return [matMulT(dz, ws, false, true), matMulT(xs, dz, true, false), sumRows(dz as tf.Tensor2D)];
      },
    };
  })(x, w, b) as tf.Tensor2D;
}
