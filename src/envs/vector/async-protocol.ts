/**
 * The shared-memory protocol between AsyncVectorEnv (main thread) and its worker threads.
 *
 * Each worker owns SLOTS int32 cells of one shared control array. To run a command the main thread posts
 * its arguments (if any) on the worker's MessagePort, writes CMD, increments REQ and notifies; the worker,
 * blocked in `Atomics.wait` on REQ, runs the command, posts a reply message only when it has something to
 * say (infos, an error), writes STATUS, sets ACK = REQ and notifies. Observations, actions, rewards and flags
 * never travel as messages: they sit in SharedArrayBuffer-backed batches both sides index directly.
 */
import type { SpaceJSON } from '../../core/spaces/space.js';
import type { EnvReport } from './sub-env-runner.js';
import type { AutoresetMode } from './vector-env.js';

/**
 * How a worker builds one sub-env: it imports `module` (which registers `id`), then calls
 * `make(id, options)`. `options` must survive structured cloning (no functions).
 */
export interface EnvSpecSource {
  id: string;
  options?: Record<string, unknown>;
  module?: string;
}

export const SLOTS = 5;
export const REQ = 0;
export const ACK = 1;
export const CMD = 2;
export const STATUS = 3;
/** Set to 1 by the worker's process 'exit' handler, so a dying worker wakes the waiting main thread. */
export const DEAD = 4;

export const Command = { Init: 1, Reset: 2, Step: 3, Close: 4, Call: 5 } as const;
export const Status = { Ok: 0, Error: 1, Reply: 2 } as const;

/** `workerData` of a worker. */
export interface WorkerBootData {
  control: Int32Array;
  base: number;
  /** Index (in the vector env) of the worker's first env. */
  offset: number;
  sources: EnvSpecSource[];
  autoresetMode: AutoresetMode;
  port: import('node:worker_threads').MessagePort;
}

export interface SpacesMessage {
  type: 'spaces';
  observation: SpaceJSON;
  action: SpaceJSON;
  metadata: Record<string, unknown>;
  renderMode: string | null;
}

export interface BuffersMessage {
  type: 'buffers';
  observations: unknown;
  finalObservations: unknown;
  actions: unknown;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}

export interface ResetMessage {
  type: 'reset';
  seeds: (number | null)[];
  options: Record<string, unknown> | undefined;
  mask: Uint8Array | undefined;
}

/** `call` (set absent) or `setAttr` (set: one value per env of the worker, in order). */
export interface CallMessage {
  type: 'call';
  name: string;
  args: unknown[];
  set?: unknown[];
}

export interface ResultsMessage {
  type: 'results';
  values: unknown[];
}

export interface ReportsMessage {
  type: 'reports';
  reports: EnvReport[];
}

export interface ErrorMessage {
  type: 'error';
  /** Index (in the vector env) of the env that failed. */
  index: number;
  name: string;
  message: string;
  stack?: string;
}

export type WorkerReply = SpacesMessage | ReportsMessage | ResultsMessage | ErrorMessage;
