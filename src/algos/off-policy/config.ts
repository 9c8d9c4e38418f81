/**
 * Configuration shared by the off-policy learners (SAC, TD3, DQN): SB3's keyword arguments in camelCase
 * with a strict zod schema per algorithm built from the common fields here. A bad or unknown key raises
 * `InvalidArgumentError` naming the key and listing the accepted ones.
 */
import { parseConfigObject } from '../../core/config-schema.js';
import { z } from 'zod';

/** Fields every off-policy learner accepts; each algorithm supplies its own SB3 defaults. */
export function offPolicyFields(defaults: {
  learningRate: number;
  bufferSize: number;
  learningStarts: number;
  batchSize: number;
  tau: number;
  gamma: number;
  trainFreq: number;
  gradientSteps: number;
  netArch: number[];
}) {
  return {
    learningRate: z.number().finite().positive().default(defaults.learningRate),
    bufferSize: z.number().int().positive().default(defaults.bufferSize),
    /** Env steps of uniformly random actions before learning starts. */
    learningStarts: z.number().int().nonnegative().default(defaults.learningStarts),
    batchSize: z.number().int().positive().default(defaults.batchSize),
    /** Polyak coefficient of the target networks (1 = hard copy). */
    tau: z.number().min(0).max(1).default(defaults.tau),
    gamma: z.number().min(0).max(1).default(defaults.gamma),
    /** Vector steps between training phases (SB3's `train_freq` in steps). */
    trainFreq: z.number().int().positive().default(defaults.trainFreq),
    /** Gradient steps per training phase; −1: as many as env steps were collected since the last phase. */
    gradientSteps: z.number().int().min(-1).refine((n) => n !== 0, 'must be −1 or positive').default(defaults.gradientSteps),
    /** Steps summed in the replay targets (n-step returns; 1 = SB3). */
    nSteps: z.number().int().positive().default(1),
    nEnvs: z.number().int().positive().default(1),
    policyKwargs: z
      .object({ netArch: z.array(z.number().int().positive()).min(1).default(defaults.netArch) })
      .strict()
      .prefault({}),
    envKwargs: z.record(z.string(), z.unknown()).default({}),
    statsWindowSize: z.number().int().positive().default(100),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().default(null),
  };
}

/** Validates `input` against `schema`, with messages naming the algorithm and the key. */
export function parseOffPolicyConfig<S extends z.ZodObject>(algo: string, schema: S, input: unknown): z.output<S> {
  return parseConfigObject(algo, schema, input);
}
