/**
 * PPO configuration: Stable-Baselines3's `PPO(...)` keyword arguments in camelCase (so RL-Zoo files port
 * key by key), with SB3's defaults, validated by a strict zod schema. A bad or unknown key raises
 * `InvalidArgumentError` naming the key. Schedules (`learningRate`, `clipRange`, `clipRangeVf`) are a
 * number, an RL-Zoo string `'lin_<start>'` (linear from start to 0 over the run), or a function of the
 * remaining progress (1 at the start of `learn`, 0 at the end).
 */
import { parseConfigObject } from '../../core/config-schema.js';
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/errors.js';

export type ScheduleFn = (progressRemaining: number) => number;
export type Schedule = number | string | ScheduleFn;

const scheduleSchema = z.union([
  z.number().finite().nonnegative(),
  z.string().regex(/^lin_[0-9.eE+-]+$/, "a schedule string must look like 'lin_3e-4'"),
  z.custom<ScheduleFn>((v) => typeof v === 'function', 'expected a number, a "lin_<x>" string or a function'),
]);

const policyKwargsSchema = z
  .object({
    /** Hidden sizes shared by actor and critic, or `{ pi, vf }` (SB3's `net_arch=dict(pi=..., vf=...)`). */
    netArch: z
      .union([
        z.array(z.number().int().positive()),
        z.object({ pi: z.array(z.number().int().positive()), vf: z.array(z.number().int().positive()) }).strict(),
      ])
      .default([64, 64]),
    activationFn: z.enum(['tanh', 'relu']).default('tanh'),
    orthoInit: z.boolean().default(true),
    logStdInit: z.number().finite().default(0),
  })
  .strict();

const normalizeKwargsSchema = z
  .object({
    normObs: z.boolean().default(true),
    normReward: z.boolean().default(true),
    clipObs: z.number().positive().default(10),
    clipReward: z.number().positive().default(10),
    /** Discount of the return whose variance scales rewards; default: the PPO `gamma`. */
    gamma: z.number().min(0).max(1).optional(),
    epsilon: z.number().positive().default(1e-8),
  })
  .strict();

export const ppoConfigSchema = z
  .object({
    learningRate: scheduleSchema.default(3e-4),
    nSteps: z.number().int().positive().default(2048),
    batchSize: z.number().int().positive().default(64),
    nEpochs: z.number().int().positive().default(10),
    gamma: z.number().min(0).max(1).default(0.99),
    gaeLambda: z.number().min(0).max(1).default(0.95),
    clipRange: scheduleSchema.default(0.2),
    clipRangeVf: scheduleSchema.nullable().default(null),
    normalizeAdvantage: z.boolean().default(true),
    entCoef: z.number().finite().default(0),
    vfCoef: z.number().finite().nonnegative().default(0.5),
    maxGradNorm: z.number().positive().nullable().default(0.5),
    targetKl: z.number().positive().nullable().default(null),
    /** Parallel sub-environments (RL-Zoo's `n_envs`). */
    nEnvs: z.number().int().positive().default(1),
    /** VecNormalize-style observation and return normalisation (RL-Zoo's `normalize`). */
    normalize: z.boolean().default(false),
    normalizeKwargs: normalizeKwargsSchema.prefault({}),
    policyKwargs: policyKwargsSchema.prefault({}),
    /** Options for `make(envId, ...)` when PPO builds the envs from an id. */
    envKwargs: z.record(z.string(), z.unknown()).default({}),
    /** Episodes in the `rollout/ep_rew_mean` window (SB3's `stats_window_size`). */
    statsWindowSize: z.number().int().positive().default(100),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().default(null),
  })
  .strict();

export type PPOConfigInput = z.input<typeof ppoConfigSchema>;
export type PPOConfig = z.output<typeof ppoConfigSchema>;

/** Validates a user config (unknown keys rejected) and fills SB3's defaults. */
export function parsePPOConfig(input: unknown): PPOConfig {
  return parseConfigObject('PPO', ppoConfigSchema, input);
}

/** A schedule as a function of the remaining progress (1 → 0). */
export function toScheduleFn(schedule: Schedule, key: string): ScheduleFn {
  if (typeof schedule === 'function') return schedule;
  if (typeof schedule === 'number') return () => schedule;
  const start = Number(schedule.slice(4));
  if (!Number.isFinite(start) || start < 0) throw new InvalidArgumentError(`PPO config: '${key}': cannot read the start value of ${JSON.stringify(schedule)}`);
  return (progressRemaining) => progressRemaining * start;
}

/** The config in a JSON-safe form (for checkpoints and run headers); functions cannot be saved. */
export function configToJSON(config: PPOConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = typeof value === 'function' ? '<function>' : value;
  }
  return out;
}
