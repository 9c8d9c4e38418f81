/** Bad input to vector envs: typed errors, and nothing is stepped when a call is refused. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClosedEnvironmentError,
  InvalidActionError,
  InvalidArgumentError,
  InvalidSeedError,
  ResetNeededError,
  UnknownEnvError,
  UnknownOptionError,
} from '../../src/core/errors.js';
import { make } from '../../src/envs/registration.js';
import { AsyncVectorEnv } from '../../src/envs/vector/async-vector-env.js';
import { makeVec } from '../../src/envs/vector/make-vec.js';
import { SyncVectorEnv } from '../../src/envs/vector/sync-vector-env.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';
import { buildVector, episodeStep } from './helpers.js';

let open: VectorEnv<any, any, any, any>[] = [];
afterEach(() => {
  for (const e of open) e.close();
  open = [];
});

function countdowns(n = 2): VectorEnv<any, any, any, any> {
  const envs = makeVec('Countdown-v0', { numEnvs: n, k: 50 });
  open.push(envs);
  return envs;
}

describe('vector env bad input (sync)', () => {
  it('refuses a step before reset and names the env', () => {
    const envs = countdowns();
    expect(() => envs.step(Int32Array.of(0, 0))).toThrow(ResetNeededError);
    expect(() => envs.step(Int32Array.of(0, 0))).toThrow(/Sub-environment 0/);
  });

  it('refuses malformed action batches without stepping any env', () => {
    const envs = countdowns(3);
    envs.reset({ seed: 0 });
    expect(() => envs.step(Int32Array.of(0, 1))).toThrow(InvalidActionError);
    expect(() => envs.step(Int32Array.of(0, 1))).toThrow(/3 values/);
    expect(() => envs.step([0, 1, NaN])).toThrow(/sub-environment 2.*NaN/);
    expect(() => envs.step(Int32Array.of(0, 2, 1))).toThrow(/sub-environment 1/);
    expect(() => envs.step([0, 0.5, 1])).toThrow(/sub-environment 1/);
    expect(() => envs.step('left' as never)).toThrow(InvalidActionError);
    expect(() => envs.step(null as never)).toThrow(InvalidActionError);
    const [obs] = envs.step([1, 1, 1]);
    for (let i = 0; i < 3; i++) expect(episodeStep(obs, i)).toEqual([1, 1]); // only this step happened
  });

  it('validates seeds and reset masks', () => {
    const envs = countdowns(2);
    expect(() => envs.reset({ seed: -1 })).toThrow(InvalidSeedError);
    expect(() => envs.reset({ seed: 1.5 })).toThrow(InvalidSeedError);
    expect(() => envs.reset({ seed: Number.MAX_SAFE_INTEGER })).toThrow(InvalidSeedError); // seed + 1 overflows
    expect(() => envs.reset({ seed: [1] })).toThrow(/got 1 seeds for 2 environments/);
    expect(() => envs.reset({ seed: [1, -3] })).toThrow(InvalidSeedError);
    expect(() => envs.reset({ seed: '3' as never })).toThrow(InvalidArgumentError);
    expect(() => envs.reset({ options: { resetMask: [true] } })).toThrow(/resetMask/);
    expect(() => envs.reset({ options: { resetMask: [false, false] } })).toThrow(/at least one/);
    expect(() => envs.reset({ options: { resetMask: [1, 'yes'] as never } })).toThrow(/resetMask\[1\]/);
  });

  it('rejects bad construction arguments', () => {
    expect(() => makeVec('Countdown-v0', { numEnvs: 0 })).toThrow(InvalidArgumentError);
    expect(() => makeVec('Countdown-v0', { numEnvs: 1.5 })).toThrow(/numEnvs/);
    expect(() => makeVec('Countdwn-v0', { numEnvs: 2 })).toThrow(UnknownEnvError);
    expect(() => makeVec('Countdown-v0', { vectorizationMode: 'threads' as never })).toThrow(/vectorizationMode/);
    expect(() => makeVec('Countdown-v0', { vectorKwargs: { envsPerWorker: 2 } })).toThrow(/envsPerWorker/);
    expect(() => makeVec('Countdown-v0', { autoresetMode: 'SOMETIMES' as never })).toThrow(/autoresetMode/);
    expect(() => new SyncVectorEnv([])).toThrow(InvalidArgumentError);
    expect(() => new SyncVectorEnv([() => make('Countdown-v0')], { cpoy: true } as never)).toThrow(UnknownOptionError);
    expect(() => new SyncVectorEnv([{} as never])).toThrow(/entry 0 is not an Env/);
    expect(() => new SyncVectorEnv([() => make('Countdown-v0'), () => make('CountdownDict-v0')])).toThrow(
      /Sub-environment 1 has observation space Dict/,
    );
  });

  it('closed vector envs refuse reset and step; close is idempotent', () => {
    const envs = countdowns();
    envs.reset();
    envs.close();
    envs.close();
    expect(envs.closed).toBe(true);
    expect(() => envs.step(Int32Array.of(0, 0))).toThrow(ClosedEnvironmentError);
    expect(() => envs.reset()).toThrow(ClosedEnvironmentError);
  });

  it('makeVec sets the spec with the merged kwargs', () => {
    const envs = makeVec('Countdown-v0', { numEnvs: 2, k: 7, maxEpisodeSteps: 4 });
    open.push(envs);
    expect(envs.spec?.id).toBe('Countdown-v0');
    expect(envs.spec?.kwargs).toEqual({ k: 7 });
    expect(envs.spec?.maxEpisodeSteps).toBe(4);
    expect(envs.numEnvs).toBe(2);
  });
});

describe('vector env bad input (async)', () => {
  it('validates before sending anything to the workers', () => {
    const envs = buildVector('async', [{ id: 'Countdown-v0' }, { id: 'Countdown-v0' }]);
    open.push(envs);
    expect(() => envs.step(Int32Array.of(0, 0))).toThrow(ResetNeededError);
    envs.reset({ seed: 3 });
    expect(() => envs.step(Int32Array.of(0, 9))).toThrow(/sub-environment 1/);
    expect(() => envs.reset({ options: { fn: () => 1 } })).toThrow(/cannot be sent/);
    const [obs] = envs.step(Int32Array.of(1, 1));
    expect([episodeStep(obs, 0), episodeStep(obs, 1)]).toEqual([[1, 1], [1, 1]]);
    envs.close();
    expect(() => envs.step(Int32Array.of(0, 0))).toThrow(ClosedEnvironmentError);
  });

  it('rejects envs that workers cannot build, and differing spaces', () => {
    expect(() => new AsyncVectorEnv(['CountdownNoModule-v0'])).toThrow(/registered without a module/);
    expect(() => new AsyncVectorEnv(['Countdown-v0'], { envsPerWorker: 0 })).toThrow(/envsPerWorker/);
    expect(() => new AsyncVectorEnv([{ id: 'Countdown-v0', options: { f: () => 0 } }])).toThrow(/cannot be sent/);
    expect(() => new AsyncVectorEnv(['Countdown-v0', 'CountdownDict-v0'])).toThrow(/Sub-environment 1 has observation space/);
  });
});
