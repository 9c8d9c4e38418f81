/**
 * Collision settings follow Gymnasium's models: in InvertedPendulum, InvertedDoublePendulum, Reacher and
 * Swimmer the geoms' default contype/conaffinity switch contacts off, so the cart slides on its rail without
 * touching it and the swimmer floats above the floor without friction. A random rollout of each therefore
 * creates no contact at all, while a legged task does touch the floor.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { loadMujocoEnvs } from './helpers.js';

const mj = await loadMujocoEnvs();

/** Largest number of simultaneous contacts seen over `steps` random-action steps. */
function maxContacts(id: string, steps: number): number {
  const classes = {
    'InvertedPendulum-v5': mj!.InvertedPendulumEnv,
    'InvertedDoublePendulum-v5': mj!.InvertedDoublePendulumEnv,
    'Reacher-v5': mj!.ReacherEnv,
    'Swimmer-v5': mj!.SwimmerEnv,
    'HalfCheetah-v5': mj!.HalfCheetahEnv,
  } as const;
  const env = new classes[id as keyof typeof classes]();
  const rng = Rng.fromSeed(3);
  env.reset({ seed: 3 });
  let most = 0;
  for (let i = 0; i < steps; i++) {
    const action = Float32Array.from({ length: env.model.nu }, () => rng.uniform(-1, 1));
    const [, , terminated] = env.step(action);
    most = Math.max(most, env.data.ncon);
    if (terminated) env.reset();
  }
  env.close();
  return most;
}

describe.skipIf(mj === null)('MuJoCo collision settings', () => {
  it.each(['InvertedPendulum-v5', 'InvertedDoublePendulum-v5', 'Reacher-v5', 'Swimmer-v5'])('%s has no contacts (as in Gymnasium)', (id) => {
    expect(maxContacts(id, 300)).toBe(0);
  });

  it('the cart of InvertedDoublePendulum keeps Gymnasium geom friction (1, 0.1, 0.1)', () => {
    const env = new mj!.InvertedDoublePendulumEnv();
    const friction = env.model.geom_friction as Float64Array;
    const cart = env.nameToId('geom', 'cart');
    expect(Array.from(friction.subarray(3 * cart, 3 * cart + 3))).toEqual([1, 0.1, 0.1]);
    env.close();
  });

  it('HalfCheetah touches the floor (contacts are on where the task needs them)', () => {
    expect(maxContacts('HalfCheetah-v5', 100)).toBeGreaterThan(0);
  });
});
