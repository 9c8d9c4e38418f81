/**
 * TD3 (Fujimoto et al. 2018) with SB3's semantics. Actor μ: MLP obs → netArch → |A| with tanh output
 * (scaled actions in [−1, 1]); twin critics; targets for all three. One gradient step (`trainOnBatch`):
 *   a'     = clip(μ'(s') + clip(ε, −c, c), −1, 1),  ε ~ N(0, targetPolicyNoise²)
 *   y      = r + γ_n·(1 − terminated)·min_i Q'_i(s', a')
 *   critic ← ∇ Σ_i mean (Q_i(s, a) − y)²                       (SB3 sums the two MSEs, no ½)
 * and every `policyDelay`-th step:  actor ← ∇ −mean Q_1(s, μ(s)),  then Polyak updates of μ', Q'_1, Q'_2.
 * Smoothing noise comes from the replay generator; exploration adds N(0, σ²) (`actionNoise`) and clips.
 * Gradients are pushed back explicitly on JavaScript copies of the networks (`host-mlp.ts`), no tfjs tape.
 */
import { NumericalError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { allocateReplaySample, type ReplaySample } from '../../data/replay-buffer.js';
import { MLP } from '../../nn/mlp.js';
import { Adam } from '../../nn/optim/adam.js';
import { ParameterCollection } from '../../nn/parameters.js';
import type { MetricsLogger } from '../../train/logger.js';
import { OffPolicyAlgorithm, type AnyVectorEnv, type OffPolicyOptions } from '../off-policy/off-policy.js';
import { concatRows, sampleWithReplacement } from '../off-policy/batch.js';
import { HostMLP } from '../off-policy/host-mlp.js';
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
  /** JavaScript working copies of the networks (the training passes run on these, see host-mlp.ts). */
  private readonly actorHost: HostMLP;
  private readonly actorTargetHost: HostMLP;
  private readonly q1Host: HostMLP;
  private readonly q2Host: HostMLP;
  private readonly q1TargetHost: HostMLP;
  private readonly q2TargetHost: HostMLP;

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
    this.actorHost = new HostMLP(this.actor);
    this.actorTargetHost = new HostMLP(this.actorTarget);
    this.q1Host = new HostMLP(this.q1);
    this.q2Host = new HostMLP(this.q2);
    this.q1TargetHost = new HostMLP(this.q1Target);
    this.q2TargetHost = new HostMLP(this.q2Target);
  }

  static load(dir: string, options: { env?: AnyVectorEnv; logger?: MetricsLogger } = {}): Promise<TD3> {
    return OffPolicyAlgorithm.loadWith('td3', dir, (env, config, opts) => new TD3(env, config as TD3ConfigInput, opts), options);
  }

  /** Brings every host copy up to date with its variables (after a load or `setWeights`). */
  private syncHosts(): void {
    for (const h of this.hosts()) h.sync();
  }

  private hosts(): HostMLP[] {
    return [this.actorHost, this.actorTargetHost, this.q1Host, this.q2Host, this.q1TargetHost, this.q2TargetHost];
  }

  protected policyActions(obs: Float32Array, n: number): Float32Array {
    this.syncHosts();
    return this.actorHost.forward(obs, n, false).outputs.at(-1)!.slice();
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
    this.syncHosts();
    const c = this.config;
    const B = batch.batchSize;
    const A = this.actionDim;
    const D = this.obsDim;
    this.nUpdates += 1;
    const noise = new Float32Array(B * A);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.min(c.targetNoiseClip, Math.max(-c.targetNoiseClip, c.targetPolicyNoise * rng.normal()));
    // Target: y = r + γ_n(1 − term)·min_i Q'_i(s', clip(μ'(s') + ε, −1, 1)).
    const mu = this.actorTargetHost.forward(batch.nextObservations, B, false).outputs.at(-1)!;
    const nextAction = new Float32Array(B * A);
    for (let i = 0; i < nextAction.length; i++) nextAction[i] = Math.min(1, Math.max(-1, mu[i]! + noise[i]!));
    const nextIn = concatRows(batch.nextObservations, nextAction, B, D, A);
    const q1Next = this.q1TargetHost.forward(nextIn, B, false).outputs.at(-1)!;
    const q2Next = this.q2TargetHost.forward(nextIn, B, false).outputs.at(-1)!;
    const y = new Float64Array(B);
    for (let i = 0; i < B; i++) y[i] = batch.rewards[i]! + batch.discounts[i]! * (1 - batch.terminations[i]!) * Math.min(q1Next[i]!, q2Next[i]!);
    // Critic: dL/dQ_i = 2·(Q_i − y)/B for L = Σ_i mean (Q_i − y)².
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
        dOutT[i] = (2 * err) / B;
      }
      criticLoss += sq / B;
      criticGrads.push(...q.backward(trace, dOutT, { paramGrads: true, inputGrad: false }).grads);
    }
    this.step(this.criticOptimizer, criticLoss, criticGrads, [this.q1Host, this.q2Host]);
    let actorLoss = NaN;
    if (this.nUpdates % c.policyDelay === 0) {
      // Actor: L = −mean Q_1(s, μ(s)), so dL/dQ_1 = −1/B, back through Q_1's action inputs into μ.
      const actorTrace = this.actorHost.forward(batch.observations, B, true);
      try {
        const piIn = concatRows(batch.observations, actorTrace.outputs.at(-1)!, B, D, A);
        const t1 = this.q1Host.forward(piIn, B, true);
        let sum = 0;
        const q1 = t1.outputs.at(-1)!;
        for (let i = 0; i < B; i++) sum += q1[i]!;
        actorLoss = -sum / B;
        const dInT = this.q1Host.backward(t1, new Float32Array(B).fill(-1 / B), { paramGrads: false, inputGrad: true }).dInputT!;
        const dMuT = dInT.slice(D * B, (D + A) * B); // the action rows, already [A, B]
        const grads = this.actorHost.backward(actorTrace, dMuT, { paramGrads: true, inputGrad: false }).grads;
        this.step(this.actorOptimizer, actorLoss, grads, [this.actorHost]);
      } finally {
        HostMLP.release(actorTrace);
      }
      this.q1TargetHost.softUpdateFrom(this.q1Host, c.tau);
      this.q2TargetHost.softUpdateFrom(this.q2Host, c.tau);
      this.actorTargetHost.softUpdateFrom(this.actorHost, c.tau);
    }
    return { criticLoss, actorLoss };
  }

  /** Checks the loss, applies one Adam step to the host copies and uploads them. */
  private step(optimizer: Adam, loss: number, grads: Float32Array[], hosts: HostMLP[]): void {
    if (!Number.isFinite(loss)) throw new NumericalError(`TD3 gradient step ${this.nUpdates}: loss is ${loss}`);
    optimizer.applyGradients(grads, hosts.flatMap((h) => h.values()));
    for (const h of hosts) h.push();
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
