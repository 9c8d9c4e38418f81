/**
 * The vector environment API: Gymnasium 1.x's `VectorEnv` in TypeScript.
 *
 *   const envs = makeVec('CartPole-v1', { numEnvs: 8 });
 *   const [obs, infos] = envs.reset({ seed: 42 });          // obs: Float32Array(8 * 4), env i seeded 42 + i
 *   const [obs2, rewards, terminations, truncations, infos2] = envs.step(actions);
 *
 * Batched elements (see `batchSpace`): a Box of shape S batches to a Box of shape [numEnvs, ...S] stored as
 * one flat typed array (env-major); Discrete batches to MultiDiscrete (an Int32Array of numEnvs actions);
 * Dict/Tuple batch per entry. Rewards are a Float64Array, terminations/truncations Uint8Arrays of 0/1.
 *
 * Infos are a dict of arrays: for each key that any sub-env reported, `infos[key]` holds one value per
 * env and `infos['_' + key]` is a boolean[] mask saying which envs reported it. Numbers become a
 * Float64Array, booleans a Uint8Array, nested objects a nested dict of arrays, anything else an array.
 */
import type { Rng } from '../../core/rng.js';
import type { Space } from '../../core/spaces/space.js';
import type { EnvSpec, Info } from '../env.js';

export type AutoresetMode = 'NEXT_STEP' | 'SAME_STEP' | 'DISABLED';

export interface VectorResetArgs {
  /** One seed (env i gets seed + i) or one seed per env (null leaves that env's generator as it is). */
  seed?: number | (number | null)[];
  /**
   * Passed to every sub-env's reset. `resetMask` (boolean[] or Uint8Array of numEnvs) resets only the
   * masked envs: required to restart finished envs when `autoresetMode` is `DISABLED`.
   */
  options?: Record<string, unknown> & { resetMask?: ArrayLike<boolean | number> };
}

export type VectorInfo = Record<string, unknown>;
export type VectorResetResult<Obs> = [obs: Obs, infos: VectorInfo];
export type VectorStepResult<Obs> = [
  obs: Obs,
  rewards: Float64Array,
  terminations: Uint8Array,
  truncations: Uint8Array,
  infos: VectorInfo,
];

export interface VectorEnvMetadata {
  autoresetMode: AutoresetMode;
  renderModes: string[];
  [key: string]: unknown;
}

export abstract class VectorEnv<Obs = unknown, Act = unknown, SingleObs = unknown, SingleAct = unknown> {
  abstract readonly numEnvs: number;
  abstract readonly singleObservationSpace: Space<SingleObs>;
  abstract readonly singleActionSpace: Space<SingleAct>;
  /** The batched observation space (`batchSpace(singleObservationSpace, numEnvs)`). */
  abstract readonly observationSpace: Space<Obs>;
  /** The batched action space (`batchSpace(singleActionSpace, numEnvs)`). */
  abstract readonly actionSpace: Space<Act>;
  abstract readonly metadata: VectorEnvMetadata;
  spec: EnvSpec | null = null;
  renderMode: string | null = null;
  private _closed = false;

  /** Whether `close()` has been called; stepping a closed vector env throws `ClosedEnvironmentError`. */
  get closed(): boolean {
    return this._closed;
  }
  set closed(v: boolean) {
    this._closed = v;
  }

  abstract reset(args?: VectorResetArgs): VectorResetResult<Obs>;
  abstract step(actions: Act): VectorStepResult<Obs>;
  abstract close(): void;

  render(): unknown {
    return null;
  }

  /** The vector env's own generator (for sampling the batched action space), like `np_random`. */
  abstract get rng(): Rng;

  get autoresetMode(): AutoresetMode {
    return this.metadata.autoresetMode;
  }

  get unwrapped(): VectorEnv<any, any, any, any> {
    return this;
  }

  toString(): string {
    return `${this.constructor.name}(${this.spec?.id ?? 'custom'}, numEnvs=${this.numEnvs})`;
  }
}

/** Base class for wrappers of vector envs; forwards everything unless overridden. */
export class VectorWrapper<Obs = unknown, Act = unknown, SingleObs = unknown, SingleAct = unknown> extends VectorEnv<
  Obs,
  Act,
  SingleObs,
  SingleAct
> {
  readonly env: VectorEnv<any, any, any, any>;
  private _obsSpace: Space<Obs> | undefined;
  private _actSpace: Space<Act> | undefined;
  private _singleObsSpace: Space<SingleObs> | undefined;
  private _singleActSpace: Space<SingleAct> | undefined;

  constructor(env: VectorEnv<any, any, any, any>) {
    super();
    this.env = env;
    this.spec = env.spec;
    this.renderMode = env.renderMode;
  }

  get numEnvs(): number {
    return this.env.numEnvs;
  }
  get observationSpace(): Space<Obs> {
    return this._obsSpace ?? this.env.observationSpace;
  }
  set observationSpace(s: Space<Obs>) {
    this._obsSpace = s;
  }
  get actionSpace(): Space<Act> {
    return this._actSpace ?? this.env.actionSpace;
  }
  set actionSpace(s: Space<Act>) {
    this._actSpace = s;
  }
  get singleObservationSpace(): Space<SingleObs> {
    return this._singleObsSpace ?? this.env.singleObservationSpace;
  }
  set singleObservationSpace(s: Space<SingleObs>) {
    this._singleObsSpace = s;
  }
  get singleActionSpace(): Space<SingleAct> {
    return this._singleActSpace ?? this.env.singleActionSpace;
  }
  set singleActionSpace(s: Space<SingleAct>) {
    this._singleActSpace = s;
  }
  get metadata(): VectorEnvMetadata {
    return this.env.metadata;
  }
  get rng(): Rng {
    return this.env.rng;
  }
  override get closed(): boolean {
    return this.env.closed;
  }
  override set closed(_v: boolean) {
    // closedness is the wrapped env's
  }

  reset(args?: VectorResetArgs): VectorResetResult<Obs> {
    return this.env.reset(args) as VectorResetResult<Obs>;
  }
  step(actions: Act): VectorStepResult<Obs> {
    return this.env.step(actions) as VectorStepResult<Obs>;
  }
  close(): void {
    this.env.close();
  }
  override render(): unknown {
    return this.env.render();
  }
  override get unwrapped(): VectorEnv<any, any, any, any> {
    return this.env.unwrapped;
  }
}

export type { Info };
