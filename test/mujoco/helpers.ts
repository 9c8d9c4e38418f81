/**
 * Shared setup for the MuJoCo tests: whether `mujoco-js` can be imported (the tests skip, with a logged
 * reason, when it is not installed) and the loaded MuJoCo env module.
 */
export async function loadMujocoEnvs(): Promise<typeof import('../../src/envs/mujoco/index.js') | null> {
  try {
    await import('mujoco-js');
  } catch (err) {
    console.warn(`MuJoCo tests skipped: the 'mujoco-js' package cannot be imported (${(err as Error).message})`);
    return null;
  }
  const mod = await import('../../src/envs/mujoco/index.js');
  await mod.ready;
  return mod;
}
