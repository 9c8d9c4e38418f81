import { describe, expect, it } from 'vitest';
import { InvalidActionError, InvalidArgumentError, ResetNeededError, UnknownOptionError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { Discrete } from '../../src/core/spaces/discrete.js';
import { AcrobotEnv, bound, wrap } from '../../src/envs/classic/acrobot.js';
import '../../src/envs/classic/index.js'; // registers the ids
import { make, spec } from '../../src/envs/registration.js';
import { columnRanges, expectAllClose, float32 } from './helpers.js';

const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;

/** Time derivative of [θ1, θ2, θ̇1, θ̇2] (Sutton & Barto's acrobot; `nips` drops the θ̇1² term). */
function acrobotDerivative(s: number[], torque: number, nips: boolean): number[] {
  const m1 = 1, m2 = 1, l1 = 1, lc1 = 0.5, lc2 = 0.5, I1 = 1, I2 = 1, g = 9.8;
  const [t1, t2, w1, w2] = s as [number, number, number, number];
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(t2)) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(t2)) + I2;
  const phi2 = m2 * lc2 * g * Math.cos(t1 + t2 - Math.PI / 2);
  const phi1 =
    -m2 * l1 * lc2 * w2 ** 2 * Math.sin(t2) - 2 * m2 * l1 * lc2 * w2 * w1 * Math.sin(t2) + (m1 * lc1 + m2 * l1) * g * Math.cos(t1 - Math.PI / 2) + phi2;
  const centripetal = nips ? 0 : m2 * l1 * lc2 * w1 ** 2 * Math.sin(t2);
  const dd2 = (torque + (d2 / d1) * phi1 - centripetal - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
  const dd1 = -(d2 * dd2 + phi1) / d1;
  return [w1, w2, dd1, dd2];
}

/** Classic RK4 over dt = 0.2 with the torque held constant; returns the unwrapped, unbounded state. */
function rk4(s: number[], torque: number, nips: boolean): number[] {
  const h = 0.2;
  const add = (a: number[], b: number[], c: number) => a.map((v, i) => v + c * b[i]!);
  const k1 = acrobotDerivative(s, torque, nips);
  const k2 = acrobotDerivative(add(s, k1, h / 2), torque, nips);
  const k3 = acrobotDerivative(add(s, k2, h / 2), torque, nips);
  const k4 = acrobotDerivative(add(s, k3, h), torque, nips);
  return s.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
}

function wrapAngle(a: number): number {
  return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
}

/** One env step: RK4, angles wrapped to [-π, π], velocities bounded by 4π and 9π. */
function acrobotReference(s: number[], action: number, nips = false): number[] {
  const [t1, t2, w1, w2] = rk4(s, [-1, 0, 1][action]!, nips) as [number, number, number, number];
  const clamp = (x: number, m: number) => Math.min(Math.max(x, -m), m);
  return [wrapAngle(t1), wrapAngle(t2), clamp(w1, MAX_VEL_1), clamp(w2, MAX_VEL_2)];
}

const observationOf = (s: ArrayLike<number>) =>
  float32([Math.cos(s[0]!), Math.sin(s[0]!), Math.cos(s[1]!), Math.sin(s[1]!), s[2]!, s[3]!]);
const isTerminal = (s: ArrayLike<number>) => -Math.cos(s[0]!) - Math.cos(s[1]! + s[0]!) > 1.0;

describe('AcrobotEnv', () => {
  it('has Gymnasium spaces, metadata and registration', () => {
    const env = new AcrobotEnv();
    expect((env.actionSpace as Discrete).n).toBe(3);
    const obs = env.observationSpace as Box;
    expect([obs.dtype, obs.shape]).toEqual(['float32', [6]]);
    expect(Array.from(obs.high)).toEqual(Array.from(float32([1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2])));
    expect(Array.from(obs.low)).toEqual(Array.from(float32([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2])));
    expect(env.metadata).toMatchObject({ renderModes: ['ansi'], renderFps: 15 });
    expect([env.bookOrNips, env.torqueNoiseMax]).toEqual(['book', 0]);
    expect(spec('Acrobot-v1')).toMatchObject({ maxEpisodeSteps: 500, rewardThreshold: -100 });
  });

  it('resets to float32 values uniform in [-0.1, 0.1), deterministically per seed', () => {
    const env = new AcrobotEnv();
    const states: Float64Array[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const [obs] = env.reset({ seed });
      for (const v of env.state!) expect(Math.fround(v)).toBe(v);
      expect(Array.from(obs)).toEqual(Array.from(observationOf(env.state!)));
      states.push(env.state!.slice());
    }
    const { min, max } = columnRanges(states);
    for (let i = 0; i < 4; i++) {
      expect(min[i]! >= Math.fround(-0.1) && min[i]! < -0.09).toBe(true);
      expect(max[i]! <= Math.fround(0.1) && max[i]! > 0.09).toBe(true);
    }
    expect(new AcrobotEnv().reset({ seed: 11 })[0]).toEqual(new AcrobotEnv().reset({ seed: 11 })[0]);
    env.reset({ options: { low: 0.5, high: 0.5 } });
    expect(Array.from(env.state!)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(() => env.reset({ options: { low: 1, high: 0 } })).toThrow(InvalidArgumentError);
  });

  it('integrates the book dynamics with RK4 for three steps', () => {
    const env = new AcrobotEnv();
    env.reset({ seed: 0 });
    let state = [0.1, -0.2, 0.5, -0.3];
    env.state = state;
    for (const action of [2, 0, 1]) {
      state = acrobotReference(state, action);
      const [obs, reward, terminated, truncated, info] = env.step(action);
      expectAllClose(env.state!, state, 1e-12);
      expectAllClose(obs, observationOf(state), 0);
      expect([reward, terminated, truncated, info]).toEqual([-1, false, false, {}]);
    }
  });

  it('uses the NeurIPS equations with bookOrNips = "nips"', () => {
    const start = [0.3, 0.4, 2.0, -1.0];
    const book = new AcrobotEnv();
    const nips = new AcrobotEnv({ bookOrNips: 'nips' });
    for (const env of [book, nips]) {
      env.reset({ seed: 0 });
      env.state = start;
      env.step(2);
    }
    expectAllClose(nips.state!, acrobotReference(start, 2, true), 1e-12);
    expectAllClose(book.state!, acrobotReference(start, 2, false), 1e-12);
    expect(Math.abs(nips.state![3]! - book.state![3]!)).toBeGreaterThan(1e-3);
    book.bookOrNips = 'nips';
    expect(book.bookOrNips).toBe('nips');
    expect(() => (book.bookOrNips = 'paper' as never)).toThrow(InvalidArgumentError);
  });

  it('wraps angles and bounds velocities', () => {
    expect(wrap(4, -Math.PI, Math.PI)).toBeCloseTo(4 - 2 * Math.PI, 15);
    expect(wrap(-10, -Math.PI, Math.PI)).toBeCloseTo(-10 + 4 * Math.PI, 14);
    expect(wrap(Math.PI, -Math.PI, Math.PI)).toBe(Math.PI);
    expect([bound(5, -1, 1), bound(-5, -1, 1), bound(0.5, -1, 1)]).toEqual([1, -1, 0.5]);
    const env = new AcrobotEnv();
    env.reset({ seed: 0 });
    // Upright and spinning fast: theta1 wraps past π and the velocity saturates at 4π.
    const start = [3.0, 0, MAX_VEL_1, 0];
    expect(rk4(start, 0, false)[2]).toBeGreaterThan(MAX_VEL_1);
    env.state = start;
    env.step(1);
    expect(env.state![2]).toBe(MAX_VEL_1);
    expect(Math.abs(env.state![0]!)).toBeLessThanOrEqual(Math.PI);
    expectAllClose(env.state!, acrobotReference(start, 1), 1e-12);
  });

  it('terminates with reward 0 when the tip is above the bar', () => {
    const env = new AcrobotEnv();
    env.reset({ seed: 0 });
    const up = [Math.PI, 0, 0, 0];
    expect(isTerminal(acrobotReference(up, 1))).toBe(true);
    env.state = up;
    expect(env.step(1).slice(1, 4)).toEqual([0, true, false]);
    // Just below the threshold the step is an ordinary -1.
    const low = [Math.PI / 2, 0, 0, 0];
    env.state = low;
    const [, reward, terminated] = env.step(1);
    expect(terminated).toBe(isTerminal(acrobotReference(low, 1)));
    expect(reward).toBe(terminated ? 0 : -1);
    expect(terminated).toBe(false);
  });

  it('adds seeded torque noise when torqueNoiseMax > 0', () => {
    const run = () => {
      const env = new AcrobotEnv();
      env.torqueNoiseMax = 0.5;
      env.reset({ seed: 21 });
      env.state = [0.1, 0.1, 0, 0];
      env.step(1);
      return env.state!.slice();
    };
    const a = run();
    expect(Array.from(run())).toEqual(Array.from(a));
    expect(Math.abs(a[2]! - acrobotReference([0.1, 0.1, 0, 0], 1)[2]!)).toBeGreaterThan(1e-6);
  });

  it('is truncated by make at 500 steps', () => {
    const env = make('Acrobot-v1');
    env.reset({ seed: 0 });
    for (let t = 1; t <= 500; t++) {
      const [, reward, terminated, truncated] = env.step(1);
      expect([reward, terminated, truncated]).toEqual([-1, false, t === 500]);
    }
  });

  it('rejects invalid actions, stepping before reset and unknown options with typed errors', () => {
    const env = new AcrobotEnv();
    expect(() => env.step(0)).toThrow(ResetNeededError);
    env.reset({ seed: 0 });
    for (const bad of [3, -1, 0.5, NaN, '2', [1, 1], undefined]) expect(() => env.step(bad as never)).toThrow(InvalidActionError);
    expect(() => new AcrobotEnv({ book_or_nips: 'nips' } as never)).toThrow(UnknownOptionError);
    expect(() => make('Acrobot-v1', { render_mode: 'ansi' })).toThrow(UnknownOptionError);
    expect(() => (env.state = [0, 0, Infinity, 0])).toThrow(InvalidArgumentError);
  });

  it('renders both links in ansi mode', () => {
    const env = new AcrobotEnv({ renderMode: 'ansi' });
    env.reset({ seed: 0 });
    env.state = [0, 0, 0, 0]; // hanging down
    const lines = env.render()!.split('\n');
    const row = (ch: string) => lines.findIndex((l) => l.includes(ch));
    expect(row('o')).toBeLessThan(row('+'));
    expect(row('+')).toBeLessThan(row('@'));
    expect(lines.join('\n')).toContain('=');
    expect(lines.at(-1)).toContain('theta1=+0.000');
  });
});
