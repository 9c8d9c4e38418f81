/**
 * `Linear`: y = act(xW + b) with x `[batch, in]`, W `[in, out]`, b `[out]`.
 *
 * The forward pass is one fused tfjs matMul (bias, and ReLU, folded in; tanh is a second op). The backward
 * pass is a `tf.customGrad` written by hand:
 *   dz = dy ⊙ act'(y),  dW = xᵀ·dz,  db = Σ_batch dz,  dx = dz·Wᵀ,
 * where the transposed products never use a transposed matMul on wasm (5–14× slower there than an
 * explicit `tf.transpose` + `matMul`; on cpu and tfjs-node the transpose flags are the faster form — see
 * `matmul.ts`). `apply(x, { inputGrad: false })` skips dx (observations need no gradient) and
 * `paramGrad: false` treats W and b as constants (e.g. a critic evaluated inside an actor loss).
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js'; // registers the gradients tfjs-core leaves out
import { InvalidArgumentError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { activationBackward, checkActivation, type Activation } from './activations.js';
import { fanInUniform, type Initializer } from './init.js';
import { matMulT } from './matmul.js';
import { ParameterCollection } from './parameters.js';

export interface LinearOptions {
  /** Source of the initial weights (required: initialisation is always seeded). */
  rng: Rng;
  /** Weight initialiser; default PyTorch's `nn.Linear` default, U(±1/√in). */
  init?: Initializer;
  /** Bias initialiser; default PyTorch's `nn.Linear` default, U(±1/√in). */
  biasInit?: Initializer;
  /** Activation fused into the layer (default `'linear'`). */
  activation?: Activation;
  /** Collection to register `<name>.weight` and `<name>.bias` in; default a new one. */
  params?: ParameterCollection;
  /** Parameter name prefix (default `'linear'`). */
  name?: string;
}

export interface ApplyOptions {
  /** Compute the gradient with respect to the input (default true). */
  inputGrad?: boolean;
  /** Compute gradients with respect to the weights (default true). */
  paramGrad?: boolean;
}

export class Linear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: Activation;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly params: ParameterCollection;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions) {
    for (const [what, n] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`Linear ${what} must be a positive integer, got ${n}`);
    }
    if (options === undefined || options.rng === undefined) throw new InvalidArgumentError('Linear needs options.rng (initialisation is seeded)');
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.activation = checkActivation(options.activation ?? 'linear');
    this.params = options.params ?? new ParameterCollection();
    const name = options.name ?? 'linear';
    const init = options.init ?? fanInUniform();
    const biasInit = options.biasInit ?? fanInUniform();
    const w = init(inFeatures * outFeatures, inFeatures, outFeatures, options.rng);
    const b = biasInit(outFeatures, inFeatures, outFeatures, options.rng);
    this.weight = this.params.add(`${name}.weight`, [inFeatures, outFeatures], w);
    this.bias = this.params.add(`${name}.bias`, [outFeatures], b);
  }

  /** y = act(xW + b) for x of shape `[batch, inFeatures]`. */
  apply(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures || x.dtype !== 'float32') {
      throw new InvalidArgumentError(
        `Linear(${this.inFeatures}→${this.outFeatures}) needs a float32 input of shape [batch, ${this.inFeatures}], got ${x.dtype} [${x.shape.join(', ')}]`,
      );
    }
    const inputGrad = options.inputGrad ?? true;
    const paramGrad = options.paramGrad ?? true;
    const act = this.activation;
    if (inputGrad && paramGrad) {
      return tf.customGrad((xi, w, b, save) => {
        const y = forward(xi as tf.Tensor, w as tf.Tensor, b as tf.Tensor, act);
        (save as tf.GradSaveFunc)([xi as tf.Tensor, w as tf.Tensor, y]);
        return {
          value: y,
          gradFunc: (dy, saved) => {
            const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
            const dz = activationBackward(dy as tf.Tensor, ys, act) as tf.Tensor2D;
            return [matMulT(dz, ws, false, true), matMulT(xs, dz, true, false), tf.sum(dz, 0)];
          },
        };
      })(x, this.weight, this.bias) as tf.Tensor2D;
    }
    if (paramGrad) {
      return tf.customGrad((w, b, save) => {
        const y = forward(x, w as tf.Tensor, b as tf.Tensor, act);
        (save as tf.GradSaveFunc)([x, y]);
        return {
          value: y,
          gradFunc: (dy, saved) => {
            const [xs, ys] = saved as [tf.Tensor2D, tf.Tensor2D];
            const dz = activationBackward(dy as tf.Tensor, ys, act) as tf.Tensor2D;
            return [matMulT(xs, dz, true, false), tf.sum(dz, 0)];
          },
        };
      })(this.weight, this.bias) as tf.Tensor2D;
    }
    const w = this.weight;
    const b = this.bias;
    if (inputGrad) {
      return tf.customGrad((xi, save) => {
        const y = forward(xi as tf.Tensor, w, b, act);
        (save as tf.GradSaveFunc)([y]);
        return {
          value: y,
          gradFunc: (dy, saved) => {
            const dz = activationBackward(dy as tf.Tensor, saved[0]!, act) as tf.Tensor2D;
            return [matMulT(dz, w, false, true)];
          },
        };
      })(x) as tf.Tensor2D;
    }
    return forward(x, w, b, act);
  }
}

/** act(xW + b) in as few ops as the backend allows. */
function forward(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: Activation): tf.Tensor2D {
  const a = x as tf.Tensor2D;
  const bw = w as tf.Tensor2D;
  if (activation === 'tanh') return tf.tanh(tf.fused.matMul({ a, b: bw, bias: b })) as tf.Tensor2D;
  return tf.fused.matMul({ a, b: bw, bias: b, activation: activation === 'relu' ? 'relu' : 'linear' }) as tf.Tensor2D;
}
