/**
 * PPO presets. `zoo`: RL-Baselines3-Zoo's tuned hyper-parameters, from `hyperparams/ppo.yml` in
 * github.com/DLR-RM/rl-baselines3-zoo, translated key by key to camelCase. `totalTimesteps` is the file's
 * `n_timesteps`. Where the file sets `use_sde: True` (Pendulum-v1, MountainCarContinuous-v0) Teleo has no
 * gSDE yet and uses the plain state-independent Gaussian; the other values are kept.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { closeMatches } from '../../core/options.js';
import type { PPOConfigInput } from './config.js';

export interface PPOPreset {
  config: PPOConfigInput;
  totalTimesteps: number;
}

export const PPO_PRESETS: Record<string, Record<string, PPOPreset>> = {
  zoo: {
    'CartPole-v1': {
      totalTimesteps: 1e5,
      config: {
        nEnvs: 8,
        nSteps: 32,
        batchSize: 256,
        gaeLambda: 0.8,
        gamma: 0.98,
        nEpochs: 20,
        entCoef: 0.0,
        learningRate: 'lin_0.001',
        clipRange: 'lin_0.2',
      },
    },
    'Acrobot-v1': {
      totalTimesteps: 1e6,
      config: { normalize: true, nEnvs: 16, nSteps: 256, gaeLambda: 0.94, gamma: 0.99, nEpochs: 4, entCoef: 0.0 },
    },
    'Pendulum-v1': {
      totalTimesteps: 1e5,
      config: { nEnvs: 4, nSteps: 1024, gaeLambda: 0.95, gamma: 0.9, nEpochs: 10, entCoef: 0.0, learningRate: 1e-3, clipRange: 0.2 },
    },
    'MountainCarContinuous-v0': {
      totalTimesteps: 20000,
      config: {
        normalize: true,
        nEnvs: 1,
        batchSize: 256,
        nSteps: 8,
        gamma: 0.9999,
        learningRate: 7.77e-5,
        entCoef: 0.00429,
        clipRange: 0.1,
        nEpochs: 10,
        gaeLambda: 0.9,
        maxGradNorm: 5,
        vfCoef: 0.19,
        policyKwargs: { logStdInit: -3.29, orthoInit: false },
      },
    },
  },
};

/** The preset `name` for `envId`; `InvalidArgumentError` naming what exists otherwise. */
export function ppoPreset(name: string, envId: string): PPOPreset {
  const family = PPO_PRESETS[name];
  if (family === undefined) {
    const names = Object.keys(PPO_PRESETS);
    const close = closeMatches(name, names);
    throw new InvalidArgumentError(`Unknown PPO preset '${name}' (presets: ${names.join(', ')})${close.length > 0 ? `; did you mean '${close[0]}'?` : ''}`);
  }
  const preset = family[envId];
  if (preset === undefined) {
    throw new InvalidArgumentError(`PPO preset '${name}' has no entry for '${envId}' (it covers ${Object.keys(family).join(', ')})`);
  }
  return { totalTimesteps: preset.totalTimesteps, config: structuredClone(preset.config) };
}
