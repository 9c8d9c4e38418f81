/**
 * Linear softmax policy: π(a|x) = softmax_a(θ_a · [1, x]) with one weight row (bias first) per action. The
 * parameters are a flat Float64Array of nActions × (dimContext + 1), so the optimiser works on typed arrays.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkActionCount, softmaxRows, type TrainablePolicy } from './policy.js';

export class LinearSoftmaxPolicy implements TrainablePolicy {
  readonly nActions: number;
  readonly dimContext: number;
  readonly params: Float64Array;

  /** Zero weights (the uniform policy) unless `params` is given (copied). */
  constructor(nActions: number, dimContext: number, params?: Float64Array) {
    checkActionCount('LinearSoftmaxPolicy', nActions);
    if (!Number.isSafeInteger(dimContext) || dimContext < 1) {
      throw new InvalidArgumentError(`LinearSoftmaxPolicy: dimContext must be a positive integer, got ${describeValue(dimContext)}`);
    }
    const size = nActions * (dimContext + 1);
    if (params !== undefined) {
      if (!(params instanceof Float64Array) || params.length !== size) {
        throw new InvalidArgumentError(`LinearSoftmaxPolicy: params must be a Float64Array of nActions × (dimContext + 1) = ${size} values, got ${describeValue(params)}`);
      }
      for (let j = 0; j < size; j++) {
        if (!Number.isFinite(params[j]!)) throw new InvalidArgumentError(`LinearSoftmaxPolicy: params[${j}] must be finite, got ${params[j]}`);
      }
    }
    this.nActions = nActions;
    this.dimContext = dimContext;
    this.params = params ? Float64Array.from(params) : new Float64Array(size);
  }

  private checkContext(context: Float64Array, nRounds: number): void {
    if (!(context instanceof Float64Array) || !Number.isSafeInteger(nRounds) || nRounds < 0 || context.length !== nRounds * this.dimContext) {
      throw new InvalidArgumentError(`LinearSoftmaxPolicy: context must be a Float64Array of nRounds × dimContext = ${nRounds} × ${this.dimContext} values, got ${describeValue(context)}`);
    }
  }

  logits(context: Float64Array, nRounds: number): Float64Array {
    this.checkContext(context, nRounds);
    const K = this.nActions;
    const d = this.dimContext;
    const w = this.params;
    const out = new Float64Array(nRounds * K);
    for (let i = 0; i < nRounds; i++) {
      const x = i * d;
      for (let a = 0; a < K; a++) {
        const row = a * (d + 1);
        let z = w[row]!;
        for (let j = 0; j < d; j++) z += w[row + 1 + j]! * context[x + j]!;
        out[i * K + a] = z;
      }
    }
    return out;
  }

  actionDist(context: Float64Array, nRounds: number): Float64Array {
    return softmaxRows(this.logits(context, nRounds), nRounds, this.nActions);
  }

  backward(context: Float64Array, nRounds: number, logitGrad: Float64Array, grad: Float64Array): void {
    this.checkContext(context, nRounds);
    const K = this.nActions;
    const d = this.dimContext;
    if (!(logitGrad instanceof Float64Array) || logitGrad.length !== nRounds * K) {
      throw new InvalidArgumentError(`LinearSoftmaxPolicy.backward: logitGrad must hold ${nRounds} × ${K} values`);
    }
    if (!(grad instanceof Float64Array) || grad.length !== this.params.length) {
      throw new InvalidArgumentError(`LinearSoftmaxPolicy.backward: grad must hold ${this.params.length} values`);
    }
    for (let i = 0; i < nRounds; i++) {
      const x = i * d;
      for (let a = 0; a < K; a++) {
        const g = logitGrad[i * K + a]!;
        if (g === 0) continue;
        const row = a * (d + 1);
        grad[row] = grad[row]! + g;
        for (let j = 0; j < d; j++) grad[row + 1 + j] = grad[row + 1 + j]! + g * context[x + j]!;
      }
    }
  }

  clone(): LinearSoftmaxPolicy {
    return new LinearSoftmaxPolicy(this.nActions, this.dimContext, this.params);
  }

  /** Plain-JSON form (weights as numbers), for reports and checkpoints. */
  toJSON(): { kind: 'linear-softmax'; nActions: number; dimContext: number; params: number[] } {
    return { kind: 'linear-softmax', nActions: this.nActions, dimContext: this.dimContext, params: Array.from(this.params) };
  }
}
