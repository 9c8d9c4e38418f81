/**
 * SFT warm start: teacher-forced cross-entropy on the scripted solver's demonstrations, so that a tiny
 * from-scratch decoder reaches a pass rate where GRPO's group advantages are not all zero.
 *
 * Each step draws `batchSize` fresh train-split problems (a new seed from the run's Rng per step), encodes
 * `[BOS, prompt] ++ [solution, EOS]`, and takes one Adam step on the response-token NLL (gradient-norm
 * clipped). Every `evalEvery` steps the greedy policy is scored on a fixed held-out set; training stops as
 * soon as that accuracy reaches `targetAccuracy` (so RL keeps headroom) or at `maxSteps`.
 * `demonstrationNoise` corrupts one response token of that fraction of demonstrations (noisier targets,
 * a lower ceiling for SFT).
 */
import { backendInfo } from '../../core/backend.js';
import { InvalidStateError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { TextTask } from '../../envs/text/index.js';
import { Adam } from '../../nn/optim/adam.js';
import { CausalDecoder, Tokenizer } from '../../nn/transformer/index.js';
import { evaluateSequencePolicy, type SequenceEvalResult } from '../../train/sequence-eval.js';
import { assertPromptFits, encodePrompt, encodeResponse, packSequences, tokenizerForTask } from '../sequence/encoding.js';
import { parseSFTConfig, type SFTConfig, type SFTConfigInput } from './config.js';
import { sftLoss } from './loss.js';

export type SFTRecord = Record<string, number>;

export interface SFTHooks {
  /** Every training-metric record (each `logEvery` steps) and evaluation record, as it is made. */
  onLog?(record: SFTRecord): void;
  /** Each held-out evaluation. */
  onEval?(step: number, result: SequenceEvalResult): void;
}

export type SFTStopReason = 'target-accuracy' | 'max-steps';

export interface SFTResult {
  model: CausalDecoder;
  tokenizer: Tokenizer;
  config: SFTConfig;
  /** Every record passed to `onLog`, in order. */
  history: SFTRecord[];
  /** The last held-out evaluation (of the returned model). */
  finalEval: SequenceEvalResult;
  /** Optimizer steps taken. */
  steps: number;
  stopReason: SFTStopReason;
  /** Wall-clock seconds of training, evaluations included. */
  seconds: number;
}

/** Seeds for the demonstration stream are drawn in [0, 2^31). */
const SEED_RANGE = 2 ** 31;

/** A copy of `response` with one token (never the closing EOS) replaced by a random alphabet token. */
export function corruptResponse(response: Int32Array, vocabSize: number, rng: Rng): Int32Array {
  const firstAlphabetId = Tokenizer.EOS + 1;
  if (response.length < 2 || vocabSize - firstAlphabetId < 2) return response;
  const out = Int32Array.from(response);
  const position = rng.integers(0, response.length - 1);
  // A uniformly drawn alphabet token other than the original one.
  const original = out[position]!;
  let replacement = rng.integers(firstAlphabetId, vocabSize - 1);
  if (replacement >= original && original >= firstAlphabetId) replacement += 1;
  out[position] = replacement;
  return out;
}

/** Throws unless the task's longest prompt (BOS included) plus its longest response and EOS fit the context. */
function assertTaskFits(task: TextTask, config: SFTConfig): void {
  assertPromptFits(task.maxPromptLength + 1, config.contextLength, task.maxResponseLength + 1, `longest ${task.name} prompt (with its longest response of ${task.maxResponseLength} tokens + EOS)`);
}

export async function trainSFT(task: TextTask, configInput: SFTConfigInput | SFTConfig = {}, hooks: SFTHooks = {}): Promise<SFTResult> {
  const config = parseSFTConfig(configInput);
  if (backendInfo() === null) throw new InvalidStateError('trainSFT needs a tensor backend: call `await initBackend()` first');
  const tokenizer = tokenizerForTask(task);
  assertTaskFits(task, config);
  const difficulty = config.difficulty === null ? {} : { difficulty: config.difficulty };
  const evalSet = task.problems({ split: 'test', count: config.evalProblems, seed: config.seed, ...difficulty });
  const [initRng, dataRng, noiseRng, evalRng] = Rng.fromSeed(config.seed).spawn(4) as [Rng, Rng, Rng, Rng];
  const model = new CausalDecoder(
    {
      vocabSize: tokenizer.vocabSize,
      contextLength: config.contextLength,
      dModel: config.dModel,
      nLayers: config.nLayers,
      nHeads: config.nHeads,
      ...(config.dMlp === null ? {} : { dMlp: config.dMlp }),
    },
    initRng.integers(0, SEED_RANGE),
  );
  const optimizer = new Adam(model.params, { lr: config.learningRate, maxGradNorm: config.maxGradNorm });
  const history: SFTRecord[] = [];
  const log = (record: SFTRecord): void => {
    history.push(record);
    hooks.onLog?.(record);
  };
  let windowStart = performance.now();
  const evaluate = (step: number): SequenceEvalResult => {
    const started = performance.now();
    const result = evaluateSequencePolicy(model, tokenizer, task, evalSet, { rng: evalRng });
    const ms = performance.now() - started;
    windowStart += ms; // training throughput excludes evaluation time
    log({
      step,
      'eval/accuracy': result.accuracy,
      'eval/mean_reward': result.meanReward,
      'eval/mean_length': result.meanLength,
      'eval/seconds': ms / 1000,
    });
    hooks.onEval?.(step, result);
    return result;
  };

  const started = performance.now();
  let lastEval: SequenceEvalResult | null = null;
  let stopReason: SFTStopReason = 'max-steps';
  let step = 0;
  let windowLoss = 0;
  let windowTokens = 0;
  let windowSteps = 0;
  try {
    while (step < config.maxSteps) {
      const problems = task.problems({
        split: 'train',
        count: config.batchSize,
        seed: dataRng.integers(0, SEED_RANGE),
        // Duplicates within a batch are harmless, and small tasks (1-digit addition) have few distinct problems.
        unique: false,
        ...difficulty,
      });
      const prompts = problems.map((p) => encodePrompt(tokenizer, p));
      const responses = problems.map((p) => {
        const response = encodeResponse(tokenizer, task.solve(p));
        return config.demonstrationNoise > 0 && noiseRng.random() < config.demonstrationNoise ? corruptResponse(response, tokenizer.vocabSize, noiseRng) : response;
      });
      const packed = packSequences(prompts, responses, config.contextLength);
      optimizer.lr = config.warmupSteps > 0 ? config.learningRate * Math.min(1, (step + 1) / config.warmupSteps) : config.learningRate;
      const { loss, gradNorm } = optimizer.minimize(() => sftLoss(model, packed));
      step += 1;
      windowLoss += loss;
      windowSteps += 1;
      for (let i = 0; i < packed.mask.length; i++) windowTokens += packed.mask[i]!;
      if (step % config.logEvery === 0 || step === config.maxSteps) {
        const seconds = (performance.now() - windowStart) / 1000;
        log({ step, 'train/loss': windowLoss / windowSteps, 'train/grad_norm': gradNorm, 'train/learning_rate': optimizer.lr, 'train/response_tokens_per_s': seconds > 0 ? windowTokens / seconds : 0 });
        windowLoss = 0;
        windowTokens = 0;
        windowSteps = 0;
        windowStart = performance.now();
      }
      if (step % config.evalEvery === 0 || step === config.maxSteps) {
        lastEval = evaluate(step);
        if (config.targetAccuracy !== null && lastEval.accuracy >= config.targetAccuracy) {
          stopReason = 'target-accuracy';
          break;
        }
      }
      // Lets timers and signal handlers run between steps (progress output, Ctrl-C).
      if (step % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // The loop always ends on an evaluated step (the last step is evaluated); this only satisfies the types.
    if (lastEval === null) lastEval = evaluate(step);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, tokenizer, config, history, finalEval: lastEval, steps: step, stopReason, seconds: (performance.now() - started) / 1000 };
}
