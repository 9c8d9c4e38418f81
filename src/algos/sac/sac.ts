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
 * Gradients are pushed back explicitly from the closed-form loss derivatives on JavaScript copies of the
 * networks (`host-mlp.ts`: no tfjs tape, only the large products on the backend); in the actor loss each
 * critic passes gradient back only for the rows where it is the minimum. Acting also runs on the copies.
 */
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { allocateReplaySample, type ReplaySample } from '../../data/replay-buffer.js';
import { MLP } from '../../nn/mlp.js';
import { Adam } from '../../nn/optim/adam.js';
import { adamStepConstants, adamUpdate } from '../../nn/optim/adam-update.js';
import { ParameterCollection } from '../../nn/parameters.js';
import type { MetricsLogger } from '../../train/logger.js';
import { OffPolicyAlgorithm, type AnyVectorEnv, type OffPolicyOptions } from '../off-policy/off-policy.js';
import { concatRows, sampleWithReplacement } from '../off-policy/batch.js';
import { HostMLP } from '../off-policy/host-mlp.js';
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
  /** JavaScript working copies of the networks (the training passes run on these, see host-mlp.ts). */
  private readonly actorHost: HostMLP;
  private readonly q1Host: HostMLP;
  private readonly q2Host: HostMLP;
  private readonly q1TargetHost: HostMLP;
  private readonly q2TargetHost: HostMLP;
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
    this.actorHost = new HostMLP(this.actor);
    this.q1Host = new HostMLP(this.q1);
    this.q2Host = new HostMLP(this.q2);
    this.q1TargetHost = new HostMLP(this.q1Target);
    this.q2TargetHost = new HostMLP(this.q2Target);
  }

  static load(dir: string, options: { env?: AnyVectorEnv; logger?: MetricsLogger } = {}): Promise<SAC> {
    return OffPolicyAlgorithm.loadWith('sac', dir, (env, config, opts) => new SAC(env, config as SACConfigInput, opts), options);
  }

  /** Current α. */
  get entCoef(): number {
    return Math.exp(this.logEntCoef);
  }

  /** Brings every host copy up to date with its variables (after a load or `setWeights`). */
  private syncHosts(): void {
    for (const h of [this.actorHost, this.q1Host, this.q2Host, this.q1TargetHost, this.q2TargetHost]) h.sync();
  }

  protected policyActions(obs: Float32Array, n: number, deterministic: boolean): Float32Array {
    this.syncHosts();
    const A = this.actionDim;
    const out = this.actorHost.forward(obs, n, false).outputs.at(-1)!;
    const noise = deterministic ? null : this.actionRng.fillNormal(new Float32Array(n * A));
    const actions = new Float32Array(n * A);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < A; d++) {
        const mean = out[i * 2 * A + d]!;
        if (noise === null) actions[i * A + d] = Math.tanh(mean);
        else {
          const logStd = Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, out[i * 2 * A + A + d]!));
          actions[i * A + d] = Math.tanh(mean + Math.exp(logStd) * noise[i * A + d]!);
        }
      }
    }
    return actions;
  }

  protected train(gradientSteps: number, batchSize: number): void {
    if (this.batch.batchSize !== batchSize) this.batch = allocateReplaySample(batchSize, this.obsDim, this.actionDim);
    let last: SACStats | null = null;
    for (let g = 0; g < gradientSteps; g++) {
      sampleWithReplacement(this.replayBuffer, this.batch, this.sampleRng);
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
    this.syncHosts();
    const B = batch.batchSize;
    const A = this.actionDim;
    const D = this.obsDim;
    const alpha = this.entCoef;
    const noiseNext = rng.fillNormal(new Float32Array(B * A));
    const noisePi = rng.fillNormal(new Float32Array(B * A));
    // Critic: y = r + γ_n(1 − term)(min_i Q'_i(s', a') − α log π(a'|s')); dL/dQ_i = (Q_i − y)/B for L = ½Σ_i mean (Q_i − y)².
    const next = squashedSample(this.actorHost.forward(batch.nextObservations, B, false).outputs.at(-1)!, noiseNext, B, A);
    const nextIn = concatRows(batch.nextObservations, next.action, B, D, A);
    const q1Next = this.q1TargetHost.forward(nextIn, B, false).outputs.at(-1)!;
    const q2Next = this.q2TargetHost.forward(nextIn, B, false).outputs.at(-1)!;
    const y = new Float64Array(B);
    for (let i = 0; i < B; i++) {
      const v = Math.min(q1Next[i]!, q2Next[i]!) - alpha * next.logProb[i]!;
      y[i] = batch.rewards[i]! + batch.discounts[i]! * (1 - batch.terminations[i]!) * v;
    }
    const qIn = concatRows(batch.observations, batch.actions, B, D, A);
    let criticLoss = 0;
    const criticGrads: Float32Array[] = [];
    for (const q of [this.q1Host, this.q2Host]) {
      const trace = q.forward(qIn, B, true);
      const out = trace.outputs.at(-1)!;
      const dOutT = new Float32Array(B);
      let sq = 0;
      for (let i = 0; i < B; i++) {
        const err = out[i]! - y[i]!;
        sq += err * err;
        dOutT[i] = err / B;
      }
      criticLoss += (0.5 * sq) / B;
      criticGrads.push(...q.backward(trace, dOutT, { paramGrads: true, inputGrad: false }).grads);
    }
    this.step(this.criticOptimizer, criticLoss, criticGrads, [this.q1Host, this.q2Host]);
    // Actor: L = mean(α·log π(ã) − min_i Q_i(s, ã)), ã = tanh(u), u = μ + σ·ε, critic after its step, with
    //   dL/du = (dL/dã·(1 − ã²) + 2α·ã/B)   (the log-det term of log π contributes 2·tanh(u)),
    //   dL/dμ = dL/du,  dL/dlog σ = (dL/du·σ·ε − α/B) inside the clip, 0 outside.
    const actorTrace = this.actorHost.forward(batch.observations, B, true);
    let actorLoss: number;
    let logProbs: Float64Array;
    try {
      const head = actorTrace.outputs.at(-1)!;
      const pi = squashedSample(head, noisePi, B, A);
      logProbs = pi.logProb;
      const piIn = concatRows(batch.observations, pi.action, B, D, A);
      const t1 = this.q1Host.forward(piIn, B, false);
      const t2 = this.q2Host.forward(piIn, B, false);
      const q1 = t1.outputs.at(-1)!;
      const q2 = t2.outputs.at(-1)!;
      // min(Q1, Q2) per row: each critic passes −1/B back for the rows where it is the minimum (Q1 on ties).
      const rows1 = new Int32Array(B);
      const rows2 = new Int32Array(B);
      let n1 = 0;
      let n2 = 0;
      let loss = 0;
      for (let i = 0; i < B; i++) {
        const first = q1[i]! <= q2[i]!;
        loss += alpha * pi.logProb[i]! - (first ? q1[i]! : q2[i]!);
        if (first) rows1[n1++] = i;
        else rows2[n2++] = i;
      }
      actorLoss = loss / B;
      const dA = new Float64Array(B * A);
      const scatter = (dInT: Float32Array, rows: Int32Array, n: number) => {
        for (let d = 0; d < A; d++) for (let c = 0; c < n; c++) dA[rows[c]! * A + d] = dInT[(D + d) * n + c]!;
      };
      scatter(this.q1Host.inputGradRows(t1, new Float32Array(n1).fill(-1 / B), rows1, n1), rows1, n1);
      scatter(this.q2Host.inputGradRows(t2, new Float32Array(n2).fill(-1 / B), rows2, n2), rows2, n2);
      const dHeadT = new Float32Array(2 * A * B);
      for (let d = 0; d < A; d++) {
        for (let i = 0; i < B; i++) {
          const k = i * A + d;
          const a = pi.action[k]!;
          const dU = dA[k]! * (1 - a * a) + (2 * alpha * a) / B;
          dHeadT[d * B + i] = dU;
          const raw = head[i * 2 * A + A + d]!;
          const inClip = raw >= LOG_STD_MIN && raw <= LOG_STD_MAX;
          dHeadT[(A + d) * B + i] = inClip ? dU * pi.std[k]! * noisePi[k]! - alpha / B : 0;
        }
      }
      const grads = this.actorHost.backward(actorTrace, dHeadT, { paramGrads: true, inputGrad: false }).grads;
      this.step(this.actorOptimizer, actorLoss, grads, [this.actorHost]);
    } finally {
      HostMLP.release(actorTrace);
    }
    let entCoefLoss = NaN;
    if (this.autoEntCoef) {
      let meanTerm = 0;
      for (let i = 0; i < B; i++) meanTerm += logProbs[i]! + this.targetEntropy;
      meanTerm /= B;
      entCoefLoss = -this.logEntCoef * meanTerm;
      this.stepEntCoef(-meanTerm);
    }
    this.nUpdates += 1;
    if (this.nUpdates % this.config.targetUpdateInterval === 0) {
      this.q1TargetHost.softUpdateFrom(this.q1Host, this.config.tau);
      this.q2TargetHost.softUpdateFrom(this.q2Host, this.config.tau);
    }
    return { criticLoss, actorLoss, entCoef: alpha, entCoefLoss };
  }

  /** Checks the loss, applies one Adam step to the host copies and uploads them. */
  private step(optimizer: Adam, loss: number, grads: Float32Array[], hosts: HostMLP[]): void {
    if (!Number.isFinite(loss)) throw new NumericalError(`SAC gradient step ${this.nUpdates + 1}: loss is ${loss}`);
    optimizer.applyGradients(grads, hosts.flatMap((h) => h.values()));
    for (const h of hosts) h.push();
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

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG2 = Math.log(2);

/** log(1 + eˣ) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * ã = tanh(μ + σ·ε) and log π(ã) from the actor's head `[n, 2A]` (mean, raw log std) and noise ε `[n, A]`,
 * as `TanhGaussian.logProbFromPreTanh`: log N(u; μ, σ) − Σ_d 2·(log 2 − u − softplus(−2u)).
 */
function squashedSample(head: Float32Array, noise: Float32Array, n: number, A: number): { action: Float32Array; logProb: Float64Array; std: Float32Array } {
  const action = new Float32Array(n * A);
  const std = new Float32Array(n * A);
  const logProb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lp = -A * HALF_LOG_2PI;
    for (let d = 0; d < A; d++) {
      const k = i * A + d;
      const mean = head[i * 2 * A + d]!;
      const logStd = Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, head[i * 2 * A + A + d]!));
      const s = Math.fround(Math.exp(logStd));
      const u = Math.fround(mean + s * noise[k]!);
      const z = (u - mean) * Math.exp(-logStd);
      lp -= 0.5 * z * z + logStd + 2 * (LOG2 - u - softplus(-2 * u));
      action[k] = Math.tanh(u);
      std[k] = s;
    }
    logProb[i] = lp;
  }
  return { action, logProb, std };
}
