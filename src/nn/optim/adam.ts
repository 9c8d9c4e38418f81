/**
 * Adam (Kingma & Ba 2015) with PyTorch's update rule and optional global-norm gradient clipping
 * (`torch.nn.utils.clip_grad_norm_`: scale all gradients by min(1, maxGradNorm / (‖g‖ + 1e-6))).
 *
 * Gradients come from tfjs (`tf.variableGrads`); the update itself runs in JavaScript on Float32Array
 * moments. For the network sizes Teleo trains (≤ a few 100k parameters) one pass over the values in JS is
 * cheaper than the ~13 tfjs ops per parameter tensor an op-by-op update needs, the optimizer holds no
 * tensors (nothing to leak), its state is plain arrays that restore exactly, and the update is
 * bit-identical on every backend given the same gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.js'; // registers the gradients tfjs-core leaves out
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { ParameterCollection } from '../parameters.js';
import { adamStepConstants, adamUpdate } from './adam-update.js';

export interface AdamOptions {
  /** Learning rate (default 3e-4); settable later through `adam.lr` for annealing. */
  lr?: number;
  beta1?: number;
  beta2?: number;
  /** Added to the denominator (default 1e-8; CleanRL's PPO uses 1e-5). */
  eps?: number;
  /** Clip the global gradient norm to this value; `null`/absent: no clipping. */
  maxGradNorm?: number | null;
}

/** Everything needed to continue optimisation exactly (moments are copies). */
export interface AdamState {
  step: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  maxGradNorm: number | null;
  /** First moments by parameter name. */
  m: Record<string, Float32Array>;
  /** Second moments by parameter name. */
  v: Record<string, Float32Array>;
}

export interface AdamStepResult {
  /** The loss value (only from `minimize`). */
  loss: number;
  /** Global L2 norm of the gradients before clipping. */
  gradNorm: number;
}

const ADAM_OPTIONS = ['lr', 'beta1', 'beta2', 'eps', 'maxGradNorm'];

export class Adam {
  readonly params: ParameterCollection;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly maxGradNorm: number | null;
  private learningRate: number;
  private stepCount = 0;
  private readonly names: string[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(params: ParameterCollection, options: AdamOptions = {}) {
    checkOptions('Adam', options, ADAM_OPTIONS);
    this.params = params;
    this.learningRate = checkLr(options.lr ?? 3e-4);
    this.beta1 = checkInRange('beta1', options.beta1 ?? 0.9);
    this.beta2 = checkInRange('beta2', options.beta2 ?? 0.999);
    this.eps = options.eps ?? 1e-8;
    if (!(this.eps > 0 && Number.isFinite(this.eps))) throw new InvalidArgumentError(`Adam eps must be a positive finite number, got ${options.eps}`);
    const clip = options.maxGradNorm ?? null;
    if (clip !== null && !(clip > 0 && Number.isFinite(clip))) {
      throw new InvalidArgumentError(`Adam maxGradNorm must be a positive finite number or null, got ${clip}`);
    }
    this.maxGradNorm = clip;
    this.names = params.names();
    if (this.names.length === 0) throw new InvalidArgumentError('Adam needs at least one parameter');
    this.m = this.names.map((n) => new Float32Array(params.get(n).size));
    this.v = this.names.map((n) => new Float32Array(params.get(n).size));
  }

  /** Current learning rate. */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = checkLr(value);
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /**
   * Computes the gradients of `lossFn()` (a scalar) with respect to the parameters and applies one Adam
   * step. Tensors `lossFn` creates are disposed; `tf.keep()` any you want to read afterwards.
   */
  minimize(lossFn: () => tf.Scalar): AdamStepResult {
    const variables = this.names.map((n) => this.params.get(n));
    const { value, grads } = tf.variableGrads(lossFn, variables);
    try {
      const loss = (value.dataSync() as Float32Array)[0]!;
      const arrays = variables.map((v) => {
        const g = grads[v.name];
        return g === undefined ? undefined : (g.dataSync() as Float32Array);
      });
      return { loss, gradNorm: this.applyGradients(arrays) };
    } finally {
      value.dispose();
      tf.dispose(grads);
    }
  }

  /**
   * Applies one step from gradients given in parameter order (`params.names()`), `undefined` for a
   * parameter without gradient (left unchanged, its moments too). Returns the pre-clip global norm.
   * Throws `NumericalError` (and changes nothing) if the norm is not finite.
   * `values`, when given (parameter order), are JavaScript copies of the parameters that are updated in
   * place instead of the variables (callers that train on such copies assign the variables themselves).
   */
  applyGradients(grads: ReadonlyArray<Float32Array | undefined>, values?: ReadonlyArray<Float32Array>): number {
    if (values !== undefined && (values.length !== this.names.length || values.some((v, i) => v.length !== this.m[i]!.length))) {
      throw new InvalidArgumentError(`Adam.applyGradients: values must be ${this.names.length} arrays with the parameters' sizes`);
    }
    if (grads.length !== this.names.length) {
      throw new InvalidArgumentError(`Adam.applyGradients needs ${this.names.length} gradients (one per parameter), got ${grads.length}`);
    }
    let sumSq = 0;
    for (let i = 0; i < grads.length; i++) {
      const g = grads[i];
      if (g === undefined) continue;
      if (g.length !== this.m[i]!.length) {
        throw new InvalidArgumentError(`Adam: gradient of '${this.names[i]}' has ${g.length} values, the parameter ${this.m[i]!.length}`);
      }
      for (let j = 0; j < g.length; j++) sumSq += g[j]! * g[j]!;
    }
    const gradNorm = Math.sqrt(sumSq);
    if (!Number.isFinite(gradNorm)) {
      throw new NumericalError(`Adam: gradient norm is ${gradNorm} at step ${this.stepCount + 1}; parameters left unchanged`);
    }
    const scale = this.maxGradNorm !== null ? Math.min(1, this.maxGradNorm / (gradNorm + 1e-6)) : 1;
    this.stepCount += 1;
    const constants = adamStepConstants(this.learningRate, this.beta1, this.beta2, this.stepCount);
    for (let i = 0; i < grads.length; i++) {
      const g = grads[i];
      if (g === undefined) continue;
      const variable = values === undefined ? this.params.get(this.names[i]!) : null;
      const p = values !== undefined ? values[i]! : Float32Array.from(variable!.dataSync() as Float32Array);
      adamUpdate(p, g, this.m[i]!, this.v[i]!, scale, this.beta1, this.beta2, this.eps, constants);
      if (variable !== null) tf.tidy(() => variable.assign(tf.tensor(p, variable.shape, 'float32')));
    }
    return gradNorm;
  }

  /** A copy of the full optimizer state. */
  getState(): AdamState {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    this.names.forEach((n, i) => {
      m[n] = Float32Array.from(this.m[i]!);
      v[n] = Float32Array.from(this.v[i]!);
    });
    const { beta1, beta2, eps, maxGradNorm } = this;
    return { step: this.stepCount, lr: this.learningRate, beta1, beta2, eps, maxGradNorm, m, v };
  }

  /**
   * Restores `getState()` output: step, learning rate and moments (the hyperparameters beta1, beta2, eps
   * and maxGradNorm must match this optimizer's). All checks run before anything changes.
   */
  setState(state: AdamState): void {
    if (!Number.isSafeInteger(state?.step) || state.step < 0) throw new InvalidArgumentError(`Adam state: step must be a non-negative integer, got ${state?.step}`);
    checkLr(state.lr);
    for (const key of ['beta1', 'beta2', 'eps', 'maxGradNorm'] as const) {
      if (state[key] !== this[key]) throw new InvalidArgumentError(`Adam state: ${key} is ${state[key]}, this optimizer uses ${this[key]}`);
    }
    for (const [which, moments] of [['m', state.m], ['v', state.v]] as const) {
      const extra = Object.keys(moments ?? {}).filter((n) => !this.names.includes(n));
      if (extra.length > 0) throw new InvalidArgumentError(`Adam state: unknown parameter '${extra[0]}' in ${which}`);
      this.names.forEach((n, i) => {
        const a = moments?.[n];
        if (!(a instanceof Float32Array) || a.length !== this.m[i]!.length) {
          throw new InvalidArgumentError(`Adam state: ${which}['${n}'] must be a Float32Array of ${this.m[i]!.length} values`);
        }
        if (which === 'v' && a.some((x) => !(x >= 0 && x < Infinity))) throw new InvalidArgumentError(`Adam state: v['${n}'] has a negative or non-finite value`);
        if (which === 'm' && a.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError(`Adam state: m['${n}'] has a non-finite value`);
      });
    }
    this.stepCount = state.step;
    this.learningRate = state.lr;
    this.names.forEach((n, i) => {
      this.m[i]!.set(state.m[n]!);
      this.v[i]!.set(state.v[n]!);
    });
  }
}

function checkLr(lr: number): number {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new InvalidArgumentError(`Adam learning rate must be a finite non-negative number, got ${lr}`);
  return lr;
}

function checkInRange(name: string, beta: number): number {
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) throw new InvalidArgumentError(`Adam ${name} must be in [0, 1), got ${beta}`);
  return beta;
}
