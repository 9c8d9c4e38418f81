import { describe, expect, it } from 'vitest';
import { InvalidActionError, InvalidArgumentError, ResetNeededError, UnknownOptionError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { ContinuousMountainCarEnv } from '../../src/envs/classic/index.js';
import { make, spec } from '../../src/envs/registration.js';
import { columnRanges, float32 } from './helpers.js';

const f32 = Math.fround;
const POWER = 0.0015;

/**
 * Velocity change for a float32 force in [-1, 1], as numpy evaluates Gymnasium's
 * `force * power - 0.0025 * cos(3 * position)`: a float32 scalar combined with a Python float stays
 * float32, so the product and the difference are rounded to float32.
 */
function velocityChange(force: number, cosArgument: number): number {
  return f32(f32(f32(force) * f32(POWER)) - f32(0.0025 * Math.cos(cosArgument)));
}

describe('ContinuousMountainCarEnv', () => {
  it('has Gymnasium spaces, metadata and registration', () => {
    const env = new ContinuousMountainCarEnv();
    const act = env.actionSpace as Box;
    expect([act.dtype, act.shape, Array.from(act.low), Array.from(act.high)]).toEqual(['float32', [1], [-1], [1]]);
    const obs = env.observationSpace as Box;
    expect(Array.from(obs.low)).toEqual(Array.from(float32([-1.2, -0.07])));
    expect(Array.from(obs.high)).toEqual(Array.from(float32([0.6, 0.07])));
    expect(env.goalPosition).toBe(0.45);
    expect(spec('MountainCarContinuous-v0')).toMatchObject({ maxEpisodeSteps: 999, rewardThreshold: 90 });
  });

  it('resets position uniformly in [-0.6, -0.4) with zero velocity, with { low, high } options', () => {
    const env = new ContinuousMountainCarEnv();
    const states: Float64Array[] = [];
    for (let seed = 0; seed < 200; seed++) {
      env.reset({ seed });
      states.push(env.state!.slice());
    }
    const { min, max } = columnRanges(states);
    expect([min[1], max[1]]).toEqual([0, 0]);
    expect(min[0]! >= -0.6 && min[0]! < -0.58).toBe(true);
    expect(max[0]! < -0.4 && max[0]! > -0.42).toBe(true);
    expect(new ContinuousMountainCarEnv().reset({ seed: 3 })[0]).toEqual(new ContinuousMountainCarEnv().reset({ seed: 3 })[0]);
    env.reset({ options: { low: -0.25, high: -0.25 } });
    expect(Array.from(env.state!)).toEqual([-0.25, 0]);
    expect(() => env.reset({ options: { high: -0.7 } })).toThrow(InvalidArgumentError); // default low -0.6 > -0.7
  });

  it('follows the equations for three steps, storing the state as float32 after each step', () => {
    const env = new ContinuousMountainCarEnv();
    env.reset({ seed: 0 });
    env.state = [-0.5, 0.01];
    // First step from the float64 state.
    let velocity = 0.01 + velocityChange(0.3, 3 * -0.5);
    let position = -0.5 + velocity;
    let [obs, reward, terminated, truncated, info] = env.step(Float32Array.of(0.3));
    expect(Array.from(env.state!)).toEqual([f32(position), f32(velocity)]);
    expect(Array.from(obs)).toEqual([f32(position), f32(velocity)]);
    expect(reward).toBe(-(f32(0.3) ** 2) * 0.1);
    expect([terminated, truncated, info]).toEqual([false, false, {}]);
    // Later steps: float32 state, so the sums and 3·position are float32 as well.
    for (const force of [-0.8, 1.0]) {
      position = f32(position);
      velocity = f32(f32(velocity) + velocityChange(force, f32(3 * position)));
      position = f32(position + velocity);
      [obs, reward] = env.step(Float32Array.of(force));
      expect(Array.from(env.state!)).toEqual([position, velocity]);
      expect(Array.from(obs)).toEqual([position, velocity]);
      expect(reward).toBe(-(f32(force) ** 2) * 0.1);
    }
  });

  it('clips the force but charges the unclipped action, as Gymnasium does', () => {
    const env = new ContinuousMountainCarEnv();
    env.reset({ seed: 0 });
    env.state = [-0.5, 0];
    const [clippedObs, clippedReward] = env.step(Float32Array.of(3));
    env.state = [-0.5, 0];
    const [fullObs, fullReward] = env.step(Float32Array.of(1));
    expect(Array.from(clippedObs)).toEqual(Array.from(fullObs));
    expect(clippedReward).toBeCloseTo(-0.9, 12);
    expect(fullReward).toBeCloseTo(-0.1, 12);
    env.state = [-0.5, 0];
    env.step(-50 as never);
    // A clipped force is a Python float, so this velocity is computed in float64, then stored as float32.
    expect(env.state![1]).toBe(f32(-POWER - 0.0025 * Math.cos(-1.5)));
  });

  it('clips speed and position, stops at the left wall, and pays 100 at the goal', () => {
    const env = new ContinuousMountainCarEnv();
    env.reset({ seed: 0 });
    env.state = [-0.52, 0.0695];
    env.step(Float32Array.of(1));
    expect(env.state![1]).toBe(f32(0.07));
    env.state = [-1.19, -0.06];
    env.step(Float32Array.of(-1));
    expect(Array.from(env.state!)).toEqual([f32(-1.2), 0]);
    env.state = [0.59, 0.06];
    const [obs, reward, terminated] = env.step(Float32Array.of(0.5));
    expect(obs[0]).toBe(f32(0.6));
    expect(terminated).toBe(true);
    expect(reward).toBeCloseTo(100 - 0.025, 12);
    // The terminating step: position crosses 0.45 with positive velocity.
    env.state = [0.43, 0.02];
    const [, goalReward, goalTerminated] = env.step(Float32Array.of(0.5));
    expect(env.state![0]).toBeGreaterThan(0.45);
    expect([goalTerminated, goalReward]).toEqual([true, 100 - f32(0.5) ** 2 * 0.1]);
    env.state = [0.40, 0.02];
    expect(env.step(Float32Array.of(0.5)).slice(1, 3)).toEqual([-0.025, false]);

    const picky = new ContinuousMountainCarEnv({ goalVelocity: 0.05 });
    picky.reset({ seed: 0 });
    picky.state = [0.43, 0.02];
    expect(picky.step(Float32Array.of(0.5)).slice(1, 3)).toEqual([-0.025, false]);
  });

  it('is truncated by make at 999 steps', () => {
    const env = make('MountainCarContinuous-v0');
    env.reset({ seed: 1 });
    for (let t = 1; t <= 999; t++) {
      const [, , terminated, truncated] = env.step(Float32Array.of(0));
      expect(terminated).toBe(false);
      expect(truncated).toBe(t === 999);
    }
  });

  it('rejects invalid actions, stepping before reset and unknown options with typed errors', () => {
    const env = new ContinuousMountainCarEnv();
    expect(() => env.step(Float32Array.of(0))).toThrow(ResetNeededError);
    env.reset({ seed: 0 });
    for (const bad of [Float32Array.of(NaN), [0, 0], new Float64Array(0), 'go', null, {}]) {
      expect(() => env.step(bad as never)).toThrow(InvalidActionError);
    }
    expect(() => new ContinuousMountainCarEnv({ goal_velocity: 0 } as never)).toThrow(UnknownOptionError);
    expect(() => new ContinuousMountainCarEnv({ goalVelocity: NaN })).toThrow(InvalidArgumentError);
  });

  it('renders the track in ansi mode', () => {
    const env = new ContinuousMountainCarEnv({ renderMode: 'ansi' });
    env.reset({ seed: 0 });
    env.state = [0.6, 0];
    const track = env.render()!.split('\n')[0]!;
    expect(track.indexOf('C')).toBe(track.length - 2); // far right
    expect(track).toContain('F');
  });
});
