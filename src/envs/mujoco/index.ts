/**
 * MuJoCo environments (Gymnasium's MuJoCo v5 tasks on the official WebAssembly build). Importing this
 * module registers the ids and starts loading the wasm module (once per thread); `await ready` before the
 * first `make()`. Worker threads of async vector envs import it through each spec's `module` and await
 * `ready` themselves. (No top-level await: workers running from TypeScript sources load it as CommonJS.)
 */
import { register, registry } from '../registration.js';
import { HalfCheetahEnv, type HalfCheetahOptions } from './half-cheetah.js';
import { HopperEnv, type HopperOptions } from './hopper.js';
import { InvertedPendulumEnv, type InvertedPendulumOptions } from './inverted-pendulum.js';
import { Walker2dEnv, type Walker2dOptions } from './walker2d.js';
import { loadMujoco, type MujocoModule } from './module.js';

export { HalfCheetahEnv, type HalfCheetahOptions } from './half-cheetah.js';
export { HopperEnv, type HopperOptions } from './hopper.js';
export { InvertedPendulumEnv, type InvertedPendulumOptions } from './inverted-pendulum.js';
export { PlanarWalkerEnv, type PlanarWalkerOptions } from './planar-walker.js';
export { Walker2dEnv, type Walker2dOptions } from './walker2d.js';
export { MujocoEnv, type DynamicsRandomization, type MujocoEnvOptions, type MujocoObjectKind } from './mujoco-env.js';
export { compileMjcf, getMujoco, isMujocoLoaded, loadMujoco, wasmMemoryBytes, type MujocoModule } from './module.js';

/** Resolves once the wasm module is loaded in this thread; rejects (typed error) if mujoco-js is missing. */
export const ready: Promise<MujocoModule> = loadMujoco();
// Keep a missing package from becoming an unhandled rejection at import; awaiting `ready` still throws.
ready.catch(() => {});

const here = import.meta.url;

function registerOnce(options: Parameters<typeof register>[0]): void {
  if (!registry.has(options.id)) register(options);
}

registerOnce({
  id: 'InvertedPendulum-v5',
  entryPoint: (kwargs) => new InvertedPendulumEnv(kwargs as InvertedPendulumOptions),
  module: here,
  maxEpisodeSteps: 1000,
  rewardThreshold: 950.0,
  description: 'MuJoCo: keep a hinged pole upright by pushing its cart along a rail.',
});

registerOnce({
  id: 'HalfCheetah-v5',
  entryPoint: (kwargs) => new HalfCheetahEnv(kwargs as HalfCheetahOptions),
  module: here,
  maxEpisodeSteps: 1000,
  rewardThreshold: 4800.0,
  description: 'MuJoCo: make a planar two-legged cheetah run forward.',
});

registerOnce({
  id: 'Hopper-v5',
  entryPoint: (kwargs) => new HopperEnv(kwargs as HopperOptions),
  module: here,
  maxEpisodeSteps: 1000,
  rewardThreshold: 3800.0,
  description: 'MuJoCo: make a one-legged planar hopper hop forward without falling.',
});

registerOnce({
  id: 'Walker2d-v5',
  entryPoint: (kwargs) => new Walker2dEnv(kwargs as Walker2dOptions),
  module: here,
  maxEpisodeSteps: 1000,
  description: 'MuJoCo: make a planar biped walk forward without falling.',
});
