/**
 * InvertedDoublePendulum-v5, Swimmer-v5 and Reacher-v5: spaces, observation layout, reward terms at known
 * states, termination, seeded determinism, checkEnv.
 */
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/envs/checker.js';
import { spec } from '../../src/envs/registration.js';
import { loadMujocoEnvs } from './helpers.js';

const mj = await loadMujocoEnvs();

describe.skipIf(mj === null)('InvertedDoublePendulum-v5', () => {
  it('spaces, registration, tip at 1.2 m when upright', () => {
    const env = new mj!.InvertedDoublePendulumEnv();
    expect(env.observationSpace.shape).toEqual([9]);
    expect(env.actionSpace.shape).toEqual([1]);
    expect(env.dt).toBeCloseTo(0.05, 12);
    expect(spec('InvertedDoublePendulum-v5').rewardThreshold).toBe(9100);
    env.reset({ seed: 0 });
    env.setState([0.3, 0, 0], [0, 0, 0]);
    const tip = env.tipPosition();
    expect(tip[0]).toBeCloseTo(0.3, 12);
    expect(tip[2]).toBeCloseTo(1.2, 12);
    env.close();
  });

  it('observation layout and reward terms at a known state', () => {
    const env = new mj!.InvertedDoublePendulumEnv();
    env.reset({ seed: 0 });
    env.setState([0.1, 0.2, -0.3], [0.5, 20, -1]);
    const [obs, reward, terminated, , info] = env.step(new Float32Array([0.25]));
    const q = env.qpos;
    const v = env.qvel;
    const clip = (x: number) => Math.max(-10, Math.min(10, x));
    const frc = (env.data.qfrc_constraint as Float64Array)[0]!;
    expect(Array.from(obs)).toEqual([q[0], Math.sin(q[1]!), Math.sin(q[2]!), Math.cos(q[1]!), Math.cos(q[2]!), clip(v[0]!), clip(v[1]!), clip(v[2]!), clip(frc)]);
    const [x, , y] = env.tipPosition();
    expect(terminated).toBe(y! <= 1);
    const dist = 0.01 * x! * x! + (y! - 2) ** 2;
    const vel = 1e-3 * v[1]! ** 2 + 5e-3 * v[2]! ** 2;
    expect(info.distance_penalty).toBeCloseTo(-dist, 12);
    expect(info.velocity_penalty).toBeCloseTo(-vel, 12);
    expect(info.reward_survive).toBe(terminated ? 0 : 10);
    expect(reward).toBeCloseTo((info.reward_survive as number) - dist - vel, 12);
    env.close();
  });

  it('terminates when the tip drops to 1 m', () => {
    const env = new mj!.InvertedDoublePendulumEnv();
    env.reset({ seed: 0 });
    env.setState([0, 1.2, 0], [0, 0, 0]); // tip height 1.2 cos(1.2) ≈ 0.43
    const [, reward, terminated, , info] = env.step(new Float32Array([0]));
    expect(terminated).toBe(true);
    expect(info.reward_survive).toBe(0);
    expect(reward).toBeLessThan(0);
    env.close();
  });

  it('deterministic under a seed; checkEnv', () => {
    const run = (seed: number) => {
      const env = new mj!.InvertedDoublePendulumEnv();
      const out = [...env.reset({ seed })[0]];
      for (let t = 0; t < 5; t++) out.push(...env.step(new Float32Array([0.1 * t]))[0]);
      env.close();
      return out;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    const env = new mj!.InvertedDoublePendulumEnv();
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
  });
});

describe.skipIf(mj === null)('Swimmer-v5', () => {
  it('spaces, layout, reward terms', () => {
    const env = new mj!.SwimmerEnv();
    expect(env.observationSpace.shape).toEqual([8]);
    expect(env.actionSpace.shape).toEqual([2]);
    expect(env.dt).toBeCloseTo(0.04, 12);
    expect(new mj!.SwimmerEnv({ excludeCurrentPositionsFromObservation: false }).observationSpace.shape).toEqual([10]);
    expect(spec('Swimmer-v5').rewardThreshold).toBe(360);
    const [, info0] = env.reset({ seed: 3 });
    expect(info0.distance_from_origin).toBeCloseTo(Math.hypot(env.qpos[0]!, env.qpos[1]!), 15);
    const x0 = env.qpos[0]!;
    const y0 = env.qpos[1]!;
    const a = new Float32Array([0.8, -0.6]);
    const [obs, reward, terminated, , info] = env.step(a);
    expect(Array.from(obs)).toEqual([...env.qpos.subarray(2), ...env.qvel]);
    expect(info.x_velocity).toBeCloseTo((env.qpos[0]! - x0) / 0.04, 10);
    expect(info.y_velocity).toBeCloseTo((env.qpos[1]! - y0) / 0.04, 10);
    const ctrl = 1e-4 * (0.8 ** 2 + 0.6 ** 2);
    expect(info.reward_ctrl).toBeCloseTo(-ctrl, 9);
    expect(reward).toBeCloseTo((info.x_velocity as number) - ctrl, 9);
    expect(terminated).toBe(false);
    env.close();
  });

  it('an undulating gait swims forward through the fluid (viscosity works)', () => {
    const env = new mj!.SwimmerEnv({ resetNoiseScale: 0 });
    env.reset({ seed: 0 });
    let ret = 0;
    for (let t = 0; t < 300; t++) {
      const phase = 2 * Math.PI * t * env.dt;
      ret += env.step(new Float32Array([Math.sin(phase), Math.sin(phase - Math.PI / 2)]))[1];
    }
    const still = new mj!.SwimmerEnv({ resetNoiseScale: 0 });
    still.reset({ seed: 0 });
    for (let t = 0; t < 300; t++) still.step(new Float32Array(2));
    expect(Math.abs(env.qpos[0]!) + Math.abs(env.qpos[1]!)).toBeGreaterThan(0.1);
    expect(Math.abs(still.qpos[0]!)).toBeLessThan(1e-9);
    expect(Number.isFinite(ret)).toBe(true);
    env.close();
    still.close();
  });

  it('deterministic; checkEnv', () => {
    const env = new mj!.SwimmerEnv();
    const a = Array.from(env.reset({ seed: 9 })[0]);
    expect(Array.from(env.reset({ seed: 9 })[0])).toEqual(a);
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
  });
});

describe.skipIf(mj === null)('Reacher-v5', () => {
  it('spaces, registration, goal in the disc, target at rest', () => {
    const env = new mj!.ReacherEnv();
    expect(env.observationSpace.shape).toEqual([10]);
    expect(env.actionSpace.shape).toEqual([2]);
    expect(env.dt).toBeCloseTo(0.02, 12);
    expect(spec('Reacher-v5').maxEpisodeSteps).toBe(50);
    expect(spec('Reacher-v5').rewardThreshold).toBe(-3.75);
    for (let s = 0; s < 50; s++) {
      const [obs] = env.reset({ seed: s });
      expect(Math.hypot(env.goal[0]!, env.goal[1]!)).toBeLessThan(0.2);
      expect([obs[4], obs[5]]).toEqual([env.goal[0], env.goal[1]]);
      expect([env.qvel[2], env.qvel[3]]).toEqual([0, 0]);
      expect(Math.abs(env.qpos[0]!)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(env.qvel[0]!)).toBeLessThanOrEqual(0.005);
    }
    env.close();
  });

  it('observation layout and reward terms at a known state (fingertip geometry)', () => {
    const env = new mj!.ReacherEnv();
    env.reset({ seed: 0 });
    const [t0, t1, gx, gy] = [0.4, -0.7, 0.05, -0.12];
    env.setState([t0, t1, gx, gy], [0, 0, 0, 0]);
    // Fingertip of the 0.1 m + 0.11 m arm at angles t0, t0 + t1 (planar forward kinematics).
    const fx = 0.1 * Math.cos(t0) + 0.11 * Math.cos(t0 + t1);
    const fy = 0.1 * Math.sin(t0) + 0.11 * Math.sin(t0 + t1);
    const d = env.fingertipToTarget();
    expect(d[0]).toBeCloseTo(fx - gx, 12);
    expect(d[1]).toBeCloseTo(fy - gy, 12);
    expect(d[2]).toBeCloseTo(0, 12);
    const a = new Float32Array([0.5, -0.25]);
    const [obs, reward, terminated, , info] = env.step(a);
    const q = env.qpos;
    const v = env.qvel;
    const dd = env.fingertipToTarget();
    expect(Array.from(obs)).toEqual([Math.cos(q[0]!), Math.cos(q[1]!), Math.sin(q[0]!), Math.sin(q[1]!), q[2], q[3], v[0], v[1], dd[0], dd[1]]);
    expect(info.reward_dist).toBeCloseTo(-Math.hypot(...dd), 12);
    expect(info.reward_ctrl).toBeCloseTo(-(0.25 + 0.0625), 12);
    expect(reward).toBeCloseTo((info.reward_dist as number) + (info.reward_ctrl as number), 12);
    expect(terminated).toBe(false);
    env.close();
  });

  it('deterministic; checkEnv', () => {
    const env = new mj!.ReacherEnv();
    const a = Array.from(env.reset({ seed: 9 })[0]);
    expect(Array.from(env.reset({ seed: 9 })[0])).toEqual(a);
    expect(Array.from(env.reset({ seed: 10 })[0])).not.toEqual(a);
    expect(() => checkEnv(env)).not.toThrow();
    env.close();
  });
});
