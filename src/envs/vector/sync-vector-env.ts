/**
 * SyncVectorEnv: runs its sub-environments one after the other in the calling thread (Gymnasium's
 * `SyncVectorEnv`). Observations are written into one preallocated batch; by default `reset`/`step` return
 * a copy of it, with `copy: false` they return the internal batch itself, which the next call overwrites.
 * Every call is checked before any env moves (actions of all envs, including those about to be autoreset,
 * must be valid); a sub-env that throws surfaces as `EnvWorkerError` and all envs then need a reset.
 */
import { ClosedEnvironmentError, InvalidArgumentError, TeleoError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng, makeRng } from '../../core/rng.js';
import type { Space } from '../../core/spaces/space.js';
import { Env } from '../env.js';
import { assertSameSpaces, assertValidActions, parseAutoresetMode, parseCopyOption, resolveSeeds, splitResetOptions } from './arguments.js';
import { batchSpace, copyBatch, createBatch } from './batching.js';
import { callAttr, perEnvValues, setAttr } from './env-attributes.js';
import { EnvState, assertSteppable, mergeReports, subEnvError, updateStatesAfterStep } from './lifecycle.js';
import { SubEnvFailure, SubEnvRunner, type EnvReport, type RunnerBuffers } from './sub-env-runner.js';
import {
  VectorEnv,
  type AutoresetMode,
  type VectorEnvMetadata,
  type VectorResetArgs,
  type VectorResetResult,
  type VectorStepResult,
} from './vector-env.js';

export interface SyncVectorEnvOptions {
  /** When and how ended sub-envs are reset (default 'NEXT_STEP'). */
  autoresetMode?: AutoresetMode;
  /** Return a copy of the observation batch (default true); false returns the internal, reused buffer. */
  copy?: boolean;
}

const OPTION_NAMES = ['autoresetMode', 'copy'] as const;

export class SyncVectorEnv<Obs = any, Act = any, SingleObs = any, SingleAct = any> extends VectorEnv<Obs, Act, SingleObs, SingleAct> {
  readonly numEnvs: number;
  readonly envs: Env<SingleObs, SingleAct>[];
  readonly singleObservationSpace: Space<SingleObs>;
  readonly singleActionSpace: Space<SingleAct>;
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly metadata: VectorEnvMetadata;
  readonly copy: boolean;
  private readonly runner: SubEnvRunner;
  private readonly buffers: RunnerBuffers;
  private readonly states: Uint8Array;
  private _rng: Rng | null = null;

  /**
   * @param envFns the sub-environments, or functions creating them (called once each, in order); all must
   *   share their observation and action spaces.
   */
  constructor(envFns: readonly (Env<SingleObs, SingleAct> | (() => Env<SingleObs, SingleAct>))[], options: SyncVectorEnvOptions = {}) {
    super();
    checkOptions('SyncVectorEnv', options, OPTION_NAMES);
    if (!Array.isArray(envFns) || envFns.length < 1) {
      throw new InvalidArgumentError('SyncVectorEnv needs a non-empty array of environments or functions that create them');
    }
    const mode = parseAutoresetMode(options.autoresetMode, 'SyncVectorEnv');
    const copy = parseCopyOption(options.copy, 'SyncVectorEnv');
    this.copy = copy;
    const envs = envFns.map((f, i) => {
      const env = typeof f === 'function' ? f() : f;
      if (!(env instanceof Env)) throw new InvalidArgumentError(`SyncVectorEnv: entry ${i} is not an Env (nor a function returning one)`);
      return env;
    });
    assertSameSpaces('observation', envs.map((e) => e.observationSpace));
    assertSameSpaces('action', envs.map((e) => e.actionSpace));
    this.envs = envs;
    this.numEnvs = envs.length;
    this.singleObservationSpace = envs[0]!.observationSpace;
    this.singleActionSpace = envs[0]!.actionSpace;
    this.observationSpace = batchSpace(this.singleObservationSpace, this.numEnvs);
    this.actionSpace = batchSpace(this.singleActionSpace, this.numEnvs);
    this.metadata = { ...envs[0]!.metadata, autoresetMode: mode };
    this.renderMode = envs[0]!.renderMode;
    this.buffers = {
      observations: createBatch(this.singleObservationSpace, this.numEnvs),
      finalObservations: mode === 'SAME_STEP' ? createBatch(this.singleObservationSpace, this.numEnvs) : null,
      actions: null,
      rewards: new Float64Array(this.numEnvs),
      terminations: new Uint8Array(this.numEnvs),
      truncations: new Uint8Array(this.numEnvs),
    };
    this.runner = new SubEnvRunner(envs, 0, { observation: this.singleObservationSpace, action: this.singleActionSpace }, mode, this.buffers);
    this.states = new Uint8Array(this.numEnvs);
  }

  get rng(): Rng {
    if (this._rng === null) this._rng = makeRng()[0];
    return this._rng;
  }

  override reset(args: VectorResetArgs = {}): VectorResetResult<Obs> {
    if (this.closed) throw new ClosedEnvironmentError('reset() called on a closed SyncVectorEnv');
    const seeds = resolveSeeds(args.seed, this.numEnvs);
    const { mask, envOptions } = splitResetOptions(args.options, this.numEnvs);
    if (typeof args.seed === 'number') this._rng = makeRng(args.seed)[0];
    let reports: EnvReport[];
    try {
      reports = this.runner.reset(seeds, envOptions, mask);
    } catch (err) {
      this.states.fill(EnvState.NeedsReset);
      subEnvError(err);
    }
    for (let i = 0; i < this.numEnvs; i++) if (mask === undefined || mask[i]) this.states[i] = EnvState.Running;
    const infos = mergeReports(reports, this.numEnvs, this.singleObservationSpace, null);
    return [this.observationsOut(), infos];
  }

  override step(actions: Act): VectorStepResult<Obs> {
    if (this.closed) throw new ClosedEnvironmentError('step() called on a closed SyncVectorEnv');
    assertSteppable(this.states, this.autoresetMode);
    assertValidActions(this.singleActionSpace, actions, this.numEnvs);
    this.buffers.actions = actions;
    let reports: EnvReport[];
    try {
      reports = this.runner.step();
    } catch (err) {
      // Some envs have stepped and others not: the batch no longer describes one moment, so demand a reset.
      this.states.fill(EnvState.NeedsReset);
      subEnvError(err);
    } finally {
      this.buffers.actions = null;
    }
    const { rewards, terminations, truncations, finalObservations } = this.buffers;
    updateStatesAfterStep(this.states, this.autoresetMode, terminations, truncations);
    const infos = mergeReports(reports, this.numEnvs, this.singleObservationSpace, finalObservations);
    return [this.observationsOut(), rewards.slice(), terminations.slice(), truncations.slice(), infos];
  }

  private observationsOut(): Obs {
    return this.copy ? copyBatch(this.singleObservationSpace, this.buffers.observations) : this.buffers.observations;
  }

  /** Calls method `name` (or reads attribute `name`) of every sub-env, through its wrappers. */
  call(name: string, ...args: unknown[]): unknown[] {
    if (this.closed) throw new ClosedEnvironmentError('call() on a closed SyncVectorEnv');
    return this.envs.map((env, i) => {
      try {
        return callAttr(env, name, args);
      } catch (err) {
        return subEnvError(new SubEnvFailure(i, err));
      }
    });
  }

  /** Attribute `name` of every sub-env (methods are called without arguments). */
  getAttr(name: string): unknown[] {
    return this.call(name);
  }

  /** Sets attribute `name` on every sub-env: one value for all, or an array of numEnvs values. */
  setAttr(name: string, values: unknown): void {
    if (this.closed) throw new ClosedEnvironmentError('setAttr() on a closed SyncVectorEnv');
    const perEnv = perEnvValues(values, this.numEnvs);
    this.envs.forEach((env, i) => setAttr(env, name, perEnv[i]));
  }

  override render(): unknown[] {
    return this.envs.map((e) => e.render());
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    for (const env of this.envs) {
      try {
        env.close();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) {
      throw new TeleoError('ENV_CLOSE', `SyncVectorEnv.close(): ${errors.length} sub-environment(s) failed to close: ${String(errors[0])}`, { cause: errors[0] });
    }
  }
}
