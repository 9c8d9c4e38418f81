/**
 * The environment API: Gymnasium 1.x's `Env` in TypeScript.
 *
 *   const [obs, info] = env.reset({ seed: 42 });
 *   const [obs2, reward, terminated, truncated, info2] = env.step(action);
 *
 * `terminated` means the MDP reached a terminal state (do not bootstrap); `truncated` means the episode
 * was cut short (time limit, out of bounds): bootstrap from the returned observation. Both may be true.
 */
import { InvalidActionError, InvalidArgumentError, TeleoError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { Rng, assertValidSeed, makeRng } from '../core/rng.js';
import type { Space } from '../core/spaces/space.js';

export type Info = Record<string, unknown>;

export interface ResetArgs {
  /** Reseeds the environment's generator. Omit to continue the current stream. */
  seed?: number;
  /** Environment-specific reset options (e.g. `{ low, high }` for classic control). */
  options?: Record<string, unknown>;
}

export type ResetResult<Obs> = [obs: Obs, info: Info];
export type StepResult<Obs> = [obs: Obs, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** Creates an environment from keyword options (the registry's entry point). */
export type EnvCreator = (options: Record<string, unknown>) => Env<any, any>;

/** Gymnasium's `EnvSpec`: how `make()` builds an environment. */
export interface EnvSpec {
  id: string;
  /** Builds the raw (unwrapped) environment from keyword options. */
  entryPoint: EnvCreator;
  /** A module whose import registers this id; worker threads import it (async vector envs). */
  module?: string;
  rewardThreshold: number | null;
  nondeterministic: boolean;
  maxEpisodeSteps: number | null;
  orderEnforce: boolean;
  disableEnvChecker: boolean;
  /** Default keyword options passed to the entry point (overridable in `make`). */
  kwargs: Record<string, unknown>;
  /** Short description shown by `teleo envs`. */
  description?: string;
}

export interface EnvMetadata {
  renderModes: string[];
  renderFps?: number;
  [key: string]: unknown;
}

export abstract class Env<Obs = unknown, Act = unknown> {
  private _observationSpace: Space<Obs> | undefined;
  private _actionSpace: Space<Act> | undefined;
  private _rng: Rng | null = null;
  private _rngSeed: number | null = null;
  private _spec: EnvSpec | null = null;
  private _metadata: EnvMetadata = { renderModes: [] };
  private _renderMode: string | null = null;

  get observationSpace(): Space<Obs> {
    if (this._observationSpace === undefined) throw new TeleoError('ENV_API', `${this.constructor.name} did not set observationSpace`);
    return this._observationSpace;
  }
  set observationSpace(space: Space<Obs>) {
    this._observationSpace = space;
  }

  get actionSpace(): Space<Act> {
    if (this._actionSpace === undefined) throw new TeleoError('ENV_API', `${this.constructor.name} did not set actionSpace`);
    return this._actionSpace;
  }
  set actionSpace(space: Space<Act>) {
    this._actionSpace = space;
  }

  /** How the environment was made (set by `make`), or null. */
  get spec(): EnvSpec | null {
    return this._spec;
  }
  set spec(spec: EnvSpec | null) {
    this._spec = spec;
  }

  get metadata(): EnvMetadata {
    return this._metadata;
  }
  set metadata(m: EnvMetadata) {
    this._metadata = m;
  }

  get renderMode(): string | null {
    return this._renderMode;
  }
  set renderMode(mode: string | null) {
    this._renderMode = mode;
  }

  /** The environment's generator (Gymnasium's `np_random`); seeded from OS entropy on first use. */
  get rng(): Rng {
    if (this._rng === null) [this._rng, this._rngSeed] = makeRng();
    return this._rng;
  }
  set rng(rng: Rng) {
    this._rng = rng;
    this._rngSeed = null;
  }

  /** The seed of the current generator, or null if it was assigned directly. */
  get rngSeed(): number | null {
    if (this._rng === null) this.rng;
    return this._rngSeed;
  }

  /**
   * Resets the environment. Subclasses call `super.reset(args)` first: it validates and applies `seed`.
   * The base implementation returns nothing useful; subclasses return `[obs, info]`.
   */
  reset(args: ResetArgs = {}): ResetResult<Obs> {
    // `env.reset(42)` (Python's positional habit) would otherwise silently ignore the seed.
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new InvalidArgumentError(`${this.constructor.name}.reset() takes { seed?, options? }, got ${describeValue(args)}`);
    }
    checkOptions(`${this.constructor.name}.reset()`, args, ['seed', 'options']);
    if (args.seed !== undefined && args.seed !== null) {
      assertValidSeed(args.seed);
      [this._rng, this._rngSeed] = makeRng(args.seed);
    }
    return undefined as unknown as ResetResult<Obs>;
  }

  abstract step(action: Act): StepResult<Obs>;

  /** Renders according to `renderMode` ('ansi' returns a string); null when no render mode is set. */
  render(): unknown {
    return null;
  }

  close(): void {}

  /** The innermost environment (no wrappers). */
  get unwrapped(): Env<any, any> {
    return this;
  }

  /** Throws `InvalidActionError` naming the problem unless `action` is in the action space. */
  protected assertAction(action: unknown): asserts action is Act {
    assertInSpace(this.actionSpace, action, this.constructor.name);
  }

  toString(): string {
    return this.spec ? `<${this.constructor.name}<${this.spec.id}>>` : `<${this.constructor.name} instance>`;
  }
}

/** Throws `InvalidActionError` (with the space's explanation) when `action` is not in `space`. */
export function assertInSpace(space: Space<unknown>, action: unknown, owner: string): void {
  const why = space.explain(action);
  if (why !== null) throw new InvalidActionError(`${owner}: invalid action for ${space.toString()}: ${why}`, action);
}
