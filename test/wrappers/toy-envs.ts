/**
 * Small deterministic environments for wrapper tests: scripted rewards and terminations, random Box
 * observations from the env's seeded generator, action recording, and Dict / Discrete observations.
 */
import { Box, Dict, Discrete, type TypedArray } from '../../src/core/index.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../src/envs/env.js';

export interface ScriptedEnvOptions {
  /** Reward of step t (1-based) is rewards[(t - 1) % rewards.length]. */
  rewards?: number[];
  /** Terminate on this step (1-based) of each episode; never when omitted. */
  terminateAt?: number;
  /** Truncate on this step of each episode (the env's own truncation); never when omitted. */
  truncateAt?: number;
  /** Observation length. */
  obsDim?: number;
}

/**
 * Observations are normal draws from the env's generator scaled and shifted per coordinate
 * (coordinate j ~ N(j, (j + 1)^2)), so normalisation has something to learn.
 */
export class ScriptedEnv extends Env<Float32Array, number> {
  readonly rewards: number[];
  readonly terminateAt: number | undefined;
  readonly truncateAt: number | undefined;
  t = 0;
  actions: number[] = [];

  constructor(options: ScriptedEnvOptions = {}) {
    super();
    this.rewards = options.rewards ?? [1];
    this.terminateAt = options.terminateAt;
    this.truncateAt = options.truncateAt;
    const dim = options.obsDim ?? 3;
    this.observationSpace = new Box(-Infinity, Infinity, [dim], 'float32') as never;
    this.actionSpace = new Discrete(2);
  }

  private observe(): Float32Array {
    const dim = this.observationSpace.shape![0]!;
    const obs = new Float32Array(dim);
    for (let j = 0; j < dim; j++) obs[j] = j + (j + 1) * this.rng.normal();
    return obs;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    this.t = 0;
    return [this.observe(), { resetInfo: true }];
  }

  override step(action: number): StepResult<Float32Array> {
    this.assertAction(action);
    this.actions.push(action);
    this.t += 1;
    const reward = this.rewards[(this.t - 1) % this.rewards.length]!;
    const terminated = this.terminateAt !== undefined && this.t >= this.terminateAt;
    const truncated = this.truncateAt !== undefined && this.t >= this.truncateAt;
    return [this.observe(), reward, terminated, truncated, { t: this.t }];
  }
}

/** Records every action it receives; its action space is a Box with the given bounds. */
export class ActionRecorderEnv extends Env<Float32Array, TypedArray> {
  received: TypedArray[] = [];

  constructor(low: number | number[], high: number | number[], shape?: number[], dtype: 'float32' | 'float64' = 'float32') {
    super();
    this.actionSpace = new Box(low, high, shape, dtype);
    this.observationSpace = new Box(0, 1, [1], 'float32') as never;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    return [new Float32Array([0]), {}];
  }

  override step(action: TypedArray): StepResult<Float32Array> {
    this.assertAction(action);
    this.received.push(action.slice());
    return [new Float32Array([0]), 0, false, false, {}];
  }
}

/** Dict observations: `{ pos: Box(-1, 1, [2]), mode: Discrete(3) }`, driven by the step count. */
export class DictObsEnv extends Env<Record<string, unknown>, number> {
  t = 0;
  constructor() {
    super();
    this.observationSpace = new Dict({ pos: new Box(-1, 1, [2], 'float32'), mode: new Discrete(3) });
    this.actionSpace = new Discrete(2);
  }
  private observe(): Record<string, unknown> {
    return { pos: new Float32Array([this.t / 10, (0 - this.t) / 10]), mode: this.t % 3 };
  }
  override reset(args: ResetArgs = {}): ResetResult<Record<string, unknown>> {
    super.reset(args);
    this.t = 0;
    return [this.observe(), {}];
  }
  override step(_action: number): StepResult<Record<string, unknown>> {
    this.t += 1;
    return [this.observe(), 0, false, false, {}];
  }
}

/** Discrete(5, start 2) observations counting up: 2, 3, 4, 5, 6, 2, ... */
export class CountingDiscreteEnv extends Env<number, number> {
  t = 0;
  constructor() {
    super();
    this.observationSpace = new Discrete(5, 2);
    this.actionSpace = new Discrete(2);
  }
  override reset(args: ResetArgs = {}): ResetResult<number> {
    super.reset(args);
    this.t = 0;
    return [2, {}];
  }
  override step(_action: number): StepResult<number> {
    this.t += 1;
    return [2 + (this.t % 5), 0, false, false, {}];
  }
}
