/**
 * SAC learning curve on HalfCheetah-v5 with RL-Zoo's MuJoCo hyper-parameters (learning_starts 10000,
 * everything else SB3's defaults: lr 3e-4, batch 256, τ 0.005, γ 0.99, one gradient step per env step,
 * [256, 256], automatic entropy). Every `--eval-every` env steps the deterministic policy is evaluated on
 * `--eval-episodes` episodes of a separate env. Results are appended as they come, so a run cut short is
 * still usable:
 *
 *   <out>/eval.csv       steps, eval mean return, eval std, wall seconds, env-steps/s so far
 *   <out>/episodes.csv   steps, training episode return, length, wall seconds
 *   <out>/curve.json     everything above plus the configuration and machine (rewritten after each eval)
 *   <out>/curve.png      the curve (rewritten after each eval)
 *
 *   npx tsx bench/sac-halfcheetah.ts [--steps 100000] [--seed 0] [--eval-every 5000] [--eval-episodes 5]
 *                                    [--out results/halfcheetah-sac] [--backend auto] [--learning-starts 10000]
 *
 * The replay buffer holds all `--steps` transitions (SB3's 1e6 would never wrap within 100k steps, so
 * the run is the same, with less memory).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../src/core/backend.js';
import { ready } from '../src/envs/mujoco/index.js';
import { make } from '../src/envs/registration.js';
import { SAC } from '../src/algos/sac/index.js';
import { Callback } from '../src/train/callbacks.js';
import { evaluatePolicy } from '../src/train/evaluate.js';
import { describeMachine } from '../src/cli/machine.js';
import { writeChart } from '../src/plot/png.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const ENV_ID = 'HalfCheetah-v5';
const steps = Number(arg('steps', '100000'));
const seed = Number(arg('seed', '0'));
const evalEvery = Number(arg('eval-every', '5000'));
const evalEpisodes = Number(arg('eval-episodes', '5'));
const outDir = arg('out', 'results/halfcheetah-sac');
const zooConfig = { learningStarts: Number(arg('learning-starts', '10000')), bufferSize: steps };

interface EvalPoint {
  steps: number;
  meanReturn: number;
  stdReturn: number;
  seconds: number;
}
interface TrainEpisode {
  steps: number;
  return: number;
  length: number;
  seconds: number;
}

/** Logs finished training episodes and evaluates the deterministic policy every `evalEvery` steps. */
class CurveRecorder extends Callback {
  readonly evals: EvalPoint[] = [];
  readonly episodes: TrainEpisode[] = [];
  private seenEpisodes = 0;
  private nextEval = evalEvery;
  private readonly evalEnv = make(ENV_ID);

  constructor(private readonly sac: SAC, private readonly start: number, private readonly header: Record<string, unknown>) {
    super();
  }

  private seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  override onStep(): boolean {
    if (this.sac.episodeCount !== this.seenEpisodes) {
      const recent = this.sac.recentEpisodes;
      const fresh = this.sac.episodeCount - this.seenEpisodes;
      for (const ep of recent.slice(-fresh)) {
        const row: TrainEpisode = { steps: this.sac.numTimesteps, return: ep.r, length: ep.l, seconds: this.seconds() };
        this.episodes.push(row);
        appendFileSync(join(outDir, 'episodes.csv'), `${row.steps},${row.return.toFixed(3)},${row.length},${row.seconds.toFixed(1)}\n`);
      }
      this.seenEpisodes = this.sac.episodeCount;
    }
    if (this.sac.numTimesteps >= this.nextEval) {
      this.nextEval += evalEvery;
      this.evaluate();
    }
    return true;
  }

  /** Evaluates now (also called once before training, at step 0). */
  evaluate(): void {
    const trainSeconds = this.seconds();
    const result = evaluatePolicy(this.sac, this.evalEnv, { nEvalEpisodes: evalEpisodes, deterministic: true, seed: 10_000 });
    const point: EvalPoint = { steps: this.sac.numTimesteps, meanReturn: result.meanReward, stdReturn: result.stdReward, seconds: trainSeconds };
    this.evals.push(point);
    const sps = point.seconds > 0 ? point.steps / point.seconds : 0;
    appendFileSync(join(outDir, 'eval.csv'), `${point.steps},${point.meanReturn.toFixed(2)},${point.stdReturn.toFixed(2)},${point.seconds.toFixed(1)},${sps.toFixed(1)}\n`);
    console.log(`${new Date().toISOString()} step ${point.steps}: eval ${point.meanReturn.toFixed(1)} ± ${point.stdReturn.toFixed(1)}, ${point.seconds.toFixed(0)} s, ${sps.toFixed(1)} env-steps/s`);
    this.writeSummary();
  }

  private writeSummary(): void {
    writeFileSync(join(outDir, 'curve.json'), `${JSON.stringify({ ...this.header, evals: this.evals, trainingEpisodes: this.episodes }, null, 1)}\n`);
    if (this.evals.length < 2) return;
    const lines = [
      { label: `deterministic eval (${evalEpisodes} episodes)`, x: this.evals.map((e) => e.steps), y: this.evals.map((e) => e.meanReturn) },
    ];
    if (this.episodes.length >= 2) lines.push({ label: 'training episode return', x: this.episodes.map((e) => e.steps), y: this.episodes.map((e) => e.return) });
    try {
      writeChart(join(outDir, 'curve.png'), { title: `SAC on ${ENV_ID}, seed ${seed}`, xLabel: 'env steps', yLabel: 'return', lines });
    } catch (err) {
      console.error(`plot skipped: ${(err as Error).message}`);
    }
  }

  close(): void {
    this.evalEnv.close();
  }
}

const backend = await initBackend(arg('backend', process.env.TELEO_BACKEND ?? 'auto'));
await ready;
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'eval.csv'), 'steps,eval_mean_return,eval_std_return,wall_seconds,env_steps_per_second\n');
writeFileSync(join(outDir, 'episodes.csv'), 'steps,return,length,wall_seconds\n');
const header = {
  env: ENV_ID,
  algo: 'SAC',
  seed,
  totalSteps: steps,
  config: zooConfig,
  evalEvery,
  evalEpisodes,
  backend: backend.name,
  machine: describeMachine(),
  startedAt: new Date().toISOString(),
};
console.log(JSON.stringify(header));
const model = new SAC(ENV_ID, { seed, ...zooConfig });
const start = performance.now();
const recorder = new CurveRecorder(model, start, header);
recorder.evaluate();
await model.learn({ totalTimesteps: steps, callbacks: recorder });
if (recorder.evals.at(-1)?.steps !== model.numTimesteps) recorder.evaluate();
const seconds = (performance.now() - start) / 1000;
console.log(`done: ${model.numTimesteps} steps in ${seconds.toFixed(0)} s (${(model.numTimesteps / seconds).toFixed(1)} env-steps/s incl. evaluation); final eval ${recorder.evals.at(-1)!.meanReturn.toFixed(1)}`);
recorder.close();
model.close();
