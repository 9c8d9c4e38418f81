/**
 * Wrapper base classes, as Gymnasium's `Wrapper`, `ObservationWrapper`, `ActionWrapper`, `RewardWrapper`.
 * A wrapper forwards everything to the wrapped env unless it overrides it; setting `observationSpace`
 * or `actionSpace` on a wrapper overrides only that wrapper's view.
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces/space.js';
import { Env, type EnvMetadata, type EnvSpec, type ResetArgs, type ResetResult, type StepResult } from './env.js';

export class Wrapper<WObs = unknown, WAct = unknown, Obs = WObs, Act = WAct> extends Env<WObs, WAct> {
  readonly env: Env<Obs, Act>;
  private _wObservationSpace: Space<WObs> | undefined;
  private _wActionSpace: Space<WAct> | undefined;
  private _wMetadata: EnvMetadata | undefined;

  constructor(env: Env<Obs, Act>) {
    super();
    if (!(env instanceof Env)) {
      throw new InvalidArgumentError(`${new.target.name} must wrap an Env, got ${describeValue(env)}`);
    }
    this.env = env;
  }

  override get observationSpace(): Space<WObs> {
    return this._wObservationSpace ?? (this.env.observationSpace as unknown as Space<WObs>);
  }
  override set observationSpace(space: Space<WObs>) {
    this._wObservationSpace = space;
  }

  override get actionSpace(): Space<WAct> {
    return this._wActionSpace ?? (this.env.actionSpace as unknown as Space<WAct>);
  }
  override set actionSpace(space: Space<WAct>) {
    this._wActionSpace = space;
  }

  override get spec(): EnvSpec | null {
    return this.env.spec;
  }
  override set spec(spec: EnvSpec | null) {
    this.env.spec = spec;
  }

  override get metadata(): EnvMetadata {
    return this._wMetadata ?? this.env.metadata;
  }
  override set metadata(m: EnvMetadata) {
    this._wMetadata = m;
  }

  override get renderMode(): string | null {
    return this.env.renderMode;
  }
  override set renderMode(mode: string | null) {
    this.env.renderMode = mode;
  }

  override get rng(): Rng {
    return this.env.rng;
  }
  override set rng(rng: Rng) {
    this.env.rng = rng;
  }

  override get rngSeed(): number | null {
    return this.env.rngSeed;
  }

  override reset(args: ResetArgs = {}): ResetResult<WObs> {
    return this.env.reset(args) as unknown as ResetResult<WObs>;
  }

  override step(action: WAct): StepResult<WObs> {
    return this.env.step(action as unknown as Act) as unknown as StepResult<WObs>;
  }

  override render(): unknown {
    return this.env.render();
  }

  override close(): void {
    this.env.close();
  }

  override get unwrapped(): Env<any, any> {
    return this.env.unwrapped;
  }

  /** The wrapper chain from this wrapper inwards, e.g. `['TimeLimit', 'OrderEnforcing', 'CartPoleEnv']`. */
  get wrapperNames(): string[] {
    const names: string[] = [];
    let e: Env<any, any> = this;
    while (e instanceof Wrapper) {
      names.push(e.constructor.name);
      e = e.env;
    }
    names.push(e.constructor.name);
    return names;
  }

  /** Finds the nearest wrapper of the given class in the chain (this one included), or null. */
  findWrapper<W extends Wrapper<any, any, any, any>>(cls: abstract new (...args: any[]) => W): W | null {
    let e: Env<any, any> = this;
    while (e instanceof Wrapper) {
      if (e instanceof cls) return e as W;
      e = e.env;
    }
    return null;
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}

/** Transforms observations returned by `reset` and `step` with `observation(obs)`. */
export abstract class ObservationWrapper<WObs, Obs = WObs, Act = unknown> extends Wrapper<WObs, Act, Obs, Act> {
  abstract observation(obs: Obs): WObs;

  override reset(args: ResetArgs = {}): ResetResult<WObs> {
    const [obs, info] = this.env.reset(args);
    return [this.observation(obs), info];
  }

  override step(action: Act): StepResult<WObs> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    return [this.observation(obs), reward, terminated, truncated, info];
  }
}

/** Transforms actions with `action(act)` before passing them to the wrapped env. */
export abstract class ActionWrapper<WAct, Act = WAct, Obs = unknown> extends Wrapper<Obs, WAct, Obs, Act> {
  abstract action(act: WAct): Act;

  override step(action: WAct): StepResult<Obs> {
    return this.env.step(this.action(action));
  }
}

/** Transforms rewards returned by `step` with `reward(r)`. */
export abstract class RewardWrapper<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act, Obs, Act> {
  abstract reward(r: number): number;

  override step(action: Act): StepResult<Obs> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    return [obs, this.reward(reward), terminated, truncated, info];
  }
}
