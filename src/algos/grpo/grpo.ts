/**
 * `GRPOTrainer`: one configurable group-relative policy-optimisation trainer for sequence policies with
 * verifiable rewards (GRPO, Dr.GRPO, DAPO, DCPO through `config` / `presets`). SB3-like use:
 *
 *   const trainer = new GRPOTrainer(model, tokenizer, makeTextTask('addition'), grpoPreset('dcpo'));
 *   await trainer.learn({ steps: 100 });
 *   await trainer.save('runs/grpo/checkpoint');
 *
 * One step: draw `promptsPerStep` prompts from the fixed pool → G samples each (one batched `generate`)
 * → verify + overlong shaping → [dynamic sampling: drop groups whose accuracy (or reward) is the same for
 * all G and generate more, at most `maxGenerationBatches` calls] → advantages (group z-score, mean-only,
 * or DCPO's SAS) → old log-probs (teacher-forced, pre-update weights) and, when β > 0, log-probs of the
 * frozen initial policy → `numIterations` passes of mini-batch updates (`miniBatchPrompts` whole groups
 * each) with `policyLoss` → Adam with global-norm clipping. Each step dumps one metrics record
 * (SB3-style keys, see `STEP_METRICS`); held-out greedy accuracy and pass@k are added every `evalInterval`
 * steps. Checkpoints hold the policy + tokenizer, the reference policy (β > 0), Adam's state, the SAS
 * statistics, the pool order and the generator state, so a resumed run continues exactly.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptFileError, InvalidArgumentError, InvalidStateError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import type { TextProblem, TextTask } from '../../envs/text/index.js';
import { Adam } from '../../nn/optim/adam.js';
import { decodeSafetensors, encodeSafetensors } from '../../nn/safetensors.js';
import { adamStateFromTensors, adamStateToTensors } from '../../nn/serialize.js';
import { CausalDecoder, loadSequenceModel, saveSequenceModel, type Tokenizer } from '../../nn/transformer/index.js';
import { readCheckpointJson, writeCheckpointDir } from '../../train/checkpoint.js';
import { MetricsLogger, type MetricRecord } from '../../train/logger.js';
import { evaluateSequencePolicy, type SequenceEvalResult } from '../../train/sequence-eval.js';
import { assertPromptFits, assertTokenizerMatchesTask, encodePrompt, packSequences } from '../sequence/encoding.js';
import { loadSequencePolicyForTask, RUN_MODEL_STEM } from '../sequence/checkpoint.js';
import { groupAdvantages, SmoothAdvantageStandardizer } from './advantages.js';
import { grpoConfigToJSON, parseGRPOConfig, type GRPOConfig, type GRPOConfigInput } from './config.js';
import { policyLoss, type ClipRule, type PolicyLossConfig } from './policy-loss.js';
import { PromptPool, sampleGroups, type PoolItem, type RolloutGroup, type SamplingSettings } from './rollout.js';
import { DynamicBatchFiller, responseUtilisation, zeroVarianceGroups } from './sampling.js';

export const GRPO_CHECKPOINT_FORMAT = 'teleo-grpo-trainer';
const CHECKPOINT_VERSION = 1;
const TRAINER_FILE = 'trainer.json';
const OPTIMIZER_FILE = 'optimizer.safetensors';
const REFERENCE_STEM = 'reference';
/** Seed offset of the evaluation generator (independent of the training stream, the same at every evaluation). */
const EVAL_SEED_OFFSET = 1_000_003;

/** The keys every training step records (evaluation keys come every `evalInterval` steps). */
export const STEP_METRICS = [
  'rollout/reward_mean',
  'rollout/accuracy',
  'rollout/response_length',
  'rollout/truncated_frac',
  'rollout/flag_frac',
  'rollout/overlong_penalty_mean',
  'rollout/generation_calls',
  'rollout/generated_groups',
  'rollout/zero_adv_group_frac',
  'rollout/nonzero_adv_group_frac',
  'rollout/response_utilisation',
  'rollout/tokens_per_s',
  'train/groups',
  'train/response_utilisation',
  'train/advantage_abs_mean',
  'train/clip_frac',
  'train/clip_frac_low',
  'train/clip_frac_high',
  'train/dual_clip_frac',
  'train/approx_kl',
  'train/ratio_mean',
  'train/kl_ref',
  'train/entropy',
  'train/loss',
  'train/grad_norm',
  'train/updates',
  'train/tokens_per_s',
  'train/learning_rate',
  'time/step_seconds',
  'time/generation_calls_total',
] as const;

export interface GRPOTrainerOptions {
  /** Where step records go (default: in memory only). */
  logger?: MetricsLogger;
}

export interface GRPOLearnOptions {
  /** Training steps to run now. */
  steps: number;
  /** Called with each dumped record (after the step's metrics and any evaluation). */
  onStep?: (record: MetricRecord, trainer: GRPOTrainer) => void;
}

/** Token-weighted running sums of the loss statistics over a step's mini-batches. */
interface StatsAccumulator {
  tokens: number;
  clip: number;
  clipLow: number;
  clipHigh: number;
  dualClip: number;
  approxKl: number;
  klToRef: number;
  ratioMean: number;
  loss: number;
  gradNorm: number;
  updates: number;
}

function resolveLengths(config: GRPOConfig, task: TextTask, contextLength: number, longestPrompt: number): { maxCompletionLength: number; overlongBufferLength: number | null } {
  const room = contextLength - longestPrompt;
  const correct = task.maxResponseLength + 1; // the longest correct answer and its EOS
  const slack = Math.max(2, Math.ceil(0.25 * correct));
  const maxCompletionLength = config.maxCompletionLength ?? Math.min(correct + slack, room);
  if (maxCompletionLength < 1) {
    throw new InvalidArgumentError(`GRPO: the longest prompt (${longestPrompt} tokens) leaves no room to generate in the model's context of ${contextLength}`);
  }
  let overlongBufferLength: number | null = null;
  if (config.overlongBufferLength === 'auto') overlongBufferLength = Math.max(1, Math.min(maxCompletionLength - correct, maxCompletionLength - 1));
  else if (config.overlongBufferLength !== null) {
    if (config.overlongBufferLength > maxCompletionLength) {
      throw new InvalidArgumentError(`GRPO config: 'overlongBufferLength' (${config.overlongBufferLength}) exceeds maxCompletionLength (${maxCompletionLength})`);
    }
    overlongBufferLength = config.overlongBufferLength;
  }
  return { maxCompletionLength, overlongBufferLength };
}

export class GRPOTrainer {
  readonly model: CausalDecoder;
  readonly tokenizer: Tokenizer;
  readonly task: TextTask;
  readonly config: GRPOConfig;
  readonly logger: MetricsLogger;
  /** Tokens generated per response at most (EOS included). */
  readonly maxCompletionLength: number;
  /** DAPO soft overlong buffer in tokens, null when shaping is off. */
  readonly overlongBufferLength: number | null;
  readonly optimizer: Adam;
  /** The fixed training prompt pool. */
  readonly pool: PromptPool;
  /** Held-out problems for evaluation (test split). */
  readonly heldOut: readonly TextProblem[];
  /** Evaluations so far, by step. */
  readonly evaluations: { step: number; result: SequenceEvalResult }[] = [];
  private rng: Rng;
  private sas: SmoothAdvantageStandardizer | null;
  private reference: CausalDecoder | null;
  private steps = 0;
  private generationCallsTotal = 0;

  constructor(model: CausalDecoder, tokenizer: Tokenizer, task: TextTask, config: GRPOConfigInput = {}, options: GRPOTrainerOptions = {}) {
    checkOptions('GRPOTrainer', options, ['logger']);
    if (!(model instanceof CausalDecoder)) throw new InvalidArgumentError('GRPOTrainer needs a CausalDecoder as its model');
    if (task === null || typeof task !== 'object' || typeof task.verify !== 'function' || typeof task.problems !== 'function') {
      throw new InvalidArgumentError('GRPOTrainer needs a TextTask (makeTextTask(name))');
    }
    assertTokenizerMatchesTask(tokenizer, task, 'the model');
    if (tokenizer.vocabSize !== model.config.vocabSize) {
      throw new InvalidArgumentError(`GRPOTrainer: the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabSize is ${model.config.vocabSize}`);
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.task = task;
    this.config = parseGRPOConfig(config);
    this.logger = options.logger ?? new MetricsLogger(null);
    const c = this.config;
    this.rng = Rng.fromSeed(c.seed);

    const contextLength = model.config.contextLength;
    const difficulty = c.taskDifficulty === null ? {} : { difficulty: c.taskDifficulty };
    const items: PoolItem[] = task.problems({ split: 'train', count: c.promptPoolSize, seed: c.problemSeed, ...difficulty }).map((problem) => {
      const prompt = encodePrompt(tokenizer, problem);
      assertPromptFits(prompt.length, contextLength, 1, `prompt of training problem '${problem.id}'`);
      return { problem, prompt };
    });
    this.heldOut = task.problems({ split: 'test', count: c.evalProblems, seed: c.problemSeed, ...difficulty });
    const longest = Math.max(...items.map((i) => i.prompt.length));
    const lengths = resolveLengths(c, task, contextLength, longest);
    this.maxCompletionLength = lengths.maxCompletionLength;
    this.overlongBufferLength = lengths.overlongBufferLength;
    this.pool = new PromptPool(items, this.rng);

    this.sas = c.advantageEstimator === 'dcpo' ? new SmoothAdvantageStandardizer({ merge: c.sasMerge, normalizeByStd: true }) : null;
    this.reference = null;
    if (c.beta > 0) {
      this.reference = new CausalDecoder(model.config, 0);
      this.reference.setWeights(model.getWeights());
    }
    this.optimizer = new Adam(model.params, { lr: c.learningRate, beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEpsilon, maxGradNorm: c.maxGradNorm });
  }

  /** Training steps completed. */
  get numSteps(): number {
    return this.steps;
  }

  /** `generate` calls made for training rollouts so far (evaluation not counted). */
  get generationCalls(): number {
    return this.generationCallsTotal;
  }

  private samplingSettings(): SamplingSettings {
    const c = this.config;
    return {
      numGenerations: c.numGenerations,
      maxCompletionLength: this.maxCompletionLength,
      temperature: c.temperature,
      topK: c.topK,
      topP: c.topP,
      overlongBufferLength: this.overlongBufferLength,
      overlongPenaltyFactor: c.overlongPenaltyFactor,
    };
  }

  private clipRule(): ClipRule {
    const c = this.config;
    return { type: c.clipType, epsLow: c.epsilon, epsHigh: c.epsilonHigh, ...(c.dualClipC === null ? {} : { dualClipC: c.dualClipC }) };
  }

  /** Held-out greedy accuracy, pass@k, mean reward and length of the current policy (no training state changes). */
  evaluate(): SequenceEvalResult {
    const c = this.config;
    return evaluateSequencePolicy(this.model, this.tokenizer, this.task, [...this.heldOut], {
      k: [...c.passAtK],
      samples: c.evalSamples,
      rng: Rng.fromSeed(c.seed + EVAL_SEED_OFFSET),
      maxNewTokens: this.maxCompletionLength,
    });
  }

  private recordEvaluation(result: SequenceEvalResult): void {
    this.evaluations.push({ step: this.steps, result });
    this.logger.record('eval/accuracy', result.accuracy);
    this.logger.record('eval/reward_mean', result.meanReward);
    this.logger.record('eval/response_length', result.meanLength);
    for (const [k, v] of Object.entries(result.passAtK)) this.logger.record(`eval/pass@${k}`, v);
    for (const [name, v] of Object.entries(result.components)) this.logger.record(`eval/component/${name}`, v);
    for (const [flag, v] of Object.entries(result.flags)) this.logger.record(`eval/flag/${flag}`, v);
  }

  /** Runs `steps` training steps (evaluating at the start of a fresh run, every `evalInterval` steps and at the end). */
  async learn(options: GRPOLearnOptions): Promise<this> {
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError('learn() needs { steps }');
    checkOptions('GRPOTrainer.learn', options, ['steps', 'onStep']);
    const { steps } = options;
    if (!Number.isSafeInteger(steps) || steps < 1) throw new InvalidArgumentError(`learn(): steps must be a positive integer, got ${String(steps)}`);
    if (this.model.isDisposed) throw new InvalidStateError('GRPOTrainer.learn: the model has been disposed');
    const every = this.config.evalInterval;
    if (every > 0 && this.steps === 0 && this.evaluations.length === 0) {
      this.recordEvaluation(this.evaluate());
      const record = this.logger.dump(0);
      options.onStep?.(record, this);
    }
    const last = this.steps + steps;
    while (this.steps < last) {
      this.trainStep();
      if (every > 0 && (this.steps % every === 0 || this.steps === last)) this.recordEvaluation(this.evaluate());
      const record = this.logger.dump(this.steps);
      options.onStep?.(record, this);
      // Let timers and I/O (progress output, signals) run between steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this;
  }

  /**
   * Samples the step's groups. With dynamic sampling, every generation call draws `promptsPerStep` fresh
   * prompts (verl's gen batch = train batch) until `promptsPerStep` groups with a non-constant metric are
   * kept or `maxGenerationBatches` calls are spent; the step then trains on what it has.
   */
  private rollout(): { trained: RolloutGroup[]; generated: RolloutGroup[]; calls: number; seconds: number } {
    const c = this.config;
    const G = c.numGenerations;
    const start = performance.now();
    const sample = () => sampleGroups(this.model, this.tokenizer, this.task, this.pool.next(c.promptsPerStep, this.rng), this.samplingSettings(), this.rng);
    if (!c.dynamicSampling) {
      const groups = sample();
      return { trained: groups, generated: groups, calls: 1, seconds: (performance.now() - start) / 1000 };
    }
    const filler = new DynamicBatchFiller<RolloutGroup>({ targetGroups: c.promptsPerStep, maxGenerationCalls: c.maxGenerationBatches });
    const generated: RolloutGroup[] = [];
    while (!filler.done) {
      const groups = sample();
      generated.push(...groups);
      const metric = new Float64Array(groups.length * G);
      groups.forEach((g, i) => metric.set(c.filterGroupsMetric === 'acc' ? g.accuracies : g.rewards, i * G));
      filler.addCall(groups, zeroVarianceGroups(metric, G).map((flat) => !flat));
    }
    const batch = filler.take();
    return { trained: batch.groups, generated, calls: batch.generationCalls, seconds: (performance.now() - start) / 1000 };
  }

  private advantagesOf(groups: readonly RolloutGroup[]): Float64Array {
    const G = this.config.numGenerations;
    const rewards = new Float64Array(groups.length * G);
    groups.forEach((g, i) => rewards.set(g.rewards, i * G));
    if (this.sas !== null) return this.sas.batchAdvantages(groups.map((g) => g.item.problem.id), rewards, G);
    return groupAdvantages(rewards, G, this.config.scaleRewards === 'group' ? 'grpo' : 'drgrpo');
  }

  /** One training step (rollout, advantages, updates); records its metrics on the logger without dumping. */
  trainStep(): void {
    const c = this.config;
    const G = c.numGenerations;
    const stepStart = performance.now();
    const { trained, generated, calls, seconds: rolloutSeconds } = this.rollout();
    this.generationCallsTotal += calls;

    // Rollout statistics over everything generated this step.
    const allResponses = generated.length * G;
    let rewardSum = 0;
    let correct = 0;
    let lengthSum = 0;
    let truncated = 0;
    let penaltySum = 0;
    const flagCounts = new Map<string, number>();
    const componentSums = new Map<string, number>();
    for (const g of generated) {
      for (let j = 0; j < G; j++) {
        rewardSum += g.rewards[j]!;
        correct += g.accuracies[j]!;
        lengthSum += g.responses[j]!.length;
        penaltySum += g.penalties[j]!;
        if (g.finishReasons[j] !== 'stop') truncated++;
        const v = g.verifications[j]!;
        for (const f of new Set(v.flags)) flagCounts.set(f, (flagCounts.get(f) ?? 0) + 1);
        for (const [name, value] of Object.entries(v.components)) componentSums.set(name, (componentSums.get(name) ?? 0) + value);
      }
    }
    let flagged = 0;
    for (const g of generated) for (const v of g.verifications) if (v.flags.length > 0) flagged++;

    const log = (key: string, value: number) => this.logger.record(key, value);
    log('rollout/reward_mean', rewardSum / allResponses);
    log('rollout/accuracy', correct / allResponses);
    log('rollout/response_length', lengthSum / allResponses);
    log('rollout/truncated_frac', truncated / allResponses);
    log('rollout/flag_frac', flagged / allResponses);
    log('rollout/overlong_penalty_mean', penaltySum / allResponses);
    log('rollout/generation_calls', calls);
    log('rollout/generated_groups', generated.length);
    log('rollout/tokens_per_s', lengthSum / Math.max(rolloutSeconds, 1e-9));
    for (const [name, sum] of componentSums) log(`rollout/component/${name}`, sum / allResponses);
    for (const [flag, count] of flagCounts) log(`rollout/flag/${flag}`, count / allResponses);

    const acc: StatsAccumulator = { tokens: 0, clip: 0, clipLow: 0, clipHigh: 0, dualClip: 0, approxKl: 0, klToRef: 0, ratioMean: 0, loss: 0, gradNorm: 0, updates: 0 };
    let entropy = 0;
    let trainTokensPerSecond = 0;
    let nonzeroGroups = 0;
    let nonzeroResponses = 0;
    let advAbs = 0;
    if (trained.length > 0) {
      const advantages = this.advantagesOf(trained);
      for (let g = 0; g < trained.length; g++) {
        let any = false;
        for (let j = 0; j < G; j++) {
          const a = advantages[g * G + j]!;
          advAbs += Math.abs(a);
          if (a !== 0) {
            any = true;
            nonzeroResponses++;
          }
        }
        if (any) nonzeroGroups++;
      }
      log('train/response_utilisation', responseUtilisation(advantages));
      const out = this.update(trained, advantages, acc);
      entropy = out.entropy;
      trainTokensPerSecond = out.tokensPerSecond;
    } else {
      log('train/response_utilisation', 0);
    }
    const trainedResponses = trained.length * G;
    // Utilisation over everything generated: responses dropped by dynamic sampling count as unused.
    log('rollout/response_utilisation', nonzeroResponses / allResponses);
    log('rollout/nonzero_adv_group_frac', nonzeroGroups / generated.length);
    log('rollout/zero_adv_group_frac', 1 - nonzeroGroups / generated.length);
    log('train/groups', trained.length);
    log('train/advantage_abs_mean', trainedResponses > 0 ? advAbs / trainedResponses : 0);
    const t = Math.max(acc.tokens, 1);
    log('train/clip_frac', acc.clip / t);
    log('train/clip_frac_low', acc.clipLow / t);
    log('train/clip_frac_high', acc.clipHigh / t);
    log('train/dual_clip_frac', acc.dualClip / t);
    log('train/approx_kl', acc.approxKl / t);
    log('train/ratio_mean', acc.tokens > 0 ? acc.ratioMean / t : 1);
    log('train/kl_ref', acc.klToRef / t);
    log('train/entropy', entropy);
    log('train/loss', acc.updates > 0 ? acc.loss / acc.updates : 0);
    log('train/grad_norm', acc.updates > 0 ? acc.gradNorm / acc.updates : 0);
    log('train/updates', acc.updates);
    log('train/tokens_per_s', trainTokensPerSecond);
    log('train/learning_rate', this.optimizer.lr);
    this.steps += 1;
    log('time/step_seconds', (performance.now() - stepStart) / 1000);
    log('time/generation_calls_total', this.generationCallsTotal);
  }

  /** Old / reference log-probs, then `numIterations` passes of mini-batch updates. Returns the mean entropy. */
  private update(groups: readonly RolloutGroup[], advantages: Float64Array, acc: StatsAccumulator): { entropy: number; tokensPerSecond: number } {
    const c = this.config;
    const G = c.numGenerations;
    const prompts: Int32Array[] = [];
    const responses: Int32Array[] = [];
    for (const g of groups) {
      for (let j = 0; j < G; j++) {
        prompts.push(g.item.prompt);
        responses.push(g.responses[j]!);
      }
    }
    const packed = packSequences(prompts, responses, this.model.config.contextLength);
    const { tokens, batch: N, length: L } = packed;
    const T = L - 1;
    const mask = packed.mask;
    if (c.maskTruncatedCompletions) {
      groups.forEach((g, gi) => {
        for (let j = 0; j < G; j++) if (g.finishReasons[j] !== 'stop') mask.fill(0, (gi * G + j) * T, (gi * G + j + 1) * T);
      });
    }

    // π_old: the pre-update weights, teacher-forced on the sampled tokens (no gradient).
    const { oldLogProbs, entropy } = tf.tidy(() => {
      const out = this.model.tokenLogProbsAndEntropy(tokens, N, L);
      return { oldLogProbs: out.logProbs.dataSync() as Float32Array, entropy: out.entropy.dataSync() as Float32Array };
    });
    let entropySum = 0;
    let maskSum = 0;
    for (let i = 0; i < mask.length; i++) {
      entropySum += entropy[i]! * mask[i]!;
      maskSum += mask[i]!;
    }
    const refLogProbs = this.reference === null ? null : tf.tidy(() => this.reference!.tokenLogProbs(tokens, N, L).dataSync() as Float32Array);

    const lossConfig: PolicyLossConfig = { clip: this.clipRule(), aggregation: c.lossType, klCoef: c.beta };
    const updateStart = performance.now();
    let tokensProcessed = 0;
    for (let iteration = 0; iteration < c.numIterations; iteration++) {
      const order = this.rng.permutation(groups.length);
      for (let start = 0; start < groups.length; start += c.miniBatchPrompts) {
        const mbGroups = Array.from(order.subarray(start, Math.min(start + c.miniBatchPrompts, groups.length)));
        const n = mbGroups.length * G;
        const mbTokens = new Int32Array(n * L);
        const mbOld = new Float32Array(n * T);
        const mbRef = refLogProbs === null ? undefined : new Float32Array(n * T);
        const mbMask = new Float32Array(n * T);
        const mbAdv = new Float32Array(n);
        const groupOf = new Int32Array(n);
        let mbTokenCount = 0;
        mbGroups.forEach((g, k) => {
          for (let j = 0; j < G; j++) {
            const row = g * G + j;
            const r = k * G + j;
            mbTokens.set(tokens.subarray(row * L, (row + 1) * L), r * L);
            mbOld.set(oldLogProbs.subarray(row * T, (row + 1) * T), r * T);
            mbRef?.set(refLogProbs!.subarray(row * T, (row + 1) * T), r * T);
            mbMask.set(mask.subarray(row * T, (row + 1) * T), r * T);
            mbAdv[r] = advantages[row]!;
            groupOf[r] = k;
            tokensProcessed += packed.promptLengths[row]! + packed.responseLengths[row]!;
          }
        });
        for (let i = 0; i < mbMask.length; i++) mbTokenCount += mbMask[i]!;
        if (mbTokenCount === 0) continue; // every response masked out: nothing to learn from
        // Linear warm-up over optimizer updates (Adam's first steps move every weight by about lr, whatever its gradient).
        this.optimizer.lr = c.learningRate * (c.warmupSteps > 0 ? Math.min(1, (this.optimizer.step + 1) / c.warmupSteps) : 1);
        let stats: ReturnType<ReturnType<typeof policyLoss>['stats']> | null = null;
        const result = this.optimizer.minimize(() => {
          const logProbs = this.model.tokenLogProbs(mbTokens, n, L);
          const out = policyLoss(
            {
              logProbs,
              oldLogProbs: mbOld,
              ...(mbRef === undefined ? {} : { refLogProbs: mbRef }),
              advantages: mbAdv,
              mask: mbMask,
              groupOf,
              maxResponseLength: this.maxCompletionLength,
            },
            lossConfig,
          );
          stats = out.stats();
          return out.loss;
        });
        const s = stats!;
        acc.tokens += mbTokenCount;
        acc.clip += s.clipFraction * mbTokenCount;
        acc.clipLow += s.clipFractionLow * mbTokenCount;
        acc.clipHigh += s.clipFractionHigh * mbTokenCount;
        acc.dualClip += s.dualClipFraction * mbTokenCount;
        acc.approxKl += s.approxKl * mbTokenCount;
        acc.klToRef += s.klToRef * mbTokenCount;
        acc.ratioMean += s.ratioMean * mbTokenCount;
        acc.loss += result.loss;
        acc.gradNorm += result.gradNorm;
        acc.updates += 1;
      }
    }
    const seconds = (performance.now() - updateStart) / 1000;
    return { entropy: maskSum > 0 ? entropySum / maskSum : 0, tokensPerSecond: tokensProcessed / Math.max(seconds, 1e-9) };
  }

  /**
   * Writes a checkpoint directory atomically: `model.{json,safetensors}` (policy + tokenizer, loadable by
   * `--init` and the eval tools), `reference.*` (β > 0), `optimizer.safetensors`, `trainer.json`.
   */
  async save(dir: string): Promise<void> {
    const scratch = await mkdtemp(join(tmpdir(), 'teleo-grpo-'));
    try {
      const extra = { trainedBy: 'grpo', task: this.task.name, step: this.steps };
      await saveSequenceModel(join(scratch, RUN_MODEL_STEM), this.model, this.tokenizer, extra);
      if (this.reference !== null) await saveSequenceModel(join(scratch, REFERENCE_STEM), this.reference, this.tokenizer, { role: 'reference' });
      const files: Record<string, Uint8Array | string> = {};
      for (const name of await readdir(scratch)) files[name] = await readFile(join(scratch, name));
      const { tensors, config } = adamStateToTensors(this.optimizer.getState());
      files[OPTIMIZER_FILE] = encodeSafetensors(tensors, { adam: config });
      const state = {
        format: GRPO_CHECKPOINT_FORMAT,
        version: CHECKPOINT_VERSION,
        task: this.task.name,
        taskOptions: { ...(this.task.options ?? {}) },
        config: grpoConfigToJSON(this.config),
        steps: this.steps,
        generationCalls: this.generationCallsTotal,
        rng: [...this.rng.getState()],
        pool: this.pool.getState(),
        sas: this.sas === null ? null : this.sas.toJSON(),
        evaluations: this.evaluations,
      };
      files[TRAINER_FILE] = JSON.stringify(state, null, 1) + '\n';
      await writeCheckpointDir(dir, files);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * Restores a trainer saved by `save(dir)` for `task` (which must be the task it was trained on, with
   * the same tokenizer); training continues exactly where it stopped.
   */
  static async load(dir: string, task: TextTask, options: GRPOTrainerOptions = {}): Promise<GRPOTrainer> {
    const state = await readCheckpointJson(dir, TRAINER_FILE);
    const path = join(dir, TRAINER_FILE);
    if (state.format !== GRPO_CHECKPOINT_FORMAT) throw new CorruptFileError(path, `not a GRPO trainer checkpoint (format ${JSON.stringify(state.format)})`);
    if (state.version !== CHECKPOINT_VERSION) throw new CorruptFileError(path, `unsupported version ${JSON.stringify(state.version)}`);
    if (state.task !== task.name) throw new InvalidArgumentError(`${dir}: the checkpoint trains task '${String(state.task)}', not '${task.name}'`);
    const { model, tokenizer } = await loadSequencePolicyForTask(join(dir, RUN_MODEL_STEM), task);
    let trainer: GRPOTrainer;
    try {
      trainer = new GRPOTrainer(model, tokenizer, task, state.config as GRPOConfigInput, options);
    } catch (err) {
      model.dispose();
      throw err;
    }
    try {
      trainer.restore(dir, state);
      if (trainer.reference !== null) {
        const ref = await loadSequenceModel(join(dir, REFERENCE_STEM));
        trainer.reference.setWeights(ref.model.getWeights());
        ref.model.dispose();
      }
      const bytes = await readFile(join(dir, OPTIMIZER_FILE)).catch((err: Error) => {
        throw new CorruptFileError(join(dir, OPTIMIZER_FILE), `cannot read the optimizer state (${err.message})`);
      });
      const content = decodeSafetensors(new Uint8Array(bytes), join(dir, OPTIMIZER_FILE));
      const adamConfig = content.metadata.adam;
      if (adamConfig === undefined) throw new CorruptFileError(join(dir, OPTIMIZER_FILE), 'no Adam state in the metadata');
      trainer.optimizer.setState(adamStateFromTensors(content.tensors, adamConfig));
    } catch (err) {
      trainer.dispose();
      if (err instanceof CorruptFileError || err instanceof InvalidArgumentError) throw err;
      throw new CorruptFileError(path, `cannot restore the trainer state (${(err as Error).message})`, { cause: err });
    }
    return trainer;
  }

  private restore(dir: string, state: Record<string, unknown>): void {
    const path = join(dir, TRAINER_FILE);
    const steps = state.steps;
    const calls = state.generationCalls;
    if (!Number.isSafeInteger(steps) || (steps as number) < 0) throw new CorruptFileError(path, `steps must be a non-negative integer, got ${JSON.stringify(steps)}`);
    if (!Number.isSafeInteger(calls) || (calls as number) < 0) throw new CorruptFileError(path, `generationCalls must be a non-negative integer, got ${JSON.stringify(calls)}`);
    if (!Array.isArray(state.rng)) throw new CorruptFileError(path, 'rng must be the generator state array');
    this.rng = Rng.fromState(state.rng as number[]);
    this.pool.setState(state.pool as { order: number[]; cursor: number });
    if (this.config.advantageEstimator === 'dcpo') {
      if (state.sas === null || state.sas === undefined) throw new CorruptFileError(path, 'the SAS statistics are missing');
      this.sas = SmoothAdvantageStandardizer.fromJSON(state.sas);
    }
    if (Array.isArray(state.evaluations)) this.evaluations.push(...(state.evaluations as { step: number; result: SequenceEvalResult }[]));
    this.steps = steps as number;
    this.generationCallsTotal = calls as number;
  }

  /** Releases the policy's and the reference's variables. */
  dispose(): void {
    this.reference?.dispose();
    this.model.dispose();
  }
}
