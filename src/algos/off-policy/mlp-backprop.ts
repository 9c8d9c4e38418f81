/**
 * Explicit forward/backward passes through an `MLP` without tfjs's tape: the off-policy updates know
 * their loss derivatives in closed form, so they push dL/d(output) back layer by layer themselves. Why:
 * the tape adds identity, reshape and bookkeeping kernels around every op (a SAC step through
 * `tf.variableGrads` runs ~500 kernels, most of them not matrix products); the explicit pass runs
 * per layer one fused matMul forward and, backward, dz = dy ⊙ act'(y), dW = xᵀ·dz, db = Σ dz, dx = dz·Wᵀ,
 * with transposed products as `matMulT` does them (explicit transposes on wasm). Call inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activationBackward } from '../../nn/activations.js';
import { matMulT } from '../../nn/matmul.js';
import type { MLP } from '../../nn/mlp.js';

/** The input and every layer's output of one forward pass. */
export interface MLPTrace {
  /** `inputs[i]` is layer i's input; `outputs[i]` its activated output. */
  inputs: tf.Tensor2D[];
  outputs: tf.Tensor2D[];
}

/** Forward pass keeping what the backward pass needs; the network output is `outputs[last]`. */
export function forwardTrace(net: MLP, x: tf.Tensor2D): MLPTrace {
  const inputs: tf.Tensor2D[] = [];
  const outputs: tf.Tensor2D[] = [];
  let h = x;
  for (const layer of net.layers) {
    inputs.push(h);
    h = layer.apply(h, { inputGrad: false, paramGrad: false });
    outputs.push(h);
  }
  return { inputs, outputs };
}

export function traceOutput(trace: MLPTrace): tf.Tensor2D {
  return trace.outputs[trace.outputs.length - 1]!;
}

/**
 * Back-propagates `dOut` (dL/d output, `[batch, out]`). Returns the parameter gradients in the MLP's
 * parameter order (weight, bias per layer) unless `paramGrads` is false, and dL/d input when `inputGrad`.
 */
export function backwardTrace(net: MLP, trace: MLPTrace, dOut: tf.Tensor2D, options: { inputGrad: boolean; paramGrads: boolean }): { grads: tf.Tensor[]; dInput: tf.Tensor2D | null } {
  const n = net.layers.length;
  const grads: tf.Tensor[] = new Array(options.paramGrads ? 2 * n : 0);
  let dy: tf.Tensor2D = dOut;
  let dInput: tf.Tensor2D | null = null;
  for (let i = n - 1; i >= 0; i--) {
    const layer = net.layers[i]!;
    const dz = activationBackward(dy, trace.outputs[i]!, layer.activation) as tf.Tensor2D;
    if (options.paramGrads) {
      grads[2 * i] = matMulT(trace.inputs[i]!, dz, true, false);
      grads[2 * i + 1] = tf.sum(dz, 0);
    }
    if (i > 0 || options.inputGrad) {
      const dx = matMulT(dz, layer.weight, false, true) as tf.Tensor2D;
      if (i === 0) dInput = dx;
      else dy = dx;
    }
  }
  return { grads, dInput };
}
