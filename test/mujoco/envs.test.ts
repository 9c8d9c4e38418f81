/**
 * MuJoCo tasks: spaces, observation layout, reward terms at known states, termination, seeded
 * determinism, checkEnv, registration.
 */
import { describe, expect, it } from 'vitest';
import { InvalidActionError, InvalidArgumentError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { checkEnv } from '../../src/envs/checker.js';
import { make, spec } from '../../src/envs/registration.js';
import { loadMujocoEnvs } from './helpers.js';

const mj = await loadMujocoEnvs();

describe.skipIf(mj === null)('InvertedPendulum-v5', () => {
  it('has Gymnasium spaces, registration and dt', () => {
    const env = new mj!.InvertedPendulumEnv();
    expect(env.observationSpace.shape).toEqual([4]);
    expect(env.observationSpace.dtype).toBe('float64');
    expect(env.actionSpace.shape).toEqual([1]);
    expect(Array.from((env.actionSpace as Box).low)).toEqual([-3]);
    expect(Array.from((env.actionSpace as Box).high)).toEqual([3]);
    expect(env.dt).toBeCloseTo(0.04, 12);
    expect(env.model.nq).toBe(2);
    expect(spec('InvertedPendulum-v5').maxEpisodeSteps).toBe(1000);
    expect(spec('InvertedPendulum-v5').rewardThreshold).toBe(950);
    env.close();
  });

  it('observes [qpos, qvel]; reset noise is within ±0.01', () => {
    const env = new mj!.InvertedPendulumEnv();
    const [obs] = env.reset({ seed: 3 });
    expect(Array.from(obs)).toEqual([...env.qpos, ...env.qvel]);
    for (const x of obs) expect(Math.abs(x)).toBeLessThanOrEqual(0.01);
    expect(obs.some((x) => x !== 0)).toBe(true);
    env.setState([0.5, -0.1], [0.25, 2]);
    expect(Array.from(env.stateVector())).toEqual([0.5, -0.1, 0.25, 2]);
    env.close();
  });

  it('rewards 1 while |angle| <= 0.2 and terminates beyond', () => {
    const env = new mj!.InvertedPendulumEnv();
    env.reset({ seed: 0 });
    env.setState([0, 0], [0, 0]);
    let [obs, reward, terminated, truncated, info] = env.step(new Float32Array([0]));
    expect([reward, terminated, truncated]).toEqual([1, false, false]);
    expect(info).toEqual({ reward_survive: 1 });
    // The pole's tip is offset 1 mm in x (as in Gymnasium), so "upright" drifts slowly but measurably.
    expect(Math.abs(obs[1]!)).toBeLessThan(1e-3);
    expect(Math.abs(obs[1]!)).toBeGreaterThan(1e-7);
    env.setState([0, 0.3], [0, 0]);
    [obs, reward, terminated, , info] = env.step(new Float32Array([0]));
    expect(obs[1]!).toBeGreaterThan(0.2);
    expect([reward, terminated]).toEqual([0, true]);
    expect(info).toEqual({ reward_survive: 0 });
    env.close();
  });

  it('pushing the cart right tilts the pole back (physics sanity)', () => {
    const env = new mj!.InvertedPendulumEnv();
    env.reset({ seed: 0 });
    env.setState([0, 0], [0, 0]);
    const [obs] = env.step(new Float32Array([3]));
    expect(obs[2]!).toBeGreaterThan(0); // cart velocity
    expect(obs[3]!).toBeLessThan(0); // pole rotates backwards about +y
    env.close();
  });

  it('is deterministic under a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const env = new mj!.InvertedPendulumEnv();
      const out: number[] = [...env.reset({ seed })[0]];
      for (let t = 0; t < 20; t++) out.push(...env.step(new Float32Array([Math.sin(t)]))[0]);
      env.close();
      return out;
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('passes checkEnv and works through make()', () => {
    const env = new mj!.InvertedPendulumEnv();
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
    const made = make('InvertedPendulum-v5');
    made.reset({ seed: 1 });
    expect(made.step(new Float32Array([0.5]))[0]).toBeInstanceOf(Float64Array);
    made.close();
  });
});

describe.skipIf(mj === null)('HalfCheetah-v5', () => {
  it('has Gymnasium spaces, gears, mass and registration', () => {
    const env = new mj!.HalfCheetahEnv();
    expect(env.observationSpace.shape).toEqual([17]);
    expect(env.actionSpace.shape).toEqual([6]);
    expect(Array.from((env.actionSpace as Box).low)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(Array.from((env.actionSpace as Box).high)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(env.dt).toBeCloseTo(0.05, 12);
    const m = env.model;
    expect([m.nq, m.nv, m.nu, m.nbody]).toEqual([9, 9, 6, 8]);
    const gear = m.actuator_gear as Float64Array;
    expect([0, 1, 2, 3, 4, 5].map((i) => gear[6 * i])).toEqual([120, 90, 60, 120, 60, 30]);
    const mass = Array.from(m.body_mass as Float64Array).reduce((a, b) => a + b, 0);
    expect(mass).toBeCloseTo(14, 9);
    expect(Array.from(env.initQpos)).toEqual(new Array(9).fill(0));
    expect(spec('HalfCheetah-v5').maxEpisodeSteps).toBe(1000);
    expect(spec('HalfCheetah-v5').rewardThreshold).toBe(4800);
    const full = new mj!.HalfCheetahEnv({ excludeCurrentPositionsFromObservation: false });
    expect(full.observationSpace.shape).toEqual([18]);
    env.close();
    full.close();
  });

  it('observes qpos[1:] then qvel (all of qpos when asked)', () => {
    const env = new mj!.HalfCheetahEnv();
    const full = new mj!.HalfCheetahEnv({ excludeCurrentPositionsFromObservation: false });
    env.reset({ seed: 0 });
    full.reset({ seed: 0 });
    const qpos = Array.from({ length: 9 }, (_, i) => 0.01 * (i + 1));
    const qvel = Array.from({ length: 9 }, (_, i) => -0.1 * (i + 1));
    env.setState(qpos, qvel);
    full.setState(qpos, qvel);
    const obs = env.step(new Float32Array(6))[0];
    const obsFull = full.step(new Float32Array(6))[0];
    expect(Array.from(obs)).toEqual([...env.qpos.subarray(1), ...env.qvel]);
    expect(Array.from(obsFull)).toEqual([...full.qpos, ...full.qvel]);
    expect(Array.from(obsFull.subarray(1))).toEqual(Array.from(obs));
    env.close();
    full.close();
  });

  it('reward = forward velocity − 0.1 Σa², terms in info', () => {
    const env = new mj!.HalfCheetahEnv();
    env.reset({ seed: 5 });
    const action = new Float32Array([0.5, -1, 0.25, 1, -0.75, 0.1]);
    const x0 = env.qpos[0]!;
    const [, reward, terminated, truncated, info] = env.step(action);
    const x1 = env.qpos[0]!;
    const ctrl = 0.1 * Array.from(action).reduce((s, a) => s + a * a, 0);
    expect(info.x_position).toBe(x1);
    expect(info.x_velocity).toBeCloseTo((x1 - x0) / 0.05, 12);
    expect(info.reward_forward).toBe(info.x_velocity);
    expect(info.reward_ctrl).toBeCloseTo(-ctrl, 12);
    expect(reward).toBeCloseTo((info.reward_forward as number) - ctrl, 12);
    expect([terminated, truncated]).toEqual([false, false]);
    const weighted = new mj!.HalfCheetahEnv({ forwardRewardWeight: 2, ctrlCostWeight: 0 });
    weighted.reset({ seed: 5 });
    const [, r2, , , info2] = weighted.step(action);
    expect(info2.reward_forward).toBeCloseTo(2 * (info.x_velocity as number), 12);
    expect(r2).toBe(info2.reward_forward);
    env.close();
    weighted.close();
  });

  it('falls onto the floor and rests there with zero action (contacts work)', () => {
    const env = new mj!.HalfCheetahEnv({ resetNoiseScale: 0 });
    env.reset({ seed: 0 });
    for (let t = 0; t < 100; t++) env.step(new Float32Array(6));
    const z = env.qpos[1]!; // rootz, relative to the torso's 0.7 m start height
    expect(z).toBeLessThan(0);
    expect(z).toBeGreaterThan(-0.7);
    expect(Math.abs(env.qvel[0]!)).toBeLessThan(0.05);
    const forces = env.contactForces();
    expect(forces.length).toBe(6 * env.model.nbody);
    const vertical = Array.from({ length: env.model.nbody }, (_, b) => forces[6 * b + 5]!).reduce((a, b) => a + b, 0);
    expect(vertical).toBeCloseTo(14 * 9.81, 0); // contacts carry the weight at rest
    env.close();
  });

  it('reset noise: qpos uniform ±0.1, qvel 0.1·N(0,1); seeded', () => {
    const env = new mj!.HalfCheetahEnv({ excludeCurrentPositionsFromObservation: false });
    let maxQpos = 0;
    let sumSq = 0;
    let n = 0;
    for (let k = 0; k < 200; k++) {
      const [obs] = env.reset({ seed: k });
      for (let i = 0; i < 9; i++) maxQpos = Math.max(maxQpos, Math.abs(obs[i]!));
      for (let i = 9; i < 18; i++) {
        sumSq += obs[i]! * obs[i]!;
        n++;
      }
    }
    expect(maxQpos).toBeLessThanOrEqual(0.1);
    expect(maxQpos).toBeGreaterThan(0.09);
    expect(Math.sqrt(sumSq / n)).toBeGreaterThan(0.09);
    expect(Math.sqrt(sumSq / n)).toBeLessThan(0.11);
    const a = Array.from(env.reset({ seed: 42 })[0]);
    expect(Array.from(env.reset({ seed: 42 })[0])).toEqual(a);
    env.close();
  });

  it('passes checkEnv', () => {
    const env = new mj!.HalfCheetahEnv();
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
  });

  it('rejects bad actions and options with typed errors; clamps finite out-of-range actions', () => {
    const env = new mj!.HalfCheetahEnv();
    env.reset({ seed: 0 });
    expect(() => env.step(new Float32Array(5))).toThrow(InvalidActionError);
    expect(() => env.step(new Float32Array([0, 0, NaN, 0, 0, 0]))).toThrow(/action\[2\]/);
    const [, , , , info] = env.step(new Float32Array([5, 0, 0, 0, 0, 0]));
    expect((env.data.ctrl as Float64Array)[0]).toBe(5); // MuJoCo clamps ctrl internally (ctrllimited)
    expect(info.reward_ctrl).toBeCloseTo(-2.5, 12); // the cost uses the action as given, as in Gymnasium
    expect(() => new mj!.HalfCheetahEnv({ ctrlCostWeight: NaN })).toThrow(InvalidArgumentError);
    expect(() => new mj!.HalfCheetahEnv({ frameSkip: 0 })).toThrow(/frameSkip/);
    expect(() => new mj!.HalfCheetahEnv({ bogus: 1 } as never)).toThrow(/bogus/);
    env.close();
  });
});
