/**
 * `OffPolicyAlgorithm`: the loop SAC, TD3 and DQN share, with SB3's semantics (`OffPolicyAlgorithm.learn`):
 *
 *   repeat: take `trainFreq` vector steps (uniformly random actions until `learningStarts` env steps,
 *   then the algorithm's exploration policy), storing each transition in the replay buffer — with the
 *   true final observation (`infos.final_obs`, SAME_STEP autoreset) as next observation of an episode
 *   that ended, and termination/truncation kept apart so truncations bootstrap — then, once past
 *   `learningStarts`, run `gradientSteps` gradient steps (−1: one per env step collected).
 *
 * As in SB3, training starts once `numTimesteps > learningStarts` even if the buffer holds fewer than a
 * batch: batches are drawn with replacement from what is there (`batch.ts`).
 * Box actions live in the buffer and the networks scaled to [−1, 1] (SB3's `scale_action`) and are mapped
 * affinely to the env's bounds when stepping; Discrete actions are stored as their index from 0.
 *
 * Subclasses build their networks after `super()` (from `initRng`) and implement `policyActions`
 * (acting), `train` (gradient steps) and the checkpoint hooks (`networks`, `optimizers`, `algoState`,
 * `restoreAlgoState`). Checkpoints: `<dir>/model.safetensors` (every network and Adam state), `<algo>.json`
 * (config, counters, generator states, env snapshot) and, with `{ replayBuffer: true }`,
 * `replay.safetensors`, which makes `learn(N)`, save, load, `learn(N, { resetNumTimesteps: false })`
 * equal `learn(2N)`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendInfo } from '../../core/backend.js';
import { CorruptFileError, InvalidArgumentError, InvalidStateError } from '../../core/errors.js';
import { entropySeed, Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { spaceFromJSON } from '../../core/spaces/utils.js';
import { ReplayBuffer, type ReplayBufferState } from '../../data/replay-buffer.js';
import { makeVec } from '../../envs/vector/make-vec.js';
import type { VectorEnv } from '../../envs/vector/vector-env.js';
import { adamStateFromTensors, adamStateToTensors, decodeSafetensors, encodeSafetensors, type SafeTensor } from '../../nn/index.js';
import type { Adam } from '../../nn/optim/adam.js';
import type { ParameterCollection } from '../../nn/parameters.js';
import { parametersFromTensors, parametersToTensors } from '../../nn/serialize.js';
import { Callback, type TrainingModel } from '../../train/callbacks.js';
import { readCheckpointJson, writeCheckpointDir } from '../../train/checkpoint.js';
import type { EnvSnapshot } from '../../train/env-snapshot.js';
import { EpisodeStats } from '../../train/episode-stats.js';
import { captureEnvState, restoreRollout, rolloutCheckpoint, type RolloutCheckpoint } from '../../train/model-io.js';
import { MetricsLogger } from '../../train/logger.js';
import { checkLearnArgs, learnCallbacks } from '../../train/learn-setup.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyVectorEnv = VectorEnv<any, any, any, any>;

/** The config fields the shared loop reads (see `config.ts`). */
export interface OffPolicyConfig {
  learningRate: number;
  bufferSize: number;
  learningStarts: number;
  batchSize: number;
  tau: number;
  gamma: number;
  trainFreq: number;
  gradientSteps: number;
  nSteps: number;
  nEnvs: number;
  policyKwargs: { netArch: number[] };
  envKwargs: Record<string, unknown>;
  statsWindowSize: number;
  seed: number | null;
}

export interface OffPolicyLearnOptions {
  totalTimesteps: number;
  callbacks?: Callback | Callback[];
  progressBar?: boolean;
  /** SB3's `reset_num_timesteps` (default true). */
  resetNumTimesteps?: boolean;
  /** Episodes between metric records (SB3's `log_interval`, default 4). */
  logInterval?: number;
}

export interface OffPolicyOptions {
  logger?: MetricsLogger;
}

export interface OffPolicySaveOptions {
  /** Also write the replay buffer (`replay.safetensors`) for an exact resume (default false). */
  replayBuffer?: boolean;
}

export type OffPolicyActionKind = 'box' | 'discrete';

export const OFF_POLICY_CHECKPOINT_VERSION = 1;

export abstract class OffPolicyAlgorithm<C extends OffPolicyConfig> implements TrainingModel {
  readonly algo: string;
  readonly config: C;
  readonly env: AnyVectorEnv;
  readonly envId: string | null;
  readonly seed: number;
  readonly observationSpace: Box;
  readonly actionSpace: Box | Discrete;
  readonly actionKind: OffPolicyActionKind;
  readonly nEnvs: number;
  readonly obsDim: number;
  /** Action values per transition in the buffer (1 for Discrete). */
  readonly actionDim: number;
  readonly replayBuffer: ReplayBuffer;
  logger: MetricsLogger;
  numTimesteps = 0;
  totalTimesteps = 0;
  /** Gradient steps taken (SB3's `_n_updates`). */
  nUpdates = 0;
  /** Finished training episodes. */
  get episodeCount(): number {
    return this.episodes.count;
  }
  /** Generator of the initial weights; subclasses use it in their constructor only. */
  protected readonly initRng: Rng;
  /** Exploration: random warm-up actions, policy sampling, action noise. */
  protected actionRng: Rng;
  /** Replay sampling. */
  protected sampleRng: Rng;
  private readonly actionLow: Float32Array | null = null;
  private readonly actionHigh: Float32Array | null = null;
  private lastObs: Float32Array | null = null;
  private seededReset = false;
  private resetSeed: number;
  private readonly episodes: EpisodeStats;
  private learnStart = 0;
  private learnStartSteps = 0;

  constructor(algo: string, envOrId: string | AnyVectorEnv, config: C, allowed: readonly OffPolicyActionKind[], options: OffPolicyOptions = {}) {
    const name = algo.toUpperCase();
    if (backendInfo() === null) throw new InvalidStateError(`${name} needs a tensor backend: call \`await initBackend()\` first`);
    this.algo = algo;
    this.config = config;
    if (typeof envOrId === 'string') {
      this.env = makeVec(envOrId, { numEnvs: config.nEnvs, autoresetMode: 'SAME_STEP', vectorKwargs: { copy: false }, ...config.envKwargs });
      this.envId = envOrId;
    } else {
      if (envOrId === null || typeof envOrId !== 'object' || envOrId.autoresetMode === undefined) throw new InvalidArgumentError(`${name} needs an env id or a VectorEnv`);
      if (envOrId.autoresetMode !== 'SAME_STEP') {
        throw new InvalidArgumentError(`${name} needs a vector env with autoresetMode 'SAME_STEP' (got '${envOrId.autoresetMode}'), so stored transitions hold the true final observation`);
      }
      this.env = envOrId;
      this.envId = envOrId.spec?.id ?? null;
    }
    this.nEnvs = this.env.numEnvs;
    (this.config as OffPolicyConfig).nEnvs = this.nEnvs;
    const obsSpace = this.env.singleObservationSpace;
    if (!(obsSpace instanceof Box)) throw new InvalidArgumentError(`${name} needs a Box observation space, got ${obsSpace?.constructor?.name}`);
    this.observationSpace = obsSpace;
    this.obsDim = (obsSpace.shape ?? []).reduce((a: number, b: number) => a * b, 1);
    const actSpace = this.env.singleActionSpace;
    if (actSpace instanceof Box && allowed.includes('box')) {
      const low = Float32Array.from(actSpace.low as ArrayLike<number>);
      const high = Float32Array.from(actSpace.high as ArrayLike<number>);
      if (![...low, ...high].every(Number.isFinite)) throw new InvalidArgumentError(`${name} needs a bounded Box action space (actions are squashed to its bounds)`);
      this.actionLow = low;
      this.actionHigh = high;
      this.actionKind = 'box';
      this.actionDim = low.length;
    } else if (actSpace instanceof Discrete && allowed.includes('discrete')) {
      this.actionKind = 'discrete';
      this.actionDim = 1;
    } else {
      throw new InvalidArgumentError(`${name} supports ${allowed.map((k) => (k === 'box' ? 'Box' : 'Discrete')).join(' and ')} action spaces, got ${actSpace?.constructor?.name}`);
    }
    this.actionSpace = actSpace as Box | Discrete;
    this.seed = config.seed ?? entropySeed();
    this.resetSeed = this.seed;
    const [initRng, actionRng, sampleRng] = Rng.fromSeed(this.seed).spawn(3) as [Rng, Rng, Rng];
    this.initRng = initRng;
    this.actionRng = actionRng;
    this.sampleRng = sampleRng;
    this.replayBuffer = new ReplayBuffer({
      capacity: config.bufferSize,
      obsDim: this.obsDim,
      actionDim: this.actionDim,
      numEnvs: this.nEnvs,
      gamma: config.gamma,
      nSteps: config.nSteps,
    });
    this.episodes = new EpisodeStats(this.nEnvs, this.config.statsWindowSize);
    this.logger = options.logger ?? new MetricsLogger(null);
  }

  // ---- what each algorithm supplies ----

  /** Buffer-space actions (scaled Box actions in [−1, 1], or Discrete indices) for `n` observations. */
  protected abstract policyActions(obs: Float32Array, n: number, deterministic: boolean): Float32Array | Int32Array;
  /** `gradientSteps` gradient steps on batches of `batchSize` from the replay buffer. */
  protected abstract train(gradientSteps: number, batchSize: number): void;
  /** The trainable and target networks by name (saved and restored). */
  protected abstract networks(): Record<string, ParameterCollection>;
  /** The optimizers by name (saved and restored). */
  protected abstract optimizers(): Record<string, Adam>;
  /** Algorithm-specific JSON state (e.g. the entropy coefficient). */
  protected abstract algoState(): Record<string, unknown>;
  protected abstract restoreAlgoState(state: Record<string, unknown>): void;
  /** Releases tensors. */
  protected abstract disposeNetworks(): void;

  /** Actions while collecting after `learningStarts`; default: sample the policy. */
  protected explorationActions(obs: Float32Array, n: number): Float32Array | Int32Array {
    return this.policyActions(obs, n, false);
  }

  /** Called after every vector step (DQN: exploration schedule and target-network copies). */
  protected onEnvStep(): void {}

  // ---- shared loop ----

  record(key: string, value: number): void {
    this.logger.record(key, value);
  }

  get episodeRewardMean(): number {
    return this.episodes.meanReturn;
  }

  /** Returns and lengths of the recent finished training episodes (newest last). */
  get recentEpisodes(): ReadonlyArray<{ r: number; l: number }> {
    return this.episodes.recent;
  }

  private resetEnvs(): void {
    const args = this.seededReset ? {} : { seed: this.resetSeed };
    this.seededReset = true;
    const [obs] = this.env.reset(args);
    this.lastObs = Float32Array.from(obs as ArrayLike<number>);
    this.episodes.restartAll();
  }

  /** Uniform random buffer-space actions (SB3 samples the action space before `learningStarts`). */
  private randomActions(n: number): Float32Array | Int32Array {
    if (this.actionKind === 'discrete') {
      const k = (this.actionSpace as Discrete).n;
      return Int32Array.from({ length: n }, () => this.actionRng.integers(0, k));
    }
    const out = new Float32Array(n * this.actionDim);
    for (let i = 0; i < out.length; i++) out[i] = this.actionRng.uniform(-1, 1);
    return out;
  }

  /** Env actions from buffer-space actions: affine map of [−1, 1] to the bounds, or the Discrete start offset. */
  toEnvActions(actions: Float32Array | Int32Array): Float32Array | Int32Array {
    if (this.actionKind === 'discrete') {
      const start = (this.actionSpace as Discrete).start;
      return start === 0 ? actions : (actions as Int32Array).map((a) => a + start);
    }
    const low = this.actionLow!;
    const high = this.actionHigh!;
    const d = low.length;
    const out = new Float32Array(actions.length);
    for (let i = 0; i < actions.length; i++) {
      const a = Math.min(1, Math.max(-1, actions[i]!));
      out[i] = low[i % d]! + 0.5 * (a + 1) * (high[i % d]! - low[i % d]!);
    }
    return out;
  }

  async learn(options: OffPolicyLearnOptions): Promise<this> {
    const { total, logInterval } = checkLearnArgs(options, 4);
    if (options.resetNumTimesteps ?? true) {
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
    const E = this.nEnvs;
    const D = this.obsDim;
    let stop = false;
    let nextLogEpisode = this.episodes.count + logInterval;
    while (!stop && this.numTimesteps < this.totalTimesteps) {
      await callback.onRolloutStart();
      let collected = 0;
      for (let s = 0; s < this.config.trainFreq && this.numTimesteps < this.totalTimesteps; s++) {
        const obs = this.lastObs!;
        const actions = this.numTimesteps < this.config.learningStarts ? this.randomActions(E) : this.explorationActions(obs, E);
        const [nextRaw, rewards, terminations, truncations, infos] = this.env.step(this.toEnvActions(actions));
        this.numTimesteps += E;
        collected += E;
        const nextObs = Float32Array.from(nextRaw as ArrayLike<number>);
        const stored = nextObs.slice();
        for (let e = 0; e < E; e++) {
          this.episodes.step(e, rewards[e]!);
            if (terminations[e] || truncations[e]) {
            const final = (infos.final_obs as Array<ArrayLike<number> | null> | undefined)?.[e];
            if (final === undefined || final === null) throw new InvalidStateError(`${this.algo.toUpperCase()}: env ${e} ended an episode without infos.final_obs`);
            stored.set(final, e * D);
            this.episodes.finish(e);
          }
        }
        this.replayBuffer.add({ observations: obs, actions, rewards, nextObservations: stored, terminations, truncations });
        this.lastObs = nextObs;
        this.onEnvStep();
        const keepGoing = callback.step();
        if ((keepGoing instanceof Promise ? await keepGoing : keepGoing) === false) {
          stop = true;
          break;
        }
      }
      await callback.onRolloutEnd();
      if (this.episodes.count >= nextLogEpisode) {
        this.dumpLogs();
        nextLogEpisode = this.episodes.count + logInterval;
      }
      if (stop) break;
      if (this.numTimesteps > this.config.learningStarts && this.replayBuffer.size > 0) {
        const steps = this.config.gradientSteps >= 0 ? this.config.gradientSteps : collected;
        if (steps > 0) this.train(steps, this.config.batchSize);
      }
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
    this.record('time/episodes', this.episodes.count);
    this.record('time/fps', seconds > 0 ? Math.round((this.numTimesteps - this.learnStartSteps) / seconds) : 0);
    this.record('time/time_elapsed', seconds);
    this.record('time/total_timesteps', this.numTimesteps);
    this.record('train/n_updates', this.nUpdates);
    this.logger.dump(this.numTimesteps);
  }

  /**
   * The policy's action for one flat observation (a number for Discrete, a Float32Array for Box) or for `k`
   * concatenated observations (Int32Array / Float32Array of `k` actions), in the env's action space.
   */
  predict(observation: ArrayLike<number>, options: { deterministic?: boolean } = {}): number | Int32Array | Float32Array {
    const d = this.obsDim;
    if (observation === null || typeof observation !== 'object' || typeof observation.length !== 'number' || observation.length === 0 || observation.length % d !== 0) {
      throw new InvalidArgumentError(`predict: observation must hold ${d} numbers (or a multiple of ${d} for a batch), got ${observation === null || typeof observation !== 'object' ? String(observation) : observation.length}`);
    }
    for (let i = 0; i < observation.length; i++) {
      if (!Number.isFinite(observation[i]!)) throw new InvalidArgumentError(`predict: observation[${i}] is ${observation[i]}`);
    }
    const k = observation.length / d;
    const env = this.toEnvActions(this.policyActions(Float32Array.from(observation), k, options.deterministic ?? false));
    return this.actionKind === 'discrete' && k === 1 ? env[0]! : env;
  }

  // ---- checkpoints ----

  async save(dir: string, options: OffPolicySaveOptions = {}): Promise<void> {
    const tensors: Record<string, SafeTensor> = {};
    const metadata: Record<string, string> = { format: `teleo-${this.algo}` };
    for (const [net, params] of Object.entries(this.networks())) {
      for (const [k, t] of Object.entries(parametersToTensors(params))) tensors[`${net}:${k}`] = t;
    }
    for (const [name, opt] of Object.entries(this.optimizers())) {
      const adam = adamStateToTensors(opt.getState());
      for (const [k, t] of Object.entries(adam.tensors)) tensors[`${name}:${k}`] = t;
      metadata[`adam:${name}`] = adam.config;
    }
    const envState = captureEnvState(this.env);
    const backend = backendInfo()!;
    const json = {
      format: `teleo-${this.algo}`,
      version: OFF_POLICY_CHECKPOINT_VERSION,
      algo: this.algo,
      envId: this.envId,
      config: this.config,
      backend: { name: backend.name, version: backend.version },
      spaces: { observation: this.observationSpace.toJSON(), action: this.actionSpace.toJSON() },
      seed: this.seed,
      counters: { numTimesteps: this.numTimesteps, totalTimesteps: this.totalTimesteps, nUpdates: this.nUpdates, episodeCount: this.episodes.count },
      rng: { action: [...this.actionRng.getState()], sample: [...this.sampleRng.getState()] },
      rollout: rolloutCheckpoint({ lastObs: this.lastObs, seededReset: this.seededReset, episodes: this.episodes }),
      algoState: this.algoState(),
      envState,
      replayBuffer: options.replayBuffer === true,
    };
    const files: Record<string, Uint8Array | string> = {
      'model.safetensors': encodeSafetensors(tensors, metadata),
      [`${this.algo}.json`]: JSON.stringify(json),
    };
    if (options.replayBuffer) {
      const s = this.replayBuffer.getState();
      files['replay.safetensors'] = encodeSafetensors(
        { observations: s.observations, nextObservations: s.nextObservations, actions: s.actions, rewards: s.rewards, terminations: s.terminations, truncations: s.truncations },
        { layout: JSON.stringify({ rows: s.rows, numEnvs: s.numEnvs, obsDim: s.obsDim, actionDim: s.actionDim, pos: s.pos, full: s.full }) },
      );
    }
    await writeCheckpointDir(dir, files);
  }

  /** Builds a model with `factory` from a checkpoint written by `save` (used by each algorithm's static `load`). */
  static async loadWith<M extends OffPolicyAlgorithm<OffPolicyConfig>>(
    algo: string,
    dir: string,
    factory: (env: string | AnyVectorEnv, config: Record<string, unknown>, options: OffPolicyOptions) => M,
    options: { env?: AnyVectorEnv; logger?: MetricsLogger } = {},
  ): Promise<M> {
    const json = await readCheckpointJson(dir, `${algo}.json`);
    const path = join(dir, `${algo}.json`);
    if (json.format !== `teleo-${algo}` || json.version !== OFF_POLICY_CHECKPOINT_VERSION) throw new CorruptFileError(path, `not a version-${OFF_POLICY_CHECKPOINT_VERSION} Teleo ${algo.toUpperCase()} checkpoint`);
    const backend = backendInfo();
    if (backend === null) throw new InvalidStateError(`${algo.toUpperCase()}.load needs a tensor backend: call \`await initBackend()\` first`);
    const savedBackend = (json.backend as { name?: string } | undefined)?.name;
    if (savedBackend !== backend.name) throw new InvalidArgumentError(`${path}: checkpoint was written on the '${savedBackend}' backend, the active backend is '${backend.name}'`);
    const envId = json.envId as string | null;
    if (options.env === undefined && envId === null) throw new InvalidArgumentError(`${path}: the checkpoint has no env id; pass options.env`);
    const config = { ...(json.config as Record<string, unknown>), seed: json.seed };
    const model = factory(options.env ?? envId!, config, options.logger ? { logger: options.logger } : {});
    try {
      const spaces = json.spaces as { observation: unknown; action: unknown };
      if (!spaceFromJSON(spaces.observation as never).equals(model.observationSpace) || !spaceFromJSON(spaces.action as never).equals(model.actionSpace)) {
        throw new InvalidArgumentError(`${path}: the env's spaces differ from the checkpoint's`);
      }
      const weightsPath = join(dir, 'model.safetensors');
      const content = decodeSafetensors(await readBytes(weightsPath), weightsPath);
      for (const [net, params] of Object.entries(model.networks())) parametersFromTensors(params, withoutPrefix(content.tensors, `${net}:`));
      for (const [name, opt] of Object.entries(model.optimizers())) {
        const config = content.metadata[`adam:${name}`];
        if (config === undefined) throw new CorruptFileError(weightsPath, `no optimizer state for '${name}'`);
        opt.setState(adamStateFromTensors(withoutPrefix(content.tensors, `${name}:`), config));
      }
      if (json.replayBuffer === true) {
        const replayPath = join(dir, 'replay.safetensors');
        const replay = decodeSafetensors(await readBytes(replayPath), replayPath);
        const layout = JSON.parse(replay.metadata.layout ?? 'null');
        const t = replay.tensors;
        model.replayBuffer.setState({ ...layout, ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.data])) } as ReplayBufferState);
      }
      model.restoreCommon(json, path);
    } catch (err) {
      model.close();
      throw err;
    }
    return model;
  }

  private restoreCommon(json: Record<string, unknown>, path: string): void {
    const counters = json.counters as Record<string, number> | undefined;
    const rng = json.rng as { action: number[]; sample: number[] } | undefined;
    const rollout = json.rollout as RolloutCheckpoint | undefined;
    if (counters === undefined || rng === undefined || rollout === undefined) throw new CorruptFileError(path, 'missing counters, rng or rollout section');
    this.numTimesteps = counters.numTimesteps!;
    this.totalTimesteps = counters.totalTimesteps!;
    this.nUpdates = counters.nUpdates!;
    this.episodes.count = counters.episodeCount!;
    this.actionRng = Rng.fromState(rng.action);
    this.sampleRng = Rng.fromState(rng.sample);
    this.restoreAlgoState((json.algoState ?? {}) as Record<string, unknown>);
    const restored = restoreRollout(this.env, rollout, json.envState as EnvSnapshot | null, this.episodes, this.seed, this.numTimesteps);
    ({ lastObs: this.lastObs, seededReset: this.seededReset } = restored);
    if (restored.resetSeed !== null) this.resetSeed = restored.resetSeed;
  }

  close(): void {
    this.env.close();
    this.disposeNetworks();
  }
}

function withoutPrefix(tensors: Record<string, SafeTensor>, prefix: string): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  for (const [k, v] of Object.entries(tensors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new CorruptFileError(path, `cannot read (${(err as Error).message})`, { cause: err });
  }
}
