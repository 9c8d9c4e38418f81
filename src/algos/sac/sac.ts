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
 * The networks run on tfjs with Teleo's hand-written Linear gradients (no transposed matMul on wasm).
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
    const obs = tf.tensor2d(batch.observations, [B, D]);
    let logProbs: Float32Array = new Float32Array(0);
    let criticLoss: number;
    let actorLoss: number;
    try {
      const y = tf.tidy(() => {
        const next = tf.tensor2d(batch.nextObservations, [B, D]);
        const { action, logProb } = this.actorSample(next, noiseNext, false);
        const qIn = tf.concat([next, action], 1);
        const q1 = this.q1Target.apply(qIn, { inputGrad: false, paramGrad: false });
        const q2 = this.q2Target.apply(qIn, { inputGrad: false, paramGrad: false });
        const v = tf.sub(tf.reshape(tf.minimum(q1, q2), [B]), tf.mul(logProb, alpha));
        const notDone = tf.tensor1d(batch.discounts.map((d, i) => d * (1 - batch.terminations[i]!)));
        return tf.add(tf.tensor1d(batch.rewards), tf.mul(notDone, v));
      });
      const qIn = tf.tidy(() => tf.concat([obs, tf.tensor2d(batch.actions, [B, A])], 1));
      criticLoss = this.criticOptimizer.minimize(() => {
        const q1 = tf.reshape(this.q1.apply(qIn, { inputGrad: false }), [B]);
        const q2 = tf.reshape(this.q2.apply(qIn, { inputGrad: false }), [B]);
        return tf.mul(tf.add(tf.mean(tf.squaredDifference(q1, y)), tf.mean(tf.squaredDifference(q2, y))), 0.5) as tf.Scalar;
      }).loss;
      y.dispose();
      qIn.dispose();
      actorLoss = this.actorOptimizer.minimize(() => {
        const { action, logProb } = this.actorSample(obs, noisePi, true);
        logProbs = Float32Array.from(logProb.dataSync() as Float32Array);
        const q = tf.concat([obs, action], 1);
        const q1 = this.q1.apply(q, { paramGrad: false });
        const q2 = this.q2.apply(q, { paramGrad: false });
        return tf.mean(tf.sub(tf.mul(logProb, alpha), tf.reshape(tf.minimum(q1, q2), [B]))) as tf.Scalar;
      }).loss;
    } finally {
      obs.dispose();
    }
    let entCoefLoss = NaN;
    if (this.autoEntCoef) {
      let meanTerm = 0;
      for (let i = 0; i < B; i++) meanTerm += logProbs[i]! + this.targetEntropy;
      meanTerm /= B;
      entCoefLoss = -this.logEntCoef * meanTerm;
      this.stepEntCoef(-meanTerm);
    }
    if (!Number.isFinite(criticLoss) || !Number.isFinite(actorLoss)) {
      throw new NumericalError(`SAC gradient step ${this.nUpdates + 1}: critic loss ${criticLoss}, actor loss ${actorLoss}`);
    }
    this.nUpdates += 1;
    if (this.nUpdates % this.config.targetUpdateInterval === 0) polyakUpdate(this.criticTargetParams, this.criticParams, this.config.tau);
    return { criticLoss, actorLoss, entCoef: alpha, entCoefLoss };
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
