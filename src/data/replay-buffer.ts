/**
 * Replay buffers for off-policy learners (SAC, TD3, DQN).
 *
 * `ReplayBuffer` stores transitions of `numEnvs` parallel envs in preallocated typed arrays laid out as
 * SB3's: `rows × numEnvs`, one row per vector step, overwritten circularly. `terminated` and `truncated`
 * are stored separately: only termination stops bootstrapping, and the stored next observation is the
 * true final observation of a truncated episode (`infos.final_obs` of a SAME_STEP vector env), so a
 * time-limit cut bootstraps from V(final obs) as it should.
 *
 * With `nSteps > 1` a sample's reward is the discounted sum Σ_k γ^k r_{t+k} along the same env, stopping
 * early at an episode end (terminated or truncated) or at the newest stored step; its next observation
 * and termination flag are those of the last step summed, and `discounts` holds γ^(steps summed), so
 * every learner forms its target as  r + discount·(1 − terminated)·V(next)  for any n (γ for n = 1).
 *
 * Sampling is uniform with replacement (as SB3) from a Teleo `Rng`; sampling before the buffer holds
 * `batchSize` transitions is an `InvalidStateError`. `SegmentedReplayBuffer` draws fixed shares of each
 * batch from named buffers (RLPD's offline/online 50:50, H2O's real/sim split). `getState`/`setState`
 * copy the full contents for exact resume.
 */
import { InvalidArgumentError, InvalidStateError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

export interface ReplayBufferOptions {
  /** Transitions the buffer holds (rounded up to a whole number of vector steps). */
  capacity: number;
  obsDim: number;
  /** Values per action (1 for a Discrete action, stored as its index). */
  actionDim: number;
  /** Parallel envs written per `add` (default 1). */
  numEnvs?: number;
  /** Discount used for n-step returns (default 0.99). */
  gamma?: number;
  /** Steps summed per sampled return (default 1). */
  nSteps?: number;
}

/** One vector step: `numEnvs` transitions, observation arrays row-major `[numEnvs, obsDim]`. */
export interface ReplayStep {
  observations: ArrayLike<number>;
  actions: ArrayLike<number>;
  rewards: ArrayLike<number>;
  /** Next observations; for an episode that ended this step, its true final observation. */
  nextObservations: ArrayLike<number>;
  terminations: ArrayLike<boolean | number>;
  truncations: ArrayLike<boolean | number>;
}

/** A sampled batch (freshly allocated unless `sampleInto` is given one). */
export interface ReplaySample {
  batchSize: number;
  observations: Float32Array;
  actions: Float32Array;
  /** Reward, or the n-step discounted reward sum. */
  rewards: Float32Array;
  nextObservations: Float32Array;
  /** 1 where the last summed step terminated (no bootstrap), else 0. */
  terminations: Float32Array;
  /** γ^(steps summed): the factor in front of V(next). */
  discounts: Float32Array;
}

export interface ReplayBufferState {
  rows: number;
  numEnvs: number;
  obsDim: number;
  actionDim: number;
  pos: number;
  full: boolean;
  observations: Float32Array;
  nextObservations: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}

function positiveInt(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`ReplayBuffer ${what} must be a positive integer, got ${String(n)}`);
  return n;
}

/** An empty batch of `batchSize` transitions. */
export function allocateReplaySample(batchSize: number, obsDim: number, actionDim: number): ReplaySample {
  return {
    batchSize,
    observations: new Float32Array(batchSize * obsDim),
    actions: new Float32Array(batchSize * actionDim),
    rewards: new Float32Array(batchSize),
    nextObservations: new Float32Array(batchSize * obsDim),
    terminations: new Float32Array(batchSize),
    discounts: new Float32Array(batchSize),
  };
}

export class ReplayBuffer {
  readonly rows: number;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly gamma: number;
  readonly nSteps: number;
  private readonly observations: Float32Array;
  private readonly nextObservations: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminations: Uint8Array;
  private readonly truncations: Uint8Array;
  /** Row written by the next `add`. */
  private pos = 0;
  private full = false;

  constructor(options: ReplayBufferOptions) {
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError('ReplayBuffer needs an options object');
    const capacity = positiveInt('capacity', options.capacity);
    this.obsDim = positiveInt('obsDim', options.obsDim);
    this.actionDim = positiveInt('actionDim', options.actionDim);
    this.numEnvs = positiveInt('numEnvs', options.numEnvs ?? 1);
    this.nSteps = positiveInt('nSteps', options.nSteps ?? 1);
    const gamma = options.gamma ?? 0.99;
    if (typeof gamma !== 'number' || !(gamma >= 0 && gamma <= 1)) throw new InvalidArgumentError(`ReplayBuffer gamma must be in [0, 1], got ${String(gamma)}`);
    this.gamma = gamma;
    this.rows = Math.ceil(capacity / this.numEnvs);
    const n = this.rows * this.numEnvs;
    this.observations = new Float32Array(n * this.obsDim);
    this.nextObservations = new Float32Array(n * this.obsDim);
    this.actions = new Float32Array(n * this.actionDim);
    this.rewards = new Float32Array(n);
    this.terminations = new Uint8Array(n);
    this.truncations = new Uint8Array(n);
  }

  /** Transitions stored (at most `capacity`). */
  get size(): number {
    return (this.full ? this.rows : this.pos) * this.numEnvs;
  }

  get capacity(): number {
    return this.rows * this.numEnvs;
  }

  /** Stores one vector step (`numEnvs` transitions), overwriting the oldest when full. */
  add(step: ReplayStep): void {
    const E = this.numEnvs;
    const expect = (what: string, arr: ArrayLike<unknown> | undefined, n: number): void => {
      if (arr === undefined || arr === null || typeof arr.length !== 'number' || arr.length !== n) {
        throw new InvalidArgumentError(`ReplayBuffer.add: ${what} must hold ${n} values (${E} envs), got ${arr?.length ?? String(arr)}`);
      }
    };
    expect('observations', step.observations, E * this.obsDim);
    expect('nextObservations', step.nextObservations, E * this.obsDim);
    expect('actions', step.actions, E * this.actionDim);
    expect('rewards', step.rewards, E);
    expect('terminations', step.terminations, E);
    expect('truncations', step.truncations, E);
    for (let e = 0; e < E; e++) {
      if (!Number.isFinite(step.rewards[e]!)) throw new InvalidArgumentError(`ReplayBuffer.add: reward of env ${e} is ${step.rewards[e]}`);
    }
    const base = this.pos * E;
    this.observations.set(step.observations, base * this.obsDim);
    this.nextObservations.set(step.nextObservations, base * this.obsDim);
    this.actions.set(step.actions, base * this.actionDim);
    for (let e = 0; e < E; e++) {
      this.rewards[base + e] = step.rewards[e]!;
      this.terminations[base + e] = step.terminations[e] ? 1 : 0;
      this.truncations[base + e] = step.truncations[e] ? 1 : 0;
    }
    this.pos += 1;
    if (this.pos === this.rows) {
      this.pos = 0;
      this.full = true;
    }
  }

  /** `batchSize` transitions drawn uniformly with replacement. */
  sample(batchSize: number, rng: Rng): ReplaySample {
    positiveInt('batchSize', batchSize);
    const out = allocateReplaySample(batchSize, this.obsDim, this.actionDim);
    this.sampleInto(out, 0, batchSize, rng);
    return out;
  }

  /** Fills rows `[offset, offset + count)` of `out` with uniformly drawn transitions (no allocation). */
  sampleInto(out: ReplaySample, offset: number, count: number, rng: Rng): void {
    if (this.size < count || this.size === 0) {
      throw new InvalidStateError(`ReplayBuffer holds ${this.size} transitions, fewer than the ${count} requested; collect more before sampling`);
    }
    if (offset < 0 || offset + count > out.batchSize) throw new InvalidArgumentError(`ReplayBuffer.sampleInto: rows [${offset}, ${offset + count}) exceed the batch of ${out.batchSize}`);
    const size = this.size;
    for (let i = 0; i < count; i++) this.copyTransition(rng.integers(0, size), out, offset + i);
  }

  /** Writes stored transition `index` (row-major over rows × envs), with its n-step return, to row `to` of `out`. */
  copyTransition(index: number, out: ReplaySample, to: number): void {
    const E = this.numEnvs;
    const D = this.obsDim;
    const env = index % E;
    let row = (index - env) / E;
    out.observations.set(this.observations.subarray(index * D, (index + 1) * D), to * D);
    out.actions.set(this.actions.subarray(index * this.actionDim, (index + 1) * this.actionDim), to * this.actionDim);
    let reward = 0;
    let discount = 1;
    let last = index;
    const newestRow = (this.pos - 1 + this.rows) % this.rows;
    for (let k = 0; k < this.nSteps; k++) {
      last = row * E + env;
      reward += discount * this.rewards[last]!;
      discount *= this.gamma;
      if (this.terminations[last] || this.truncations[last] || row === newestRow) break;
      row = (row + 1) % this.rows;
    }
    out.rewards[to] = reward;
    out.discounts[to] = discount;
    out.terminations[to] = this.terminations[last]!;
    out.nextObservations.set(this.nextObservations.subarray(last * D, (last + 1) * D), to * D);
  }

  /** Forgets every transition (the arrays are kept). */
  clear(): void {
    this.pos = 0;
    this.full = false;
  }

  /** A copy of the contents (for checkpoints). */
  getState(): ReplayBufferState {
    return {
      rows: this.rows,
      numEnvs: this.numEnvs,
      obsDim: this.obsDim,
      actionDim: this.actionDim,
      pos: this.pos,
      full: this.full,
      observations: this.observations.slice(),
      nextObservations: this.nextObservations.slice(),
      actions: this.actions.slice(),
      rewards: this.rewards.slice(),
      terminations: this.terminations.slice(),
      truncations: this.truncations.slice(),
    };
  }

  /** Restores `getState()` output of a buffer with the same layout; checks everything before changing anything. */
  setState(state: ReplayBufferState): void {
    for (const key of ['rows', 'numEnvs', 'obsDim', 'actionDim'] as const) {
      if (state?.[key] !== this[key]) throw new InvalidArgumentError(`ReplayBuffer state: ${key} is ${state?.[key]}, this buffer has ${this[key]}`);
    }
    if (!Number.isSafeInteger(state.pos) || state.pos < 0 || state.pos >= this.rows) throw new InvalidArgumentError(`ReplayBuffer state: pos ${state.pos} is outside [0, ${this.rows})`);
    const arrays = ['observations', 'nextObservations', 'actions', 'rewards', 'terminations', 'truncations'] as const;
    for (const key of arrays) {
      const mine = this[key];
      const theirs = state[key];
      if (!(theirs instanceof mine.constructor) || theirs.length !== mine.length) {
        throw new InvalidArgumentError(`ReplayBuffer state: ${key} must be a ${mine.constructor.name} of ${mine.length} values`);
      }
    }
    for (const key of arrays) (this[key] as Float32Array | Uint8Array).set(state[key] as ArrayLike<number>);
    this.pos = state.pos;
    this.full = Boolean(state.full);
  }
}

export interface SegmentedReplayBufferOptions {
  /** The named buffers (same obsDim and actionDim). */
  segments: Record<string, ReplayBuffer>;
  /** Share of each batch per segment (non-negative; normalised to sum 1). */
  ratios: Record<string, number>;
}

/**
 * Several named `ReplayBuffer`s sampled at fixed ratios: a batch of B takes round(B·share) transitions from
 * each segment in the order given (the last non-empty share takes the rounding remainder), concatenated.
 */
export class SegmentedReplayBuffer {
  readonly segments: Readonly<Record<string, ReplayBuffer>>;
  readonly names: readonly string[];
  private readonly shares: number[];
  readonly obsDim: number;
  readonly actionDim: number;

  constructor(options: SegmentedReplayBufferOptions) {
    const names = Object.keys(options?.segments ?? {});
    if (names.length === 0) throw new InvalidArgumentError('SegmentedReplayBuffer needs at least one segment');
    const first = options.segments[names[0]!]!;
    for (const name of names) {
      const b = options.segments[name];
      if (!(b instanceof ReplayBuffer)) throw new InvalidArgumentError(`SegmentedReplayBuffer: segment '${name}' is not a ReplayBuffer`);
      if (b.obsDim !== first.obsDim || b.actionDim !== first.actionDim) {
        throw new InvalidArgumentError(`SegmentedReplayBuffer: segment '${name}' has obsDim ${b.obsDim}, actionDim ${b.actionDim}; '${names[0]}' has ${first.obsDim}, ${first.actionDim}`);
      }
    }
    const ratios = options.ratios ?? {};
    for (const key of Object.keys(ratios)) {
      if (!names.includes(key)) throw new InvalidArgumentError(`SegmentedReplayBuffer: ratio for unknown segment '${key}' (segments: ${names.join(', ')})`);
    }
    const raw = names.map((n) => ratios[n]);
    raw.forEach((r, i) => {
      if (typeof r !== 'number' || !(r >= 0) || !Number.isFinite(r)) throw new InvalidArgumentError(`SegmentedReplayBuffer: ratio of '${names[i]}' must be a finite number ≥ 0, got ${String(r)}`);
    });
    const total = (raw as number[]).reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new InvalidArgumentError('SegmentedReplayBuffer: ratios must not all be 0');
    this.segments = { ...options.segments };
    this.names = names;
    this.shares = (raw as number[]).map((r) => r / total);
    this.obsDim = first.obsDim;
    this.actionDim = first.actionDim;
  }

  /** Transitions taken from each segment for a batch of `batchSize`. */
  counts(batchSize: number): Record<string, number> {
    const counts: Record<string, number> = {};
    let lastPositive = -1;
    let assigned = 0;
    this.shares.forEach((s, i) => {
      const c = Math.round(batchSize * s);
      counts[this.names[i]!] = c;
      assigned += c;
      if (s > 0) lastPositive = i;
    });
    counts[this.names[lastPositive]!]! += batchSize - assigned;
    return counts;
  }

  get size(): number {
    return this.names.reduce((a, n) => a + this.segments[n]!.size, 0);
  }

  sample(batchSize: number, rng: Rng): ReplaySample {
    positiveInt('batchSize', batchSize);
    const out = allocateReplaySample(batchSize, this.obsDim, this.actionDim);
    this.sampleInto(out, rng);
    return out;
  }

  /** Fills all of `out`; `InvalidStateError` naming the segment when one holds too few transitions. */
  sampleInto(out: ReplaySample, rng: Rng): void {
    const counts = this.counts(out.batchSize);
    for (const name of this.names) {
      const have = this.segments[name]!.size;
      if (counts[name]! > 0 && have < counts[name]!) {
        throw new InvalidStateError(`SegmentedReplayBuffer: segment '${name}' holds ${have} transitions, fewer than its ${counts[name]} per batch`);
      }
    }
    let offset = 0;
    for (const name of this.names) {
      const c = counts[name]!;
      if (c > 0) this.segments[name]!.sampleInto(out, offset, c, rng);
      offset += c;
    }
  }
}
