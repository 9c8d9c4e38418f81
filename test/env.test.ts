/** Env and Wrapper: reset seeding semantics, validation, and what wrappers forward. */
import { describe, expect, it } from 'vitest';
import {
  Box,
  Discrete,
  InvalidActionError,
  InvalidArgumentError,
  InvalidSeedError,
  Rng,
  TeleoError,
  UnknownOptionError,
  assertValidSeed,
} from '../src/core/index.js';
import { Env, assertInSpace, type ResetArgs, type ResetResult, type StepResult } from '../src/envs/env.js';
import { ActionWrapper, ObservationWrapper, RewardWrapper, Wrapper } from '../src/envs/wrapper.js';

/** Observation: a random position in [0, 1e6) drawn at reset, then one per step from the env's generator. */
class DrawEnv extends Env<number, number> {
  constructor() {
    super();
    this.observationSpace = new Discrete(1_000_000);
    this.actionSpace = new Discrete(3);
    this.metadata = { renderModes: ['ansi'], renderFps: 10 };
  }

  override reset(args: ResetArgs = {}): ResetResult<number> {
    super.reset(args);
    return [this.rng.integers(0, 1_000_000), { seeded: args.seed !== undefined }];
  }

  override step(action: number): StepResult<number> {
    this.assertAction(action);
    return [this.rng.integers(0, 1_000_000), action, false, false, {}];
  }

  override render(): string {
    return 'draw';
  }
}

class NoSpacesEnv extends Env<number, number> {
  override step(): StepResult<number> {
    return [0, 0, false, false, {}];
  }
}

class PlusOne extends ObservationWrapper<number, number, number> {
  override observation(obs: number): number {
    return obs + 1;
  }
}

class Doubled extends RewardWrapper<number, number> {
  override reward(r: number): number {
    return 2 * r;
  }
}

class Clamp extends ActionWrapper<number, number, number> {
  override action(a: number): number {
    return Math.min(a, 2);
  }
}

describe('Env.reset seeding', () => {
  it('reset({ seed }) reseeds: the same seed gives the same episode, in the same or another instance', () => {
    const a = new DrawEnv();
    const b = new DrawEnv();
    const first = [a.reset({ seed: 5 })[0], a.step(0)[0], a.step(1)[0]];
    expect([b.reset({ seed: 5 })[0], b.step(0)[0], b.step(1)[0]]).toEqual(first);
    expect([a.reset({ seed: 5 })[0], a.step(0)[0], a.step(1)[0]]).toEqual(first);
    expect(a.rngSeed).toBe(5);
    expect(a.reset({ seed: 6 })[0]).not.toBe(first[0]);
  });

  it('reset() without a seed continues the current stream instead of restarting it', () => {
    const a = new DrawEnv();
    const b = new DrawEnv();
    const a1 = a.reset({ seed: 9 })[0];
    const a2 = a.reset()[0];
    b.reset({ seed: 9 });
    expect(b.reset()[0]).toBe(a2); // deterministic continuation
    expect(a2).not.toBe(a1);
    const reference = Rng.fromSeed(9);
    expect([a1, a2]).toEqual([reference.integers(0, 1_000_000), reference.integers(0, 1_000_000)]);
    expect(a.rngSeed).toBe(9);
  });

  it('without any seed the generator comes from entropy and reports a seed that reproduces it', () => {
    const env = new DrawEnv();
    const seed = env.rngSeed;
    assertValidSeed(seed);
    const obs = env.reset()[0];
    expect(Rng.fromSeed(seed!).integers(0, 1_000_000)).toBe(obs);
  });

  it('assigning rng replaces the generator and clears rngSeed', () => {
    const env = new DrawEnv();
    env.rng = Rng.fromSeed(3);
    expect(env.rngSeed).toBeNull();
    expect(env.reset()[0]).toBe(Rng.fromSeed(3).integers(0, 1_000_000));
  });

  it.each([-1, 1.5, Number.NaN, Infinity, 2 ** 53, '7'])('reset({ seed: %j }) throws InvalidSeedError', (seed) => {
    const env = new DrawEnv();
    expect(() => env.reset({ seed: seed as number })).toThrow(InvalidSeedError);
  });

  it('rejects a positional seed and unknown reset keys', () => {
    const env = new DrawEnv();
    expect(() => env.reset(42 as never)).toThrow(InvalidArgumentError);
    expect(() => env.reset({ sed: 1 } as never)).toThrow(UnknownOptionError);
    expect(env.reset({ seed: 1, options: {} })[1]).toEqual({ seeded: true });
  });
});

describe('Env basics', () => {
  it('assertAction throws InvalidActionError naming the problem', () => {
    const env = new DrawEnv();
    env.reset({ seed: 0 });
    expect(() => env.step(3)).toThrow(InvalidActionError);
    expect(() => env.step(Number.NaN)).toThrow(/NaN/);
    try {
      assertInSpace(new Box(0, 1, [2]), [0, 2], 'Owner');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidActionError);
      expect((e as InvalidActionError).action).toEqual([0, 2]);
      expect((e as Error).message).toContain('Owner');
      expect((e as Error).message).toContain('element 1');
    }
  });

  it('an env that never set its spaces fails with a typed error', () => {
    const env = new NoSpacesEnv();
    expect(() => env.observationSpace).toThrow(TeleoError);
    expect(() => env.actionSpace).toThrow(/did not set actionSpace/);
  });

  it('has Gymnasium defaults for spec, render mode and unwrapped', () => {
    const env = new DrawEnv();
    expect(env.spec).toBeNull();
    expect(env.renderMode).toBeNull();
    expect(env.unwrapped).toBe(env);
    expect(env.toString()).toBe('<DrawEnv instance>');
  });
});

describe('Wrapper forwarding', () => {
  function chain() {
    const inner = new DrawEnv();
    const w1 = new PlusOne(inner);
    const w2 = new Doubled(w1);
    const outer = new Clamp(w2);
    return { inner, w1, w2, outer };
  }

  it('forwards spaces, metadata, render mode, spec and render', () => {
    const { inner, outer } = chain();
    expect(outer.observationSpace).toBe(inner.observationSpace);
    expect(outer.actionSpace).toBe(inner.actionSpace);
    expect(outer.metadata).toBe(inner.metadata);
    inner.renderMode = 'ansi';
    expect(outer.renderMode).toBe('ansi');
    outer.renderMode = null;
    expect(inner.renderMode).toBeNull();
    const spec = { id: 'test/Draw-v0' } as never;
    outer.spec = spec;
    expect(inner.spec).toBe(spec);
    expect(outer.render()).toBe('draw');
  });

  it('overriding a space or metadata on a wrapper changes only that wrapper and those outside it', () => {
    const { inner, w1, w2 } = chain();
    const shifted = new Discrete(1_000_000, 1);
    w1.observationSpace = shifted;
    expect(w2.observationSpace).toBe(shifted);
    expect(inner.observationSpace).not.toBe(shifted);
    w2.metadata = { renderModes: [] };
    expect(inner.metadata.renderModes).toEqual(['ansi']);
  });

  it('shares the inner generator: rng, rngSeed and seeding through reset', () => {
    const { inner, outer } = chain();
    outer.reset({ seed: 4 });
    expect(outer.rng).toBe(inner.rng);
    expect(outer.rngSeed).toBe(4);
    const replacement = Rng.fromSeed(1);
    outer.rng = replacement;
    expect(inner.rng).toBe(replacement);
  });

  it('applies observation, reward and action transforms', () => {
    const { outer } = chain();
    const reference = new DrawEnv();
    const [obs] = outer.reset({ seed: 2 });
    expect(obs).toBe(reference.reset({ seed: 2 })[0] + 1);
    const [obs2, reward] = outer.step(7); // clamped to 2 before reaching the env
    expect(reward).toBe(4);
    expect(obs2).toBe(reference.step(2)[0] + 1);
  });

  it('reports the chain and finds wrappers by class', () => {
    const { inner, w1, w2, outer } = chain();
    expect(outer.unwrapped).toBe(inner);
    expect(outer.wrapperNames).toEqual(['Clamp', 'Doubled', 'PlusOne', 'DrawEnv']);
    expect(outer.findWrapper(PlusOne)).toBe(w1);
    expect(outer.findWrapper(Doubled)).toBe(w2);
    expect(outer.findWrapper(Wrapper)).toBe(outer);
    expect(w1.findWrapper(Clamp)).toBeNull();
    expect(outer.toString()).toBe('<Clamp<Doubled<PlusOne<DrawEnv instance>>>>');
  });

  it('refuses to wrap something that is not an Env', () => {
    expect(() => new Wrapper({} as never)).toThrow(InvalidArgumentError);
    expect(() => new PlusOne(null as never)).toThrow(/PlusOne must wrap an Env/);
  });
});
