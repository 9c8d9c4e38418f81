/**
 * MuJoCo environments (Gymnasium's MuJoCo v5 tasks on the official WebAssembly build). Importing this
 * module registers the ids and starts loading the wasm module (once per thread); `await ready` before the
 * first `make()`. Worker threads of async vector envs import it through each spec's `module` and await
 * `ready` themselves. (No top-level await: workers running from TypeScript sources load it as CommonJS.)
 */
import { register, registry } from '../registration.js';
import { AntEnv, type AntOptions } from './ant.js';
import { HalfCheetahEnv, type HalfCheetahOptions } from './half-cheetah.js';
import { HopperEnv, type HopperOptions } from './hopper.js';
import { InvertedDoublePendulumEnv, type InvertedDoublePendulumOptions } from './inverted-double-pendulum.js';
import { InvertedPendulumEnv, type InvertedPendulumOptions } from './inverted-pendulum.js';
import { ReacherEnv, type ReacherOptions } from './reacher.js';
import { SwimmerEnv, type SwimmerOptions } from './swimmer.js';
import { Walker2dEnv, type Walker2dOptions } from './walker2d.js';
import { loadMujoco, type MujocoModule } from './module.js';

export { AntEnv, type AntOptions } from './ant.js';
export { HalfCheetahEnv, type HalfCheetahOptions } from './half-cheetah.js';
export { HopperEnv, type HopperOptions } from './hopper.js';
export { InvertedDoublePendulumEnv, type InvertedDoublePendulumOptions } from './inverted-double-pendulum.js';
export { InvertedPendulumEnv, type InvertedPendulumOptions } from './inverted-pendulum.js';
export { ReacherEnv, type ReacherOptions } from './reacher.js';
export { SwimmerEnv, type SwimmerOptions } from './swimmer.js';
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

registerOnce({
  id: 'InvertedDoublePendulum-v5',
  entryPoint: (kwargs) => new InvertedDoublePendulumEnv(kwargs as InvertedDoublePendulumOptions),
  module: here,
  maxEpisodeSteps: 1000,
  rewardThreshold: 9100.0,
  description: 'MuJoCo: balance two stacked poles on a cart.',
});

registerOnce({
  id: 'Swimmer-v5',
  entryPoint: (kwargs) => new SwimmerEnv(kwargs as SwimmerOptions),
  module: here,
  maxEpisodeSteps: 1000,
  rewardThreshold: 360.0,
  description: 'MuJoCo: make a three-link swimmer swim forward through a viscous fluid.',
});

registerOnce({
  id: 'Reacher-v5',
  entryPoint: (kwargs) => new ReacherEnv(kwargs as ReacherOptions),
  module: here,
  maxEpisodeSteps: 50,
  rewardThreshold: -3.75,
  description: 'MuJoCo: move a two-link arm\'s fingertip to a random target.',
});

registerOnce({
  id: 'Ant-v5',
  entryPoint: (kwargs) => new AntEnv(kwargs as AntOptions),
  module: here,
  maxEpisodeSteps: 1000,
  rewardThreshold: 6000.0,
  description: 'MuJoCo: make a four-legged ant walk forward without flipping over.',
});
