import { describe, expect, it } from 'vitest';
import { Box, Discrete, EnvCheckError, Rng, type TypedArray } from '../src/core/index.js';
import { checkEnv, equivalent } from '../src/envs/checker.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../src/envs/env.js';
import '../src/envs/index.js';
import { make, register, registeredIds } from '../src/envs/registration.js';

type Fault =
  | 'none'
  | 'obs-outside-space'
  | 'ignores-seed'
  | 'step-unseeded'
  | 'four-tuple'
  | 'nan-reward'
  | 'string-terminated'
  | 'reset-without-info'
  | 'plain-array-obs'
  | 'bad-ansi-render'
  | 'rejects-options';

/** A tiny correct env (a 2-d random walk in [-1, 1]²) that can be broken in one chosen way. */
class ToyWalkEnv extends Env<TypedArray, number> {
  private readonly fault: Fault;
  private readonly state = new Float32Array(2);
  private steps = 0;
  private readonly privateRng = Rng.fromEntropy().rng;

  constructor(options: { fault?: Fault; renderMode?: string | null } = {}) {
    super();
    this.fault = options.fault ?? 'none';
    this.observationSpace = new Box(-1, 1, [2], 'float32');
    this.actionSpace = new Discrete(2);
    this.metadata = { renderModes: ['ansi'], renderFps: 10 };
    this.renderMode = options.renderMode ?? null;
  }

  override reset(args: ResetArgs = {}): ResetResult<TypedArray> {
    if (this.fault === 'rejects-options' && args.options !== undefined) throw new TypeError('options are not supported');
    if (this.fault !== 'ignores-seed') super.reset(args);
    const rng = this.fault === 'ignores-seed' ? this.privateRng : this.rng;
    this.state[0] = rng.uniform(-0.5, 0.5);
    this.state[1] = rng.uniform(-0.5, 0.5);
    this.steps = 0;
    if (this.fault === 'reset-without-info') return this.state.slice() as unknown as ResetResult<TypedArray>;
    const obs = this.fault === 'plain-array-obs' ? (Array.from(this.state) as unknown as Float32Array) : this.state.slice();
    return [obs, {}];
  }

  override step(action: number): StepResult<TypedArray> {
    this.assertAction(action);
    const rng = this.fault === 'step-unseeded' ? this.privateRng : this.rng;
    const delta = (action === 1 ? 0.1 : -0.1) + rng.uniform(-0.01, 0.01);
    this.state[0] = Math.max(-1, Math.min(1, this.state[0]! + delta));
    this.steps += 1;
    const obs = this.state.slice();
    if (this.fault === 'obs-outside-space') obs[1] = 3;
    const reward = this.fault === 'nan-reward' ? NaN : -Math.abs(this.state[0]!);
    const terminated = this.steps >= 20;
    if (this.fault === 'four-tuple') return [obs, reward, terminated, {}] as unknown as StepResult<TypedArray>;
    if (this.fault === 'string-terminated') return [obs, reward, 'no' as unknown as boolean, false, {}];
    return [obs, reward, terminated, false, { steps: this.steps }];
  }

  override render(): unknown {
    if (this.renderMode !== 'ansi') return null;
    return this.fault === 'bad-ansi-render' ? 42 : `x=${this.state[0]!.toFixed(2)} y=${this.state[1]!.toFixed(2)}`;
  }
}

function failedCheck(fn: () => unknown): EnvCheckError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EnvCheckError);
    return err as EnvCheckError;
  }
  throw new Error('expected checkEnv to throw');
}

describe('checkEnv on registered environments', () => {
  const ids = registeredIds();
  it('includes the classic control envs', () => {
    for (const id of ['CartPole-v1', 'Pendulum-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1']) {
      expect(ids).toContain(id);
    }
  });
  it.each(ids)('%s passes (raw env) and its warnings are strings', (id) => {
    const env = make(id);
    const warnings = checkEnv(env.unwrapped);
    expect(Array.isArray(warnings)).toBe(true);
    for (const w of warnings) expect(typeof w).toBe('string');
    expect(warnings.some((w) => w.includes('is wrapped'))).toBe(false);
    env.close();
  });

  it.each(ids)('%s passes through make() wrappers, with a warning that it is wrapped', (id) => {
    const env = make(id);
    const warnings = checkEnv(env, { skipRenderCheck: true, skipCloseCheck: true });
    expect(warnings.some((w) => w.includes('is wrapped'))).toBe(true);
    env.close();
  });
});

describe('checkEnv on a correct toy env', () => {
  it('passes, and reports the checks it could not run without a spec', () => {
    const warnings = checkEnv(new ToyWalkEnv());
    expect(warnings).toContain('render modes were not checked: the env has no spec to rebuild it from (create it with make())');
    expect(warnings.some((w) => w.startsWith('close was not checked'))).toBe(true);
    expect(warnings.some((w) => w.includes('not identical'))).toBe(false);
  });

  it('builds a registered env in each declared render mode and checks its frames', () => {
    register({
      id: 'test/CheckerToy-v0',
      entryPoint: (o) => new ToyWalkEnv(o as { fault?: Fault }),
      maxEpisodeSteps: 50,
      override: true,
    });
    register({
      id: 'test/CheckerToyBadRender-v0',
      entryPoint: (o) => new ToyWalkEnv({ ...(o as object), fault: 'bad-ansi-render' }),
      override: true,
    });
    const warnings = checkEnv(make('test/CheckerToy-v0').unwrapped);
    expect(warnings.some((w) => w.includes('not checked'))).toBe(false);
    const err = failedCheck(() => checkEnv(make('test/CheckerToyBadRender-v0').unwrapped));
    expect(err.check).toBe('render');
    expect(err.message).toContain("render mode 'ansi'");
    expect(err.message).toContain('should return a string');
    // With the render check skipped the same env passes.
    expect(() => checkEnv(make('test/CheckerToyBadRender-v0').unwrapped, { skipRenderCheck: true })).not.toThrow();
  });

  it('warns about unbounded and non-normalised boxes', () => {
    class Unbounded extends ToyWalkEnv {
      constructor() {
        super();
        this.observationSpace = new Box(-Infinity, Infinity, [2], 'float32');
        (this as Env<TypedArray, any>).actionSpace = new Box(-2, 3, [1], 'float32') as never;
      }
      override step(): StepResult<TypedArray> {
        return [new Float32Array(2), 0, false, false, {}];
      }
    }
    const warnings = checkEnv(new Unbounded(), { skipCloseCheck: true });
    expect(warnings.some((w) => w.includes('observation space has a lower bound of -Infinity'))).toBe(true);
    expect(warnings.some((w) => w.includes('observation space has an upper bound of Infinity'))).toBe(true);
    expect(warnings.some((w) => w.includes('action space is not symmetric and normalised'))).toBe(true);
  });
});

describe('checkEnv on broken envs', () => {
  const cases: [Fault, string, RegExp][] = [
    ['obs-outside-space', 'step-return', /observation returned by env\.step\(action\) is outside Box.*element 1 is 3/],
    ['ignores-seed', 'reset-seed', /observations differ on two calls of env\.reset\(\{ seed: 123 \}\)/],
    ['step-unseeded', 'step-determinism', /env\.step\(\) observations differ for the same seed/],
    ['four-tuple', 'step-return', /must return \[obs, reward, terminated, truncated, info\], got an array of 4 elements/],
    ['nan-reward', 'step-return', /reward returned by env\.step\(action\) is NaN/],
    ['string-terminated', 'step-return', /terminated returned by env\.step\(action\) must be a boolean, got "no"/],
    ['reset-without-info', 'reset-return', /env\.reset\(\) must return \[obs, info\]/],
    ['rejects-options', 'reset-options', /env\.reset\(\{ options: \{\} \}\) threw TypeError: options are not supported/],
  ];
  it.each(cases)('%s fails check %s with a message naming the problem', (fault, check, pattern) => {
    const err = failedCheck(() => checkEnv(new ToyWalkEnv({ fault })));
    expect(err.check).toBe(check);
    expect(err.code).toBe('ENV_CHECK');
    expect(err.message).toMatch(pattern);
    expect(err.message.startsWith(`checkEnv [${check}]: `)).toBe(true);
  });

  it('a plain number[] observation passes contains() but gives a warning', () => {
    const warnings = checkEnv(new ToyWalkEnv({ fault: 'plain-array-obs' }));
    expect(warnings).toContain('the observation returned by env.reset() should be a Float32Array (Box float32), got an array');
  });

  it('rejects things that are not envs and envs without spaces', () => {
    expect(failedCheck(() => checkEnv({ reset() {}, step() {} } as never)).check).toBe('env-type');
    class NoSpaces extends Env<number, number> {
      override step(): StepResult<number> {
        return [0, 0, false, false, {}];
      }
    }
    const err = failedCheck(() => checkEnv(new NoSpaces()));
    expect(err.check).toBe('spaces');
    expect(err.message).toContain('no action space');
  });

  it('catches a render mode that is not declared', () => {
    const env = new ToyWalkEnv({ renderMode: 'rgb_array' });
    const err = failedCheck(() => checkEnv(env));
    expect(err.check).toBe('render');
    expect(err.message).toContain("renderMode 'rgb_array' is not among metadata.renderModes [ansi]");
  });
});

describe('equivalent', () => {
  it('compares typed arrays by type and value, within tolerance unless exact', () => {
    expect(equivalent(new Float32Array([1, 2]), new Float32Array([1, 2]), true)).toBe(true);
    expect(equivalent(new Float32Array([1, 2]), new Float64Array([1, 2]), false)).toBe(false);
    expect(equivalent(new Float64Array([1, 2]), new Float64Array([1, 2 + 1e-9]), true)).toBe(false);
    expect(equivalent(new Float64Array([1, 2]), new Float64Array([1, 2 + 1e-9]), false)).toBe(true);
    expect(equivalent({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true)).toBe(true);
    expect(equivalent({ a: 1 }, { a: 1, b: 2 }, false)).toBe(false);
    expect(equivalent(NaN, NaN, true)).toBe(true);
  });
});
