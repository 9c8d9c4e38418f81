import { describe, expect, it } from 'vitest';
import { InvalidActionError, InvalidArgumentError, ResetNeededError, UnknownOptionError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { PendulumEnv } from '../../src/envs/classic/index.js';
import { make, spec } from '../../src/envs/registration.js';
import { columnRanges, expectAllClose, float32 } from './helpers.js';

/** Angle in [-π, π) (written with floor, independently of the env's floor-mod). */
function wrapAngle(theta: number): number {
  return theta + Math.PI - 2 * Math.PI * Math.floor((theta + Math.PI) / (2 * Math.PI)) - Math.PI;
}

/**
 * One step of the pendulum with Gymnasium's constants. The torque is a float32 action, and numpy
 * evaluates `3/(m l²) · u` in float32 too (float32 scalar times a Python float stays float32).
 */
function pendulumReference(state: number[], action: number, g = 10.0): { state: number[]; reward: number } {
  const maxSpeed = 8, maxTorque = 2.0, dt = 0.05, m = 1.0, l = 1.0;
  const [theta, thetaDot] = state as [number, number];
  const u = Math.min(Math.max(Math.fround(action), -maxTorque), maxTorque);
  const cost = wrapAngle(theta) ** 2 + 0.1 * thetaDot ** 2 + 0.001 * u ** 2;
  let newThetaDot = thetaDot + ((3 * g) / (2 * l) * Math.sin(theta) + Math.fround((3 / (m * l * l)) * u)) * dt;
  newThetaDot = Math.min(Math.max(newThetaDot, -maxSpeed), maxSpeed);
  return { state: [theta + newThetaDot * dt, newThetaDot], reward: -cost };
}

function observationOf(state: ArrayLike<number>): Float32Array {
  return float32([Math.cos(state[0]!), Math.sin(state[0]!), state[1]!]);
}

describe('PendulumEnv', () => {
  it('has Gymnasium spaces, metadata and registration', () => {
    const env = new PendulumEnv();
    const act = env.actionSpace as Box;
    expect([act.dtype, act.shape, Array.from(act.low), Array.from(act.high)]).toEqual(['float32', [1], [-2], [2]]);
    const obs = env.observationSpace as Box;
    expect([obs.dtype, obs.shape, Array.from(obs.low), Array.from(obs.high)]).toEqual(['float32', [3], [-1, -1, -8], [1, 1, 8]]);
    expect(env.metadata).toMatchObject({ renderModes: ['ansi'], renderFps: 30 });
    expect(env.g).toBe(10);
    expect(spec('Pendulum-v1')).toMatchObject({ maxEpisodeSteps: 200, rewardThreshold: null });
  });

  it('resets theta in [-π, π) and thetaDot in [-1, 1), deterministically per seed', () => {
    const env = new PendulumEnv();
    const states: Float64Array[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const [obs] = env.reset({ seed });
      expect(Array.from(obs)).toEqual(Array.from(observationOf(env.state!)));
      states.push(env.state!.slice());
    }
    const { min, max } = columnRanges(states);
    expect(min[0]).toBeGreaterThanOrEqual(-Math.PI);
    expect(max[0]).toBeLessThan(Math.PI);
    expect(min[0]).toBeLessThan(-2.8);
    expect(max[0]).toBeGreaterThan(2.8);
    expect(min[1]).toBeGreaterThanOrEqual(-1);
    expect(max[1]).toBeLessThan(1);
    expect(Array.from(new PendulumEnv().reset({ seed: 5 })[0])).toEqual(Array.from(new PendulumEnv().reset({ seed: 5 })[0]));
  });

  it('accepts { xInit, yInit } reset options (Gymnasium x_init, y_init)', () => {
    const env = new PendulumEnv();
    for (let seed = 0; seed < 50; seed++) {
      env.reset({ seed, options: { xInit: 0.5, yInit: 0 } });
      expect(Math.abs(env.state![0]!)).toBeLessThanOrEqual(0.5);
      expect(env.state![1]).toBe(0);
    }
    expect(() => env.reset({ options: { xInit: 'pi' } })).toThrow(InvalidArgumentError);
    expect(() => env.reset({ options: { low: -1 } })).toThrow(UnknownOptionError);
  });

  it('follows the pendulum equations for three steps, with float32 torques', () => {
    const env = new PendulumEnv();
    env.reset({ seed: 0 });
    let state = [1.0, -0.5];
    env.state = state;
    for (const action of [0.7, -1.1, 2.0]) { // 3·fround(0.7) and 3·fround(-1.1) round in float32
      const ref = pendulumReference(state, action);
      state = ref.state;
      const [obs, reward, terminated, truncated, info] = env.step(Float32Array.of(action));
      expectAllClose(env.state!, state, 1e-12);
      expect(Array.from(obs)).toEqual(Array.from(observationOf(state)));
      expect(reward).toBeCloseTo(ref.reward, 9);
      expect([terminated, truncated, info]).toEqual([false, false, {}]);
    }
  });

  it('uses the g option', () => {
    const env = new PendulumEnv({ g: 9.81 });
    env.reset({ seed: 0 });
    env.state = [2.0, 0.25];
    env.step([-0.75] as never);
    expectAllClose(env.state!, pendulumReference([2.0, 0.25], -0.75, 9.81).state, 1e-12);
    expect(() => new PendulumEnv({ g: 'ten' as never })).toThrow(InvalidArgumentError);
  });

  it('normalises the angle in the cost, clips the torque and the speed', () => {
    const env = new PendulumEnv();
    env.reset({ seed: 0 });
    env.state = [0, 0];
    const [, upright] = env.step(Float32Array.of(0));
    expect(upright === 0).toBe(true); // the best reward
    env.state = [Math.PI, 0];
    expect(env.step(Float32Array.of(0))[1]).toBeCloseTo(-(Math.PI ** 2), 12);
    env.state = [7, 1];
    expect(env.step(Float32Array.of(1))[1]).toBeCloseTo(-((7 - 2 * Math.PI) ** 2 + 0.1 + 0.001), 9);
    // Out-of-range finite torques are clipped to ±2, as in Gymnasium.
    env.state = [0.5, 0.5];
    env.step(Float32Array.of(5));
    const clipped = env.state!.slice();
    env.state = [0.5, 0.5];
    env.step(Float32Array.of(2));
    expect(Array.from(clipped)).toEqual(Array.from(env.state!));
    env.state = [0.5, 0.5];
    env.step(-1e6 as never);
    expectAllClose(env.state!, pendulumReference([0.5, 0.5], -2).state, 1e-12);
    // Speed is clipped to 8.
    env.state = [0, 7.99];
    const [obs] = env.step(Float32Array.of(2));
    expect(env.state![1]).toBe(8);
    expect(obs[2]).toBe(8);
    expect(env.state![0]).toBeCloseTo(0.4, 15);
  });

  it('never terminates; make truncates at 200 steps', () => {
    const env = make('Pendulum-v1');
    env.reset({ seed: 2 });
    for (let t = 1; t <= 200; t++) {
      const [, , terminated, truncated] = env.step(Float32Array.of(Math.sin(t)));
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === 200);
    }
  });

  it('rejects invalid actions, stepping before reset and unknown options with typed errors', () => {
    const env = new PendulumEnv();
    expect(() => env.step(Float32Array.of(0))).toThrow(ResetNeededError);
    env.reset({ seed: 0 });
    for (const bad of [Float32Array.of(NaN), Float32Array.of(1, 2), new Float32Array(0), [NaN], ['1'], 'a', null, undefined]) {
      expect(() => env.step(bad as never)).toThrow(InvalidActionError);
    }
    expect(() => new PendulumEnv({ gravity: 9.8 } as never)).toThrow(UnknownOptionError);
    expect(() => make('Pendulum-v1', { G: 9.8 })).toThrow(UnknownOptionError);
  });

  it('renders a text picture in ansi mode', () => {
    const env = new PendulumEnv({ renderMode: 'ansi' });
    env.reset({ seed: 0 });
    env.state = [0, 0]; // upright: the bob is above the pivot
    const up = env.render()!.split('\n');
    const row = (ch: string) => up.findIndex((line) => line.includes(ch));
    expect(row('@')).toBeLessThan(row('o'));
    env.state = [Math.PI, 0];
    const down = env.render()!.split('\n');
    expect(down.findIndex((l) => l.includes('@'))).toBeGreaterThan(down.findIndex((l) => l.includes('o')));
    expect(env.render()).toContain('theta=');
  });
});
