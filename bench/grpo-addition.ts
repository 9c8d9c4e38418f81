/**
 * GRPO on 3-digit addition from an SFT warm start: does held-out accuracy rise, and by more than the
 * measurement noise? For each seed it loads the warm start, measures greedy accuracy and sampled pass@1
 * (temperature 1, `samples` draws per problem) on `problems` held-out problems, runs `steps` GRPO steps
 * with the given config (a preset, overridden by `--config`; by default the config defaults) and measures
 * again on the same problems. Correctness is kept per problem, so the gain's confidence interval comes
 * from a paired bootstrap over problems and seeds (`pairedGainCI`).
 *
 *   npx tsx bench/grpo-addition.ts --init results/dcpo/warm-start/model [--seeds 0,1,2] [--steps 150]
 *     [--preset grpo|drgrpo|dapo|dcpo] [--config '{"learningRate":3e-4}'] [--problems 512]
 *     [--problem-seed 0] [--samples 4] [--backend wasm]
 *
 * `--problem-seed` picks the held-out draw (test split): use a draw other than the reported one (e.g. 1)
 * when comparing settings, so the reported numbers are not tuned on their own problems.
 */
import { pathToFileURL } from 'node:url';
import { GRPOTrainer, grpoPreset, type GRPOConfigInput } from '../src/algos/grpo/index.js';
import { loadSequencePolicyForTask } from '../src/algos/sequence/checkpoint.js';
import { decodeResponse, encodePrompt } from '../src/algos/sequence/encoding.js';
import { safeVerify } from '../src/algos/sequence/safe-verify.js';
import { describeMachine } from '../src/cli/machine.js';
import { initBackend } from '../src/core/backend.js';
import { Rng } from '../src/core/rng.js';
import { makeTextTask, type TextProblem, type TextTask } from '../src/envs/text/index.js';
import type { CausalDecoder, Tokenizer } from '../src/nn/transformer/index.js';

/** Per-problem held-out scores: greedy correct (0/1) and the fraction of sampled responses correct. */
export interface ProblemScores {
  greedy: Float64Array;
  sampled: Float64Array;
}

/** Greedy and sampled (temperature 1) correctness of each problem; `samples` draws per problem from `rng`. */
export function scoreProblems(model: CausalDecoder, tokenizer: Tokenizer, task: TextTask, problems: readonly TextProblem[], samples: number, rng: Rng, maxNewTokens: number): ProblemScores {
  const prompts = problems.map((p) => encodePrompt(tokenizer, p));
  const run = (indices: number[], greedy: boolean): boolean[] => {
    const correct: boolean[] = [];
    for (let start = 0; start < indices.length; start += 128) {
      const chunk = indices.slice(start, start + 128);
      const out = model.generate(chunk.map((i) => prompts[i]!), { maxNewTokens, rng, greedy, temperature: 1 });
      chunk.forEach((i, k) => correct.push(safeVerify(task, problems[i]!, decodeResponse(tokenizer, out.responses[k]!)).correct));
    }
    return correct;
  };
  const all = problems.map((_, i) => i);
  const greedy = Float64Array.from(run(all, true), Number);
  const sampledFlat = run(all.flatMap((i) => Array<number>(samples).fill(i)), false);
  const sampled = new Float64Array(problems.length);
  sampledFlat.forEach((c, j) => (sampled[Math.floor(j / samples)]! += Number(c) / samples));
  return { greedy, sampled };
}

function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  return sum / xs.length;
}

/**
 * Percentile bootstrap CI of the mean gain (after − before) over seeds and problems: each replicate
 * resamples seeds, then problems (the same problems for every drawn seed, as all runs share one held-out
 * set), and averages after − before. Covers both run-to-run and problem-sampling variation.
 */
export function pairedGainCI(before: readonly Float64Array[], after: readonly Float64Array[], rng: Rng, reps = 2000, alpha = 0.05): { mean: number; low: number; high: number } {
  const S = before.length;
  const P = before[0]!.length;
  const diffs = before.map((b, s) => b.map((x, i) => after[s]![i]! - x));
  const point = mean(diffs.map((d) => mean(d)));
  const stats = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    const rows = Int32Array.from({ length: P }, () => rng.integers(0, P));
    let sum = 0;
    for (let k = 0; k < S; k++) {
      const d = diffs[rng.integers(0, S)]!;
      for (const i of rows) sum += d[i]!;
    }
    stats[r] = sum / (S * P);
  }
  stats.sort();
  const at = (q: number) => stats[Math.min(reps - 1, Math.max(0, Math.floor(q * reps)))]!;
  return { mean: point, low: at(alpha / 2), high: at(1 - alpha / 2) };
}

export interface SeedResult {
  seed: number;
  before: ProblemScores;
  after: ProblemScores;
  seconds: number;
  /** The trainer's last-step training accuracy (rollout/accuracy). */
  trainAccuracy: number;
}

/** One GRPO run from the warm start at `init`, scored before and after on `problems`. */
export async function runSeed(init: string, seed: number, steps: number, config: GRPOConfigInput, problems: readonly TextProblem[], samples: number, log: (line: string) => void = () => {}): Promise<SeedResult> {
  const task = makeTextTask('addition');
  const { model, tokenizer } = await loadSequencePolicyForTask(init, task);
  const trainer = new GRPOTrainer(model, tokenizer, task, { ...config, seed, evalInterval: 0 });
  try {
    const evalRng = () => Rng.fromSeed(seed + 7_919);
    const before = scoreProblems(model, tokenizer, task, problems, samples, evalRng(), trainer.maxCompletionLength);
    const start = performance.now();
    let trainAccuracy = Number.NaN;
    await trainer.learn({
      steps,
      onStep: (record, t) => {
        trainAccuracy = record['rollout/accuracy'] ?? Number.NaN;
        if (t.numSteps % 100 === 0) log(`  seed ${seed} step ${t.numSteps}: train acc ${trainAccuracy.toFixed(3)}, ${((performance.now() - start) / 1000).toFixed(0)} s`);
      },
    });
    const seconds = (performance.now() - start) / 1000;
    const after = scoreProblems(model, tokenizer, task, problems, samples, evalRng(), trainer.maxCompletionLength);
    return { seed, before, after, seconds, trainAccuracy };
  } finally {
    trainer.dispose();
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const backend = await initBackend(arg('backend', 'wasm') as 'wasm');
  const init = arg('init', 'results/dcpo/warm-start/model');
  const seeds = arg('seeds', '0,1,2').split(',').map(Number);
  const steps = Number(arg('steps', '150'));
  const preset = arg('preset', '');
  const config = { ...(preset ? grpoPreset(preset) : {}), ...(JSON.parse(arg('config', '{}')) as GRPOConfigInput) };
  const samples = Number(arg('samples', '4'));
  const problemSeed = Number(arg('problem-seed', '0'));
  const problems = makeTextTask('addition').problems({ split: 'test', count: Number(arg('problems', '512')), seed: problemSeed });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`${describeMachine()}; backend ${backend.name}; init ${init}; ${steps} steps; config ${JSON.stringify(config)}; ${problems.length} held-out problems (draw ${problemSeed}), pass@1 from ${samples} samples each`);
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const r = await runSeed(init, seed, steps, config, problems, samples, out);
    results.push(r);
    out(`seed ${seed}: greedy ${mean(r.before.greedy).toFixed(3)} → ${mean(r.after.greedy).toFixed(3)}, pass@1 ${mean(r.before.sampled).toFixed(3)} → ${mean(r.after.sampled).toFixed(3)}, train acc (last step) ${r.trainAccuracy.toFixed(3)}, ${r.seconds.toFixed(0)} s`);
  }
  const rng = Rng.fromSeed(12_345);
  const g = pairedGainCI(results.map((r) => r.before.greedy), results.map((r) => r.after.greedy), rng);
  const p = pairedGainCI(results.map((r) => r.before.sampled), results.map((r) => r.after.sampled), rng);
  out(`mean gain, greedy accuracy: ${g.mean.toFixed(4)} [95% CI ${g.low.toFixed(4)}, ${g.high.toFixed(4)}]`);
  out(`mean gain, sampled pass@1:  ${p.mean.toFixed(4)} [95% CI ${p.low.toFixed(4)}, ${p.high.toFixed(4)}]`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
