/**
 * Classic control environments (Gymnasium's `gymnasium.envs.classic_control`), registered on import
 * under Gymnasium's ids with Gymnasium's time limits and reward thresholds.
 */
import { register, registry } from '../registration.js';
import { AcrobotEnv, type AcrobotOptions } from './acrobot.js';
import { CartPoleEnv, type CartPoleOptions } from './cartpole.js';
import { ContinuousMountainCarEnv, type ContinuousMountainCarOptions } from './continuous-mountain-car.js';
import { MountainCarEnv, type MountainCarOptions } from './mountain-car.js';
import { PendulumEnv, type PendulumOptions } from './pendulum.js';

export { AcrobotEnv, type AcrobotDynamics, type AcrobotOptions } from './acrobot.js';
export { CartPoleEnv, type CartPoleKinematics, type CartPoleOptions } from './cartpole.js';
export { ContinuousMountainCarEnv, type ContinuousMountainCarOptions } from './continuous-mountain-car.js';
export { MountainCarEnv, type MountainCarOptions } from './mountain-car.js';
export { PendulumEnv, type PendulumOptions } from './pendulum.js';

const here = import.meta.url;

/** Registers an id unless it is already registered (this module may be loaded more than once). */
function registerOnce(options: Parameters<typeof register>[0]): void {
  if (!registry.has(options.id)) register(options);
}

registerOnce({
  id: 'CartPole-v0',
  entryPoint: (kwargs) => new CartPoleEnv(kwargs as CartPoleOptions),
  module: here,
  maxEpisodeSteps: 200,
  rewardThreshold: 195.0,
  description: 'Balance a pole on a moving cart (200-step episodes).',
});

registerOnce({
  id: 'CartPole-v1',
  entryPoint: (kwargs) => new CartPoleEnv(kwargs as CartPoleOptions),
  module: here,
  maxEpisodeSteps: 500,
  rewardThreshold: 475.0,
  description: 'Balance a pole on a moving cart by pushing it left or right.',
});

registerOnce({
  id: 'MountainCar-v0',
  entryPoint: (kwargs) => new MountainCarEnv(kwargs as MountainCarOptions),
  module: here,
  maxEpisodeSteps: 200,
  rewardThreshold: -110.0,
  description: 'Drive an under-powered car up a hill by rocking it (3 discrete pushes).',
});

registerOnce({
  id: 'MountainCarContinuous-v0',
  entryPoint: (kwargs) => new ContinuousMountainCarEnv(kwargs as ContinuousMountainCarOptions),
  module: here,
  maxEpisodeSteps: 999,
  rewardThreshold: 90.0,
  description: 'Drive an under-powered car up a hill with a continuous force.',
});

registerOnce({
  id: 'Pendulum-v1',
  entryPoint: (kwargs) => new PendulumEnv(kwargs as PendulumOptions),
  module: here,
  maxEpisodeSteps: 200,
  description: 'Swing a pendulum up and hold it upright with a continuous torque.',
});

registerOnce({
  id: 'Acrobot-v1',
  entryPoint: (kwargs) => new AcrobotEnv(kwargs as AcrobotOptions),
  module: here,
  maxEpisodeSteps: 500,
  rewardThreshold: -100.0,
  description: 'Swing the tip of a two-link arm above a bar by torquing the middle joint.',
});
