/**
 * TD3 (Fujimoto et al. 2018) with SB3's semantics. Actor μ: MLP obs → netArch → |A| with tanh output
 * (scaled actions in [−1, 1]); twin critics; targets for all three. One gradient step (`trainOnBatch`):
 *   a'     = clip(μ'(s') + clip(ε, −c, c), −1, 1),  ε ~ N(0, targetPolicyNoise²)
 *   y      = r + γ_n·(1 − terminated)·min_i Q'_i(s', a')
 *   critic ← ∇ Σ_i mean (Q_i(s, a) − y)²                       (SB3 sums the two MSEs, no ½)
 * and every `policyDelay`-th step:  actor ← ∇ −mean Q_1(s, μ(s)),  then Polyak updates of μ', Q'_1, Q'_2.
 * Smoothing noise comes from the replay generator; exploration adds N(0, σ²) (`actionNoise`) and clips.
 * Gradients are pushed back explicitly (`mlp-backprop.ts`), not through the tfjs tape.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NumericalError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { allocateReplaySample, type ReplaySample } from '../../data/replay-buffer.js';
import { MLP } from '../../nn/mlp.js';
import { Adam } from '../../nn/optim/adam.js';
import { ParameterCollection } from '../../nn/parameters.js';
import type { MetricsLogger } from '../../train/logger.js';
import { OffPolicyAlgorithm, type AnyVectorEnv, type OffPolicyOptions } from '../off-policy/off-policy.js';
import { backwardTrace, forwardTrace, traceOutput } from '../off-policy/mlp-backprop.js';
import { sampleWithReplacement } from '../off-policy/batch.js';
import { polyakUpdate } from '../off-policy/target-update.js';
import { parseTD3Config, type TD3Config, type TD3ConfigInput } from './config.js';

export interface TD3Stats {
  criticLoss: number;
  /** NaN on steps without an actor update. */
  actorLoss: number;
}

export class TD3 extends OffPolicyAlgorithm<TD3Config> {
  readonly actor: MLP;
  readonly actorTarget: MLP;
  readonly q1: MLP;
  readonly q2: MLP;
  readonly q1Target: MLP;
  readonly q2Target: MLP;
  readonly actorParams = new ParameterCollection();
  readonly actorTargetParams = new ParameterCollection();
  readonly criticParams = new ParameterCollection();
  readonly criticTargetParams = new ParameterCollection();
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  private batch: ReplaySample;

  constructor(envOrId: string | AnyVectorEnv, config: TD3ConfigInput = {}, options: OffPolicyOptions = {}) {
    super('td3', envOrId, parseTD3Config(config), ['box'], options);
    const D = this.obsDim;
    const A = this.actionDim;
    const hidden = this.config.policyKwargs.netArch;
    const actorOpts = (params: ParameterCollection) => ({ rng: this.initRng, init: 'torch' as const, outputActivation: 'tanh' as const, params, name: 'actor' });
    this.actor = new MLP([D, ...hidden, A], 'relu', actorOpts(this.actorParams));
    this.actorTarget = new MLP([D, ...hidden, A], 'relu', actorOpts(this.actorTargetParams));
    const critic = (params: ParameterCollection, name: string) => new MLP([D + A, ...hidden, 1], 'relu', { rng: this.initRng, init: 'torch', params, name });
    this.q1 = critic(this.criticParams, 'qf0');
    this.q2 = critic(this.criticParams, 'qf1');
    this.q1Target = critic(this.criticTargetParams, 'qf0');
    this.q2Target = critic(this.criticTargetParams, 'qf1');
    polyakUpdate(this.actorTargetParams, this.actorParams, 1);
    polyakUpdate(this.criticTargetParams, this.criticParams, 1);
    this.actorOptimizer = new Adam(this.actorParams, { lr: this.config.learningRate });
    this.criticOptimizer = new Adam(this.criticParams, { lr: this.config.learningRate });
    this.batch = allocateReplaySample(this.config.batchSize, D, A);
  }

  static load(dir: string, options: { env?: AnyVectorEnv; logger?: MetricsLogger } = {}): Promise<TD3> {
    return OffPolicyAlgorithm.loadWith('td3', dir, (env, config, opts) => new TD3(env, config as TD3ConfigInput, opts), options);
  }

  protected policyActions(obs: Float32Array, n: number): Float32Array {
    return tf.tidy(() => this.actor.apply(tf.tensor2d(obs, [n, this.obsDim]), { inputGrad: false, paramGrad: false }).dataSync() as Float32Array);
  }

  protected override explorationActions(obs: Float32Array, n: number): Float32Array {
    const a = this.policyActions(obs, n);
    const noise = this.config.actionNoise;
    if (noise === null || noise.sigma === 0) return a;
    for (let i = 0; i < a.length; i++) a[i] = Math.min(1, Math.max(-1, a[i]! + noise.sigma * this.actionRng.normal()));
    return a;
  }

  protected train(gradientSteps: number, batchSize: number): void {
    if (this.batch.batchSize !== batchSize) this.batch = allocateReplaySample(batchSize, this.obsDim, this.actionDim);
    const criticLosses: number[] = [];
    const actorLosses: number[] = [];
    for (let g = 0; g < gradientSteps; g++) {
      sampleWithReplacement(this.replayBuffer, this.batch, this.sampleRng);
      const s = this.trainOnBatch(this.batch);
      criticLosses.push(s.criticLoss);
      if (!Number.isNaN(s.actorLoss)) actorLosses.push(s.actorLoss);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    this.record('train/critic_loss', mean(criticLosses));
    if (actorLosses.length > 0) this.record('train/actor_loss', mean(actorLosses));
    this.record('train/learning_rate', this.config.learningRate);
  }

  /** One TD3 gradient step on `batch` (smoothing noise from `rng`, default the replay generator). */
  trainOnBatch(batch: ReplaySample, rng: Rng = this.sampleRng): TD3Stats {
    const c = this.config;
    const B = batch.batchSize;
    const A = this.actionDim;
    const D = this.obsDim;
    this.nUpdates += 1;
    const noise = new Float32Array(B * A);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.min(c.targetNoiseClip, Math.max(-c.targetNoiseClip, c.targetPolicyNoise * rng.normal()));
    const y = tf.tidy(() => {
      const next = tf.tensor2d(batch.nextObservations, [B, D]);
      const a = tf.clipByValue(tf.add(this.actorTarget.apply(next, { inputGrad: false, paramGrad: false }), tf.tensor2d(noise, [B, A])), -1, 1);
      const qIn = tf.concat([next, a], 1);
      const q = tf.minimum(this.q1Target.apply(qIn, { inputGrad: false, paramGrad: false }), this.q2Target.apply(qIn, { inputGrad: false, paramGrad: false }));
      const notDone = tf.tensor1d(batch.discounts.map((d, i) => d * (1 - batch.terminations[i]!)));
      return tf.add(tf.tensor1d(batch.rewards), tf.mul(notDone, tf.reshape(q, [B])));
    });
    let criticLoss: number;
    let actorLoss = NaN;
    try {
      // Critic: dL/dQ_i = 2·(Q_i − y)/B for L = Σ_i mean (Q_i − y)².
      const critic = tf.tidy(() => {
        const qIn = tf.concat([tf.tensor2d(batch.observations, [B, D]), tf.tensor2d(batch.actions, [B, A])], 1);
        const target = tf.reshape(y, [B, 1]);
        const grads: tf.Tensor[] = [];
        let loss: tf.Tensor = tf.scalar(0);
        for (const q of [this.q1, this.q2]) {
          const trace = forwardTrace(q, qIn);
          const err = tf.sub(traceOutput(trace), target);
          loss = tf.add(loss, tf.mean(tf.square(err)));
          grads.push(...backwardTrace(q, trace, tf.mul(err, 2 / B) as tf.Tensor2D, { inputGrad: false, paramGrads: true }).grads);
        }
        return { loss, grads };
      });
      criticLoss = applyGradients(this.criticOptimizer, critic.loss, critic.grads);
      if (this.nUpdates % c.policyDelay === 0) {
        // Actor: L = −mean Q_1(s, μ(s)), so dL/dQ_1 = −1/B, back through Q_1's action inputs into μ.
        const actor = tf.tidy(() => {
          const obs = tf.tensor2d(batch.observations, [B, D]);
          const trace = forwardTrace(this.actor, obs);
          const t1 = forwardTrace(this.q1, tf.concat([obs, traceOutput(trace)], 1));
          const loss = tf.neg(tf.mean(traceOutput(t1)));
          const dIn = backwardTrace(this.q1, t1, tf.fill([B, 1], -1 / B) as tf.Tensor2D, { inputGrad: true, paramGrads: false }).dInput!;
          const dA = tf.slice(dIn, [0, D], [B, A]) as tf.Tensor2D;
          return { loss, grads: backwardTrace(this.actor, trace, dA, { inputGrad: false, paramGrads: true }).grads };
        });
        actorLoss = applyGradients(this.actorOptimizer, actor.loss, actor.grads);
        polyakUpdate(this.criticTargetParams, this.criticParams, c.tau);
        polyakUpdate(this.actorTargetParams, this.actorParams, c.tau);
      }
    } finally {
      y.dispose();
    }
    return { criticLoss, actorLoss };
  }

  protected networks(): Record<string, ParameterCollection> {
    return { actor: this.actorParams, actor_target: this.actorTargetParams, critic: this.criticParams, critic_target: this.criticTargetParams };
  }

  protected optimizers(): Record<string, Adam> {
    return { actor_optimizer: this.actorOptimizer, critic_optimizer: this.criticOptimizer };
  }

  protected algoState(): Record<string, unknown> {
    return {};
  }

  protected restoreAlgoState(): void {}

  protected disposeNetworks(): void {
    for (const p of [this.actorParams, this.actorTargetParams, this.criticParams, this.criticTargetParams]) p.dispose();
  }
}

/** Downloads and applies gradients (parameter order), disposing them; returns the loss value. */
function applyGradients(optimizer: Adam, lossTensor: tf.Tensor, grads: tf.Tensor[]): number {
  try {
    const loss = (lossTensor.dataSync() as Float32Array)[0]!;
    if (!Number.isFinite(loss)) throw new NumericalError(`TD3: loss is ${loss}`);
    optimizer.applyGradients(grads.map((g) => g.dataSync() as Float32Array));
    return loss;
  } finally {
    lossTensor.dispose();
    tf.dispose(grads);
  }
}
