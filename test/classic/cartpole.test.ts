import { describe, expect, it } from 'vitest';
import { InvalidActionError, InvalidArgumentError, ResetNeededError, UnknownOptionError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { Discrete } from '../../src/core/spaces/discrete.js';
import { CartPoleEnv } from '../../src/envs/classic/index.js';
import { make, spec } from '../../src/envs/registration.js';
import { columnRanges, expectAllClose, float32 } from './helpers.js';

/** One step of Barto, Sutton & Anderson's cart-pole (Florian's corrected equations), Gymnasium's constants. */
function cartPoleReference(s: number[], action: number, integrator: 'euler' | 'semi' = 'euler'): number[] {
  const gravity = 9.8, massCart = 1.0, massPole = 0.1, halfLength = 0.5, forceMag = 10.0, tau = 0.02;
  const totalMass = massCart + massPole;
  const poleMassLength = massPole * halfLength;
  const [x, xDot, theta, thetaDot] = s as [number, number, number, number];
  const force = action === 1 ? forceMag : -forceMag;
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const temp = (force + poleMassLength * thetaDot ** 2 * sin) / totalMass;
  const thetaAcc = (gravity * sin - cos * temp) / (halfLength * (4 / 3 - (massPole * cos ** 2) / totalMass));
  const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;
  if (integrator === 'euler') return [x + tau * xDot, xDot + tau * xAcc, theta + tau * thetaDot, thetaDot + tau * thetaAcc];
  const xDot2 = xDot + tau * xAcc;
  const thetaDot2 = thetaDot + tau * thetaAcc;
  return [x + tau * xDot2, xDot2, theta + tau * thetaDot2, thetaDot2];
}

const THETA_LIMIT = (12 * 2 * Math.PI) / 360;

describe('CartPoleEnv', () => {
  it('has Gymnasium spaces and metadata', () => {
    const env = new CartPoleEnv();
    expect(env.actionSpace).toBeInstanceOf(Discrete);
    expect((env.actionSpace as Discrete).n).toBe(2);
    const obs = env.observationSpace as Box;
    expect(obs.dtype).toBe('float32');
    expect(obs.shape).toEqual([4]);
    expect(Array.from(obs.high)).toEqual(Array.from(float32([4.8, Infinity, 2 * THETA_LIMIT, Infinity])));
    expect(Array.from(obs.low)).toEqual(Array.from(float32([-4.8, -Infinity, -2 * THETA_LIMIT, -Infinity])));
    expect(env.metadata.renderModes).toEqual(['ansi']);
    expect(env.metadata.renderFps).toBe(50);
  });

  it('is registered with Gymnasium time limits and reward thresholds', () => {
    expect(spec('CartPole-v1')).toMatchObject({ maxEpisodeSteps: 500, rewardThreshold: 475 });
    expect(spec('CartPole-v0')).toMatchObject({ maxEpisodeSteps: 200, rewardThreshold: 195 });
    expect(make('CartPole-v1').unwrapped).toBeInstanceOf(CartPoleEnv);
  });

  it('resets uniformly in [-0.05, 0.05) and is deterministic per seed', () => {
    const env = new CartPoleEnv();
    const states: Float64Array[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const [obs, info] = env.reset({ seed });
      expect(info).toEqual({});
      expect(obs).toBeInstanceOf(Float32Array);
      expect(Array.from(obs)).toEqual(Array.from(Float32Array.from(env.state!)));
      states.push(env.state!.slice());
    }
    const { min, max } = columnRanges(states);
    for (let i = 0; i < 4; i++) {
      expect(min[i]).toBeGreaterThanOrEqual(-0.05);
      expect(max[i]).toBeLessThan(0.05);
      expect(min[i]).toBeLessThan(-0.04);
      expect(max[i]).toBeGreaterThan(0.04);
    }
    const a = new CartPoleEnv().reset({ seed: 7 })[0];
    const b = new CartPoleEnv().reset({ seed: 7 })[0];
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(new CartPoleEnv().reset({ seed: 8 })[0])).not.toEqual(Array.from(a));
    // Without a seed the stream continues: the next reset differs from the seeded one.
    const env2 = new CartPoleEnv();
    const first = env2.reset({ seed: 7 })[0];
    expect(Array.from(env2.reset()[0])).not.toEqual(Array.from(first));
  });

  it('accepts { low, high } reset options and rejects bad ones', () => {
    const env = new CartPoleEnv();
    const states: Float64Array[] = [];
    for (let seed = 0; seed < 100; seed++) {
      env.reset({ seed, options: { low: -0.2, high: 0.3 } });
      states.push(env.state!.slice());
    }
    const { min, max } = columnRanges(states);
    expect(Math.min(...min)).toBeGreaterThanOrEqual(-0.2);
    expect(Math.max(...max)).toBeLessThan(0.3);
    expect(Math.max(...max)).toBeGreaterThan(0.25);
    expect(Math.min(...min)).toBeLessThan(-0.15);
    env.reset({ options: { high: 0.01 } }); // low stays at its default -0.05
    for (const v of env.state!) expect(v >= -0.05 && v < 0.01).toBe(true);
    env.reset({ options: { low: 0.1, high: 0.1 } });
    expect(Array.from(env.state!)).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(() => env.reset({ options: { low: 0.2, high: 0.1 } })).toThrow(InvalidArgumentError);
    expect(() => env.reset({ options: { low: 'a' } })).toThrow(InvalidArgumentError);
    expect(() => env.reset({ options: { lwo: -0.1 } })).toThrow(UnknownOptionError);
  });

  it('follows the cart-pole equations (euler) for three steps', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    let expected = [0.01, -0.2, 0.03, 0.15];
    env.state = expected;
    for (const action of [1, 0, 1]) {
      expected = cartPoleReference(expected, action);
      const [obs, reward, terminated, truncated, info] = env.step(action);
      expectAllClose(env.state!, expected, 1e-12);
      expect(Array.from(obs)).toEqual(Array.from(float32(expected)));
      expect([reward, terminated, truncated, info]).toEqual([1, false, false, {}]);
    }
  });

  it('follows the semi-implicit euler integrator when selected', () => {
    for (const env of [new CartPoleEnv({ kinematicsIntegrator: 'semi-implicit euler' }), new CartPoleEnv()]) {
      env.kinematicsIntegrator = 'semi-implicit euler';
      env.reset({ seed: 1 });
      let expected = [-0.5, 0.4, -0.05, -0.3];
      env.state = expected;
      for (const action of [0, 0, 1]) {
        expected = cartPoleReference(expected, action, 'semi');
        env.step(action);
        expectAllClose(env.state!, expected, 1e-12);
      }
    }
    expect(() => new CartPoleEnv({ kinematicsIntegrator: 'rk4' as never })).toThrow(InvalidArgumentError);
  });

  it('terminates when the cart leaves ±2.4 or the pole passes ±12°, rewarding the terminating step', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [2.37, 1.0, 0, 0]; // x -> 2.39: still inside
    expect(env.step(1).slice(1, 3)).toEqual([1, false]);
    env.state = [2.39, 1.0, 0, 0]; // x -> 2.41
    expect(env.step(1).slice(1, 4)).toEqual([1, true, false]);
    // Past termination (undefined behaviour, as in Gymnasium) the reward is 0.
    expect(env.step(1).slice(1, 3)).toEqual([0, true]);
    env.reset({ seed: 0 });
    env.state = [0, 0, -THETA_LIMIT + 0.01, -1.0]; // theta -> limit - 0.01
    expect(env.step(0)[2]).toBe(true);
    env.reset({ seed: 0 });
    env.state = [0, 0, THETA_LIMIT - 0.03, 1.0]; // theta -> limit - 0.01
    expect(env.step(0)[2]).toBe(false);
  });

  it('gives Sutton & Barto rewards with suttonBartoReward', () => {
    const env = new CartPoleEnv({ suttonBartoReward: true });
    env.reset({ seed: 0 });
    expect(env.step(0)[1]).toBe(0);
    env.state = [-2.39, -1.0, 0, 0];
    expect(env.step(0).slice(1, 3)).toEqual([-1, true]);
    expect(env.step(0)[1]).toBe(-1);
    expect(() => new CartPoleEnv({ suttonBartoReward: 1 as never })).toThrow(InvalidArgumentError);
  });

  it('is truncated by make at 500 steps', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 3 });
    for (let t = 1; t <= 500; t++) {
      (env.unwrapped as CartPoleEnv).state = [0, 0, 0, 0]; // keep the pole up
      const [, , terminated, truncated] = env.step(t % 2);
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === 500);
    }
    expect(() => env.step(0)).toThrow(ResetNeededError);
  });

  it('rejects invalid actions, stepping before reset, bad state and unknown options with typed errors', () => {
    const raw = new CartPoleEnv();
    expect(() => raw.step(0)).toThrow(ResetNeededError);
    raw.reset({ seed: 0 });
    for (const bad of [2, -1, 0.5, NaN, '1', [0, 1], null]) expect(() => raw.step(bad as never)).toThrow(InvalidActionError);
    expect(raw.step(Int32Array.of(1) as never)[0]).toBeInstanceOf(Float32Array);
    expect(() => (raw.state = [0, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => (raw.state = [0, NaN, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => new CartPoleEnv({ sutton_barto_reward: true } as never)).toThrow(UnknownOptionError);
    expect(() => make('CartPole-v1', { sutton_barto_reward: true })).toThrow(UnknownOptionError);
    expect(() => make('CartPole-v1').step(0)).toThrow(ResetNeededError);
    expect(() => new CartPoleEnv({ renderMode: 'human' })).toThrow(InvalidArgumentError);
  });

  it('renders a text picture in ansi mode', () => {
    const env = new CartPoleEnv({ renderMode: 'ansi' });
    expect(() => env.render()).toThrow(ResetNeededError);
    env.reset({ seed: 0 });
    env.state = [-2.4, 0.5, 0.1, 0];
    const left = env.render()!;
    expect(left).toContain('x=-2.400');
    expect(left.split('\n')[1]!.indexOf('#')).toBe(1); // the cart is at the left end of the track
    expect(left.split('\n')[0]).toContain('/'); // leaning right
    env.state = [2.4, 0, 0, 0];
    const right = env.render()!.split('\n')[1]!;
    expect(right.indexOf('#')).toBe(right.length - 2);
    expect(new CartPoleEnv().render()).toBeNull();
  });
});
