/**
 * The `dcpo` reproduction (issue 6): GRPO, DAPO and DCPO trained from the *same* SFT warm start on
 * `addition`, with the same seeds and step budget, through the experiment runner (IQM + 95 % stratified
 * bootstrap CIs over seeds). Per run it reports the DCPO paper's diagnostics — the token clip fraction
 * (mean over steps), the response utilisation (fraction of all generated responses that enter the loss
 * with Â ≠ 0; responses dropped by DAPO's dynamic sampling count as unused), the fraction of generated
 * groups with non-zero advantage, generation calls per step — plus the held-out greedy accuracy gain over
 * the warm start and wall time. `reproduceDcpo` trains the warm start once (fixed seed, cached under
 * `<out>/warm-start`), runs the arms and checks DCPO's signatures: a lower token clip fraction than GRPO
 * and DAPO, a higher response utilisation than GRPO, more non-zero-advantage groups than GRPO and DAPO.
 *
 * Every run finds the warm start (a model path stem) in the runner's shared inputs, `ctx.shared.warmStart`,
 * which `reproduceDcpo` passes to `runExperiment`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRPOTrainer, grpoPreset, type GRPOConfigInput } from '../algos/grpo/index.js';
import { loadSequencePolicyForTask } from '../algos/sequence/checkpoint.js';
import { saveSFTModel, trainSFT, type SFTConfigInput } from '../algos/sft/index.js';
import { initBackend } from '../core/backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { assertValidSeed } from '../core/rng.js';
import { makeTextTask } from '../envs/text/index.js';
import { defineExperiment, runExperiment, type Experiment, type SharedInputs } from '../train/experiments/index.js';
import { formatNumber, resultsTable, type ExperimentResults } from '../train/experiments/report.js';
import type { MetricRecord } from '../train/logger.js';

export const DCPO_TASK = 'addition';
/** GRPO steps per run in the full reproduction (chosen so that the whole reproduction takes ~10–15 min on 2 cores). */
export const DCPO_STEPS = 150;
export const DCPO_QUICK_STEPS = 2;

/** The SFT warm start: D1's defaults (dModel 64, 2 layers, 4 heads) stopped at 40 % held-out accuracy. */
export const DCPO_WARM_START: SFTConfigInput = { seed: 0, targetAccuracy: 0.4 };
const QUICK_WARM_START: SFTConfigInput = { seed: 0, dModel: 32, nLayers: 1, nHeads: 2, contextLength: 24, maxSteps: 20, targetAccuracy: null, evalEvery: 20, evalProblems: 16 };

/** Settings shared by every arm (on top of its preset): the evaluation schedule (5 evaluations, 128 held-out problems). */
function armOverrides(steps: number, quick: boolean): GRPOConfigInput {
  const evalInterval = Math.max(1, Math.round(steps / 4));
  return quick
    ? { numGenerations: 4, promptsPerStep: 4, miniBatchPrompts: 2, promptPoolSize: 8, evalInterval, evalProblems: 8, evalSamples: 2, passAtK: [1, 2] }
    : { evalInterval, evalProblems: 128 };
}

export const DCPO_ARMS: Record<string, { description: string; preset: string }> = {
  grpo: { description: 'GRPO: z-score advantage, symmetric clip 0.2, seq-mean-token-mean, KL 0.001', preset: 'grpo' },
  dapo: { description: 'DAPO: clip-higher 0.2/0.28, dual-clip 10, dynamic sampling, token-mean, overlong shaping', preset: 'dapo' },
  dcpo: { description: 'DCPO: dynamic-adaptive clip, smooth advantage standardisation, only-token-mean', preset: 'dcpo' },
};

export interface DcpoRun {
  clipFraction: number;
  responseUtilisation: number;
  nonzeroAdvGroups: number;
  generationCallsPerStep: number;
  initialAccuracy: number;
  accuracyGain: number;
  /** Held-out greedy accuracy at each evaluation (the first is the warm start's). */
  heldOutAccuracy: number[];
  wallSeconds: number;
}

function meanOf(records: readonly MetricRecord[], key: string): number {
  const values = records.map((r) => r[key]).filter((v): v is number => v !== undefined);
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function readExtra(stem: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new InvalidArgumentError(`${stem}.json: cannot read the warm-start checkpoint (${(err as Error).message})`);
  }
}

/** One arm run: the preset `preset` from the warm start at `warmStart` for `steps` steps with `seed`. */
export async function runDcpoArm(preset: string, seed: number, steps: number, warmStart: string, options: { quick?: boolean; log?: (m: string) => void } = {}): Promise<DcpoRun> {
  await initBackend();
  const extra = readExtra(warmStart);
  const task = makeTextTask(typeof extra.task === 'string' ? extra.task : DCPO_TASK, (extra.taskOptions as Record<string, unknown> | undefined) ?? {});
  const { model, tokenizer } = await loadSequencePolicyForTask(warmStart, task);
  let trainer: GRPOTrainer;
  try {
    trainer = new GRPOTrainer(model, tokenizer, task, { ...grpoPreset(preset), ...armOverrides(steps, options.quick ?? false), seed });
  } catch (err) {
    model.dispose();
    throw err;
  }
  const start = performance.now();
  try {
    await trainer.learn({
      steps,
      onStep: (record) => {
        const step = record['time/total_timesteps'];
        if (record['eval/accuracy'] !== undefined) options.log?.(`step ${step}: held-out accuracy ${record['eval/accuracy'].toFixed(3)}`);
      },
    });
    const wallSeconds = (performance.now() - start) / 1000;
    const stepRecords = trainer.logger.records.filter((r) => r['rollout/reward_mean'] !== undefined);
    const accuracies = trainer.evaluations.map((e) => e.result.accuracy);
    return {
      clipFraction: meanOf(stepRecords, 'train/clip_frac'),
      responseUtilisation: meanOf(stepRecords, 'rollout/response_utilisation'),
      nonzeroAdvGroups: meanOf(stepRecords, 'rollout/nonzero_adv_group_frac'),
      generationCallsPerStep: meanOf(stepRecords, 'rollout/generation_calls'),
      initialAccuracy: accuracies[0]!,
      accuracyGain: accuracies[accuracies.length - 1]! - accuracies[0]!,
      heldOutAccuracy: accuracies,
      wallSeconds,
    };
  } finally {
    trainer.dispose();
  }
}

function sharedWarmStart(shared: SharedInputs): string {
  const path = shared.warmStart;
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError(
      `the dcpo experiment needs the warm-start model path as shared input warmStart (runExperiment(dcpo, { shared: { warmStart } }); reproduceDcpo passes it), got ${JSON.stringify(path)}`,
    );
  }
  return path;
}

/** The experiment; `quick` shrinks every arm (smaller groups and pool) for smoke runs. */
export function dcpoExperiment(options: { quick?: boolean; seeds?: number[]; steps?: number } = {}): Experiment {
  const quick = options.quick ?? false;
  return defineExperiment({
    name: quick ? 'dcpo-quick' : 'dcpo',
    description: `GRPO vs DAPO vs DCPO on ${DCPO_TASK} from one SFT warm start (same seeds and step budget)`,
    module: import.meta.url,
    arms: Object.fromEntries(
      Object.entries(DCPO_ARMS).map(([name, arm]) => [
        name,
        {
          description: arm.description,
          run: async ({ seed, budget, log, shared }) => ({ ...(await runDcpoArm(arm.preset, seed, budget, sharedWarmStart(shared), { quick, log })) }),
        },
      ]),
    ),
    seeds: options.seeds ?? [0, 1, 2],
    metrics: [
      { key: 'clipFraction', higherIsBetter: false, label: 'Token clip frac' },
      { key: 'responseUtilisation', higherIsBetter: true, label: 'Response util' },
      { key: 'nonzeroAdvGroups', higherIsBetter: true, label: 'Non-zero-adv groups' },
      { key: 'generationCallsPerStep', higherIsBetter: false, label: 'Gen calls/step' },
      { key: 'accuracyGain', higherIsBetter: true, label: 'Acc gain' },
      { key: 'heldOutAccuracy', higherIsBetter: true, label: 'Held-out acc' },
      { key: 'wallSeconds', higherIsBetter: false, label: 'Wall s' },
    ],
    budget: options.steps ?? (quick ? DCPO_QUICK_STEPS : DCPO_STEPS),
    baseline: 'grpo',
  });
}

/** Registered for worker processes. */
export const dcpo = dcpoExperiment();
export const dcpoQuick = dcpoExperiment({ quick: true });

export interface ReproduceDcpoOptions {
  seeds?: number[];
  /** Output directory (warm start, results, report); required: the warm start is cached there. */
  out: string;
  quick?: boolean;
  /** GRPO steps per run (default DCPO_STEPS, quick DCPO_QUICK_STEPS). */
  steps?: number;
  /** Worker processes (default: the runner's choice; 1 runs everything in this process). */
  parallel?: number;
  onLog?: (line: string) => void;
}

export interface DcpoCheck {
  claim: string;
  met: boolean;
  detail: string;
}

export interface DcpoReproduction {
  results: ExperimentResults;
  warmStart: { path: string; accuracy: number; trained: boolean };
  checks: DcpoCheck[];
  markdown: string;
}

/** Trains (or reuses) the warm start under `dir`; returns its model path stem. */
async function warmStart(dir: string, config: SFTConfigInput, log: (line: string) => void): Promise<{ path: string; accuracy: number; trained: boolean }> {
  const stem = join(dir, 'model');
  const wanted = JSON.stringify(config);
  if (existsSync(`${stem}.json`) && existsSync(`${stem}.safetensors`) && existsSync(join(dir, 'warm-start.json'))) {
    const recorded = JSON.parse(readFileSync(join(dir, 'warm-start.json'), 'utf8')) as { config: string; accuracy: number };
    if (recorded.config === wanted) {
      log(`warm start: reusing ${stem} (held-out accuracy ${recorded.accuracy.toFixed(3)})`);
      return { path: stem, accuracy: recorded.accuracy, trained: false };
    }
  }
  await initBackend();
  const task = makeTextTask(DCPO_TASK);
  log(`warm start: SFT on ${DCPO_TASK} with ${wanted}`);
  const result = await trainSFT(task, config, {
    onEval: (step, e) => log(`warm start: step ${step} held-out accuracy ${e.accuracy.toFixed(3)}`),
  });
  try {
    mkdirSync(dir, { recursive: true });
    await saveSFTModel(stem, result, task);
  } finally {
    result.model.dispose();
  }
  const tmp = join(dir, `warm-start.json.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify({ config: wanted, accuracy: result.finalEval.accuracy, steps: result.steps, seconds: result.seconds }) + '\n');
  renameSync(tmp, join(dir, 'warm-start.json'));
  log(`warm start: ${result.steps} steps, held-out accuracy ${result.finalEval.accuracy.toFixed(3)} (${result.seconds.toFixed(1)} s)`);
  return { path: stem, accuracy: result.finalEval.accuracy, trained: true };
}

function iqmOf(results: ExperimentResults, arm: string, key: string): { iqm: number; ci: [number, number] } | null {
  const m = results.arms[arm]?.metrics[key];
  return m ? { iqm: m.iqm, ci: m.ci } : null;
}

/** Compares arm IQMs; `lower`: the claim is that `arm` is below each of `others`. */
function compare(results: ExperimentResults, key: string, arm: string, others: string[], lower: boolean, claim: string): DcpoCheck {
  const a = iqmOf(results, arm, key);
  const parts: string[] = [];
  let met = a !== null;
  for (const other of others) {
    const b = iqmOf(results, other, key);
    if (a === null || b === null) {
      met = false;
      parts.push(`${other}: no data`);
      continue;
    }
    const holds = lower ? a.iqm < b.iqm : a.iqm > b.iqm;
    const separated = lower ? a.ci[1] < b.ci[0] : a.ci[0] > b.ci[1];
    met &&= holds;
    parts.push(`${arm} ${formatNumber(a.iqm)} vs ${other} ${formatNumber(b.iqm)} (${separated ? 'CIs disjoint' : 'CIs overlap'})`);
  }
  return { claim, met, detail: parts.join('; ') };
}

function checkSignatures(results: ExperimentResults): DcpoCheck[] {
  return [
    compare(results, 'clipFraction', 'dcpo', ['grpo', 'dapo'], true, 'DCPO has a lower token clip fraction than GRPO and DAPO'),
    compare(results, 'responseUtilisation', 'dcpo', ['grpo'], false, 'DCPO has a higher response utilisation than GRPO'),
    compare(results, 'nonzeroAdvGroups', 'dcpo', ['grpo', 'dapo'], false, 'DCPO has more non-zero-advantage groups than GRPO and DAPO'),
  ];
}

function reportMarkdown(rep: Omit<DcpoReproduction, 'markdown'>, quick: boolean, table: string): string {
  const e = rep.results.experiment;
  return [
    `# teleo reproduce dcpo${quick ? ' (quick)' : ''}`,
    '',
    `Task ${DCPO_TASK}; one SFT warm start (${rep.warmStart.path}, held-out greedy accuracy ${rep.warmStart.accuracy.toFixed(3)}); ` +
      `arms ${e.arms.join(', ')}; seeds ${e.seeds.join(', ')}; ${e.budget} GRPO steps per run; took ${(rep.results.durationMs / 1000).toFixed(0)} s.`,
    'IQM over seeds with 95 % stratified bootstrap CIs. Token clip frac: mean over steps of the fraction of response tokens clipped; ' +
      'response util: fraction of all generated responses trained on with a non-zero advantage; non-zero-adv groups: fraction of generated groups ' +
      'trained on with some non-zero advantage; acc gain: final minus initial held-out greedy accuracy.',
    '',
    table,
    '',
    '## DCPO signatures',
    '',
    ...rep.checks.map((c) => `- ${c.met ? 'MET' : 'NOT MET'}: ${c.claim} — ${c.detail}`),
    ...(quick ? ['', 'Quick run: tiny model and budget, a smoke test; the signatures are meant for the full run.'] : []),
    '',
  ].join('\n');
}

export async function reproduceDcpo(options: ReproduceDcpoOptions): Promise<DcpoReproduction> {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('reproduceDcpo options must be an object');
  checkOptions('reproduceDcpo', options, ['seeds', 'out', 'quick', 'steps', 'parallel', 'onLog']);
  if (typeof options.out !== 'string' || options.out === '') throw new InvalidArgumentError('reproduceDcpo needs an output directory (out)');
  const quick = options.quick ?? false;
  const experiment = quick ? dcpoQuick : dcpo;
  const seeds = options.seeds ?? [...experiment.seeds];
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InvalidArgumentError('reproduceDcpo: seeds must be a non-empty array');
  seeds.forEach((s) => assertValidSeed(s));
  const log = options.onLog ?? (() => {});
  const ws = await warmStart(join(options.out, quick ? 'warm-start-quick' : 'warm-start'), quick ? QUICK_WARM_START : DCPO_WARM_START, log);
  const results = await runExperiment(experiment, {
    seeds,
    shared: { warmStart: ws.path },
    budget: options.steps ?? experiment.budget,
    out: join(options.out, 'experiment'),
    print: false,
    onLog: log,
    ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
  });
  const checks = checkSignatures(results);
  const partial = { results, warmStart: ws, checks };
  const markdown = reportMarkdown(partial, quick, resultsTable(results, 'markdown'));
  mkdirSync(options.out, { recursive: true });
  const tmp = join(options.out, `dcpo-report.md.tmp-${process.pid}`);
  writeFileSync(tmp, markdown);
  renameSync(tmp, join(options.out, 'dcpo-report.md'));
  return { ...partial, markdown };
}
