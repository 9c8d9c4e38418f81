/** The registry: register validation, make's wrappers and options, unknown ids with suggestions. */
import { describe, expect, it } from 'vitest';
import {
  AlreadyRegisteredError,
  Discrete,
  InvalidArgumentError,
  InvalidObservationError,
  ResetNeededError,
  UnknownEnvError,
  UnknownOptionError,
  checkOptions,
} from '../src/core/index.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../src/envs/env.js';
import { make, register, registeredIds, registry, spec } from '../src/envs/registration.js';
import { Wrapper } from '../src/envs/wrapper.js';
import { OrderEnforcing } from '../src/envs/wrappers/order-enforcing.js';
import { PassiveEnvChecker } from '../src/envs/wrappers/passive-env-checker.js';
import { TimeLimit } from '../src/envs/wrappers/time-limit.js';

/** Counts steps from a random start; terminates when the count reaches `limit`. Records its options. */
class CounterEnv extends Env<number, number> {
  readonly options: Record<string, unknown>;
  private readonly limit: number;
  private count = 0;

  constructor(options: Record<string, unknown> = {}) {
    super();
    checkOptions('CounterEnv', options, ['limit', 'label', 'badObservation']);
    this.options = options;
    this.limit = (options.limit as number | undefined) ?? 50;
    this.observationSpace = new Discrete(100);
    this.actionSpace = new Discrete(2);
  }

  override reset(args: ResetArgs = {}): ResetResult<number> {
    super.reset(args);
    this.count = this.rng.integers(0, 10);
    return [this.options.badObservation ? -1 : this.count, {}];
  }

  override step(action: number): StepResult<number> {
    this.assertAction(action);
    this.count += 1;
    return [this.count, 1, this.count >= this.limit, false, {}];
  }
}

register({ id: 'test/Counter-v0', entryPoint: (o) => new CounterEnv(o), maxEpisodeSteps: 20, kwargs: { limit: 50, label: 'spec' } });
register({ id: 'test/CartPole-v1', entryPoint: (o) => new CounterEnv(o) });
register({ id: 'test/MountainCar-v0', entryPoint: (o) => new CounterEnv(o) });

function innermostFirst(env: Env<any, any>): string[] {
  return (env as Wrapper).wrapperNames;
}

describe('register', () => {
  it('stores a spec with Gymnasium defaults', () => {
    const s = spec('test/CartPole-v1');
    expect(s).toMatchObject({
      id: 'test/CartPole-v1',
      maxEpisodeSteps: null,
      rewardThreshold: null,
      nondeterministic: false,
      orderEnforce: true,
      disableEnvChecker: false,
      kwargs: {},
    });
    expect(registry.get('test/CartPole-v1')).toBe(s);
    expect(registeredIds()).toEqual([...registeredIds()].sort());
    expect(registeredIds()).toContain('test/Counter-v0');
  });

  it.each(['', 'has space-v0', 'a/b/c-v0', 'ns/', '/Name-v0', 'Name-v0!'])('rejects the id %j', (id) => {
    expect(() => register({ id, entryPoint: () => new CounterEnv() })).toThrow(InvalidArgumentError);
  });

  it('rejects a non-string id, a missing entry point and malformed options', () => {
    const entryPoint = () => new CounterEnv();
    expect(() => register({ id: 42 as never, entryPoint })).toThrow(InvalidArgumentError);
    expect(() => register({ id: 'test/NoEntry-v0', entryPoint: 'CounterEnv' as never })).toThrow(InvalidArgumentError);
    for (const maxEpisodeSteps of [0, -5, 2.5, '10']) {
      expect(() => register({ id: 'test/Bad-v0', entryPoint, maxEpisodeSteps: maxEpisodeSteps as never })).toThrow(InvalidArgumentError);
    }
    expect(() => register({ id: 'test/Bad-v0', entryPoint, orderEnforce: 'yes' as never })).toThrow(InvalidArgumentError);
    expect(() => register({ id: 'test/Bad-v0', entryPoint, rewardThreshold: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => register({ id: 'test/Bad-v0', entryPoint, kwargs: [1] as never })).toThrow(InvalidArgumentError);
    expect(() => register({ id: 'test/Bad-v0', entryPoint, max_episode_steps: 5 } as never)).toThrow(UnknownOptionError);
    expect(registry.has('test/Bad-v0')).toBe(false);
  });

  it('refuses duplicates unless override is set', () => {
    register({ id: 'test/Dup-v0', entryPoint: (o) => new CounterEnv(o), kwargs: { label: 'first' } });
    expect(() => register({ id: 'test/Dup-v0', entryPoint: (o) => new CounterEnv(o) })).toThrow(AlreadyRegisteredError);
    expect(spec('test/Dup-v0').kwargs).toEqual({ label: 'first' });
    register({ id: 'test/Dup-v0', entryPoint: (o) => new CounterEnv(o), kwargs: { label: 'second' }, override: true });
    expect(spec('test/Dup-v0').kwargs).toEqual({ label: 'second' });
  });

  it('copies kwargs, so later changes to the caller object do not leak into the spec', () => {
    const kwargs = { label: 'before' };
    register({ id: 'test/Copy-v0', entryPoint: (o) => new CounterEnv(o), kwargs });
    kwargs.label = 'after';
    expect(spec('test/Copy-v0').kwargs).toEqual({ label: 'before' });
  });
});

describe('make', () => {
  it('wraps PassiveEnvChecker, then TimeLimit, then OrderEnforcing (outermost)', () => {
    const env = make('test/Counter-v0');
    expect(env).toBeInstanceOf(OrderEnforcing);
    expect(innermostFirst(env)).toEqual(['OrderEnforcing', 'TimeLimit', 'PassiveEnvChecker', 'CounterEnv']);
    expect(env.unwrapped).toBeInstanceOf(CounterEnv);
    expect(env.spec?.id).toBe('test/Counter-v0');
    expect(env.unwrapped.spec).toBe(env.spec);
  });

  it('applies the spec time limit, an override, or none with null', () => {
    expect((make('test/Counter-v0') as Wrapper).findWrapper(TimeLimit)?.maxEpisodeSteps).toBe(20);
    const overridden = make('test/Counter-v0', { maxEpisodeSteps: 3 });
    expect((overridden as Wrapper).findWrapper(TimeLimit)?.maxEpisodeSteps).toBe(3);
    expect(overridden.spec?.maxEpisodeSteps).toBe(3);
    overridden.reset({ seed: 0 });
    expect(overridden.step(0)[3]).toBe(false);
    expect(overridden.step(0)[3]).toBe(false);
    expect(overridden.step(0)[3]).toBe(true);
    const unlimited = make('test/Counter-v0', { maxEpisodeSteps: null });
    expect((unlimited as Wrapper).findWrapper(TimeLimit)).toBeNull();
    expect(unlimited.spec?.maxEpisodeSteps).toBeNull();
    expect(innermostFirst(unlimited)).toEqual(['OrderEnforcing', 'PassiveEnvChecker', 'CounterEnv']);
    // A spec without a limit gets none unless make asks for one.
    expect(innermostFirst(make('test/CartPole-v1'))).toEqual(['OrderEnforcing', 'PassiveEnvChecker', 'CounterEnv']);
    expect(innermostFirst(make('test/CartPole-v1', { maxEpisodeSteps: 5 }))).toContain('TimeLimit');
  });

  it('leaves out the checker and order enforcement when asked', () => {
    const bare = make('test/Counter-v0', { disableEnvChecker: true, orderEnforce: false, maxEpisodeSteps: null });
    expect(bare).toBeInstanceOf(CounterEnv);
    expect(bare.spec).toMatchObject({ disableEnvChecker: true, orderEnforce: false });
    const noChecker = make('test/Counter-v0', { disableEnvChecker: true }) as Wrapper;
    expect(noChecker.findWrapper(PassiveEnvChecker)).toBeNull();
    expect(noChecker.findWrapper(OrderEnforcing)).toBe(noChecker);
  });

  it('validates its own options', () => {
    for (const maxEpisodeSteps of [0, -1, 1.5, '3', Number.NaN]) {
      expect(() => make('test/Counter-v0', { maxEpisodeSteps: maxEpisodeSteps as never })).toThrow(InvalidArgumentError);
    }
    expect(() => make('test/Counter-v0', { orderEnforce: 1 as never })).toThrow(InvalidArgumentError);
    expect(() => make('test/Counter-v0', null as never)).toThrow(InvalidArgumentError);
  });

  it('merges make kwargs over spec kwargs and passes them to the entry point', () => {
    const env = make('test/Counter-v0', { label: 'make', maxEpisodeSteps: 7 });
    const raw = env.unwrapped as CounterEnv;
    expect(raw.options).toEqual({ limit: 50, label: 'make' }); // make's own options are not passed on
    expect(env.spec?.kwargs).toEqual({ limit: 50, label: 'make' });
    expect(spec('test/Counter-v0').kwargs).toEqual({ limit: 50, label: 'spec' });
    expect((make('test/Counter-v0').unwrapped as CounterEnv).options).toEqual({ limit: 50, label: 'spec' });
    expect(() => make('test/Counter-v0', { lable: 'typo' })).toThrow(UnknownOptionError);
  });

  it('rejects an entry point that does not return an Env', () => {
    register({ id: 'test/NotAnEnv-v0', entryPoint: () => ({ step() {} }) as never });
    expect(() => make('test/NotAnEnv-v0')).toThrow(InvalidArgumentError);
  });

  it('enforces reset before step and no step past the end of an episode', () => {
    const env = make('test/Counter-v0', { limit: 12 });
    expect(() => env.step(0)).toThrow(ResetNeededError);
    env.reset({ seed: 1 });
    let done = false;
    while (!done) {
      const [, , terminated, truncated] = env.step(1);
      done = terminated || truncated;
    }
    expect(() => env.step(1)).toThrow(ResetNeededError);
    env.reset();
    expect(() => env.step(1)).not.toThrow();
  });

  it('checks the first observation through PassiveEnvChecker', () => {
    const env = make('test/Counter-v0', { badObservation: true });
    expect(() => env.reset({ seed: 0 })).toThrow(InvalidObservationError);
    expect(() => make('test/Counter-v0', { badObservation: true, disableEnvChecker: true }).reset({ seed: 0 })).not.toThrow();
  });
});

describe('unknown ids', () => {
  function unknown(id: string): UnknownEnvError {
    try {
      make(id);
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownEnvError);
      return e as UnknownEnvError;
    }
    throw new Error(`make('${id}') did not throw`);
  }

  it('suggests the registered version for a wrong version', () => {
    const e = unknown('test/CartPole-v0');
    expect(e.envId).toBe('test/CartPole-v0');
    expect(e.suggestions).toEqual(['test/CartPole-v1']);
    expect(e.message).toContain("'test/CartPole-v1'");
    expect(unknown('test/CartPole').suggestions).toEqual(['test/CartPole-v1']);
  });

  it('suggests close names for case differences and typos', () => {
    expect(unknown('test/cartpole').suggestions[0]).toBe('test/CartPole-v1');
    expect(unknown('test/CartPol-v1').suggestions[0]).toBe('test/CartPole-v1');
    expect(unknown('test/mountaincar-v0').suggestions[0]).toBe('test/MountainCar-v0');
  });

  it('suggests nothing for an unrelated name', () => {
    const e = unknown('test/SpaceInvaders-v5');
    expect(e.suggestions).toEqual([]);
    expect(e.message).not.toContain('Did you mean');
  });

  it('spec() throws the same error and rejects non-strings', () => {
    expect(() => spec('test/cartpole')).toThrow(UnknownEnvError);
    expect(() => spec(undefined as never)).toThrow(InvalidArgumentError);
  });
});
