/**
 * Worker-thread entry point of AsyncVectorEnv: builds its sub-envs from their specs, then serves commands
 * from the main thread over the shared control array (see async-protocol.ts) until told to close.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Env } from '../env.js';
import { make } from '../registration.js';
import {
  ACK,
  CMD,
  Command,
  DEAD,
  REQ,
  STATUS,
  Status,
  type BuffersMessage,
  type CallMessage,
  type ErrorMessage,
  type ResetMessage,
  type WorkerBootData,
  type WorkerReply,
} from './async-protocol.js';
import { callAttr, setAttr } from './env-attributes.js';
import { SubEnvFailure, SubEnvRunner } from './sub-env-runner.js';
import { spaceFromJSON } from '../../core/spaces/utils.js';

const boot = workerData as WorkerBootData;
const { control, base, offset, port } = boot;

// A worker that exits (process.exit inside an env, an uncaught error) wakes the main thread right away.
process.on('exit', () => {
  Atomics.store(control, base + DEAD, 1);
  Atomics.notify(control, base + ACK);
});

/** Number of the request being served: 1 is start-up; the main thread sends one request at a time. */
let current = 1;

function reply(status: number, message?: WorkerReply): void {
  if (message !== undefined) port.postMessage(message);
  Atomics.store(control, base + STATUS, status);
  Atomics.store(control, base + ACK, current);
  Atomics.notify(control, base + ACK);
}

function errorMessage(err: unknown, fallbackIndex: number): ErrorMessage {
  const index = err instanceof SubEnvFailure ? err.index : fallbackIndex;
  const original = err instanceof SubEnvFailure ? err.original : err;
  if (original instanceof Error) return { type: 'error', index, name: original.name, message: original.message, stack: original.stack };
  return { type: 'error', index, name: 'Error', message: String(original) };
}

function receive<T>(): T {
  const got = receiveMessageOnPort(port);
  if (got === undefined) throw new Error('AsyncVectorEnv worker: expected a command message, found none');
  return got.message as T;
}

/**
 * TypeScript modules go through tsx's require hook (installed by the spawner); others are imported. A module
 * whose environments need asynchronous setup (e.g. a wasm simulator) exports a `ready` promise, awaited here.
 */
async function loadModule(specifier: string): Promise<void> {
  let exports: { ready?: unknown };
  if (/\.[cm]?tsx?$/.test(specifier.replace(/[?#].*$/, ''))) {
    exports = createRequire(import.meta.url)(specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier);
  } else {
    exports = await import(specifier);
  }
  const ready = exports?.ready as PromiseLike<unknown> | undefined;
  if (ready && typeof ready.then === 'function') await ready;
}

async function buildEnvs(): Promise<Env<any, any>[]> {
  const envs: Env<any, any>[] = [];
  for (let k = 0; k < boot.sources.length; k++) {
    const source = boot.sources[k]!;
    try {
      if (source.module !== undefined) await loadModule(source.module);
      envs.push(make(source.id, source.options ?? {}));
    } catch (err) {
      throw new SubEnvFailure(offset + k, err);
    }
  }
  return envs;
}

function serve(envs: Env<any, any>[]): void {
  const observation = envs[0]!.observationSpace;
  const action = envs[0]!.actionSpace;
  let runner: SubEnvRunner | null = null;
  for (;;) {
    // The next request may already be posted (the main thread can be faster than us): only wait if not.
    while (Atomics.load(control, base + REQ) === current) Atomics.wait(control, base + REQ, current);
    current += 1;
    const cmd = Atomics.load(control, base + CMD);
    try {
      if (cmd === Command.Init) {
        const b = receive<BuffersMessage>();
        // The buffers arrive as typed arrays over SharedArrayBuffers: the same memory the main thread reads.
        runner = new SubEnvRunner(envs, offset, { observation, action }, boot.autoresetMode, {
          observations: b.observations,
          finalObservations: b.finalObservations,
          actions: b.actions,
          rewards: b.rewards,
          terminations: b.terminations,
          truncations: b.truncations,
        });
        reply(Status.Ok);
      } else if (cmd === Command.Reset) {
        const m = receive<ResetMessage>();
        const reports = runner!.reset(m.seeds, m.options, m.mask);
        if (reports.length > 0) reply(Status.Reply, { type: 'reports', reports });
        else reply(Status.Ok);
      } else if (cmd === Command.Step) {
        const reports = runner!.step();
        if (reports.length > 0) reply(Status.Reply, { type: 'reports', reports });
        else reply(Status.Ok);
      } else if (cmd === Command.Call) {
        const m = receive<CallMessage>();
        const values = envs.map((env, k) => {
          try {
            if (m.set === undefined) return callAttr(env, m.name, m.args);
            setAttr(env, m.name, m.set[k]);
            return undefined;
          } catch (err) {
            throw new SubEnvFailure(offset + k, err);
          }
        });
        reply(Status.Reply, { type: 'results', values });
      } else if (cmd === Command.Close) {
        let failure: ErrorMessage | undefined;
        for (let k = 0; k < envs.length; k++) {
          try {
            envs[k]!.close();
          } catch (err) {
            failure ??= errorMessage(err, offset + k);
          }
        }
        if (failure) reply(Status.Error, failure);
        else reply(Status.Ok);
        port.close();
        return;
      }
    } catch (err) {
      try {
        reply(Status.Error, errorMessage(err, offset));
      } catch (postErr) {
        // e.g. an info that cannot be structured-cloned
        reply(Status.Error, errorMessage(postErr, err instanceof SubEnvFailure ? err.index : offset));
      }
    }
  }
}

async function main(): Promise<void> {
  let envs: Env<any, any>[];
  try {
    envs = await buildEnvs();
    const spaces = envs.map((e) => [e.observationSpace, e.actionSpace] as const);
    // Spaces must agree within the worker too; the main thread compares across workers.
    for (let k = 1; k < spaces.length; k++) {
      if (!spaces[k]![0].equals(spaces[0]![0]) || !spaces[k]![1].equals(spaces[0]![1])) {
        throw new SubEnvFailure(offset + k, new Error(`spaces differ from those of sub-environment ${offset}`));
      }
    }
    // Round-trip check: the main thread rebuilds the spaces from JSON, so they must survive it.
    spaceFromJSON(envs[0]!.observationSpace.toJSON());
    reply(Status.Reply, {
      type: 'spaces',
      observation: envs[0]!.observationSpace.toJSON(),
      action: envs[0]!.actionSpace.toJSON(),
      metadata: JSON.parse(JSON.stringify(envs[0]!.metadata)) as Record<string, unknown>,
      renderMode: envs[0]!.renderMode,
    });
  } catch (err) {
    reply(Status.Error, errorMessage(err, offset));
    return;
  }
  serve(envs);
}

void main();
