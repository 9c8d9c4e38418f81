import { describe, expect, it } from 'vitest';
import { InvalidActionError, InvalidArgumentError, ResetNeededError, UnknownOptionError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { Discrete } from '../../src/core/spaces/discrete.js';
import { MountainCarEnv } from '../../src/envs/classic/index.js';
import { make, spec } from '../../src/envs/registration.js';
import { columnRanges, expectAllClose, float32 } from './helpers.js';

/** One step of Moore's mountain car with Gymnasium's constants. */
function mountainCarReference(state: number[], action: number, goalVelocity = 0): { state: number[]; terminated: boolean } {
  const force = 0.001, gravity = 0.0025, minPosition = -1.2, maxPosition = 0.6, maxSpeed = 0.07, goalPosition = 0.5;
  let [position, velocity] = state as [number, number];
  velocity = velocity + (action - 1) * force - Math.cos(3 * position) * gravity;
  velocity = Math.min(Math.max(velocity, -maxSpeed), maxSpeed);
  position = Math.min(Math.max(position + velocity, minPosition), maxPosition);
  if (position === minPosition && velocity < 0) velocity = 0;
  return { state: [position, velocity], terminated: position >= goalPosition && velocity >= goalVelocity };
}

describe('MountainCarEnv', () => {
  it('has Gymnasium spaces, metadata and registration', () => {
    const env = new MountainCarEnv();
    expect((env.actionSpace as Discrete).n).toBe(3);
    const obs = env.observationSpace as Box;
    expect([obs.dtype, obs.shape]).toEqual(['float32', [2]]);
    expect(Array.from(obs.low)).toEqual(Array.from(float32([-1.2, -0.07])));
    expect(Array.from(obs.high)).toEqual(Array.from(float32([0.6, 0.07])));
    expect(env.metadata).toMatchObject({ renderModes: ['ansi'], renderFps: 30 });
    expect(spec('MountainCar-v0')).toMatchObject({ maxEpisodeSteps: 200, rewardThreshold: -110 });
  });

  it('resets position uniformly in [-0.6, -0.4) with zero velocity, deterministically per seed', () => {
    const env = new MountainCarEnv();
    const states: Float64Array[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const [obs] = env.reset({ seed });
      expect(Array.from(obs)).toEqual(Array.from(Float32Array.from(env.state!)));
      states.push(env.state!.slice());
    }
    const { min, max } = columnRanges(states);
    expect([min[1], max[1]]).toEqual([0, 0]);
    expect(min[0]).toBeGreaterThanOrEqual(-0.6);
    expect(max[0]).toBeLessThan(-0.4);
    expect(min[0]).toBeLessThan(-0.58);
    expect(max[0]).toBeGreaterThan(-0.42);
    expect(new MountainCarEnv().reset({ seed: 9 })[0]).toEqual(new MountainCarEnv().reset({ seed: 9 })[0]);
    env.reset({ options: { low: 0.1, high: 0.1 } });
    expect(Array.from(env.state!)).toEqual([0.1, 0]);
    for (let seed = 0; seed < 20; seed++) {
      env.reset({ seed, options: { low: -1.0, high: -0.9 } });
      expect(env.state![0]! >= -1.0 && env.state![0]! < -0.9).toBe(true);
    }
    expect(() => env.reset({ options: { low: 0, high: -0.5 } })).toThrow(InvalidArgumentError);
    expect(() => env.reset({ options: { min: -1 } })).toThrow(UnknownOptionError);
  });

  it('follows the mountain-car equations for three steps', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    let state = [-0.5, 0.01];
    env.state = state;
    for (const action of [2, 0, 1]) {
      const ref = mountainCarReference(state, action);
      state = ref.state;
      const [obs, reward, terminated, truncated, info] = env.step(action);
      expectAllClose(env.state!, state, 1e-15);
      expect(Array.from(obs)).toEqual(Array.from(float32(state)));
      expect([reward, terminated, truncated, info]).toEqual([-1, false, false, {}]);
    }
  });

  it('clips speed, stops at the left wall and terminates at the goal', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    env.state = [-1.19, -0.05];
    env.step(0);
    expect(Array.from(env.state!)).toEqual([-1.2, 0]); // inelastic collision
    env.state = [-0.52, 0.0695]; // near the valley floor, where gravity barely acts
    env.step(2);
    expect(env.state![1]).toBe(0.07);
    env.state = [0.48, 0.02];
    expect(mountainCarReference([0.48, 0.02], 2).terminated).toBe(true);
    expect(env.step(2).slice(1, 4)).toEqual([-1, true, false]);
    env.state = [0.47, 0.02];
    expect(env.step(2)[2]).toBe(mountainCarReference([0.47, 0.02], 2).terminated);

    const picky = new MountainCarEnv({ goalVelocity: 0.05 });
    picky.reset({ seed: 0 });
    picky.state = [0.48, 0.02];
    expect(picky.step(2)[2]).toBe(false);
    picky.state = [0.48, 0.06];
    expect(picky.step(2)[2]).toBe(mountainCarReference([0.48, 0.06], 2, 0.05).terminated);
    expect(picky.goalVelocity).toBe(0.05);
  });

  it('is truncated by make at 200 steps', () => {
    const env = make('MountainCar-v0');
    env.reset({ seed: 4 });
    for (let t = 1; t <= 200; t++) {
      const [, reward, terminated, truncated] = env.step(1);
      expect([reward, terminated, truncated]).toEqual([-1, false, t === 200]);
    }
  });

  it('rejects invalid actions, stepping before reset and unknown options with typed errors', () => {
    const env = new MountainCarEnv();
    expect(() => env.step(1)).toThrow(ResetNeededError);
    env.reset({ seed: 0 });
    for (const bad of [3, -1, 1.5, NaN, '0', [1], null]) expect(() => env.step(bad as never)).toThrow(InvalidActionError);
    expect(() => new MountainCarEnv({ goal_velocity: 0.1 } as never)).toThrow(UnknownOptionError);
    expect(() => new MountainCarEnv({ goalVelocity: 'fast' as never })).toThrow(InvalidArgumentError);
    expect(() => make('MountainCar-v0', { goalvelocity: 0 })).toThrow(UnknownOptionError);
  });

  it('renders the track in ansi mode', () => {
    const env = new MountainCarEnv({ renderMode: 'ansi' });
    env.reset({ seed: 0 });
    env.state = [-1.2, 0];
    const text = env.render()!;
    const track = text.split('\n')[0]!;
    expect(track.indexOf('C')).toBe(1); // far left
    expect(track.indexOf('F')).toBeGreaterThan(track.length * 0.8);
    expect(text).toContain('position=-1.2000');
  });
});
