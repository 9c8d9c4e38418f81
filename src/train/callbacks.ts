/**
 * Training callbacks (SB3's `BaseCallback` family). A callback sees the model through `TrainingModel`;
 * hooks may return a promise (awaited) and `onStep` may return `false` to stop training, as in SB3.
 *
 * - `EvalCallback`: every `evalFreq` calls of `onStep` (vector steps), evaluates the policy on its own env,
 *   logs `eval/mean_reward` and `eval/mean_ep_length`, saves the best model, and can stop training through
 *   `callbackOnNewBest` (e.g. `StopTrainingOnRewardThreshold`).
 * - `CheckpointCallback`: every `saveFreq` calls, saves the model to `<savePath>/<namePrefix>_<steps>_steps`.
 * - `StopTrainingOnRewardThreshold`: used as `callbackOnNewBest`; stops once the best mean reward ≥ threshold.
 */
import { join } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';
import type { Env } from '../envs/env.js';
import { evaluatePolicy, type PolicyLike } from './evaluate.js';

type MaybePromise<T> = T | Promise<T>;

/** What callbacks may read and call on the model being trained. */
export interface TrainingModel extends PolicyLike {
  readonly numTimesteps: number;
  /** Target step count of the current `learn` call. */
  readonly totalTimesteps: number;
  /** Mean return of the recent training episodes (NaN before the first ends). */
  readonly episodeRewardMean: number;
  /** Adds metrics to the record written after the current iteration. */
  record(key: string, value: number): void;
  save(dir: string): Promise<void>;
}

export abstract class Callback {
  protected model: TrainingModel | null = null;
  /** Number of `onStep` calls so far (SB3's `n_calls`). */
  nCalls = 0;

  /** Called once by `learn` before training starts. */
  init(model: TrainingModel): void {
    this.model = model;
  }
  onTrainingStart(): MaybePromise<void> {}
  onRolloutStart(): MaybePromise<void> {}
  /** After each vector step; return false to stop training. */
  onStep(): MaybePromise<boolean> {
    return true;
  }
  /** After each rollout, before the policy update. */
  onRolloutEnd(): MaybePromise<void> {}
  onTrainingEnd(): MaybePromise<void> {}

  /** Increments `nCalls` and runs `onStep`; used by the training loop. */
  step(): MaybePromise<boolean> {
    this.nCalls += 1;
    return this.onStep();
  }

  protected get trainingModel(): TrainingModel {
    if (this.model === null) throw new InvalidArgumentError(`${this.constructor.name} used before init()`);
    return this.model;
  }
}

function positiveInteger(owner: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${owner}: ${key} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export class StopTrainingOnRewardThreshold extends Callback {
  readonly rewardThreshold: number;
  /** Set by `EvalCallback` before calling this callback. */
  bestMeanReward = -Infinity;

  constructor(options: { rewardThreshold: number }) {
    super();
    if (typeof options?.rewardThreshold !== 'number' || Number.isNaN(options.rewardThreshold)) {
      throw new InvalidArgumentError('StopTrainingOnRewardThreshold: rewardThreshold must be a number');
    }
    this.rewardThreshold = options.rewardThreshold;
  }

  override onStep(): boolean {
    return !(this.bestMeanReward >= this.rewardThreshold);
  }
}

export interface EvalCallbackOptions {
  /** A single (non-vector) env to evaluate on; it is reset with `seed`, `seed + 1`, ... across evaluations. */
  evalEnv: Env<unknown, unknown>;
  evalFreq?: number;
  nEvalEpisodes?: number;
  deterministic?: boolean;
  /** Directory to save the best model to (null: do not save). */
  bestModelSavePath?: string | null;
  callbackOnNewBest?: Callback | null;
  /** Seed of the first evaluation's first episode. */
  seed?: number;
}

export class EvalCallback extends Callback {
  readonly evalEnv: Env<unknown, unknown>;
  readonly evalFreq: number;
  readonly nEvalEpisodes: number;
  readonly deterministic: boolean;
  readonly bestModelSavePath: string | null;
  readonly callbackOnNewBest: Callback | null;
  bestMeanReward = -Infinity;
  lastMeanReward = -Infinity;
  /** (timesteps, mean reward) of every evaluation. */
  readonly evaluations: Array<{ timesteps: number; meanReward: number; meanLength: number }> = [];
  private nextSeed: number;

  constructor(options: EvalCallbackOptions) {
    super();
    this.evalEnv = options.evalEnv;
    this.evalFreq = positiveInteger('EvalCallback', 'evalFreq', options.evalFreq ?? 10000);
    this.nEvalEpisodes = positiveInteger('EvalCallback', 'nEvalEpisodes', options.nEvalEpisodes ?? 5);
    this.deterministic = options.deterministic ?? true;
    this.bestModelSavePath = options.bestModelSavePath ?? null;
    this.callbackOnNewBest = options.callbackOnNewBest ?? null;
    this.nextSeed = options.seed ?? 0;
  }

  override init(model: TrainingModel): void {
    super.init(model);
    this.callbackOnNewBest?.init(model);
  }

  override async onStep(): Promise<boolean> {
    if (this.nCalls % this.evalFreq !== 0) return true;
    const model = this.trainingModel;
    const result = evaluatePolicy(model, this.evalEnv, { nEvalEpisodes: this.nEvalEpisodes, deterministic: this.deterministic, seed: this.nextSeed });
    this.nextSeed += this.nEvalEpisodes;
    this.lastMeanReward = result.meanReward;
    this.evaluations.push({ timesteps: model.numTimesteps, meanReward: result.meanReward, meanLength: result.meanLength });
    model.record('eval/mean_reward', result.meanReward);
    model.record('eval/mean_ep_length', result.meanLength);
    let keepGoing = true;
    if (result.meanReward > this.bestMeanReward) {
      this.bestMeanReward = result.meanReward;
      if (this.bestModelSavePath !== null) await model.save(join(this.bestModelSavePath, 'best_model'));
      if (this.callbackOnNewBest !== null) {
        if (this.callbackOnNewBest instanceof StopTrainingOnRewardThreshold) this.callbackOnNewBest.bestMeanReward = this.bestMeanReward;
        keepGoing = await this.callbackOnNewBest.step();
      }
    }
    return keepGoing;
  }
}

export class CheckpointCallback extends Callback {
  readonly saveFreq: number;
  readonly savePath: string;
  readonly namePrefix: string;
  /** Directories written so far. */
  readonly saved: string[] = [];

  constructor(options: { saveFreq: number; savePath: string; namePrefix?: string }) {
    super();
    this.saveFreq = positiveInteger('CheckpointCallback', 'saveFreq', options?.saveFreq);
    if (typeof options.savePath !== 'string' || options.savePath === '') throw new InvalidArgumentError('CheckpointCallback: savePath must be a non-empty string');
    this.savePath = options.savePath;
    this.namePrefix = options.namePrefix ?? 'rl_model';
  }

  override async onStep(): Promise<boolean> {
    if (this.nCalls % this.saveFreq === 0) {
      const dir = join(this.savePath, `${this.namePrefix}_${this.trainingModel.numTimesteps}_steps`);
      await this.trainingModel.save(dir);
      this.saved.push(dir);
    }
    return true;
  }
}

/** Runs several callbacks as one (stops when any asks to). */
export class CallbackList extends Callback {
  constructor(readonly callbacks: Callback[]) {
    super();
  }
  override init(model: TrainingModel): void {
    super.init(model);
    for (const c of this.callbacks) c.init(model);
  }
  override async onTrainingStart(): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingStart();
  }
  override async onRolloutStart(): Promise<void> {
    for (const c of this.callbacks) await c.onRolloutStart();
  }
  override async onStep(): Promise<boolean> {
    let keepGoing = true;
    for (const c of this.callbacks) if ((await c.step()) === false) keepGoing = false;
    return keepGoing;
  }
  override async onRolloutEnd(): Promise<void> {
    for (const c of this.callbacks) await c.onRolloutEnd();
  }
  override async onTrainingEnd(): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingEnd();
  }
}
