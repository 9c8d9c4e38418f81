/**
 * Proximal Policy Optimization (Schulman et al. 2017) with Stable-Baselines3's semantics:
 *
 *   const model = new PPO('CartPole-v1', { ...ppoPreset('zoo', 'CartPole-v1').config, seed: 0 });
 *   await model.learn({ totalTimesteps: 100_000 });
 *   const action = model.predict(obs, { deterministic: true });
 *   await model.save('runs/cartpole/model');
 *   const again = await PPO.load('runs/cartpole/model');
 *
 * Rollouts: `nEnvs` envs in a SyncVectorEnv with `autoresetMode: 'SAME_STEP'`; the acting forward pass runs
 * in JavaScript for all envs at once (see `policy.ts`); truncated episodes bootstrap from V(infos.final_obs).
 * Continuous actions are clipped to the action space when stepping and stored unclipped. Optional
 * VecNormalize-style normalisation (`normalize: true`) of observations and rewards, its statistics saved with
 * the model. Updates: `nEpochs` passes over the rollout in shuffled minibatches of `batchSize`, Adam (eps 1e-5,
 * as SB3's policies) with global-norm clipping; `targetKl` stops the epoch loop (before the step) when the
 * approximate KL exceeds 1.5·targetKl, as SB3 does.
 *
 * Determinism and resume: every random draw comes from generators derived from `seed` (weights, actions,
 * minibatch order, env resets). `save` stores weights, Adam state, generator states, normaliser statistics,
 * step counters, the env state (see `src/train/env-snapshot.ts`) and the pending observation, so
 * `learn(N)` + save + load + `learn(N, { resetNumTimesteps: false })` equals `learn(2N)` on the same backend
 * (with constant schedules: like SB3, a linear schedule anneals over each `learn` call's total).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backendInfo, type BackendInfo } from '../../core/backend.js';
import { CorruptFileError, InvalidArgumentError, InvalidStateError, NumericalError } from '../../core/errors.js';
import { entropySeed, Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import type { Space } from '../../core/spaces/space.js';
import { spaceFromJSON } from '../../core/spaces/utils.js';
import { makeVec } from '../../envs/vector/make-vec.js';
import { SyncVectorEnv } from '../../envs/vector/sync-vector-env.js';
import type { VectorEnv } from '../../envs/vector/vector-env.js';
import { RunningMeanStd, type RunningMeanStdState } from '../../envs/wrappers/running-mean-std.js';
import { RolloutBuffer } from '../../data/rollout-buffer.js';
import { Adam, adamStateFromTensors, adamStateToTensors, decodeSafetensors, encodeSafetensors, parametersFromTensors, parametersToTensors } from '../../nn/index.js';
import { Callback, type TrainingModel } from '../../train/callbacks.js';
import { readCheckpointJson, writeCheckpointDir } from '../../train/checkpoint.js';
import type { EnvSnapshot } from '../../train/env-snapshot.js';
import { EpisodeStats } from '../../train/episode-stats.js';
import { captureEnvState, restoreRollout, rolloutCheckpoint, type RolloutCheckpoint } from '../../train/model-io.js';
import { MetricsLogger } from '../../train/logger.js';
import { checkLearnArgs, learnCallbacks } from '../../train/learn-setup.js';
import { configToJSON, parsePPOConfig, toScheduleFn, type PPOConfig, type PPOConfigInput, type ScheduleFn } from './config.js';
import { ppoLossAndGradients } from './fast-gradients.js';
import { LOSS_STATS } from './loss.js';
import { ActorCriticPolicy } from './policy.js';
import { readFile } from 'node:fs/promises';

type AnyVectorEnv = VectorEnv<any, any, any, any>;

export const PPO_CHECKPOINT_FORMAT = 'teleo-ppo';
export const PPO_CHECKPOINT_VERSION = 1;

export interface LearnOptions {
  totalTimesteps: number;
  callbacks?: Callback | Callback[];
  /** Shows a progress display (`ProgressCallback`: a bar on a TTY, plain lines otherwise). */
  progressBar?: boolean;
  /** SB3's `reset_num_timesteps`: true (default) restarts the step counter and resets the envs. */
  resetNumTimesteps?: boolean;
  /** Iterations between metric records (default 1). */
  logInterval?: number;
}

export interface PPOOptions {
  /** Where metrics go; default: kept in memory (`model.logger.records`). */
  logger?: MetricsLogger;
}

export interface PredictOptions {
  deterministic?: boolean;
}

export class PPO implements TrainingModel {
  readonly config: PPOConfig;
  readonly env: AnyVectorEnv;
  /** The env id when known (needed to rebuild the envs on load). */
  readonly envId: string | null;
  readonly seed: number;
  readonly policy: ActorCriticPolicy;
  readonly optimizer: Adam;
  readonly observationSpace: Box;
  readonly actionSpace: Space<unknown>;
  readonly nEnvs: number;
  logger: MetricsLogger;
  /** Env steps taken (summed over envs), SB3's `num_timesteps`. */
  numTimesteps = 0;
  /** Target of the current/last `learn` call. */
  totalTimesteps = 0;
  /** Rollouts collected and trained on. */
  iteration = 0;
  /** Epochs of gradient updates run (SB3's `_n_updates`). */
  nUpdates = 0;
  /** Gradient steps applied. */
  nGradientSteps = 0;
  /** Mean return over the last `statsWindowSize` finished training episodes (NaN before the first). */
  get episodeRewardMean(): number {
    return this.episodes.meanReturn;
  }

  private actionRng: Rng;
  private shuffleRng: Rng;
  private readonly buffer: RolloutBuffer;
  private readonly lrSchedule: ScheduleFn;
  private readonly clipSchedule: ScheduleFn;
  private readonly clipVfSchedule: ScheduleFn | null;
  private readonly obsRms: RunningMeanStd | null;
  private readonly retRms: RunningMeanStd | null;
  private readonly discountedReturns: Float64Array;
  /** The (normalised) observation the policy acts on next, or null when the envs need a reset. */
  private lastObs: Float32Array | null = null;
  private seededReset = false;
  /** Seed of the next env reset that must be seeded (the model's seed, or a derived one after a load). */
  private resetSeed = 0;
  private readonly episodes: EpisodeStats;
  private readonly actionLow: Float32Array | null = null;
  private readonly actionHigh: Float32Array | null = null;
  private readonly discreteStart: number = 0;
  private learnStart = 0;
  private learnStartSteps = 0;

  constructor(envOrId: string | AnyVectorEnv, config: PPOConfigInput = {}, options: PPOOptions = {}) {
    if (backendInfo() === null) throw new InvalidStateError('PPO needs a tensor backend: call `await initBackend()` first');
    this.config = parsePPOConfig(config);
    const c = this.config;
    if (typeof envOrId === 'string') {
      this.env = makeVec(envOrId, { numEnvs: c.nEnvs, autoresetMode: 'SAME_STEP', vectorKwargs: { copy: false }, ...c.envKwargs });
      this.envId = envOrId;
    } else {
      if (!(envOrId instanceof SyncVectorEnv) && envOrId?.autoresetMode === undefined) {
        throw new InvalidArgumentError('PPO needs an env id or a VectorEnv');
      }
      if (envOrId.autoresetMode !== 'SAME_STEP') {
        throw new InvalidArgumentError(`PPO needs a vector env with autoresetMode 'SAME_STEP' (got '${envOrId.autoresetMode}'), so truncations bootstrap from infos.final_obs`);
      }
      if (envOrId.numEnvs !== c.nEnvs && config.nEnvs !== undefined) {
        throw new InvalidArgumentError(`PPO config: 'nEnvs' is ${c.nEnvs} but the given vector env has ${envOrId.numEnvs} envs`);
      }
      this.env = envOrId;
      this.envId = envOrId.spec?.id ?? null;
    }
    this.nEnvs = this.env.numEnvs;
    (this.config as { nEnvs: number }).nEnvs = this.nEnvs;
    if (!(this.env.singleObservationSpace instanceof Box)) {
      throw new InvalidArgumentError(`PPO needs a Box observation space, got ${this.env.singleObservationSpace.constructor.name}`);
    }
    this.observationSpace = this.env.singleObservationSpace;
    this.actionSpace = this.env.singleActionSpace;
    if (this.actionSpace instanceof Box) {
      this.actionLow = Float32Array.from(this.actionSpace.low as ArrayLike<number>);
      this.actionHigh = Float32Array.from(this.actionSpace.high as ArrayLike<number>);
    } else if (this.actionSpace instanceof Discrete) {
      this.discreteStart = this.actionSpace.start;
    }
    this.seed = c.seed ?? entropySeed();
    this.resetSeed = this.seed;
    const [initRng, actionRng, shuffleRng] = Rng.fromSeed(this.seed).spawn(3) as [Rng, Rng, Rng];
    this.actionRng = actionRng;
    this.shuffleRng = shuffleRng;
    this.policy = new ActorCriticPolicy(this.observationSpace, this.actionSpace, c.policyKwargs, initRng);
    this.lrSchedule = toScheduleFn(c.learningRate, 'learningRate');
    this.clipSchedule = toScheduleFn(c.clipRange, 'clipRange');
    this.clipVfSchedule = c.clipRangeVf === null ? null : toScheduleFn(c.clipRangeVf, 'clipRangeVf');
    this.optimizer = new Adam(this.policy.params, { lr: this.lrSchedule(1), eps: 1e-5, maxGradNorm: c.maxGradNorm });
    this.buffer = new RolloutBuffer({
      numSteps: c.nSteps,
      numEnvs: this.nEnvs,
      obsDim: this.policy.obsDim,
      actDim: this.policy.actionKind === 'discrete' ? 1 : this.policy.actDim,
      actionKind: this.policy.actionKind,
      gamma: c.gamma,
      gaeLambda: c.gaeLambda,
    });
    const nk = c.normalizeKwargs;
    this.obsRms = c.normalize && nk.normObs ? new RunningMeanStd({ shape: [this.policy.obsDim] }) : null;
    this.retRms = c.normalize && nk.normReward ? new RunningMeanStd({ shape: [] }) : null;
    this.discountedReturns = new Float64Array(this.nEnvs);
    this.episodes = new EpisodeStats(this.nEnvs, this.config.statsWindowSize);
    this.logger = options.logger ?? new MetricsLogger(null);
  }

  /** Adds a metric to the next record (callbacks use it). */
  record(key: string, value: number): void {
    this.logger.record(key, value);
  }

  // ---- observation / reward normalisation (SB3 VecNormalize) ----

  /** Normalised copy of `n` raw observations (a plain float32 copy when observations are not normalised). */
  normalizeObservations(raw: ArrayLike<number>, n: number): Float32Array {
    const out = Float32Array.from(raw as ArrayLike<number>);
    const rms = this.obsRms;
    if (rms === null) return out;
    const d = this.policy.obsDim;
    const { clipObs, epsilon } = this.config.normalizeKwargs;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) {
        const z = (out[r * d + j]! - rms.mean[j]!) / Math.sqrt(rms.var[j]! + epsilon);
        out[r * d + j] = Math.min(clipObs, Math.max(-clipObs, z));
      }
    }
    return out;
  }

  private resetEnvs(): void {
    const args = this.seededReset ? {} : { seed: this.resetSeed };
    this.seededReset = true;
    const [obs] = this.env.reset(args);
    const raw = obs as Float32Array;
    this.obsRms?.update(raw, this.nEnvs);
    this.lastObs = this.normalizeObservations(raw, this.nEnvs);
    this.discountedReturns.fill(0);
    this.episodes.restartAll();
  }

  /** Env actions from policy actions: start offset for Discrete, clipped to the bounds for Box. */
  private toEnvActions(actions: Int32Array | Float32Array): Int32Array | Float32Array {
    if (this.policy.actionKind === 'discrete') {
      if (this.discreteStart === 0) return actions;
      return (actions as Int32Array).map((a) => a + this.discreteStart);
    }
    const low = this.actionLow!;
    const high = this.actionHigh!;
    const d = low.length;
    const out = new Float32Array(actions.length);
    for (let i = 0; i < actions.length; i++) out[i] = Math.min(high[i % d]!, Math.max(low[i % d]!, actions[i]!));
    return out;
  }

  private async collectRollouts(callback: Callback): Promise<boolean> {
    const E = this.nEnvs;
    const gamma = this.config.normalizeKwargs.gamma ?? this.config.gamma;
    const { clipReward, epsilon } = this.config.normalizeKwargs;
    this.buffer.reset();
    await callback.onRolloutStart();
    const truncationValues = new Float64Array(E);
    for (let t = 0; t < this.config.nSteps; t++) {
      const obs = this.lastObs!;
      const { actions, values, logProbs } = this.policy.act(obs, E, this.actionRng, false);
      for (let e = 0; e < E; e++) {
        if (!Number.isFinite(values[e]!) || !Number.isFinite(logProbs[e]!)) {
          const bad = this.policy.findNonFiniteParameter();
          throw new NumericalError(
            `PPO update ${this.iteration + 1} (rollout step ${t}): the policy gave a non-finite ${Number.isFinite(values[e]!) ? 'log-probability' : 'value'} for env ${e}` +
              (bad === null ? ' (the observation or an overflow)' : ` (parameter ${bad} is not finite)`),
          );
        }
      }
      const [nextRaw, rewards, terminations, truncations, infos] = this.env.step(this.toEnvActions(actions));
      this.numTimesteps += E;
      const raw = nextRaw as Float32Array;
      this.obsRms?.update(raw, E);
      const nextObs = this.normalizeObservations(raw, E);
      let stored: Float64Array = rewards;
      if (this.retRms !== null) {
        for (let e = 0; e < E; e++) this.discountedReturns[e] = this.discountedReturns[e]! * gamma + rewards[e]!;
        this.retRms.update(this.discountedReturns, E);
        const scale = Math.sqrt(this.retRms.var[0]! + epsilon);
        stored = rewards.map((r) => Math.min(clipReward, Math.max(-clipReward, r / scale)));
      }
      let anyTruncated = false;
      for (let e = 0; e < E; e++) {
        this.episodes.step(e, rewards[e]!);
        if (terminations[e] || truncations[e]) {
          this.episodes.finish(e);
          this.discountedReturns[e] = 0;
          if (truncations[e] && !terminations[e]) anyTruncated = true;
        }
      }
      if (anyTruncated) {
        const finals = infos.final_obs as Array<ArrayLike<number> | null>;
        for (let e = 0; e < E; e++) {
          if (truncations[e] && !terminations[e]) {
            truncationValues[e] = this.policy.valuesJs(this.normalizeObservations(finals[e]!, 1), 1)[0]!;
          }
        }
      }
      this.buffer.add({ observations: obs, actions, rewards: stored, terminations, truncations, values, logProbs, truncationValues });
      this.lastObs = nextObs;
      const keepGoing = callback.step();
      if ((keepGoing instanceof Promise ? await keepGoing : keepGoing) === false) return false;
    }
    this.buffer.computeReturnsAndAdvantages(this.policy.valuesJs(this.lastObs!, E));
    await callback.onRolloutEnd();
    return true;
  }

  /** The policy update on the current rollout (SB3's `PPO.train`). */
  private train(progressRemaining: number): void {
    const c = this.config;
    const lr = this.lrSchedule(progressRemaining);
    this.optimizer.lr = lr;
    const clipRange = this.clipSchedule(progressRemaining);
    const clipRangeVf = this.clipVfSchedule === null ? null : this.clipVfSchedule(progressRemaining);
    const coefficients = { clipRange, clipRangeVf, entCoef: c.entCoef, vfCoef: c.vfCoef };
    const sums = { pg: 0, vl: 0, ent: 0, clip: 0, n: 0 };
    let lastKls: number[] = [];
    let lastLoss = NaN;
    let continueTraining = true;
    for (let epoch = 0; epoch < c.nEpochs && continueTraining; epoch++) {
      lastKls = [];
      for (const mb of this.buffer.minibatches(c.batchSize, this.shuffleRng)) {
        const B = mb.indices.length;
        const adv = mb.advantages;
        if (c.normalizeAdvantage && B > 1) {
          let mean = 0;
          for (let i = 0; i < B; i++) mean += adv[i]!;
          mean /= B;
          let ss = 0;
          for (let i = 0; i < B; i++) ss += (adv[i]! - mean) ** 2;
          const std = Math.sqrt(ss / (B - 1)); // torch's unbiased std, as SB3
          for (let i = 0; i < B; i++) adv[i] = (adv[i]! - mean) / (std + 1e-8);
        }
        const result = ppoLossAndGradients(
          this.policy.fastParams(),
          { batch: B, observations: mb.observations, actions: mb.actions, oldLogProbs: mb.logProbs, advantages: adv, returns: mb.returns, oldValues: mb.values },
          coefficients,
        );
        const s = result.stats;
        lastLoss = result.loss;
        const update = this.iteration;
        for (let k = 0; k < LOSS_STATS.length; k++) {
          if (!Number.isFinite(s[k]!)) throw new NumericalError(`PPO update ${update} (epoch ${epoch}): ${LOSS_STATS[k]} is ${s[k]}`);
        }
        if (!Number.isFinite(lastLoss)) throw new NumericalError(`PPO update ${update} (epoch ${epoch}): loss is ${lastLoss}`);
        sums.pg += s[0]!;
        sums.vl += s[1]!;
        sums.ent += s[2]!;
        sums.clip += s[4]!;
        sums.n += 1;
        lastKls.push(s[3]!);
        if (c.targetKl !== null && s[3]! > 1.5 * c.targetKl) {
          continueTraining = false;
          this.record('train/early_stop_epoch', epoch);
          break;
        }
        try {
          // Updates the JavaScript copies in place; the variables are written once per rollout below.
          this.optimizer.applyGradients(result.grads, this.policy.jsValues());
        } catch (err) {
          if (err instanceof NumericalError) throw new NumericalError(`PPO update ${update} (epoch ${epoch}): ${err.message}`);
          throw err;
        }
        this.nGradientSteps += 1;
      }
      this.nUpdates += 1;
    }
    this.policy.pushWeights();
    const bad = this.policy.findNonFiniteParameter();
    if (bad !== null) throw new NumericalError(`PPO update ${this.iteration}: parameter ${bad} is not finite`);
    const n = Math.max(1, sums.n);
    this.record('train/entropy_loss', sums.ent / n);
    this.record('train/policy_gradient_loss', sums.pg / n);
    this.record('train/value_loss', sums.vl / n);
    this.record('train/approx_kl', lastKls.length === 0 ? NaN : lastKls.reduce((a, b) => a + b, 0) / lastKls.length);
    this.record('train/clip_fraction', sums.clip / n);
    this.record('train/loss', lastLoss);
    this.record('train/explained_variance', explainedVariance(this.buffer.values, this.buffer.returns));
    if (this.policy.logStd !== null) {
      const ls = this.policy.logStd.dataSync() as Float32Array;
      this.record('train/std', ls.reduce((a, b) => a + Math.exp(b), 0) / ls.length);
    }
    this.record('train/n_updates', this.nUpdates);
    this.record('train/clip_range', clipRange);
    if (clipRangeVf !== null) this.record('train/clip_range_vf', clipRangeVf);
    this.record('train/learning_rate', lr);
  }

  /** Trains for `totalTimesteps` more env steps (rounded up to whole rollouts), as SB3's `learn`. */
  async learn(options: LearnOptions): Promise<this> {
    const { total, logInterval } = checkLearnArgs(options, 1);
    const resetNumTimesteps = options.resetNumTimesteps ?? true;
    if (resetNumTimesteps) {
      this.numTimesteps = 0;
      this.totalTimesteps = total;
      this.lastObs = null;
    } else {
      this.totalTimesteps = this.numTimesteps + total;
    }
    if (this.lastObs === null) this.resetEnvs();
    const callback = learnCallbacks(options);
    callback.init(this);
    this.learnStart = performance.now();
    this.learnStartSteps = this.numTimesteps;
    await callback.onTrainingStart();
    while (this.numTimesteps < this.totalTimesteps) {
      const keepGoing = await this.collectRollouts(callback);
      if (!keepGoing) break;
      this.iteration += 1;
      // Clamped: the last rollout may overshoot the target (SB3 would anneal to a negative rate there).
      const progressRemaining = Math.max(0, 1 - this.numTimesteps / this.totalTimesteps);
      this.train(progressRemaining);
      if (this.iteration % logInterval === 0) this.dumpLogs();
    }
    await callback.onTrainingEnd();
    return this;
  }

  private dumpLogs(): void {
    const seconds = (performance.now() - this.learnStart) / 1000;
    if (this.episodes.recent.length > 0) {
      this.record('rollout/ep_rew_mean', this.episodes.meanReturn);
      this.record('rollout/ep_len_mean', this.episodes.meanLength);
    }
    this.record('time/iterations', this.iteration);
    this.record('time/episodes', this.episodes.count);
    this.record('time/fps', seconds > 0 ? Math.round((this.numTimesteps - this.learnStartSteps) / seconds) : 0);
    this.record('time/time_elapsed', seconds);
    this.logger.dump(this.numTimesteps);
  }

  /**
   * The policy's action for one flat observation (returns a number for Discrete, a Float32Array for Box)
   * or for a batch of `k` observations concatenated (returns an Int32Array / Float32Array of `k` actions).
   * Observations are normalised with the saved statistics (not updated). Stochastic predictions draw from
   * the model's action generator. Box actions are clipped to the action space.
   */
  predict(observation: ArrayLike<number>, options: PredictOptions = {}): number | Int32Array | Float32Array {
    const d = this.policy.obsDim;
    if (observation === null || typeof observation !== 'object' || typeof observation.length !== 'number' || observation.length === 0 || observation.length % d !== 0) {
      throw new InvalidArgumentError(`predict: observation must hold ${d} numbers (or a multiple of ${d} for a batch), got ${observation === null || typeof observation !== 'object' ? String(observation) : `${observation.length}`}`);
    }
    for (let i = 0; i < observation.length; i++) {
      if (!Number.isFinite(observation[i]!)) throw new InvalidArgumentError(`predict: observation[${i}] is ${observation[i]}`);
    }
    const k = observation.length / d;
    const obs = this.normalizeObservations(observation, k);
    const { actions } = this.policy.act(obs, k, this.actionRng, options.deterministic ?? false);
    const envActions = this.toEnvActions(actions);
    if (this.policy.actionKind === 'discrete' && k === 1) return envActions[0]!;
    return envActions;
  }

  // ---- checkpoints ----

  /** Everything needed to resume, as JSON (the tensors go to `model.safetensors`). */
  private checkpointJson(): Record<string, unknown> {
    const envSnapshot = captureEnvState(this.env);
    const backend = backendInfo()!;
    return {
      format: PPO_CHECKPOINT_FORMAT,
      version: PPO_CHECKPOINT_VERSION,
      algo: 'ppo',
      envId: this.envId,
      config: configToJSON(this.config),
      backend: { name: backend.name, version: backend.version },
      spaces: { observation: this.observationSpace.toJSON(), action: this.actionSpace.toJSON() },
      seed: this.seed,
      counters: {
        numTimesteps: this.numTimesteps,
        totalTimesteps: this.totalTimesteps,
        iteration: this.iteration,
        nUpdates: this.nUpdates,
        nGradientSteps: this.nGradientSteps,
        episodeCount: this.episodes.count,
      },
      rng: { action: [...this.actionRng.getState()], shuffle: [...this.shuffleRng.getState()] },
      normalization: {
        obsRms: this.obsRms?.getState() ?? null,
        retRms: this.retRms?.getState() ?? null,
        discountedReturns: [...this.discountedReturns],
      },
      rollout: rolloutCheckpoint({ lastObs: this.lastObs, seededReset: this.seededReset, episodes: this.episodes }),
      envState: envSnapshot,
    };
  }

  /** Saves the model to directory `dir` (`model.safetensors` + `ppo.json`), atomically. */
  async save(dir: string): Promise<void> {
    const json = this.checkpointJson();
    const adam = adamStateToTensors(this.optimizer.getState());
    const bytes = encodeSafetensors({ ...parametersToTensors(this.policy.params), ...adam.tensors }, { adam: adam.config, format: PPO_CHECKPOINT_FORMAT });
    await writeCheckpointDir(dir, { 'model.safetensors': bytes, 'ppo.json': JSON.stringify(json, null, 1) });
  }

  /**
   * Loads a model saved by `save`. The envs are rebuilt from the saved env id (or `options.env`, which must
   * have the saved spaces) and restored to their saved state when possible. Throws `CorruptFileError` for a
   * missing/corrupt checkpoint and `InvalidArgumentError` for a mismatch (spaces, backend).
   */
  static async load(dir: string, options: { env?: AnyVectorEnv; logger?: MetricsLogger; config?: Partial<PPOConfigInput> } = {}): Promise<PPO> {
    const json = await readCheckpointJson(dir, 'ppo.json');
    const path = join(dir, 'ppo.json');
    if (json.format !== PPO_CHECKPOINT_FORMAT) throw new CorruptFileError(path, `not a Teleo PPO checkpoint (format ${JSON.stringify(json.format)})`);
    if (json.version !== PPO_CHECKPOINT_VERSION) throw new CorruptFileError(path, `unsupported checkpoint version ${JSON.stringify(json.version)}`);
    const backend = backendInfo();
    if (backend === null) throw new InvalidStateError('PPO.load needs a tensor backend: call `await initBackend()` first');
    const saved = json.backend as { name: string } | undefined;
    if (saved?.name !== backend.name) {
      throw new InvalidArgumentError(`${path}: checkpoint was written on the '${saved?.name}' backend, the active backend is '${backend.name}' (pass --backend ${saved?.name})`);
    }
    const savedConfig = { ...(json.config as Record<string, unknown>), ...(options.config ?? {}) };
    for (const [k, v] of Object.entries(savedConfig)) {
      if (v === '<function>') throw new InvalidArgumentError(`${path}: config '${k}' was a function and cannot be restored; pass it in options.config`);
    }
    const seed = json.seed as number;
    savedConfig.seed = seed;
    const envId = json.envId as string | null;
    if (options.env === undefined && envId === null) throw new InvalidArgumentError(`${path}: the checkpoint has no env id; pass options.env`);
    const model = new PPO(options.env ?? envId!, savedConfig as PPOConfigInput, options.logger ? { logger: options.logger } : {});
    const spaces = json.spaces as { observation: unknown; action: unknown };
    try {
      const obsSpace = spaceFromJSON(spaces.observation as never);
      const actSpace = spaceFromJSON(spaces.action as never);
      if (!obsSpace.equals(model.observationSpace) || !actSpace.equals(model.actionSpace)) {
        throw new InvalidArgumentError(`${path}: the env's spaces differ from the checkpoint's (observation ${JSON.stringify(spaces.observation)}, action ${JSON.stringify(spaces.action)})`);
      }
    } catch (err) {
      model.close();
      throw err;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
    } catch (err) {
      model.close();
      throw new CorruptFileError(join(dir, 'model.safetensors'), `cannot read weights (${(err as Error).message})`, { cause: err });
    }
    try {
      const content = decodeSafetensors(bytes, join(dir, 'model.safetensors'));
      parametersFromTensors(model.policy.params, content.tensors);
      const adamConfig = content.metadata.adam;
      if (adamConfig === undefined) throw new CorruptFileError(join(dir, 'model.safetensors'), 'no optimizer state (metadata.adam)');
      model.optimizer.setState(adamStateFromTensors(content.tensors, adamConfig));
      model.policy.syncWeights();
      model.restoreState(json, path);
    } catch (err) {
      model.close();
      throw err;
    }
    return model;
  }

  private restoreState(json: Record<string, unknown>, path: string): void {
    const counters = json.counters as Record<string, number>;
    const rng = json.rng as { action: number[]; shuffle: number[] };
    const norm = json.normalization as { obsRms: RunningMeanStdState | null; retRms: RunningMeanStdState | null; discountedReturns: number[] };
    const rollout = json.rollout as RolloutCheckpoint | undefined;
    if (counters === undefined || rng === undefined || norm === undefined || rollout === undefined) {
      throw new CorruptFileError(path, 'missing counters, rng, normalization or rollout section');
    }
    this.numTimesteps = counters.numTimesteps!;
    this.totalTimesteps = counters.totalTimesteps!;
    this.iteration = counters.iteration!;
    this.nUpdates = counters.nUpdates!;
    this.nGradientSteps = counters.nGradientSteps!;
    this.episodes.count = counters.episodeCount!;
    this.actionRng = Rng.fromState(rng.action);
    this.shuffleRng = Rng.fromState(rng.shuffle);
    if (this.obsRms !== null && norm.obsRms !== null) this.obsRms.setState(norm.obsRms);
    if (this.retRms !== null && norm.retRms !== null) this.retRms.setState(norm.retRms);
    this.discountedReturns.set(norm.discountedReturns);
    const restored = restoreRollout(this.env, rollout, json.envState as EnvSnapshot | null, this.episodes, this.seed, this.numTimesteps);
    ({ lastObs: this.lastObs, seededReset: this.seededReset } = restored);
    if (restored.resetSeed !== null) this.resetSeed = restored.resetSeed;
  }

  close(): void {
    this.env.close();
    this.policy.dispose();
  }

  /** Backend the model trains on. */
  get backend(): BackendInfo {
    return backendInfo()!;
  }
}

/** 1 − Var(returns − values) / Var(returns) (SB3's `explained_variance`; NaN when Var(returns) is 0). */
export function explainedVariance(values: ArrayLike<number>, returns: ArrayLike<number>): number {
  const n = returns.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += returns[i]!;
    md += returns[i]! - values[i]!;
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (returns[i]! - my) ** 2;
    vd += (returns[i]! - values[i]! - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}
