/**
 * Entry point of an experiment worker process (forked by `runExperiment`). It receives one job, imports the
 * experiment's module by URL (which registers the experiment), runs the (arm, seed) and reports the metrics or
 * the error over IPC, then exits. One process per run keeps runs isolated: no state leaks from one seed to
 * the next, and a crash takes down only its own run.
 */
import { getExperiment } from './define.js';
import { runArm, serializeError } from './run-arm.js';
import { WORKER_FLAG, type WorkerJob, type WorkerMessage } from './protocol.js';

function send(message: WorkerMessage, then?: () => void): void {
  process.send!(message, undefined, {}, () => then?.());
}

if (typeof process.send !== 'function') {
  process.stderr.write('teleo experiment worker: must be started by runExperiment (no IPC channel)\n');
  process.exit(2);
}

// Lets runExperiment refuse to start from inside a worker (a module that runs its experiment at top level
// would otherwise fork workers recursively).
(globalThis as Record<symbol, unknown>)[WORKER_FLAG] = true;

process.once('message', (job: WorkerJob) => {
  void (async () => {
    try {
      await import(job.module);
      const experiment = getExperiment(job.experiment);
      if (experiment === undefined) {
        throw new Error(`importing ${job.module} did not define an experiment named '${job.experiment}' (defineExperiment with module: import.meta.url)`);
      }
      const log = (message: string) => send({ type: 'log', message: String(message) });
      const metrics = await runArm(experiment, job.arm, job.seed, job.budget, log, job.shared ?? {});
      send({ type: 'result', metrics }, () => process.exit(0));
    } catch (error) {
      send({ type: 'error', error: serializeError(error) }, () => process.exit(0));
    }
  })();
});
