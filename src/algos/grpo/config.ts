/**
 * GRPO trainer configuration: one typed object covering GRPO, Dr.GRPO, DAPO and DCPO. Option names follow
 * TRL's `GRPOConfig` in camelCase where TRL has the option (`numGenerations`, `learningRate`, `beta`,
 * `epsilon`, `epsilonHigh`, `lossType`, `scaleRewards`, `numIterations`, `temperature`, `topK`, `topP`,
 * `maxCompletionLength`, `maxGradNorm`, `maskTruncatedCompletions`, `adamBeta1/2`, `adamEpsilon`); the
 * rest are Teleo's names for what TRL lacks (verl's advantage estimator incl. DCPO's SAS, the DCPO clip
 * rule, dual-clip c, dynamic sampling, overlong shaping, the fixed prompt pool, evaluation). Validated by a
 * strict zod schema: a bad or unknown key raises `InvalidArgumentError` naming the key.
 *
 * Defaults and where they come from:
 *  - numGenerations 8: TRL's default (and the tiny-setting suggestion of the seed notes).
 *  - promptsPerStep 16, miniBatchPrompts 4: the notes' tiny setting (16–32 prompts per step); several
 *    mini-batch updates per rollout batch as in verl (`ppo_mini_batch_size` < train batch), so later
 *    mini-batches are off-policy and the clip rules matter even with `numIterations` 1.
 *  - numIterations 1: TRL's default (μ) and verl's `ppo_epochs`.
 *  - learningRate 1e-4: the notes' RL range for tiny models (TRL's 1e-6 is for billion-parameter LLMs).
 *    warmupSteps 0: TRL's default (the presets use verl's 10, see presets.ts).
 *  - maxGradNorm 1.0: TRL's (TrainingArguments) and verl's `grad_clip` default.
 *  - beta 0: TRL's default (no reference model unless asked).
 *  - epsilon 0.2, epsilonHigh = epsilon: TRL's defaults. dualClipC null: off (TRL has none).
 *  - lossType 'token-mean': TRL's default `loss_type='dapo'` is this aggregation.
 *  - scaleRewards 'group', advantageEstimator 'grpo': TRL's and verl's defaults; sasMerge 'per-group':
 *    DCPO's released `compute_dcpo_outcome_advantage` (each visit's group weighs as one unit).
 *  - temperature 1, topP 1, topK null (off): TRL's defaults.
 *  - dynamicSampling false; filterGroupsMetric 'acc', maxGenerationBatches 10: verl's DAPO recipe.
 *  - overlongPenaltyFactor 1.0: the DAPO recipe; the buffer is off by default.
 *  - evalProblems 128 (greedy accuracy's standard error ≈ 4 points at 40 %), evalSamples 4, passAtK [1, 4].
 *  - promptPoolSize 512, problemSeed 0: a fixed training pool, the same for every seed like a fixed dataset,
 *    revisited every 32 steps at 16 prompts per step — the ratio of DCPO's runs (DAPO-Math-17k at 512
 *    prompts per step), so DCPO's SAS sees each prompt again; a much smaller pool is memorised (training
 *    reward rises while held-out accuracy falls).
 */
import { parseConfigObject } from '../../core/config-schema.js';
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/errors.js';

/** Loss aggregations (verl's `loss_agg_mode` names; 'group-token-mean-sum' is DCPO's only-token-mean). */
export const LOSS_AGGREGATIONS = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum', 'seq-mean-token-sum-norm', 'group-token-mean-sum'] as const;
export type LossAggregationName = (typeof LOSS_AGGREGATIONS)[number];

/** TRL's `loss_type` names (and DCPO's), mapped to the aggregation they mean. */
export const LOSS_TYPE_ALIASES: Readonly<Record<string, LossAggregationName>> = {
  grpo: 'seq-mean-token-mean',
  dr_grpo: 'seq-mean-token-sum-norm',
  dapo: 'token-mean',
  dcpo: 'group-token-mean-sum',
  'only-token-mean': 'group-token-mean-sum',
};

const positiveInt = () => z.number().int().positive();

export const grpoConfigSchema = z
  .object({
    /** G: responses sampled per prompt. */
    numGenerations: positiveInt().min(2).default(8),
    /** Prompts (groups) per training step. */
    promptsPerStep: positiveInt().default(16),
    /** Prompts (whole groups) per gradient update; a step makes ceil(promptsPerStep / this) updates per iteration. */
    miniBatchPrompts: positiveInt().default(4),
    /** PPO epochs over each rollout batch (TRL's μ). */
    numIterations: positiveInt().default(1),
    /** Size of the fixed training prompt pool drawn from the task's train split. */
    promptPoolSize: positiveInt().default(512),
    /** Seed of the training pool and held-out problems (the same for every run seed). */
    problemSeed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
    /** Difficulty passed to the task's generator (default: the task's own). */
    taskDifficulty: z.number().finite().nullable().default(null),
    /** Most tokens generated per response (EOS included); null: the task's longest correct answer + EOS + 25 % slack, within the context. */
    maxCompletionLength: positiveInt().nullable().default(null),
    temperature: z.number().positive().finite().default(1),
    topK: positiveInt().nullable().default(null),
    topP: z.number().gt(0).max(1).default(1),
    learningRate: z.number().nonnegative().finite().default(1e-4),
    /** Linear learning-rate warm-up over the first this many optimizer updates (0: none). */
    warmupSteps: z.number().int().nonnegative().default(0),
    adamBeta1: z.number().min(0).lt(1).default(0.9),
    adamBeta2: z.number().min(0).lt(1).default(0.999),
    adamEpsilon: z.number().positive().finite().default(1e-8),
    maxGradNorm: z.number().positive().finite().nullable().default(1),
    /** KL coefficient to the frozen initial policy (k3 estimator); 0: no reference model. */
    beta: z.number().nonnegative().finite().default(0),
    /** Lower clip ε (and the upper one unless `epsilonHigh`). */
    epsilon: z.number().positive().finite().default(0.2),
    epsilonHigh: z.number().positive().finite().nullable().default(null),
    /** 'symmetric' | 'decoupled' (clip-higher) | 'dcpo-dynamic' (bounds from each token's old probability); null: decoupled when epsilonHigh ≠ epsilon. */
    clipType: z.enum(['symmetric', 'decoupled', 'dcpo-dynamic']).nullable().default(null),
    /** Dual-clip constant c for negative advantages (verl's `clip_ratio_c`); null: off. */
    dualClipC: z.number().gt(1).finite().nullable().default(null),
    /** Loss aggregation: a verl `loss_agg_mode` name or a TRL `loss_type` alias ('grpo', 'dr_grpo', 'dapo', 'dcpo'). */
    lossType: z.string().default('token-mean'),
    /** 'group': divide by the group's std (GRPO); 'none': mean-only (Dr.GRPO). */
    scaleRewards: z.enum(['group', 'none']).default('group'),
    /** 'grpo': per-step group statistics; 'dcpo': DCPO's smooth advantage standardisation across steps. */
    advantageEstimator: z.enum(['grpo', 'dcpo']).default('grpo'),
    /** How SAS merges a visit into a prompt's running statistics: 'per-group' (DCPO's released code) or 'pooled' (exact pooled statistics). */
    sasMerge: z.enum(['per-group', 'pooled']).default('per-group'),
    /** DAPO dynamic sampling: drop groups whose metric is the same for all G responses and generate more. */
    dynamicSampling: z.boolean().default(false),
    filterGroupsMetric: z.enum(['acc', 'reward']).default('acc'),
    /** Most generation batches per step under dynamic sampling (then the step trains on what it has). */
    maxGenerationBatches: positiveInt().default(10),
    /** DAPO soft overlong buffer in tokens; 'auto': the slack between the task's longest correct answer and maxCompletionLength; null: off. */
    overlongBufferLength: z.union([positiveInt(), z.literal('auto')]).nullable().default(null),
    overlongPenaltyFactor: z.number().nonnegative().finite().default(1),
    /** Leave responses cut at maxCompletionLength out of the loss (TRL). */
    maskTruncatedCompletions: z.boolean().default(false),
    /** Held-out evaluation every this many steps (0: never); also at the start and end of learn(). */
    evalInterval: z.number().int().nonnegative().default(10),
    evalProblems: positiveInt().default(128),
    /** Samples per held-out problem for pass@k. */
    evalSamples: positiveInt().default(4),
    passAtK: z.array(positiveInt()).nonempty().default([1, 4]),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();

export type GRPOConfigInput = z.input<typeof grpoConfigSchema>;
/** The validated config; `lossType` is resolved to a verl aggregation name and `clipType` is set. */
export type GRPOConfig = Omit<z.output<typeof grpoConfigSchema>, 'lossType' | 'clipType' | 'epsilonHigh'> & {
  epsilonHigh: number;
  lossType: LossAggregationName;
  clipType: 'symmetric' | 'decoupled' | 'dcpo-dynamic';
};

function fail(key: string, message: string): never {
  throw new InvalidArgumentError(`GRPO config: '${key}': ${message}`);
}

/** Validates a user config (unknown keys rejected), fills the defaults and resolves aliases. */
export function parseGRPOConfig(input: unknown): GRPOConfig {
  const raw = parseConfigObject('GRPO', grpoConfigSchema, input);
  const lossType = (LOSS_AGGREGATIONS as readonly string[]).includes(raw.lossType)
    ? (raw.lossType as LossAggregationName)
    : LOSS_TYPE_ALIASES[raw.lossType];
  if (lossType === undefined) {
    fail('lossType', `unknown loss type '${raw.lossType}' (accepted: ${[...LOSS_AGGREGATIONS, ...Object.keys(LOSS_TYPE_ALIASES)].join(', ')})`);
  }
  const epsilonHigh = raw.epsilonHigh ?? raw.epsilon;
  const clipType = raw.clipType ?? (epsilonHigh === raw.epsilon ? 'symmetric' : 'decoupled');
  if (clipType === 'symmetric' && epsilonHigh !== raw.epsilon) {
    fail('clipType', `'symmetric' clipping uses one ε, but epsilon is ${raw.epsilon} and epsilonHigh ${epsilonHigh} (use 'decoupled')`);
  }
  if (clipType !== 'dcpo-dynamic' && raw.epsilon >= 1) fail('epsilon', `must be below 1 for ratio clipping, got ${raw.epsilon}`);
  if (raw.advantageEstimator === 'dcpo' && raw.scaleRewards === 'none') {
    fail('scaleRewards', "DCPO's smooth advantage standardisation divides by the std: use scaleRewards 'group' with advantageEstimator 'dcpo'");
  }
  if (raw.miniBatchPrompts > raw.promptsPerStep) {
    fail('miniBatchPrompts', `is ${raw.miniBatchPrompts}, more than promptsPerStep (${raw.promptsPerStep})`);
  }
  if (raw.promptsPerStep > raw.promptPoolSize) {
    fail('promptsPerStep', `is ${raw.promptsPerStep}, more than the prompt pool (promptPoolSize ${raw.promptPoolSize})`);
  }
  const tooBig = raw.passAtK.find((k) => k > raw.evalSamples);
  if (tooBig !== undefined) fail('passAtK', `k = ${tooBig} needs at least ${tooBig} samples per problem (evalSamples is ${raw.evalSamples})`);
  return { ...raw, epsilonHigh, lossType, clipType };
}

/** A JSON-safe copy (for checkpoints and run headers). */
export function grpoConfigToJSON(config: GRPOConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}
