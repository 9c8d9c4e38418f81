/**
 * MujocoEnv base: invalid MJCF, unstable simulation, name lookups, domain randomisation, close(),
 * wasm memory over many resets and env lifetimes, and async/sync vector envs.
 */
import { describe, expect, it } from 'vitest';
import {
  ClosedEnvironmentError,
  InvalidArgumentError,
  NumericalError,
  ResetNeededError,
} from '../../src/core/errors.js';
import { makeVec } from '../../src/envs/vector/make-vec.js';
import { loadMujocoEnvs } from './helpers.js';

const mj = await loadMujocoEnvs();

describe.skipIf(mj === null)('MujocoEnv base', () => {
  it('invalid MJCF → InvalidArgumentError with the parser message', () => {
    expect(() => mj!.compileMjcf('<mujoco><worldbody><body><joint type="bogus"/></body></worldbody></mujoco>', 'T')).toThrow(
      /invalid MJCF.*invalid keyword: 'bogus'/s,
    );
    expect(() => mj!.compileMjcf('<mujoco><actuator><motor joint="nope"/></actuator></mujoco>', 'T')).toThrow(
      /unknown transmission target 'nope'/,
    );
    expect(() => mj!.compileMjcf('   ', 'T')).toThrow(InvalidArgumentError);
    // The module is still usable after a parse failure.
    const m = mj!.compileMjcf('<mujoco><worldbody><body><joint/><geom size="0.1"/></body></worldbody></mujoco>', 'T');
    expect(m.nq).toBe(1);
    m.delete();
  });

  it('a simulation gone unstable → NumericalError, then reset is required', () => {
    const env = new mj!.HalfCheetahEnv();
    env.reset({ seed: 0 });
    (env.data.qvel as Float64Array)[3] = 1e300;
    expect(() => env.step(new Float32Array(6))).toThrow(NumericalError);
    expect(() => env.step(new Float32Array(6))).toThrow(ResetNeededError);
    // Mid-episode too (detected from MuJoCo's rewound clock).
    env.reset({ seed: 0 });
    for (let t = 0; t < 3; t++) env.step(new Float32Array(6));
    (env.data.qpos as Float64Array)[4] = 1e12;
    expect(() => env.step(new Float32Array(6))).toThrow(/unstable/);
    const [obs] = env.reset({ seed: 0 });
    expect(obs.every(Number.isFinite)).toBe(true);
    expect(() => env.setState(new Array(9).fill(0), [NaN, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow(/qvel\[0\]/);
    expect(() => env.setState([0], [0])).toThrow(/length 9/);
    env.close();
  });

  it('stepping before reset → ResetNeededError', () => {
    const env = new mj!.InvertedPendulumEnv();
    expect(() => env.step(new Float32Array(1))).toThrow(ResetNeededError);
    env.close();
  });

  it('looks bodies, geoms and joints up by name, suggesting close matches', () => {
    const env = new mj!.HalfCheetahEnv();
    env.reset({ seed: 0 });
    expect(env.nameToId('body', 'torso')).toBe(1);
    expect(env.nameToId('joint', 'rootz')).toBe(1);
    expect(env.nameToId('geom', 'floor')).toBe(0);
    expect(env.nameToId('actuator', 'ffoot')).toBe(5);
    expect(() => env.nameToId('body', 'torsoo')).toThrow(/no body named "torsoo" \(did you mean "torso"/);
    const torso = env.bodyPosition('torso');
    expect(torso[2]).toBeCloseTo(0.7 + env.qpos[1]!, 9);
    expect(env.geomPosition('head').length).toBe(3);
    env.close();
  });

  it('domain randomisation: setters, seeded per-reset draws, resetDynamics', () => {
    const env = new mj!.HalfCheetahEnv({
      dynamicsRandomization: { gravityScale: [0.5, 1.5], frictionScale: [0.5, 2], massScale: [0.8, 1.2] },
    });
    const draw = (seed: number) => {
      env.reset({ seed });
      return [...(env.model.body_mass as Float64Array), (env.model.opt.gravity as Float64Array)[2]!, (env.model.geom_friction as Float64Array)[0]!];
    };
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    expect(draw(2)).not.toEqual(a);
    expect(a[a.length - 2]!).toBeGreaterThanOrEqual(-9.81 * 1.5);
    expect(a[a.length - 2]!).toBeLessThanOrEqual(-9.81 * 0.5);
    env.resetDynamics();
    const total = Array.from(env.model.body_mass as Float64Array).reduce((s, m) => s + m, 0);
    expect(total).toBeCloseTo(14, 9);
    env.setGravity([0, 0, -1.62]);
    expect(Array.from(env.model.opt.gravity as Float64Array)).toEqual([0, 0, -1.62]);
    env.setBodyMass('torso', 10);
    expect((env.model.body_mass as Float64Array)[1]).toBe(10);
    env.setGeomFriction('floor', [0.9, 0.1, 0.1]);
    expect((env.model.geom_friction as Float64Array)[0]).toBe(0.9);
    // Lower gravity: a dropped cheetah takes longer to land.
    const fall = (g: number) => {
      const e = new mj!.HalfCheetahEnv({ resetNoiseScale: 0 });
      e.setGravity([0, 0, g]);
      e.reset({ seed: 0 });
      e.step(new Float32Array(6));
      const z = e.qpos[1]!;
      e.close();
      return z;
    };
    expect(fall(-1.62)).toBeGreaterThan(fall(-9.81));
    expect(() => new mj!.HalfCheetahEnv({ dynamicsRandomization: { massScale: [2, 1] } })).toThrow(/massScale/);
    expect(() => new mj!.HalfCheetahEnv({ dynamicsRandomization: { windScale: [1, 2] } as never })).toThrow(/windScale/);
    expect(() => env.setBodyMass('torso', -1)).toThrow(InvalidArgumentError);
    env.close();
  });

  it('close() frees the model; later use → ClosedEnvironmentError; idempotent', () => {
    const env = new mj!.InvertedPendulumEnv();
    env.reset({ seed: 0 });
    env.close();
    env.close();
    expect(env.closed).toBe(true);
    expect(() => env.step(new Float32Array(1))).toThrow(ClosedEnvironmentError);
    expect(() => env.reset()).toThrow(ClosedEnvironmentError);
  });

  it('wasm memory stays flat over 10k resets and 300 env lifetimes', () => {
    const env = new mj!.HalfCheetahEnv({ dynamicsRandomization: { massScale: [0.9, 1.1] } });
    env.reset({ seed: 0 });
    for (let i = 0; i < 200; i++) env.reset();
    const before = mj!.wasmMemoryBytes();
    for (let i = 0; i < 10_000; i++) {
      env.reset();
      env.step(new Float32Array(6));
    }
    for (let i = 0; i < 300; i++) {
      const e = new mj!.InvertedPendulumEnv();
      e.reset({ seed: i });
      e.step(new Float32Array(1));
      e.close();
    }
    expect(mj!.wasmMemoryBytes()).toBe(before);
    env.close();
  }, 60_000);
});

describe.skipIf(mj === null)('MuJoCo envs in vector envs', () => {
  it('async matches sync step for step (workers load the wasm module themselves)', () => {
    const actions = Array.from({ length: 15 }, (_, t) => {
      const a = new Float32Array(12);
      for (let i = 0; i < 12; i++) a[i] = Math.sin(t + i);
      return a;
    });
    const run = (mode: 'sync' | 'async') => {
      const envs = makeVec('HalfCheetah-v5', { numEnvs: 2, vectorizationMode: mode });
      const out: number[] = [...(envs.reset({ seed: 7 })[0] as Float64Array)];
      for (const a of actions) {
        const [obs, reward] = envs.step(a);
        out.push(...(obs as Float64Array), ...(reward as Float64Array));
      }
      envs.close();
      return out;
    };
    const sync = run('sync');
    expect(sync.length).toBe(2 * 17 * 16 + 2 * 15);
    expect(run('async')).toEqual(sync);
  }, 60_000);
});
