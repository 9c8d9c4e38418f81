import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ResetNeededError } from '../../src/core/index.js';
import { OrderEnforcing } from '../../src/envs/wrappers/order-enforcing.js';
import { TimeLimit } from '../../src/envs/wrappers/time-limit.js';
import { ScriptedEnv } from './toy-envs.js';

describe('TimeLimit', () => {
  it('truncates exactly on the maxEpisodeSteps-th step and not before', () => {
    const env = new TimeLimit(new ScriptedEnv(), 4);
    env.reset({ seed: 0 });
    const truncs: boolean[] = [];
    for (let i = 0; i < 4; i++) truncs.push(env.step(0)[3]);
    expect(truncs).toEqual([false, false, false, true]);
    expect(env.elapsedSteps).toBe(4);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(env.step(0)[3]).toBe(false);
  });

  it('passes terminated through, so both flags can be true on the same step', () => {
    const env = new TimeLimit(new ScriptedEnv({ terminateAt: 3 }), 3);
    env.reset({ seed: 0 });
    env.step(0);
    env.step(0);
    const [, , terminated, truncated] = env.step(0);
    expect(terminated).toBe(true);
    expect(truncated).toBe(true);
  });

  it('keeps an early termination without truncation', () => {
    const env = new TimeLimit(new ScriptedEnv({ terminateAt: 2 }), 5);
    env.reset({ seed: 0 });
    env.step(0);
    const [, , terminated, truncated] = env.step(0);
    expect([terminated, truncated]).toEqual([true, false]);
  });

  it('keeps the inner env truncation', () => {
    const env = new TimeLimit(new ScriptedEnv({ truncateAt: 1 }), 5);
    env.reset({ seed: 0 });
    expect(env.step(0)[3]).toBe(true);
  });

  it.each([0, -1, 2.5, NaN])('rejects maxEpisodeSteps=%s', (n) => {
    expect(() => new TimeLimit(new ScriptedEnv(), n)).toThrow(InvalidArgumentError);
  });
});

describe('OrderEnforcing', () => {
  it('throws ResetNeededError on step before reset and after the episode ended', () => {
    const env = new OrderEnforcing(new ScriptedEnv({ terminateAt: 2 }));
    expect(() => env.step(0)).toThrow(ResetNeededError);
    expect(() => env.render()).toThrow(/before calling env.reset/);
    env.reset({ seed: 1 });
    env.step(0);
    expect(env.step(0)[2]).toBe(true);
    expect(() => env.step(0)).toThrow(/after the episode ended/);
    env.reset();
    expect(() => env.step(0)).not.toThrow();
  });

  it('allows render before reset with disableRenderOrderEnforcing', () => {
    const env = new OrderEnforcing(new ScriptedEnv(), { disableRenderOrderEnforcing: true });
    expect(env.render()).toBeNull();
  });
});
