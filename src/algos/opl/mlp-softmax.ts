/**
 * MLP softmax policy for off-policy learning: π(·|x) = softmax(MLP(x)), a drop-in `TrainablePolicy` for
 * `trainOffPolicy` when the best action depends non-linearly on the context (which no linear softmax policy
 * can represent). Plain JavaScript in float64 with a hand-written backward pass — the trainer hands over
 * ∂J/∂logits, and for the small networks OPL uses this beats tfjs's per-op overhead and needs no backend.
 *
 * Parameters are one flat Float64Array, layer by layer: W_l ([in, out], row-major: y = xW + b) then b_l.
 * Hidden weights start Glorot-uniform from Teleo's `Rng` (seeded), biases and the output layer at zero, so
 * an untrained policy is uniform (like the zero-weight linear policy). Contexts enter as they are: scale
 * them to roughly unit size first.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng, assertValidSeed } from '../../core/rng.js';
import { checkActionCount, softmaxRows, type TrainablePolicy } from './policy.js';

export interface MLPSoftmaxPolicyOptions {
  /** Widths of the hidden layers (default [32]). */
  hiddenSizes?: readonly number[];
  /**
   * Hidden activation, 'relu' (default) or 'tanh'. On the XOR-like test problem tanh units saturated into a
   * confident but poor policy (about half the optimal gain) where relu reached over 90%.
   */
  activation?: 'tanh' | 'relu';
  /** Seed of the initial hidden weights (default 0). */
  seed?: number;
  /** Parameters to start from instead (copied; length `parameterCount`). */
  params?: Float64Array;
}

const OPTION_KEYS = ['hiddenSizes', 'activation', 'seed', 'params'];

export class MLPSoftmaxPolicy implements TrainablePolicy {
  readonly nActions: number;
  readonly dimContext: number;
  readonly hiddenSizes: readonly number[];
  readonly activation: 'tanh' | 'relu';
  readonly params: Float64Array;
  /** [dimContext, hidden..., nActions]. */
  private readonly sizes: readonly number[];
  /** Offset of each layer's weight matrix in `params` (its bias follows it). */
  private readonly offsets: readonly number[];

  constructor(nActions: number, dimContext: number, options: MLPSoftmaxPolicyOptions = {}) {
    checkActionCount('MLPSoftmaxPolicy', nActions);
    if (!Number.isSafeInteger(dimContext) || dimContext < 1) {
      throw new InvalidArgumentError(`MLPSoftmaxPolicy: dimContext must be a positive integer, got ${describeValue(dimContext)}`);
    }
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`MLPSoftmaxPolicy options must be an object, got ${describeValue(options)}`);
    checkOptions('MLPSoftmaxPolicy', options, OPTION_KEYS);
    const { hiddenSizes = [32], activation = 'relu', seed = 0, params } = options;
    if (!Array.isArray(hiddenSizes) || hiddenSizes.length === 0 || !hiddenSizes.every((h) => Number.isSafeInteger(h) && h >= 1)) {
      throw new InvalidArgumentError(`MLPSoftmaxPolicy: hiddenSizes must be a non-empty array of positive integers, got ${describeValue(hiddenSizes)}`);
    }
    if (activation !== 'tanh' && activation !== 'relu') throw new InvalidArgumentError(`MLPSoftmaxPolicy: activation must be 'tanh' or 'relu', got ${describeValue(activation)}`);
    assertValidSeed(seed);
    this.nActions = nActions;
    this.dimContext = dimContext;
    this.hiddenSizes = [...hiddenSizes];
    this.activation = activation;
    this.sizes = [dimContext, ...hiddenSizes, nActions];
    const offsets: number[] = [];
    let size = 0;
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      offsets.push(size);
      size += (this.sizes[l]! + 1) * this.sizes[l + 1]!;
    }
    this.offsets = offsets;
    if (params !== undefined) {
      if (!(params instanceof Float64Array) || params.length !== size) {
        throw new InvalidArgumentError(`MLPSoftmaxPolicy: params must be a Float64Array of ${size} values for sizes [${this.sizes.join(', ')}], got ${describeValue(params)}`);
      }
      for (let k = 0; k < size; k++) {
        if (!Number.isFinite(params[k]!)) throw new InvalidArgumentError(`MLPSoftmaxPolicy: params[${k}] must be finite, got ${params[k]}`);
      }
      this.params = Float64Array.from(params);
    } else {
      this.params = new Float64Array(size);
      const rng = Rng.fromSeed(seed);
      // Hidden layers only: the output layer stays zero (uniform initial policy).
      for (let l = 0; l + 2 < this.sizes.length; l++) {
        const fanIn = this.sizes[l]!;
        const fanOut = this.sizes[l + 1]!;
        const bound = (activation === 'relu' ? Math.SQRT2 : 1) * Math.sqrt(6 / (fanIn + fanOut));
        for (let k = 0; k < fanIn * fanOut; k++) this.params[offsets[l]! + k] = rng.uniform(-bound, bound);
      }
    }
  }

  /** Number of parameters of a policy with these sizes. */
  get parameterCount(): number {
    return this.params.length;
  }

  private checkContext(context: Float64Array, nRounds: number): void {
    if (!(context instanceof Float64Array) || !Number.isSafeInteger(nRounds) || nRounds < 0 || context.length !== nRounds * this.dimContext) {
      throw new InvalidArgumentError(`MLPSoftmaxPolicy: context must be a Float64Array of nRounds × dimContext = ${nRounds} × ${this.dimContext} values, got ${describeValue(context)}`);
    }
  }

  /** Every layer's output for the batch: [x, h_1, ..., logits] (hidden ones after the activation). */
  private forwardAll(context: Float64Array, nRounds: number): Float64Array[] {
    const outs: Float64Array[] = [context];
    const L = this.sizes.length - 1;
    const w = this.params;
    for (let l = 0; l < L; l++) {
      const inSize = this.sizes[l]!;
      const outSize = this.sizes[l + 1]!;
      const W = this.offsets[l]!;
      const B = W + inSize * outSize;
      const h = outs[l]!;
      const y = new Float64Array(nRounds * outSize);
      for (let i = 0; i < nRounds; i++) {
        const yo = i * outSize;
        for (let o = 0; o < outSize; o++) y[yo + o] = w[B + o]!;
        for (let k = 0; k < inSize; k++) {
          const hk = h[i * inSize + k]!;
          if (hk === 0) continue;
          const row = W + k * outSize;
          for (let o = 0; o < outSize; o++) y[yo + o] = y[yo + o]! + hk * w[row + o]!;
        }
      }
      if (l + 1 < L) {
        if (this.activation === 'tanh') for (let k = 0; k < y.length; k++) y[k] = Math.tanh(y[k]!);
        else for (let k = 0; k < y.length; k++) y[k] = Math.max(0, y[k]!);
      }
      outs.push(y);
    }
    return outs;
  }

  logits(context: Float64Array, nRounds: number): Float64Array {
    this.checkContext(context, nRounds);
    return this.forwardAll(context, nRounds)[this.sizes.length - 1]!;
  }

  actionDist(context: Float64Array, nRounds: number): Float64Array {
    return softmaxRows(this.logits(context, nRounds), nRounds, this.nActions);
  }

  /** Backpropagates ∂J/∂logits: dW_l += h_{l−1}ᵀ δ_l, db_l += Σ_i δ_l, δ_{l−1} = (δ_l W_lᵀ) ⊙ act'(h_{l−1}). */
  backward(context: Float64Array, nRounds: number, logitGrad: Float64Array, grad: Float64Array): void {
    this.checkContext(context, nRounds);
    const K = this.nActions;
    if (!(logitGrad instanceof Float64Array) || logitGrad.length !== nRounds * K) {
      throw new InvalidArgumentError(`MLPSoftmaxPolicy.backward: logitGrad must hold ${nRounds} × ${K} values`);
    }
    if (!(grad instanceof Float64Array) || grad.length !== this.params.length) {
      throw new InvalidArgumentError(`MLPSoftmaxPolicy.backward: grad must hold ${this.params.length} values`);
    }
    const outs = this.forwardAll(context, nRounds);
    const w = this.params;
    let delta = logitGrad;
    for (let l = this.sizes.length - 2; l >= 0; l--) {
      const inSize = this.sizes[l]!;
      const outSize = this.sizes[l + 1]!;
      const W = this.offsets[l]!;
      const B = W + inSize * outSize;
      const h = outs[l]!;
      const prev = l > 0 ? new Float64Array(nRounds * inSize) : undefined;
      for (let i = 0; i < nRounds; i++) {
        const d = i * outSize;
        for (let o = 0; o < outSize; o++) grad[B + o] = grad[B + o]! + delta[d + o]!;
        for (let k = 0; k < inSize; k++) {
          const hk = h[i * inSize + k]!;
          const row = W + k * outSize;
          let back = 0;
          for (let o = 0; o < outSize; o++) {
            const g = delta[d + o]!;
            grad[row + o] = grad[row + o]! + hk * g;
            back += g * w[row + o]!;
          }
          if (prev) prev[i * inSize + k] = this.activation === 'tanh' ? back * (1 - hk * hk) : hk > 0 ? back : 0;
        }
      }
      if (prev) delta = prev;
    }
  }

  clone(): MLPSoftmaxPolicy {
    return new MLPSoftmaxPolicy(this.nActions, this.dimContext, { hiddenSizes: this.hiddenSizes, activation: this.activation, params: this.params });
  }

  /** Plain-JSON form (weights as numbers), for reports and checkpoints. */
  toJSON(): { kind: 'mlp-softmax'; nActions: number; dimContext: number; hiddenSizes: number[]; activation: 'tanh' | 'relu'; params: number[] } {
    return { kind: 'mlp-softmax', nActions: this.nActions, dimContext: this.dimContext, hiddenSizes: [...this.hiddenSizes], activation: this.activation, params: Array.from(this.params) };
  }
}
