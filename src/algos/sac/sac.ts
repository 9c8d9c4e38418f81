/**
 * Soft Actor-Critic (Haarnoja et al. 2018) with SB3's semantics:
 *
 *   const model = new SAC('Pendulum-v1', { seed: 0 });
 *   await model.learn({ totalTimesteps: 20_000 });
 *
 * Actor: MLP obs → netArch → 2·|A| (mean, log std clipped to [−20, 2]), a TanhGaussian over actions scaled
 * to [−1, 1]. Critic: two Q MLPs (obs ⊕ action → netArch → 1) with Polyak-averaged targets. One gradient
 * step on a batch (`trainOnBatch`), in SB3's order:
 *   y      = r + γ_n·(1 − terminated)·(min_i Q'_i(s', a') − α·log π(a'|s')),  a' ~ π(·|s')
 *   critic ← ∇ ½·Σ_i mean (Q_i(s, a) − y)²
 *   actor  ← ∇ mean(α·log π(ã|s) − min_i Q_i(s, ã)),  ã = tanh(μ + σ·ε) (critic after its step, fixed)
 *   log α  ← ∇ −log α · mean(log π(ã|s) + target entropy)     (when entCoef is 'auto*')
 *   targets ← τ·Q + (1 − τ)·Q' every `targetUpdateInterval` steps.
 * α in the target and actor loss is the value before its update, as in SB3. γ_n is γ for 1-step replay
 * (γ^k for n-step sums, see ReplayBuffer). Noise for a', ã is drawn from the replay generator, in that order.
 * Gradients are pushed back explicitly from the closed-form loss derivatives (`mlp-backprop.ts`: no tfjs
 * tape, no transposed matMul on wasm).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { allocateReplaySample, type ReplaySample } from '../../data/replay-buffer.js';
import { TanhGaussian } from '../../nn/distributions/tanh-gaussian.js';
import { MLP } from '../../nn/mlp.js';
import { Adam } from '../../nn/optim/adam.js';
import { adamStepConstants, adamUpdate } from '../../nn/optim/adam-update.js';
import { ParameterCollection } from '../../nn/parameters.js';
import type { MetricsLogger } from '../../train/logger.js';
import { OffPolicyAlgorithm, type AnyVectorEnv, type OffPolicyOptions } from '../off-policy/off-policy.js';
import { backwardTrace, forwardTrace, traceOutput } from '../off-policy/mlp-backprop.js';
import { polyakUpdate } from '../off-policy/target-update.js';
import { parseSACConfig, type SACConfig, type SACConfigInput } from './config.js';

export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;

export interface SACStats {
  criticLoss: number;
  actorLoss: number;
  /** α used in this step (before its update). */
  entCoef: number;
  /** −log α·mean(log π + target entropy), NaN with a fixed α. */
  entCoefLoss: number;
}

interface ScalarAdamState {
  step: number;
  m: number;
  v: number;
}

export class SAC extends OffPolicyAlgorithm<SACConfig> {
  readonly actor: MLP;
  readonly q1: MLP;
  readonly q2: MLP;
  readonly q1Target: MLP;
  readonly q2Target: MLP;
  readonly actorParams: ParameterCollection;
  readonly criticParams: ParameterCollection;
  readonly criticTargetParams: ParameterCollection;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly targetEntropy: number;
  /** Whether α is learned. */
  readonly autoEntCoef: boolean;
  /** log α (learned) or log of the fixed α. */
  logEntCoef: number;
  private entAdam: ScalarAdamState = { step: 0, m: 0, v: 0 };
  private batch: ReplaySample;

  constructor(envOrId: string | AnyVectorEnv, config: SACConfigInput = {}, options: OffPolicyOptions = {}) {
    super('sac', envOrId, parseSACConfig(config), ['box'], options);
    const c = this.config;
    const A = this.actionDim;
    const D = this.obsDim;
    const hidden = c.policyKwargs.netArch;
    this.actorParams = new ParameterCollection();
    this.actor = new MLP([D, ...hidden, 2 * A], 'relu', { rng: this.initRng, init: 'torch', params: this.actorParams, name: 'actor' });
    this.criticParams = new ParameterCollection();
    this.q1 = new MLP([D + A, ...hidden, 1], 'relu', { rng: this.initRng, init: 'torch', params: this.criticParams, name: 'qf0' });
    this.q2 = new MLP([D + A, ...hidden, 1], 'relu', { rng: this.initRng, init: 'torch', params: this.criticParams, name: 'qf1' });
    this.criticTargetParams = new ParameterCollection();
    this.q1Target = new MLP([D + A, ...hidden, 1], 'relu', { rng: this.initRng.clone(), init: 'torch', params: this.criticTargetParams, name: 'qf0' });
    this.q2Target = new MLP([D + A, ...hidden, 1], 'relu', { rng: this.initRng.clone(), init: 'torch', params: this.criticTargetParams, name: 'qf1' });
    polyakUpdate(this.criticTargetParams, this.criticParams, 1);
    this.actorOptimizer = new Adam(this.actorParams, { lr: c.learningRate });
    this.criticOptimizer = new Adam(this.criticParams, { lr: c.learningRate });
    this.targetEntropy = c.targetEntropy === 'auto' ? -A : c.targetEntropy;
    this.autoEntCoef = typeof c.entCoef === 'string';
    if (typeof c.entCoef === 'number') {
      if (!(c.entCoef > 0)) throw new InvalidArgumentError(`SAC config: 'entCoef' must be positive, got ${c.entCoef}`);
      this.logEntCoef = Math.log(c.entCoef);
    } else {
      this.logEntCoef = c.entCoef === 'auto' ? 0 : Math.log(Number(c.entCoef.slice(5)));
    }
    this.batch = allocateReplaySample(c.batchSize, D, A);
  }

  static load(dir: string, options: { env?: AnyVectorEnv; logger?: MetricsLogger } = {}): Promise<SAC> {
    return OffPolicyAlgorithm.loadWith('sac', dir, (env, config, opts) => new SAC(env, config as SACConfigInput, opts), options);
  }

  /** Current α. */
  get entCoef(): number {
    return Math.exp(this.logEntCoef);
  }

  /** Mean and clipped log std of π(·|s) for obs `[n, D]`. */
  private actorHead(obs: tf.Tensor2D, paramGrad: boolean): TanhGaussian {
    const A = this.actionDim;
    const out = this.actor.apply(obs, { inputGrad: false, paramGrad });
    const n = obs.shape[0];
    const mean = tf.slice(out, [0, 0], [n, A]);
    const logStd = tf.clipByValue(tf.slice(out, [0, A], [n, A]), LOG_STD_MIN, LOG_STD_MAX);
    return new TanhGaussian(mean, logStd);
  }

  /** ã = tanh(μ + σ·ε) and log π(ã) for given standard normal noise `[n, A]`. */
  private actorSample(obs: tf.Tensor2D, noise: Float32Array, paramGrad: boolean): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
    const dist = this.actorHead(obs, paramGrad);
    const eps = tf.tensor2d(noise, [obs.shape[0], this.actionDim]);
    const u = tf.add(dist.base.mean, tf.mul(tf.exp(dist.base.logStd), eps));
    return { action: tf.tanh(u) as tf.Tensor2D, logProb: dist.logProbFromPreTanh(u) };
  }

  protected policyActions(obs: Float32Array, n: number, deterministic: boolean): Float32Array {
    return tf.tidy(() => {
      const o = tf.tensor2d(obs, [n, this.obsDim]);
      const dist = this.actorHead(o, false);
      const a = deterministic ? dist.mode() : dist.sample(this.actionRng);
      return a.dataSync() as Float32Array;
    });
  }

  protected train(gradientSteps: number, batchSize: number): void {
    if (this.batch.batchSize !== batchSize) this.batch = allocateReplaySample(batchSize, this.obsDim, this.actionDim);
    let last: SACStats | null = null;
    for (let g = 0; g < gradientSteps; g++) {
      this.replayBuffer.sampleInto(this.batch, 0, batchSize, this.sampleRng);
      last = this.trainOnBatch(this.batch);
    }
    if (last !== null) {
      this.record('train/ent_coef', last.entCoef);
      this.record('train/actor_loss', last.actorLoss);
      this.record('train/critic_loss', last.criticLoss);
      if (this.autoEntCoef) this.record('train/ent_coef_loss', last.entCoefLoss);
      this.record('train/learning_rate', this.config.learningRate);
    }
  }

  /** One SAC gradient step on `batch` (noise from `rng`, default the replay generator). */
  trainOnBatch(batch: ReplaySample, rng: Rng = this.sampleRng): SACStats {
    const B = batch.batchSize;
    const A = this.actionDim;
    const D = this.obsDim;
    const alpha = this.entCoef;
    const noiseNext = rng.fillNormal(new Float32Array(B * A));
    const noisePi = rng.fillNormal(new Float32Array(B * A));
    // Critic: dL/dQ_i = (Q_i − y)/B for L = ½·Σ_i mean (Q_i − y)².
    const critic = tf.tidy(() => {
      const next = tf.tensor2d(batch.nextObservations, [B, D]);
      const { action, logProb } = this.actorSample(next, noiseNext, false);
      const nextIn = tf.concat([next, action], 1);
      const q1Next = this.q1Target.apply(nextIn, { inputGrad: false, paramGrad: false });
      const q2Next = this.q2Target.apply(nextIn, { inputGrad: false, paramGrad: false });
      const v = tf.sub(tf.minimum(q1Next, q2Next), tf.mul(tf.reshape(logProb, [B, 1]), alpha));
      const notDone = tf.tensor2d(batch.discounts.map((d, i) => d * (1 - batch.terminations[i]!)), [B, 1]);
      const y = tf.add(tf.tensor2d(batch.rewards, [B, 1]), tf.mul(notDone, v));
      const qIn = tf.concat([tf.tensor2d(batch.observations, [B, D]), tf.tensor2d(batch.actions, [B, A])], 1);
      const grads: tf.Tensor[] = [];
      let loss: tf.Tensor = tf.scalar(0);
      for (const q of [this.q1, this.q2]) {
        const trace = forwardTrace(q, qIn);
        const err = tf.sub(traceOutput(trace), y);
        loss = tf.add(loss, tf.mul(tf.mean(tf.square(err)), 0.5));
        grads.push(...backwardTrace(q, trace, tf.div(err, B) as tf.Tensor2D, { inputGrad: false, paramGrads: true }).grads);
      }
      return { loss, grads };
    });
    const criticLoss = this.applyGradients(this.criticOptimizer, critic.loss, critic.grads);
    // Actor: L = mean(α·log π(ã) − min_i Q_i(s, ã)), ã = tanh(u), u = μ + σ·ε, with
    //   ∂log π/∂u = 2·tanh(u) (the log-det term), ∂log π/∂log σ = −1 (holding u's dependence aside),
    //   so dL/du = (α·2ã + dL/dã·(1 − ã²))/B-scaled terms, dμ = dL/du, dlog σ = −α/B + dL/du·σ·ε inside the clip.
    let logProbs: ArrayLike<number> = [];
    const actor = tf.tidy(() => {
      const obs = tf.tensor2d(batch.observations, [B, D]);
      const trace = forwardTrace(this.actor, obs);
      const out = traceOutput(trace);
      const mean = tf.slice(out, [0, 0], [B, A]);
      const rawLogStd = tf.slice(out, [0, A], [B, A]);
      const logStd = tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX);
      const std = tf.exp(logStd);
      const eps = tf.tensor2d(noisePi, [B, A]);
      const u = tf.add(mean, tf.mul(std, eps));
      const a = tf.tanh(u) as tf.Tensor2D;
      const logProb = new TanhGaussian(mean, logStd).logProbFromPreTanh(u);
      logProbs = logProb.dataSync() as Float32Array;
      const qIn = tf.concat([obs, a], 1);
      const t1 = forwardTrace(this.q1, qIn);
      const t2 = forwardTrace(this.q2, qIn);
      const q1 = traceOutput(t1);
      const q2 = traceOutput(t2);
      const loss = tf.mean(tf.sub(tf.mul(logProb, alpha), tf.reshape(tf.minimum(q1, q2), [B])));
      const pick1 = tf.cast(tf.lessEqual(q1, q2), 'float32');
      const dq1 = tf.mul(pick1, -1 / B) as tf.Tensor2D;
      const dq2 = tf.mul(tf.sub(1, pick1), -1 / B) as tf.Tensor2D;
      const dIn1 = backwardTrace(this.q1, t1, dq1, { inputGrad: true, paramGrads: false }).dInput!;
      const dIn2 = backwardTrace(this.q2, t2, dq2, { inputGrad: true, paramGrads: false }).dInput!;
      const dA = tf.slice(tf.add(dIn1, dIn2), [0, D], [B, A]);
      const dU = tf.add(tf.mul(dA, tf.sub(1, tf.square(a))), tf.mul(a, (2 * alpha) / B));
      const inClip = tf.cast(tf.logicalAnd(tf.greaterEqual(rawLogStd, LOG_STD_MIN), tf.lessEqual(rawLogStd, LOG_STD_MAX)), 'float32');
      const dLogStd = tf.mul(tf.add(tf.mul(tf.mul(dU, std), eps), -alpha / B), inClip);
      const dOut = tf.concat([dU, dLogStd], 1) as tf.Tensor2D;
      return { loss, grads: backwardTrace(this.actor, trace, dOut, { inputGrad: false, paramGrads: true }).grads };
    });
    const actorLoss = this.applyGradients(this.actorOptimizer, actor.loss, actor.grads);
    let entCoefLoss = NaN;
    if (this.autoEntCoef) {
      let meanTerm = 0;
      for (let i = 0; i < B; i++) meanTerm += logProbs[i]! + this.targetEntropy;
      meanTerm /= B;
      entCoefLoss = -this.logEntCoef * meanTerm;
      this.stepEntCoef(-meanTerm);
    }
    this.nUpdates += 1;
    if (this.nUpdates % this.config.targetUpdateInterval === 0) polyakUpdate(this.criticTargetParams, this.criticParams, this.config.tau);
    return { criticLoss, actorLoss, entCoef: alpha, entCoefLoss };
  }

  /** Downloads and applies gradients (parameter order), disposing them; returns the loss value. */
  private applyGradients(optimizer: Adam, lossTensor: tf.Tensor, grads: tf.Tensor[]): number {
    try {
      const loss = (lossTensor.dataSync() as Float32Array)[0]!;
      if (!Number.isFinite(loss)) throw new NumericalError(`SAC gradient step ${this.nUpdates + 1}: loss is ${loss}`);
      optimizer.applyGradients(grads.map((g) => g.dataSync() as Float32Array));
      return loss;
    } finally {
      lossTensor.dispose();
      tf.dispose(grads);
    }
  }

  /** One Adam step (PyTorch's rule, as the other optimizers) on log α with gradient `grad`. */
  private stepEntCoef(grad: number): void {
    const p = new Float64Array([this.logEntCoef]);
    const m = new Float64Array([this.entAdam.m]);
    const v = new Float64Array([this.entAdam.v]);
    const step = this.entAdam.step + 1;
    adamUpdate(p, new Float64Array([grad]), m, v, 1, 0.9, 0.999, 1e-8, adamStepConstants(this.config.learningRate, 0.9, 0.999, step));
    this.logEntCoef = p[0]!;
    this.entAdam = { step, m: m[0]!, v: v[0]! };
  }

  protected networks(): Record<string, ParameterCollection> {
    return { actor: this.actorParams, critic: this.criticParams, critic_target: this.criticTargetParams };
  }

  protected optimizers(): Record<string, Adam> {
    return { actor_optimizer: this.actorOptimizer, critic_optimizer: this.criticOptimizer };
  }

  protected algoState(): Record<string, unknown> {
    return { logEntCoef: this.logEntCoef, entAdam: this.entAdam };
  }

  protected restoreAlgoState(state: Record<string, unknown>): void {
    const log = state.logEntCoef;
    const adam = state.entAdam as ScalarAdamState | undefined;
    if (typeof log !== 'number' || !Number.isFinite(log) || adam === undefined) throw new InvalidArgumentError('SAC checkpoint: missing or invalid entropy-coefficient state');
    this.logEntCoef = log;
    this.entAdam = { step: adam.step, m: adam.m, v: adam.v };
  }

  protected disposeNetworks(): void {
    this.actorParams.dispose();
    this.criticParams.dispose();
    this.criticTargetParams.dispose();
  }
}
