/**
 * Hopper-v5 and Walker2d-v5: spaces, model masses, observation layout (clipped velocities), reward terms,
 * healthy-range termination, seeded determinism, checkEnv.
 */
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/envs/checker.js';
import { spec } from '../../src/envs/registration.js';
import { loadMujocoEnvs } from './helpers.js';

const mj = await loadMujocoEnvs();

/** Mass of a capsule of radius r and half-length h at density 1000 (MuJoCo's default). */
const capsule = (r: number, h: number) => 1000 * (Math.PI * r * r * 2 * h + (4 / 3) * Math.PI * r ** 3);

const cases = [
  {
    id: 'Hopper-v5',
    make: (o = {}) => new mj!.HopperEnv(o),
    nq: 6,
    nu: 3,
    obs: 11,
    threshold: 3800 as number | null,
    mass: capsule(0.05, 0.2) + capsule(0.05, 0.225) + capsule(0.04, 0.25) + capsule(0.06, 0.195),
    zMin: 0.7,
    angleMax: 0.2,
  },
  {
    id: 'Walker2d-v5',
    make: (o = {}) => new mj!.Walker2dEnv(o),
    nq: 9,
    nu: 6,
    obs: 17,
    threshold: null,
    mass: capsule(0.05, 0.2) + 2 * (capsule(0.05, 0.225) + capsule(0.04, 0.25) + capsule(0.06, 0.1)),
    zMin: 0.8,
    angleMax: 1.0,
  },
];

describe.skipIf(mj === null).each(cases)('$id', (c) => {
  it('has Gymnasium spaces, masses and registration', () => {
    const env = c.make();
    expect(env.observationSpace.shape).toEqual([c.obs]);
    expect(env.actionSpace.shape).toEqual([c.nu]);
    expect([env.model.nq, env.model.nv, env.model.nu]).toEqual([c.nq, c.nq, c.nu]);
    expect(env.dt).toBeCloseTo(0.008, 12);
    const mass = Array.from(env.model.body_mass as Float64Array).reduce((a, b) => a + b, 0);
    expect(mass).toBeCloseTo(c.mass, 9);
    expect(env.initQpos[1]).toBe(1.25); // rootz ref: qpos[1] is the torso height
    expect(spec(c.id).maxEpisodeSteps).toBe(1000);
    expect(spec(c.id).rewardThreshold).toBe(c.threshold);
    expect(c.make({ excludeCurrentPositionsFromObservation: false }).observationSpace.shape).toEqual([c.obs + 1]);
    env.close();
  });

  it('observes qpos[1:] then qvel clipped to ±10; reset info', () => {
    const env = c.make();
    const [obs0, info0] = env.reset({ seed: 1 });
    expect(info0.x_position).toBe(env.qpos[0]);
    expect(info0.z_distance_from_origin).toBeCloseTo(env.qpos[1]! - 1.25, 15);
    for (let i = 0; i < c.nq; i++) expect(Math.abs(obs0[c.nq - 1 + i]!)).toBeLessThanOrEqual(5e-3);
    const qpos = Array.from(env.initQpos);
    const qvel = new Array(c.nq).fill(0);
    qvel[0] = 30;
    qvel[3] = -12;
    env.setState(qpos, qvel);
    const obs = env.step(new Float32Array(c.nu))[0];
    const v = env.qvel;
    expect(Array.from(obs.subarray(0, c.nq - 1))).toEqual(Array.from(env.qpos.subarray(1)));
    expect(Array.from(obs.subarray(c.nq - 1))).toEqual(Array.from(v, (x) => Math.max(-10, Math.min(10, x))));
    expect(obs[c.nq - 1]).toBe(10); // rootx velocity still > 10 after one step
    env.close();
  });

  it('reward = forward + healthy − 1e-3 Σa², with Gymnasium info keys', () => {
    const env = c.make();
    env.reset({ seed: 2 });
    const action = new Float32Array(c.nu).map((_, i) => (i % 2 ? 0.5 : -0.75));
    const x0 = env.qpos[0]!;
    const [, reward, terminated, , info] = env.step(action);
    const ctrl = 1e-3 * Array.from(action).reduce((s, a) => s + a * a, 0);
    expect(info.x_velocity).toBeCloseTo((env.qpos[0]! - x0) / 0.008, 10);
    expect(info.reward_forward).toBe(info.x_velocity);
    expect(info.reward_survive).toBe(1);
    expect(info.reward_ctrl).toBeCloseTo(-ctrl, 15);
    expect(reward).toBeCloseTo((info.x_velocity as number) + 1 - ctrl, 12);
    expect(terminated).toBe(false);
    env.close();
  });

  it('terminates when the torso is too low or tilted; optional', () => {
    const env = c.make();
    env.reset({ seed: 0 });
    const low = Array.from(env.initQpos);
    low[1] = c.zMin - 0.2;
    env.setState(low, new Array(c.nq).fill(0));
    let [, reward, terminated, , info] = env.step(new Float32Array(c.nu));
    expect(terminated).toBe(true);
    expect(info.reward_survive).toBe(0);
    expect(reward).toBeCloseTo(info.reward_forward as number, 12);
    const tilted = Array.from(env.initQpos);
    tilted[2] = c.angleMax + 0.1;
    env.setState(tilted, new Array(c.nq).fill(0));
    [, , terminated] = env.step(new Float32Array(c.nu));
    expect(terminated).toBe(true);
    const lenient = c.make({ terminateWhenUnhealthy: false });
    lenient.reset({ seed: 0 });
    lenient.setState(low, new Array(c.nq).fill(0));
    [, , terminated, , info] = lenient.step(new Float32Array(c.nu));
    expect(terminated).toBe(false);
    expect(info.reward_survive).toBe(0);
    env.close();
    lenient.close();
  });

  it('is deterministic under a seed; passes checkEnv', () => {
    const run = (seed: number) => {
      const env = c.make();
      const out: number[] = [...env.reset({ seed })[0]];
      for (let t = 0; t < 10; t++) out.push(...env.step(new Float32Array(c.nu).fill(Math.cos(t)))[0]);
      env.close();
      return out;
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
    const env = c.make();
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
  });
});

describe.skipIf(mj === null)('Hopper-v5 state range', () => {
  it('a state entry beyond ±100 is unhealthy even though the observation is clipped', () => {
    const env = new mj!.HopperEnv({ healthyAngleRange: [-10, 10], healthyZRange: [-Infinity, Infinity] });
    env.reset({ seed: 0 });
    const qvel = [0, 0, 500, 0, 0, 0]; // spin the torso (rooty has no damping or limit)
    env.setState(Array.from(env.initQpos), qvel);
    const [obs, , terminated] = env.step(new Float32Array(3));
    expect(Math.abs(obs[5 + 2]!)).toBe(10);
    expect(Math.abs(env.qvel[2]!)).toBeGreaterThan(100);
    expect(terminated).toBe(true);
    const wide = new mj!.HopperEnv({ healthyAngleRange: [-10, 10], healthyZRange: [-Infinity, Infinity], healthyStateRange: [-1e6, 1e6] });
    wide.reset({ seed: 0 });
    wide.setState(Array.from(wide.initQpos), qvel);
    expect(wide.step(new Float32Array(3))[2]).toBe(false);
    wide.close();
    expect(() => new mj!.HopperEnv({ healthyStateRange: [1, 0] })).toThrow(/healthyStateRange/);
    env.close();
  });
});
