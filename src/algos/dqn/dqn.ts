/**
 * DQN (Mnih et al. 2015) with SB3's semantics. Q-network: MLP obs → netArch → |A|. One gradient step
 * (`trainOnBatch`), Huber loss (δ = 1, SB3's smooth L1) with global-norm clipping:
 *   y = r + γ_n·(1 − terminated)·Q'(s', argmax_a Q'(s', a))      (doubleQ: argmax of the online Q)
 *   Q ← ∇ mean huber(Q(s, a) − y)
 * After every vector step (SB3's `_on_step`): ε follows `linearEpsilon` over the run, and every
 * max(1, ⌊targetUpdateInterval / nEnvs⌋) vector steps the target moves by Polyak τ (τ = 1: a copy).
 * Collection is ε-greedy; `predict(obs, { deterministic: false })` is ε-greedy too (as SB3).
 */
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import type { Discrete } from '../../core/spaces/discrete.js';
import { allocateReplaySample, type ReplaySample } from '../../data/replay-buffer.js';
import { MLP } from '../../nn/mlp.js';
import { Adam } from '../../nn/optim/adam.js';
import { ParameterCollection } from '../../nn/parameters.js';
import type { MetricsLogger } from '../../train/logger.js';
import { OffPolicyAlgorithm, type AnyVectorEnv, type OffPolicyOptions } from '../off-policy/off-policy.js';
import { sampleWithReplacement } from '../off-policy/batch.js';
import { HostMLP } from '../off-policy/host-mlp.js';
import { polyakUpdate } from '../off-policy/target-update.js';
import { linearEpsilon, parseDQNConfig, type DQNConfig, type DQNConfigInput } from './config.js';

export class DQN extends OffPolicyAlgorithm<DQNConfig> {
  readonly qNet: MLP;
  readonly qNetTarget: MLP;
  readonly qParams = new ParameterCollection();
  readonly qTargetParams = new ParameterCollection();
  readonly optimizer: Adam;
  readonly numActions: number;
  /** Current ε. */
  explorationRate: number;
  /** Vector steps taken (SB3's `_n_calls`). */
  private nCalls = 0;
  private batch: ReplaySample;
  /** JavaScript working copies of the networks (the training passes run on these, see host-mlp.ts). */
  private readonly qHost: HostMLP;
  private readonly qTargetHost: HostMLP;

  constructor(envOrId: string | AnyVectorEnv, config: DQNConfigInput = {}, options: OffPolicyOptions = {}) {
    super('dqn', envOrId, parseDQNConfig(config), ['discrete'], options);
    const c = this.config;
    this.numActions = (this.actionSpace as Discrete).n;
    const sizes = [this.obsDim, ...c.policyKwargs.netArch, this.numActions];
    this.qNet = new MLP(sizes, 'relu', { rng: this.initRng, init: 'torch', params: this.qParams, name: 'q_net' });
    this.qNetTarget = new MLP(sizes, 'relu', { rng: this.initRng, init: 'torch', params: this.qTargetParams, name: 'q_net' });
    polyakUpdate(this.qTargetParams, this.qParams, 1);
    this.optimizer = new Adam(this.qParams, { lr: c.learningRate, maxGradNorm: c.maxGradNorm });
    this.explorationRate = c.explorationInitialEps;
    this.batch = allocateReplaySample(c.batchSize, this.obsDim, 1);
    this.qHost = new HostMLP(this.qNet);
    this.qTargetHost = new HostMLP(this.qNetTarget);
  }

  static load(dir: string, options: { env?: AnyVectorEnv; logger?: MetricsLogger } = {}): Promise<DQN> {
    return OffPolicyAlgorithm.loadWith('dqn', dir, (env, config, opts) => new DQN(env, config as DQNConfigInput, opts), options);
  }

  /** Brings the host copies up to date with their variables (after a load or `setWeights`). */
  private syncHosts(): void {
    this.qHost.sync();
    this.qTargetHost.sync();
  }

  /** Q-values `[n, |A|]` row-major. */
  qValues(obs: Float32Array, n: number): Float32Array {
    this.syncHosts();
    return this.qHost.forward(obs, n, false).outputs.at(-1)!.slice();
  }

  protected policyActions(obs: Float32Array, n: number, deterministic: boolean): Int32Array {
    const q = this.qValues(obs, n);
    const K = this.numActions;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (!deterministic && this.actionRng.random() < this.explorationRate) {
        out[i] = this.actionRng.integers(0, K);
        continue;
      }
      let best = 0;
      for (let a = 1; a < K; a++) if (q[i * K + a]! > q[i * K + best]!) best = a;
      out[i] = best;
    }
    return out;
  }

  protected override onEnvStep(): void {
    const c = this.config;
    this.nCalls += 1;
    if (this.nCalls % Math.max(1, Math.floor(c.targetUpdateInterval / this.nEnvs)) === 0) {
      this.syncHosts();
      this.qTargetHost.softUpdateFrom(this.qHost, c.tau);
    }
    const progressRemaining = 1 - this.numTimesteps / this.totalTimesteps;
    this.explorationRate = linearEpsilon(progressRemaining, c.explorationInitialEps, c.explorationFinalEps, c.explorationFraction);
    this.record('rollout/exploration_rate', this.explorationRate);
  }

  protected train(gradientSteps: number, batchSize: number): void {
    if (this.batch.batchSize !== batchSize) this.batch = allocateReplaySample(batchSize, this.obsDim, 1);
    let sum = 0;
    for (let g = 0; g < gradientSteps; g++) {
      sampleWithReplacement(this.replayBuffer, this.batch, this.sampleRng);
      sum += this.trainOnBatch(this.batch);
    }
    this.record('train/loss', sum / gradientSteps);
    this.record('train/learning_rate', this.config.learningRate);
  }

  /**
   * One gradient step on `batch`; returns the Huber loss. dL/dQ(s_i, a_i) = clip(Q(s_i, a_i) − y_i, −1, 1)/B
   * and 0 for the other actions, pushed back through the Q-network's host copy (`host-mlp.ts`).
   */
  trainOnBatch(batch: ReplaySample): number {
    this.syncHosts();
    const B = batch.batchSize;
    const K = this.numActions;
    const actions = new Int32Array(B);
    for (let i = 0; i < B; i++) {
      const a = batch.actions[i]!;
      if (!Number.isInteger(a) || a < 0 || a >= K) throw new InvalidArgumentError(`DQN batch: action ${a} at row ${i} is not in [0, ${K})`);
      actions[i] = a;
    }
    // y = r + γ_n(1 − term)·Q'(s', a*), a* = argmax Q'(s', ·) (or argmax Q(s', ·) with doubleQ).
    const qNext = this.qTargetHost.forward(batch.nextObservations, B, false).outputs.at(-1)!;
    const qOnlineNext = this.config.doubleQ ? this.qHost.forward(batch.nextObservations, B, false).outputs.at(-1)! : qNext;
    const y = new Float64Array(B);
    for (let i = 0; i < B; i++) {
      let best = 0;
      for (let a = 1; a < K; a++) if (qOnlineNext[i * K + a]! > qOnlineNext[i * K + best]!) best = a;
      y[i] = batch.rewards[i]! + batch.discounts[i]! * (1 - batch.terminations[i]!) * qNext[i * K + best]!;
    }
    const trace = this.qHost.forward(batch.observations, B, true);
    const q = trace.outputs.at(-1)!;
    const dOutT = new Float32Array(K * B);
    let loss = 0;
    for (let i = 0; i < B; i++) {
      // huber(d) = c·(d − c/2) with c = clip(d, −1, 1): ½d² inside, |d| − ½ outside; huber'(d) = c.
      const d = q[i * K + actions[i]!]! - y[i]!;
      const c = Math.min(1, Math.max(-1, d));
      loss += c * (d - 0.5 * c);
      dOutT[actions[i]! * B + i] = c / B;
    }
    loss /= B;
    if (!Number.isFinite(loss)) {
      HostMLP.release(trace);
      throw new NumericalError(`DQN gradient step ${this.nUpdates + 1}: loss is ${loss}`);
    }
    const grads = this.qHost.backward(trace, dOutT, { paramGrads: true, inputGrad: false }).grads;
    this.qHost.applyGradients(this.optimizer, grads);
    this.nUpdates += 1;
    return loss;
  }

  protected networks(): Record<string, ParameterCollection> {
    return { q_net: this.qParams, q_net_target: this.qTargetParams };
  }

  protected optimizers(): Record<string, Adam> {
    return { optimizer: this.optimizer };
  }

  protected algoState(): Record<string, unknown> {
    return { explorationRate: this.explorationRate, nCalls: this.nCalls };
  }

  protected restoreAlgoState(state: Record<string, unknown>): void {
    const eps = state.explorationRate;
    const calls = state.nCalls;
    if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1) || typeof calls !== 'number' || !Number.isSafeInteger(calls)) {
      throw new InvalidArgumentError('DQN checkpoint: missing or invalid exploration state');
    }
    this.explorationRate = eps;
    this.nCalls = calls;
  }

  protected disposeNetworks(): void {
    this.qParams.dispose();
    this.qTargetParams.dispose();
  }
}
