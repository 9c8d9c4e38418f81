/**
 * Ant-v5: spaces, model mass, observation layout with clipped contact forces, reward terms (contact cost
 * included), healthy-range termination, seeded determinism, checkEnv.
 */
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/envs/checker.js';
import { spec } from '../../src/envs/registration.js';
import { loadMujocoEnvs } from './helpers.js';

const mj = await loadMujocoEnvs();

const capsule = (r: number, h: number) => 5 * (Math.PI * r * r * 2 * h + (4 / 3) * Math.PI * r ** 3);

describe.skipIf(mj === null)('Ant-v5', () => {
  it('spaces, mass, initial pose, registration', () => {
    const env = new mj!.AntEnv();
    const m = env.model;
    expect([m.nq, m.nv, m.nu, m.nbody]).toEqual([15, 14, 8, 14]);
    expect(env.observationSpace.shape).toEqual([105]);
    expect(env.actionSpace.shape).toEqual([8]);
    expect(env.dt).toBeCloseTo(0.05, 12);
    expect(Array.from(env.initQpos.subarray(0, 7))).toEqual([0, 0, 0.75, 1, 0, 0, 0]);
    const d = Math.SQRT2;
    const legs = 4 * (capsule(0.08, 0.1 * d) + capsule(0.08, 0.1 * d) + capsule(0.08, 0.2 * d));
    const mass = Array.from(m.body_mass as Float64Array).reduce((a, b) => a + b, 0);
    expect(mass).toBeCloseTo(5 * (4 / 3) * Math.PI * 0.25 ** 3 + legs, 9);
    expect(new mj!.AntEnv({ includeCfrcExtInObservation: false }).observationSpace.shape).toEqual([27]);
    expect(new mj!.AntEnv({ excludeCurrentPositionsFromObservation: false }).observationSpace.shape).toEqual([107]);
    expect(spec('Ant-v5').rewardThreshold).toBe(6000);
    env.close();
  });

  it('observation layout: qpos[2:], qvel, clipped cfrc_ext of bodies 1..13', () => {
    const env = new mj!.AntEnv({ resetNoiseScale: 0 });
    env.reset({ seed: 0 });
    let obs = env.step(new Float32Array(8))[0];
    for (let t = 0; t < 20; t++) obs = env.step(new Float32Array(8))[0]; // lands: contacts are active
    const raw = env.data.cfrc_ext as Float64Array;
    expect(Math.max(...Array.from(raw, Math.abs))).toBeGreaterThan(1); // clipping matters
    expect(Array.from(obs.subarray(0, 13))).toEqual(Array.from(env.qpos.subarray(2)));
    expect(Array.from(obs.subarray(13, 27))).toEqual(Array.from(env.qvel));
    expect(Array.from(obs.subarray(27))).toEqual(Array.from(raw.subarray(6), (x) => Math.max(-1, Math.min(1, x))));
    env.close();
  });

  it('reward = forward + healthy − 0.5 Σa² − 5e-4 Σ clip(cfrc_ext)²', () => {
    const env = new mj!.AntEnv();
    env.reset({ seed: 4 });
    for (let t = 0; t < 40; t++) env.step(new Float32Array(8)); // land and settle
    const x0 = (env.data.xpos as Float64Array)[3]!;
    const a = new Float32Array([0.5, -0.5, 0.25, 0, 1, -1, 0.1, 0.3]);
    const [, reward, terminated, , info] = env.step(a);
    const x1 = (env.data.xpos as Float64Array)[3]!;
    const ctrl = 0.5 * Array.from(a).reduce((s, v) => s + v * v, 0);
    const contact = 5e-4 * Array.from(env.data.cfrc_ext as Float64Array).reduce((s, v) => s + Math.max(-1, Math.min(1, v)) ** 2, 0);
    expect(info.x_velocity).toBeCloseTo((x1 - x0) / 0.05, 10);
    expect(info.reward_ctrl).toBeCloseTo(-ctrl, 9);
    expect(info.reward_contact).toBeCloseTo(-contact, 12);
    expect(contact).toBeGreaterThan(0);
    expect(info.reward_survive).toBe(1);
    expect(terminated).toBe(false);
    expect(reward).toBeCloseTo((info.x_velocity as number) + 1 - ctrl - contact, 9);
    env.close();
  });

  it('terminates outside 0.2 ≤ z ≤ 1.0 (optional)', () => {
    const env = new mj!.AntEnv();
    env.reset({ seed: 0 });
    for (const [z, expected] of [[1.3, true], [0.6, false]] as const) {
      const q = Array.from(env.initQpos);
      q[2] = z;
      env.setState(q, new Array(14).fill(0));
      expect(env.step(new Float32Array(8))[2]).toBe(expected);
    }
    const lenient = new mj!.AntEnv({ terminateWhenUnhealthy: false });
    lenient.reset({ seed: 0 });
    const q = Array.from(lenient.initQpos);
    q[2] = 1.3;
    lenient.setState(q, new Array(14).fill(0));
    const [, , terminated, , info] = lenient.step(new Float32Array(8));
    expect(terminated).toBe(false);
    expect(info.reward_survive).toBe(0);
    env.close();
    lenient.close();
  });

  it('deterministic under a seed; checkEnv', () => {
    const run = (seed: number) => {
      const env = new mj!.AntEnv();
      const out = [...env.reset({ seed })[0]];
      for (let t = 0; t < 5; t++) out.push(...env.step(new Float32Array(8).fill(0.3 * Math.sin(t)))[0]);
      env.close();
      return out;
    };
    expect(run(2)).toEqual(run(2));
    expect(run(2)).not.toEqual(run(3));
    const env = new mj!.AntEnv();
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
  });
});
