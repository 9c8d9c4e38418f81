/**
 * SFT warm-start configuration: a strict zod schema with documented defaults. Unknown or bad keys raise
 * `InvalidArgumentError` naming the key. With these defaults the default decoder (dModel 64, 2 layers,
 * 4 heads) reaches the 0.4 held-out greedy accuracy target on `addition` (3 digits) after 650–1300 steps,
 * 27–47 s of CPU time (3 seeds, wasm, one thread); the target is deliberately below 1 so that GRPO has
 * headroom.
 */
import { parseConfigObject } from '../../core/config-schema.js';
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/errors.js';

export const sftConfigSchema = z
  .object({
    /** Seeds the model's initialisation, the demonstration stream and the noise. */
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
    /** Decoder size (CausalDecoder's defaults). */
    dModel: z.number().int().positive().default(64),
    nLayers: z.number().int().positive().default(2),
    nHeads: z.number().int().positive().default(4),
    /** Hidden width of each MLP block; null: 4 · dModel. */
    dMlp: z.number().int().positive().nullable().default(null),
    /** Positions the model can attend over; every prompt + response of the task must fit. */
    contextLength: z.number().int().min(4).default(64),
    /** Adam step size (1e-3: the warm-start value suggested in the research notes). */
    learningRate: z.number().finite().positive().default(1e-3),
    /** Linear warm-up of the learning rate over the first steps (0: none). */
    warmupSteps: z.number().int().nonnegative().default(0),
    /** Global gradient-norm clip (null: none). */
    maxGradNorm: z.number().finite().positive().nullable().default(1),
    /** Demonstrations (fresh train-split problems) per step. */
    batchSize: z.number().int().positive().default(32),
    /** Upper bound on optimizer steps. */
    maxSteps: z.number().int().positive().default(3000),
    /** Stop once held-out greedy accuracy reaches this (checked every `evalEvery` steps); null: train to maxSteps. */
    targetAccuracy: z.number().gt(0).max(1).nullable().default(0.4),
    /** Steps between held-out evaluations. */
    evalEvery: z.number().int().positive().default(50),
    /** Held-out (test-split) problems per evaluation; the same problems every time. */
    evalProblems: z.number().int().positive().default(100),
    /** Steps between training-metric records. */
    logEvery: z.number().int().positive().default(10),
    /** Probability that a demonstration has one response token replaced by a random alphabet token. */
    demonstrationNoise: z.number().min(0).max(1).default(0),
    /** Task difficulty passed to `task.problems` (null: the task's default). */
    difficulty: z.number().nullable().default(null),
  })
  .strict();

export type SFTConfigInput = z.input<typeof sftConfigSchema>;
export type SFTConfig = z.output<typeof sftConfigSchema>;

/** Validates `input` (an object of SFTConfig keys, all optional) and fills in the defaults. */
export function parseSFTConfig(input: unknown): SFTConfig {
  const config = parseConfigObject('SFT', sftConfigSchema, input);
  if (config.dModel % config.nHeads !== 0) {
    throw new InvalidArgumentError(`SFT config: 'dModel' (${config.dModel}) must be a multiple of 'nHeads' (${config.nHeads})`);
  }
  return config;
}
