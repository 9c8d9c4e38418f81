/**
 * Adam on a flat Float64Array of parameters (Kingma & Ba 2015, with bias correction), for the plain-TypeScript
 * off-policy learners; tfjs models use `src/nn`'s optimiser instead. `ascend` moves the parameters up the
 * gradient (the OPL objectives are maximised).
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { adamStepConstants, adamUpdate } from '../../nn/optim/adam-update.js';

export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class TypedAdam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(size: number, options: AdamOptions = {}) {
    checkOptions('TypedAdam', options, ['learningRate', 'beta1', 'beta2', 'epsilon']);
    const { learningRate = 0.05, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
    if (!Number.isSafeInteger(size) || size < 1) throw new InvalidArgumentError(`TypedAdam: size must be a positive integer, got ${describeValue(size)}`);
    if (!(learningRate > 0 && learningRate < Infinity)) throw new InvalidArgumentError(`TypedAdam: learningRate must be positive and finite, got ${describeValue(learningRate)}`);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new InvalidArgumentError(`TypedAdam: beta1 and beta2 must be in [0, 1), got ${beta1}, ${beta2}`);
    if (!(epsilon > 0)) throw new InvalidArgumentError(`TypedAdam: epsilon must be positive, got ${describeValue(epsilon)}`);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One step of gradient ascent: params += lr · m̂ / (√v̂ + ε) (the shared update of `nn/optim/adam-update`). */
  ascend(params: Float64Array, grad: Float64Array): void {
    if (params.length !== this.m.length || grad.length !== this.m.length) {
      throw new InvalidArgumentError(`TypedAdam: params and grad must have ${this.m.length} values, got ${params.length} and ${grad.length}`);
    }
    this.t++;
    // A negative step size: the update moves along the gradient.
    const { stepSize, sqrtBiasCorrection2 } = adamStepConstants(this.learningRate, this.beta1, this.beta2, this.t);
    adamUpdate(params, grad, this.m, this.v, 1, this.beta1, this.beta2, this.epsilon, { stepSize: -stepSize, sqrtBiasCorrection2 });
  }
}
