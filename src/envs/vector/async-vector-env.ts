/**
 * AsyncVectorEnv: runs sub-environments in `worker_threads` workers (one per env by default, or
 * `envsPerWorker` per worker) while `reset()`/`step()` stay synchronous (Gymnasium's `AsyncVectorEnv`).
 *
 * Observations, actions, rewards and termination flags live in SharedArrayBuffer-backed batches that the
 * workers write directly; the main thread blocks in `Atomics.wait` until every worker has answered (see
 * async-protocol.ts). Infos cross threads only when a sub-env reported some.
 *
 * Workers cannot receive closures, so sub-envs are described by registered ids: a worker imports the id's
 * `module` (set with `register({ ..., module: import.meta.url })`) and calls `make(id, options)`.
 *
 * Failures:
 * - a sub-env that throws → `EnvWorkerError` naming its index; the vector env stays open and usable, but
 *   every env must be reset before the next step (some may have moved, others not).
 * - a worker that dies (process.exit in an env, terminated from outside) → `EnvWorkerError` naming the
 *   worker's first env; the vector env is then closed (all workers terminated) and later calls throw
 *   `ClosedEnvironmentError`. Death is noticed while blocked: the main thread waits in 50 ms slices and checks
 *   the worker's 'exit' flag and whether its thread has stopped.
 * - `close()` asks workers to close their envs, waits at most `closeTimeoutMs`, then terminates them.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ClosedEnvironmentError, EnvWorkerError, InvalidArgumentError, TeleoError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng, makeRng } from '../../core/rng.js';
import type { Space } from '../../core/spaces/space.js';
import { spaceFromJSON } from '../../core/spaces/utils.js';
import { spec as specOf } from '../registration.js';
import { assertSameSpaces, assertValidActions, parseAutoresetMode, parseCopyOption, resolveSeeds, splitResetOptions } from './arguments.js';
import {
  ACK,
  CMD,
  Command,
  DEAD,
  REQ,
  SLOTS,
  STATUS,
  Status,
  type BuffersMessage,
  type CallMessage,
  type EnvSpecSource,
  type ErrorMessage,
  type ResetMessage,
  type SpacesMessage,
  type WorkerBootData,
  type WorkerReply,
} from './async-protocol.js';
import { batchSpace, copyBatch, copyBatchInto, createBatch } from './batching.js';
import { perEnvValues } from './env-attributes.js';
import { EnvState, assertSteppable, mergeReports, updateStatesAfterStep } from './lifecycle.js';
import type { EnvReport } from './sub-env-runner.js';
import {
  VectorEnv,
  type AutoresetMode,
  type VectorEnvMetadata,
  type VectorResetArgs,
  type VectorResetResult,
  type VectorStepResult,
} from './vector-env.js';

export interface AsyncVectorEnvOptions {
  /** When and how ended sub-envs are reset (default 'NEXT_STEP'). */
  autoresetMode?: AutoresetMode;
  /** Return a copy of the observation batch (default true); false returns the shared buffer, reused. */
  copy?: boolean;
  /** Sub-envs per worker thread (default 1); the last worker may get fewer. */
  envsPerWorker?: number;
  /** How long to wait for workers to import their modules and build their envs (default 60 000 ms). */
  startupTimeoutMs?: number;
  /** How long `close()` waits for workers to close their envs before terminating them (default 1 000 ms). */
  closeTimeoutMs?: number;
  /**
   * Longest wait for a reset/step/call (default: none). When exceeded the call throws `EnvWorkerError` and the
   * vector env is closed (the stuck worker is terminated), as for a dead worker.
   */
  callTimeoutMs?: number | null;
}

const OPTION_NAMES = ['autoresetMode', 'copy', 'envsPerWorker', 'startupTimeoutMs', 'closeTimeoutMs', 'callTimeoutMs'] as const;
const WAIT_SLICE_MS = 50;

const TS_FILE = /\.[cm]?tsx?$/;

const LOADER_FLAGS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r']);

/**
 * The parent's Node flags minus module loaders/preloads: a parent started with `--import tsx` (npx tsx)
 * would otherwise pass ESM hooks to the workers, which deadlock against the blocked parent (see below).
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const name = flag.split('=')[0]!;
    if (LOADER_FLAGS.has(name)) {
      if (!flag.includes('=')) i += 1; // skip the flag's value
      continue;
    }
    out.push(flag);
  }
  return out;
}

/**
 * Starts a worker thread running async-worker. From compiled JavaScript with JavaScript env modules this is
 * a plain module worker. When TypeScript is involved (running from the sources, e.g. under vitest or tsx, or
 * an env module that is a .ts file), the worker first installs tsx's require hook: its ESM loader hooks
 * (`--import tsx`) are served through the parent thread's event loop on Node 20, which is blocked in
 * `Atomics.wait` while workers start, so they would deadlock; the require hook runs inside the worker.
 */
function spawnWorker(data: WorkerBootData, transferList: MessagePort[]): Worker {
  const workerIsTs = TS_FILE.test(new URL(import.meta.url).pathname);
  const url = new URL(workerIsTs ? './async-worker.ts' : './async-worker.js', import.meta.url);
  const needsTsx = workerIsTs || data.sources.some((s) => s.module !== undefined && TS_FILE.test(s.module.replace(/[?#].*$/, '')));
  const options = {
    workerData: data,
    transferList: transferList as unknown as import('node:worker_threads').TransferListItem[],
    execArgv: workerExecArgv(),
  };
  if (!needsTsx) return new Worker(url, options);
  let hook: string;
  try {
    hook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  } catch {
    throw new InvalidArgumentError('AsyncVectorEnv: loading TypeScript env modules in worker threads needs the tsx package, which was not found');
  }
  const load = workerIsTs ? `require(${JSON.stringify(fileURLToPath(url))});` : `import(${JSON.stringify(url.href)});`;
  return new Worker(`require(${JSON.stringify(hook)}).register();\n${load}`, { ...options, eval: true });
}

/** Terminates the workers of an AsyncVectorEnv that was garbage-collected without close(). */
const abandoned = new FinalizationRegistry<Worker[]>((workers) => {
  for (const w of workers) w.terminate().catch(() => {});
});

interface WorkerSlot {
  worker: Worker;
  port: MessagePort;
  base: number;
  /** Indices (in the vector env) of its envs: [first, end). */
  first: number;
  end: number;
  /** Whether the worker finished starting up (built its envs). */
  started: boolean;
  /** The symbol under which Node keeps the worker's native handle (null: not found). */
  handleKey?: symbol | null;
  /** Whether the thread was once seen running (its stopped-check is only meaningful after that). */
  seenRunning: boolean;
}

interface WorkerAnswer {
  slot: WorkerSlot;
  status: number | 'dead' | 'timeout';
  message?: WorkerReply;
}

/**
 * Whether the worker's thread has stopped. `threadId` turns -1 only once the parent's event loop has seen the
 * exit, which never happens while we block; so, once the worker is up, we also ask Node's internal worker
 * handle, whose `loopIdleTime()` is -1 after the thread stopped (best effort: an internal of Node 20-22; if
 * it is missing we rely on the worker's exit flag and our terminate() hook). Before the thread has set up
 * its environment the handle also answers -1, so the answer counts only once the thread was seen running.
 */
function threadStopped(slot: WorkerSlot): boolean {
  if (slot.worker.threadId === -1) return true;
  if (!slot.started) return false;
  const w = slot.worker as unknown as Record<symbol, { loopIdleTime?: () => number } | null | undefined>;
  slot.handleKey ??= Object.getOwnPropertySymbols(w).find((s) => s.description === 'kHandle') ?? null;
  const handle = slot.handleKey === null ? undefined : w[slot.handleKey];
  if (handle === null) return true;
  if (typeof handle?.loopIdleTime !== 'function') return false;
  const idle = handle.loopIdleTime();
  if (idle >= 0) {
    slot.seenRunning = true;
    return false;
  }
  return slot.seenRunning;
}

function normalizeSource(source: EnvSpecSource | string, i: number): EnvSpecSource {
  const s = typeof source === 'string' ? { id: source } : source;
  if (typeof s !== 'object' || s === null || typeof s.id !== 'string') {
    throw new InvalidArgumentError(`AsyncVectorEnv: entry ${i} must be an env id or { id, options?, module? }`);
  }
  const module = s.module ?? specOf(s.id).module;
  if (module === undefined) {
    throw new InvalidArgumentError(
      `AsyncVectorEnv: '${s.id}' was registered without a module, so worker threads cannot build it; register it with { module: import.meta.url } or pass { id, module }`,
    );
  }
  try {
    structuredClone(s.options ?? {});
  } catch (err) {
    throw new InvalidArgumentError(`AsyncVectorEnv: the options of entry ${i} ('${s.id}') cannot be sent to a worker thread: ${(err as Error).message}`);
  }
  return { id: s.id, options: s.options ?? {}, module };
}

export class AsyncVectorEnv<Obs = any, Act = any, SingleObs = any, SingleAct = any> extends VectorEnv<Obs, Act, SingleObs, SingleAct> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<SingleObs>;
  readonly singleActionSpace: Space<SingleAct>;
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly metadata: VectorEnvMetadata;
  readonly copy: boolean;
  readonly envsPerWorker: number;
  private readonly control: Int32Array;
  private readonly slots: WorkerSlot[] = [];
  private readonly states: Uint8Array;
  private readonly closeTimeoutMs: number;
  private readonly callTimeoutMs: number | null;
  private buffers!: Omit<BuffersMessage, 'type'> & { observations: Obs };
  private _rng: Rng | null = null;
  /** Why the vector env closed itself (a worker died), for later error messages. */
  private closedReason: string | null = null;

  constructor(sources: readonly (EnvSpecSource | string)[], options: AsyncVectorEnvOptions = {}) {
    super();
    checkOptions('AsyncVectorEnv', options, OPTION_NAMES);
    if (!Array.isArray(sources) || sources.length < 1) throw new InvalidArgumentError('AsyncVectorEnv needs a non-empty array of env ids or { id, options } entries');
    const mode = parseAutoresetMode(options.autoresetMode, 'AsyncVectorEnv');
    const copy = parseCopyOption(options.copy, 'AsyncVectorEnv');
    const perWorker = options.envsPerWorker ?? 1;
    if (!Number.isSafeInteger(perWorker) || perWorker < 1) throw new InvalidArgumentError(`AsyncVectorEnv: envsPerWorker must be a positive integer, got ${String(perWorker)}`);
    const timeouts = [
      ['startupTimeoutMs', options.startupTimeoutMs],
      ['closeTimeoutMs', options.closeTimeoutMs],
      ['callTimeoutMs', options.callTimeoutMs ?? undefined],
    ] as const;
    for (const [name, v] of timeouts) {
      if (v !== undefined && (typeof v !== 'number' || !(v > 0))) throw new InvalidArgumentError(`AsyncVectorEnv: ${name} must be a positive number, got ${String(v)}`);
    }
    const specs = sources.map(normalizeSource);
    this.copy = copy;
    this.envsPerWorker = perWorker;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    this.callTimeoutMs = options.callTimeoutMs ?? null;
    this.numEnvs = specs.length;
    this.states = new Uint8Array(this.numEnvs);
    const numWorkers = Math.ceil(this.numEnvs / perWorker);
    this.control = new Int32Array(new SharedArrayBuffer(numWorkers * SLOTS * Int32Array.BYTES_PER_ELEMENT));

    for (let w = 0; w < numWorkers; w++) {
      const first = w * perWorker;
      const end = Math.min(first + perWorker, this.numEnvs);
      const base = w * SLOTS;
      const channel = new MessageChannel();
      this.control[base + REQ] = 1; // request #1 is "start up"
      const data: WorkerBootData = { control: this.control, base, offset: first, sources: specs.slice(first, end), autoresetMode: mode, port: channel.port2 };
      const worker = spawnWorker(data, [channel.port2]);
      worker.unref(); // a forgotten vector env must not keep the process alive
      worker.on('error', () => {}); // reported through the control array instead
      // A worker terminated while we block in Atomics.wait may never look stopped to us (Node finishes the
      // exit on our event loop), so terminate() itself raises the worker's DEAD flag first.
      const terminate = worker.terminate.bind(worker);
      const control = this.control;
      worker.terminate = () => {
        Atomics.store(control, base + DEAD, 1);
        Atomics.notify(control, base + ACK);
        return terminate();
      };
      this.slots.push({ worker, port: channel.port1, base, first, end, started: false, seenRunning: false });
    }

    abandoned.register(this, this.slots.map((s) => s.worker), this);

    let spaces: SpacesMessage[];
    try {
      const answers = this.collect(this.slots, options.startupTimeoutMs ?? 60_000);
      for (const a of answers) if (a.status === Status.Reply) a.slot.started = true;
      this.throwOnFailures(answers, 'start');
      spaces = answers.map((a) => a.message as SpacesMessage);
    } catch (err) {
      this.terminateAll();
      this.closed = true;
      throw err;
    }
    const obsSpaces = spaces.map((s) => spaceFromJSON(s.observation));
    const actSpaces = spaces.map((s) => spaceFromJSON(s.action));
    try {
      assertSameSpaces('observation', obsSpaces);
      assertSameSpaces('action', actSpaces);
    } catch (err) {
      this.terminateAll();
      this.closed = true;
      throw err;
    }
    this.singleObservationSpace = obsSpaces[0]!;
    this.singleActionSpace = actSpaces[0]!;
    this.observationSpace = batchSpace(this.singleObservationSpace, this.numEnvs);
    this.actionSpace = batchSpace(this.singleActionSpace, this.numEnvs);
    this.metadata = { renderModes: [], ...spaces[0]!.metadata, autoresetMode: mode };
    this.renderMode = spaces[0]!.renderMode;

    const shared = { shared: true };
    this.buffers = {
      observations: createBatch(this.singleObservationSpace, this.numEnvs, shared),
      finalObservations: mode === 'SAME_STEP' ? createBatch(this.singleObservationSpace, this.numEnvs, shared) : null,
      actions: createBatch(this.singleActionSpace, this.numEnvs, shared),
      rewards: new Float64Array(new SharedArrayBuffer(this.numEnvs * 8)),
      terminations: new Uint8Array(new SharedArrayBuffer(this.numEnvs)),
      truncations: new Uint8Array(new SharedArrayBuffer(this.numEnvs)),
    };
    try {
      this.runCommand(Command.Init, () => ({ type: 'buffers', ...this.buffers }));
    } catch (err) {
      if (!this.closed) this.close();
      throw err;
    }
  }

  get rng(): Rng {
    if (this._rng === null) this._rng = makeRng()[0];
    return this._rng;
  }

  override reset(args: VectorResetArgs = {}): VectorResetResult<Obs> {
    this.assertOpen('reset');
    const seeds = resolveSeeds(args.seed, this.numEnvs);
    const { mask, envOptions } = splitResetOptions(args.options, this.numEnvs);
    try {
      structuredClone(envOptions);
    } catch (err) {
      throw new InvalidArgumentError(`AsyncVectorEnv.reset: options cannot be sent to worker threads: ${(err as Error).message}`);
    }
    if (typeof args.seed === 'number') this._rng = makeRng(args.seed)[0];
    const message: ResetMessage = { type: 'reset', seeds, options: envOptions, mask };
    const reports = this.runCommand(Command.Reset, () => message);
    for (let i = 0; i < this.numEnvs; i++) if (mask === undefined || mask[i]) this.states[i] = EnvState.Running;
    const infos = mergeReports(reports, this.numEnvs, this.singleObservationSpace, null);
    return [this.observationsOut(), infos];
  }

  override step(actions: Act): VectorStepResult<Obs> {
    this.assertOpen('step');
    assertSteppable(this.states, this.autoresetMode);
    assertValidActions(this.singleActionSpace, actions, this.numEnvs);
    copyBatchInto(this.singleActionSpace, this.buffers.actions, actions);
    const reports = this.runCommand(Command.Step, null);
    const { rewards, terminations, truncations, finalObservations } = this.buffers;
    updateStatesAfterStep(this.states, this.autoresetMode, terminations, truncations);
    const infos = mergeReports(reports, this.numEnvs, this.singleObservationSpace, finalObservations);
    return [this.observationsOut(), rewards.slice(), terminations.slice(), truncations.slice(), infos];
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    let failure: unknown = null;
    try {
      const answers = this.dispatch(Command.Close, null, this.closeTimeoutMs);
      const error = answers.find((a) => a.status === Status.Error);
      if (error) failure = this.toError(error.message as ErrorMessage);
    } catch (err) {
      failure = err;
    } finally {
      this.terminateAll();
    }
    if (failure !== null) throw new TeleoError('ENV_CLOSE', `AsyncVectorEnv.close(): ${String(failure)}`, { cause: failure });
  }

  /**
   * Calls method `name` (or reads attribute `name`) of every sub-env in its worker, through its wrappers.
   * Arguments and results must survive structured cloning. Does not disturb stepping.
   */
  call(name: string, ...args: unknown[]): unknown[] {
    this.assertOpen('call');
    try {
      structuredClone(args);
    } catch (err) {
      throw new InvalidArgumentError(`AsyncVectorEnv.call('${String(name)}'): arguments cannot be sent to worker threads: ${(err as Error).message}`);
    }
    return this.runCall((s) => ({ type: 'call', name, args }));
  }

  /** Attribute `name` of every sub-env (methods are called without arguments). */
  getAttr(name: string): unknown[] {
    return this.call(name);
  }

  /** Sets attribute `name` on every sub-env: one value for all, or an array of numEnvs values. */
  setAttr(name: string, values: unknown): void {
    this.assertOpen('setAttr');
    const perEnv = perEnvValues(values, this.numEnvs);
    try {
      structuredClone(perEnv);
    } catch (err) {
      throw new InvalidArgumentError(`AsyncVectorEnv.setAttr('${String(name)}'): values cannot be sent to worker threads: ${(err as Error).message}`);
    }
    this.runCall((s) => ({ type: 'call', name, args: [], set: perEnv.slice(s.first, s.end) }));
  }

  private runCall(message: (slot: WorkerSlot) => CallMessage): unknown[] {
    const answers = this.dispatch(Command.Call, message, this.callTimeoutMs);
    this.throwOnFailures(answers, 'run'); // a failed call leaves the envs' step state untouched
    return answers.flatMap((a) => (a.message as { values: unknown[] }).values);
  }

  /** Renders every sub-env in its worker (frames must survive structured cloning). */
  override render(): unknown[] {
    return this.call('render');
  }

  /** The worker threads (one per `envsPerWorker` envs), e.g. to inspect their thread ids. */
  get workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  private assertOpen(what: string): void {
    if (this.closed) {
      throw new ClosedEnvironmentError(`${what}() called on a closed AsyncVectorEnv${this.closedReason ? ` (closed because ${this.closedReason})` : ''}`);
    }
  }

  private observationsOut(): Obs {
    return this.copy ? copyBatch(this.singleObservationSpace, this.buffers.observations) : this.buffers.observations;
  }

  /** Runs a command on every worker and returns their reports in env order; throws typed errors on failure. */
  private runCommand(cmd: number, message: ((slot: WorkerSlot) => unknown) | null): EnvReport[] {
    const answers = this.dispatch(cmd, message, this.callTimeoutMs);
    try {
      this.throwOnFailures(answers, 'run');
    } catch (err) {
      if (!this.closed) this.states.fill(EnvState.NeedsReset);
      throw err;
    }
    const reports: EnvReport[] = [];
    for (const a of answers) if (a.message?.type === 'reports') reports.push(...a.message.reports);
    return reports;
  }

  private dispatch(cmd: number, message: ((slot: WorkerSlot) => unknown) | null, timeoutMs: number | null): WorkerAnswer[] {
    const c = this.control;
    const live = this.slots.filter((s) => Atomics.load(c, s.base + DEAD) === 0);
    // A worker found dead before we even ask is a failure of this command (except when closing).
    const dead = cmd === Command.Close ? undefined : this.slots.find((s) => !live.includes(s));
    if (dead) return [{ slot: dead, status: 'dead' }];
    for (const s of live) {
      if (message !== null) s.port.postMessage(message(s));
      Atomics.store(c, s.base + CMD, cmd);
      Atomics.store(c, s.base + STATUS, Status.Ok);
      Atomics.add(c, s.base + REQ, 1);
      Atomics.notify(c, s.base + REQ);
    }
    return this.collect(live, timeoutMs);
  }

  /** Waits (in slices, checking liveness) until each worker has answered its current request. */
  private collect(slots: WorkerSlot[], timeoutMs: number | null): WorkerAnswer[] {
    const c = this.control;
    const deadline = timeoutMs === null ? Infinity : Date.now() + timeoutMs;
    return slots.map((slot) => {
      let slow = false;
      for (;;) {
        const ack = Atomics.load(c, slot.base + ACK);
        if (ack === Atomics.load(c, slot.base + REQ)) {
          const status = Atomics.load(c, slot.base + STATUS);
          const reply = status === Status.Ok ? undefined : receiveMessageOnPort(slot.port);
          return { slot, status, message: reply?.message as WorkerReply | undefined };
        }
        if (Atomics.load(c, slot.base + DEAD) === 1) return { slot, status: 'dead' };
        // Probe the thread only once the worker is slow to answer, keeping the fast path free of it.
        if (slow && threadStopped(slot)) return { slot, status: 'dead' };
        if (Date.now() > deadline) return { slot, status: 'timeout' };
        if (Atomics.wait(c, slot.base + ACK, ack, WAIT_SLICE_MS) === 'timed-out') slow = true;
      }
    });
  }

  private toError(m: ErrorMessage): EnvWorkerError {
    const original = new Error(m.message);
    original.name = m.name;
    if (m.stack) original.stack = m.stack;
    return new EnvWorkerError(m.index, `${m.name}: ${m.message}`, { cause: original });
  }

  private throwOnFailures(answers: WorkerAnswer[], phase: 'start' | 'run'): void {
    const lost = answers.find((a) => a.status === 'dead' || a.status === 'timeout');
    if (lost) {
      const what =
        lost.status === 'dead'
          ? 'its worker thread exited unexpectedly'
          : phase === 'start'
            ? 'its worker thread did not start in time'
            : `its worker thread did not answer within callTimeoutMs (${this.callTimeoutMs} ms)`;
      this.closedReason = `sub-environment ${lost.slot.first}: ${what}`;
      this.terminateAll();
      this.closed = true;
      throw new EnvWorkerError(lost.slot.first, `${what}${phase === 'run' ? '; the AsyncVectorEnv has been closed' : ''}`);
    }
    const failed = answers.filter((a) => a.status === Status.Error).map((a) => a.message as ErrorMessage);
    if (failed.length > 0) {
      failed.sort((a, b) => a.index - b.index);
      throw this.toError(failed[0]!);
    }
  }

  private terminateAll(): void {
    abandoned.unregister(this);
    for (const s of this.slots) {
      s.port.close();
      s.worker.terminate().catch(() => {});
    }
  }
}
