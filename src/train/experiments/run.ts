/**
 * `runExperiment`: runs every (arm, seed) of an experiment, aggregates per arm and metric (IQM and bootstrap
 * CI), prints a table and writes results.json / results.md.
 *
 * With `parallel > 1` each run gets its own worker process (`child_process.fork` of `worker.ts`/`worker.js`),
 * at most `parallel` at a time; the worker imports the experiment's `module` URL and runs the one (arm, seed).
 * When this file is TypeScript (under vitest or tsx), or the experiment module is, workers start with
 * `--import <tsx>`, tsx resolved from this package (then from the experiment module, then the working
 * directory), so TypeScript sources run from any working directory.
 *
 * `shared` inputs (JSON values, e.g. the path of a model every run starts from) reach every run as
 * `ctx.shared` — a fresh copy per run, in this process or sent to the worker with its job — and are kept
 * in results.json. With `parallel: 1` runs execute here, one after another (no `module` needed). Both give the
 * same results for deterministic arms. A run that throws, returns malformed metrics or kills its worker is
 * recorded as failed with its arm, seed and error; the other runs still finish and the summary lists it.
 *
 * Workers import the experiment module, so that module must not call `runExperiment` at its top level (call it
 * from a separate script, or guard it); inside a worker `runExperiment` throws `InvalidStateError` to say so.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidArgumentError, InvalidStateError } from '../../core/errors.js';
import { assertValidSeed } from '../../core/rng.js';
import { aggregateRuns, enforceMetricKinds, type BootstrapSettings, type RunRecord } from './aggregate.js';
import { checkBudget, checkJsonValue, checkSeeds, type Experiment, type SharedInputs } from './define.js';
import { WORKER_FLAG, type WorkerJob, type WorkerMessage } from './protocol.js';
import { failureSummary, resultsTable, writeResults, type ExperimentResults } from './report.js';
import { runArm, serializeError, type RunError } from './run-arm.js';

export interface RunExperimentOptions {
  /** Seeds to run (default: the experiment's). */
  seeds?: number[];
  /** Arms to run (default: all). */
  arms?: string[];
  /** Budget passed to every run (default: the experiment's). */
  budget?: number;
  /**
   * Worker processes running at once. Default: min(available cores, number of runs) when the experiment has a
   * `module`, else 1. 1 runs everything in this process.
   */
  parallel?: number;
  /** Directory for results.json and results.md (nothing is written when omitted). */
  out?: string;
  /** Bootstrap settings for the confidence intervals (default 2000 resamples, alpha 0.05, seed 0). */
  bootstrap?: Partial<BootstrapSettings>;
  /** Print the table and summary to stdout (default true). */
  print?: boolean;
  /** Receives run log lines ("[arm seed=s] message") and worker output. Default: stderr when printing. */
  onLog?: (line: string) => void;
  /** Extra Node.js flags for worker processes. */
  execArgv?: string[];
  /**
   * Inputs every run needs, as a plain object of JSON values (e.g. `{ warmStart: '/runs/sft/model' }`); each
   * run gets them as `ctx.shared`. Recorded in results.json.
   */
  shared?: SharedInputs;
}

const OPTION_KEYS = ['seeds', 'arms', 'budget', 'parallel', 'out', 'bootstrap', 'print', 'onLog', 'execArgv', 'shared'];

interface Job {
  arm: string;
  seed: number;
}

interface Plan {
  armNames: string[];
  seeds: number[];
  budget: number;
  parallel: number;
  bootstrap: BootstrapSettings;
  log: (line: string) => void;
  /** Serialised once: every run parses its own copy. */
  sharedJson: string;
}

function plan(experiment: Experiment, options: RunExperimentOptions): Plan {
  const name = experiment.name;
  const bad = (message: string): never => {
    throw new InvalidArgumentError(`runExperiment('${name}'): ${message}`);
  };
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) bad(`unknown option '${key}' (accepted options: ${OPTION_KEYS.join(', ')})`);
  }
  const seeds = options.seeds ?? [...experiment.seeds];
  if (!Array.isArray(seeds) || seeds.length === 0) bad('seeds must be a non-empty array');
  checkSeeds(name, seeds);
  const budget = options.budget ?? experiment.budget;
  checkBudget(name, budget);
  const requested = options.arms ?? [...experiment.armNames];
  if (!Array.isArray(requested) || requested.length === 0) bad('arms must be a non-empty array');
  for (const arm of requested) if (!experiment.armNames.includes(arm)) bad(`unknown arm '${String(arm)}' (arms: ${experiment.armNames.join(', ')})`);
  // Experiment order, baseline first.
  const armNames = experiment.armNames.filter((a) => requested.includes(a));
  if (experiment.baseline !== null && armNames.includes(experiment.baseline)) {
    armNames.splice(armNames.indexOf(experiment.baseline), 1);
    armNames.unshift(experiment.baseline);
  }

  const runs = armNames.length * seeds.length;
  const parallel = options.parallel ?? (experiment.module !== null ? Math.max(1, Math.min(availableParallelism(), runs)) : 1);
  if (!Number.isSafeInteger(parallel) || parallel < 1) bad(`parallel must be a positive integer, got ${String(parallel)}`);
  if (parallel > 1 && experiment.module === null) {
    bad('parallel runs need the experiment module: pass module: import.meta.url to defineExperiment (or use parallel: 1)');
  }

  const b = options.bootstrap ?? {};
  const bootstrap: BootstrapSettings = { reps: b.reps ?? 2000, alpha: b.alpha ?? 0.05, seed: b.seed ?? 0 };
  if (!Number.isSafeInteger(bootstrap.reps) || bootstrap.reps < 1) bad(`bootstrap.reps must be a positive integer, got ${String(bootstrap.reps)}`);
  if (!(bootstrap.alpha > 0 && bootstrap.alpha < 1)) bad(`bootstrap.alpha must be in (0, 1), got ${String(bootstrap.alpha)}`);
  assertValidSeed(bootstrap.seed);

  const shared = options.shared === undefined ? {} : options.shared;
  if (shared === null || typeof shared !== 'object' || Array.isArray(shared)) {
    bad(`shared must be a plain object of JSON values, got ${shared === null ? 'null' : Array.isArray(shared) ? 'an array' : typeof shared}`);
  }
  checkJsonValue(shared, 'shared');

  const print = options.print ?? true;
  const log = options.onLog ?? (print ? (line: string) => void process.stderr.write(line + '\n') : () => {});
  return { armNames, seeds, budget, parallel, bootstrap, log, sharedJson: JSON.stringify(shared) };
}

const prefix = (job: Job) => `[${job.arm} seed=${job.seed}]`;

async function runInProcess(experiment: Experiment, job: Job, p: Plan): Promise<RunRecord> {
  const start = performance.now();
  try {
    const shared = JSON.parse(p.sharedJson) as SharedInputs;
    const metrics = await runArm(experiment, job.arm, job.seed, p.budget, (m) => p.log(`${prefix(job)} ${m}`), shared);
    return { ...job, ok: true, metrics, error: null, durationMs: performance.now() - start };
  } catch (error) {
    return { ...job, ok: false, metrics: null, error: serializeError(error), durationMs: performance.now() - start };
  }
}

function workerEntry(): { path: string; isTs: boolean } {
  const ext = extname(fileURLToPath(import.meta.url));
  return { path: fileURLToPath(new URL(`./worker${ext}`, import.meta.url)), isTs: ext === '.ts' };
}

/**
 * The file URL of tsx's loader, resolved from this package first (a bare `--import tsx` would resolve from
 * the working directory and fail outside the repository), then from the experiment module, then the
 * working directory. Throws when none has tsx installed.
 */
export function resolveTsxLoader(experimentModule: string | null): string {
  const bases = [import.meta.url, ...(experimentModule?.startsWith('file:') ? [experimentModule] : []), pathToFileURL(join(process.cwd(), 'index.js')).href];
  for (const base of bases) {
    try {
      return pathToFileURL(createRequire(base).resolve('tsx')).href;
    } catch {
      // not installed next to this base; try the next
    }
  }
  throw new InvalidStateError(
    `worker processes need tsx to load TypeScript (${experimentModule ?? fileURLToPath(import.meta.url)}), but it is not installed ` +
      'next to teleo, the experiment module or the working directory: install tsx, or run with parallel: 1',
  );
}

/** Node flags that let a worker load TypeScript, when this runner or the experiment module is TypeScript. */
function workerLoaderFlags(experiment: Experiment): string[] {
  const moduleIsTs = /\.(c|m)?ts$/.test(experiment.module!);
  return workerEntry().isTs || moduleIsTs ? ['--import', resolveTsxLoader(experiment.module)] : [];
}

/** Forwards a stream's complete lines to `emit`; returns a function that flushes the remainder. */
function lineSplitter(stream: NodeJS.ReadableStream | null, emit: (line: string) => void): () => void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) emit(line);
  });
  return () => {
    if (pending !== '') emit(pending);
    pending = '';
  };
}

function runInWorker(experiment: Experiment, job: Job, p: Plan, flags: string[]): Promise<RunRecord> {
  const start = performance.now();
  const entry = workerEntry();
  const log = p.log;
  return new Promise((resolve) => {
    let outcome: { metrics: RunRecord['metrics'] } | { error: RunError } | null = null;
    const stderrTail: string[] = [];
    const child = fork(entry.path, [], { execArgv: flags, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const flushOut = lineSplitter(child.stdout, (line) => log(`${prefix(job)} ${line}`));
    const flushErr = lineSplitter(child.stderr, (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      log(`${prefix(job)} ${line}`);
    });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') log(`${prefix(job)} ${message.message}`);
      else if (message.type === 'result') outcome = { metrics: message.metrics };
      else if (message.type === 'error') outcome = { error: message.error };
    });
    let settled = false;
    const finish = (fallback: RunError) => {
      if (settled) return;
      settled = true;
      flushOut();
      flushErr();
      const durationMs = performance.now() - start;
      if (outcome !== null && 'metrics' in outcome) resolve({ ...job, ok: true, metrics: outcome.metrics, error: null, durationMs });
      else resolve({ ...job, ok: false, metrics: null, error: outcome?.error ?? fallback, durationMs });
    };
    child.on('error', (error) => {
      finish(serializeError(error));
      child.kill();
    });
    child.on('close', (code, signal) => {
      const tail = stderrTail.length > 0 ? `; last stderr lines:\n${stderrTail.join('\n')}` : '';
      finish({ name: 'WorkerExitError', message: `worker process exited with ${signal ? `signal ${signal}` : `code ${code}`} before reporting a result${tail}` });
    });
    const shared = JSON.parse(p.sharedJson) as SharedInputs;
    const message: WorkerJob = { type: 'run', module: experiment.module!, experiment: experiment.name, arm: job.arm, seed: job.seed, budget: p.budget, shared };
    child.send(message);
  });
}

/** Runs arms × seeds, aggregates, prints and writes the results. Never throws for a failing run. */
export async function runExperiment(experiment: Experiment, options: RunExperimentOptions = {}): Promise<ExperimentResults> {
  if (experiment === null || typeof experiment !== 'object' || !Array.isArray(experiment.armNames)) {
    throw new InvalidArgumentError('runExperiment needs an experiment from defineExperiment()');
  }
  if ((globalThis as Record<symbol, unknown>)[WORKER_FLAG] === true) {
    throw new InvalidStateError(
      `runExperiment('${experiment.name}') was called inside an experiment worker: the worker imports the experiment module, ` +
        'so that module must not run experiments when imported (call runExperiment from a separate script or guard it)',
    );
  }
  const p = plan(experiment, options);
  const jobs: Job[] = p.armNames.flatMap((arm) => p.seeds.map((seed) => ({ arm, seed })));
  const startedAt = new Date();
  const start = performance.now();
  const records: RunRecord[] = new Array(jobs.length);

  if (p.parallel === 1) {
    for (let i = 0; i < jobs.length; i++) records[i] = await runInProcess(experiment, jobs[i]!, p);
  } else {
    const flags = [...workerLoaderFlags(experiment), ...(options.execArgv ?? [])];
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const i = next++;
        records[i] = await runInWorker(experiment, jobs[i]!, p, flags);
      }
    };
    await Promise.all(Array.from({ length: Math.min(p.parallel, jobs.length) }, lane));
  }

  enforceMetricKinds(experiment, records);
  const results: ExperimentResults = {
    experiment: {
      name: experiment.name,
      description: experiment.description,
      budget: p.budget,
      seeds: p.seeds,
      arms: p.armNames,
      baseline: experiment.baseline,
      metrics: experiment.metrics.map((m) => ({ key: m.key, label: m.label, higherIsBetter: m.higherIsBetter, ...(m.xLabel === undefined ? {} : { xLabel: m.xLabel }) })),
      module: experiment.module,
    },
    ...(options.shared === undefined ? {} : { shared: JSON.parse(p.sharedJson) as SharedInputs }),
    bootstrap: p.bootstrap,
    parallel: p.parallel,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - start,
    arms: aggregateRuns(experiment, p.armNames, records, p.bootstrap),
    runs: records,
    failures: records.filter((r) => !r.ok).map((r) => ({ arm: r.arm, seed: r.seed, error: r.error! })),
    ok: records.every((r) => r.ok),
  };
  if (options.print ?? true) process.stdout.write(`${resultsTable(results, 'text')}\n\n${failureSummary(results)}\n`);
  if (options.out !== undefined) writeResults(options.out, results);
  return results;
}
