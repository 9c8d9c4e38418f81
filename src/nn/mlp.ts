/**
 * `MLP`: a stack of `Linear` layers, `sizes = [in, hidden..., out]`, with the hidden activation fused into
 * each hidden layer and no activation (by default) on the output. Default initialisation is the one
 * CleanRL and SB3 use for PPO: orthogonal weights with gain √2 on hidden layers and `outputGain` on the
 * last (0.01 for a policy head, 1 for a value head), zero biases. Parameters are named `<name>.<i>.weight`.
 * Heads that share a trunk are cheapest as one output layer (e.g. 2 logits + 1 value = 3 outputs, sliced).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { Rng } from '../core/rng.js';
import { checkActivation, type Activation } from './activations.js';
import { fanInUniform, orthogonal, xavierUniform, zeros, type Initializer } from './init.js';
import { Linear, type ApplyOptions } from './linear.js';
import { ParameterCollection } from './parameters.js';

export type MLPInit = 'orthogonal' | 'xavier' | 'torch';

export interface MLPOptions {
  /** Source of the initial weights (required). */
  rng: Rng;
  /** `'orthogonal'` (default; PPO), `'xavier'` (uniform), or `'torch'` (PyTorch's nn.Linear default; SB3 SAC). */
  init?: MLPInit;
  /** Orthogonal/xavier gain of the hidden layers (default √2). */
  hiddenGain?: number;
  /** Orthogonal/xavier gain of the output layer (default 1). */
  outputGain?: number;
  /** Activation of the output layer (default `'linear'`). */
  outputActivation?: Activation;
  /** Collection to register the parameters in; default a new one. */
  params?: ParameterCollection;
  /** Parameter name prefix (default `'mlp'`). */
  name?: string;
}

const MLP_OPTIONS = ['rng', 'init', 'hiddenGain', 'outputGain', 'outputActivation', 'params', 'name'];

export class MLP {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly layers: readonly Linear[];
  readonly params: ParameterCollection;

  constructor(sizes: readonly number[], activation: Activation, options: MLPOptions) {
    checkOptions('MLP', options, MLP_OPTIONS);
    if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 1)) {
      throw new InvalidArgumentError(`MLP sizes must be at least two positive integers [in, ..., out], got ${JSON.stringify(sizes)}`);
    }
    if (options?.rng === undefined) throw new InvalidArgumentError('MLP needs options.rng (initialisation is seeded)');
    this.sizes = [...sizes];
    this.activation = checkActivation(activation);
    this.params = options.params ?? new ParameterCollection();
    const name = options.name ?? 'mlp';
    const kind = options.init ?? 'orthogonal';
    if (kind !== 'orthogonal' && kind !== 'xavier' && kind !== 'torch') {
      throw new InvalidArgumentError(`MLP init must be 'orthogonal', 'xavier' or 'torch', got ${JSON.stringify(kind)}`);
    }
    const hiddenGain = options.hiddenGain ?? Math.SQRT2;
    const outputGain = options.outputGain ?? 1;
    const layers: Linear[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const last = i + 2 === sizes.length;
      const gain = last ? outputGain : hiddenGain;
      const [init, biasInit] = initializers(kind, gain);
      layers.push(
        new Linear(sizes[i]!, sizes[i + 1]!, {
          rng: options.rng,
          init,
          biasInit,
          activation: last ? (options.outputActivation ?? 'linear') : this.activation,
          params: this.params,
          name: `${name}.${i}`,
        }),
      );
    }
    this.layers = layers;
  }

  get inFeatures(): number {
    return this.sizes[0]!;
  }

  get outFeatures(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /**
   * The network's output for x `[batch, in]`. `inputGrad: false` skips the gradient with respect to x
   * (pass it for observations); `paramGrad: false` treats the weights as constants.
   */
  apply(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor2D {
    const paramGrad = options.paramGrad ?? true;
    let h: tf.Tensor = x;
    for (let i = 0; i < this.layers.length; i++) {
      // Inner layers must pass gradients back whenever anything before them needs one.
      const inputGrad = i === 0 ? (options.inputGrad ?? true) : (options.inputGrad ?? true) || paramGrad;
      h = this.layers[i]!.apply(h, { inputGrad, paramGrad });
    }
    return h as tf.Tensor2D;
  }
}

function initializers(kind: MLPInit, gain: number): [Initializer, Initializer] {
  if (kind === 'orthogonal') return [orthogonal(gain), zeros()];
  if (kind === 'xavier') return [xavierUniform(gain), zeros()];
  return [fanInUniform(), fanInUniform()];
}
