/**
 * DQN configuration: SB3's `DQN(...)` keyword arguments in camelCase with SB3's defaults (lr 1e-4, buffer
 * 1e6, learningStarts 100, batch 32, τ 1, γ 0.99, trainFreq 4, gradientSteps 1, targetUpdateInterval 1e4,
 * ε from 1 to 0.05 over the first 10% of training, maxGradNorm 10, MLP [64, 64]). `doubleQ` (not in SB3)
 * picks the next action with the online network (van Hasselt et al. 2016).
 */
import { z } from 'zod';
import { offPolicyFields, parseOffPolicyConfig } from '../off-policy/config.js';

export const dqnConfigSchema = z
  .object({
    ...offPolicyFields({ learningRate: 1e-4, bufferSize: 1_000_000, learningStarts: 100, batchSize: 32, tau: 1, gamma: 0.99, trainFreq: 4, gradientSteps: 1, netArch: [64, 64] }),
    /** Env steps between target-network updates (divided by nEnvs, as SB3). */
    targetUpdateInterval: z.number().int().positive().default(10_000),
    explorationFraction: z.number().min(0).max(1).default(0.1),
    explorationInitialEps: z.number().min(0).max(1).default(1),
    explorationFinalEps: z.number().min(0).max(1).default(0.05),
    maxGradNorm: z.number().positive().default(10),
    doubleQ: z.boolean().default(false),
  })
  .strict();

export type DQNConfigInput = z.input<typeof dqnConfigSchema>;
export type DQNConfig = z.output<typeof dqnConfigSchema>;

export function parseDQNConfig(input: unknown): DQNConfig {
  return parseOffPolicyConfig('DQN', dqnConfigSchema, input);
}

/** RL-Zoo's tuned DQN hyperparameters (`hyperparams/dqn.yml`) with their training budget. */
export const DQN_ZOO_PRESETS: Record<string, { totalTimesteps: number; config: DQNConfigInput }> = {
  'CartPole-v1': {
    totalTimesteps: 50_000,
    config: {
      learningRate: 2.3e-3,
      batchSize: 64,
      bufferSize: 100_000,
      learningStarts: 1000,
      gamma: 0.99,
      targetUpdateInterval: 10,
      trainFreq: 256,
      gradientSteps: 128,
      explorationFraction: 0.16,
      explorationFinalEps: 0.04,
      policyKwargs: { netArch: [256, 256] },
    },
  },
};

/** ε at the given remaining progress (1 → 0): linear from initial to final over the first `fraction`, then final. */
export function linearEpsilon(progressRemaining: number, initial: number, final: number, fraction: number): number {
  const done = 1 - progressRemaining;
  if (fraction === 0 || done > fraction) return final;
  return initial + (done * (final - initial)) / fraction;
}
