/**
 * On-policy rollout storage for `numSteps × numEnvs` transitions (PPO/A2C), with GAE(λ) advantages.
 *
 * Storage is preallocated and step-major: transition (t, e) lives at flat index `t * numEnvs + e`, and
 * observations/actions take `obsDim`/`actDim` consecutive slots there. Observations and actions are float32
 * (discrete actions are stored as Int32), rewards, values, log-probabilities, advantages and returns float64
 * (so the GAE recursion does not accumulate float32 rounding).
 *
 * Episode ends are stored per step as Gymnasium reports them: `terminated` (a terminal state: the future is
 * worth 0) and `truncated` (cut by a time limit: the future is worth V(final observation)). For each truncated
 * step the caller also stores `truncationValues[e] = V(final observation of env e)`. The TD error is then
 *
 *   δ_t = r_t + γ·V_boot − V(s_t),  V_boot = 0 if terminated, V(final obs) if truncated (and not terminated),
 *                                   V(s_{t+1}) otherwise (the next stored value, or `lastValues` after the last step)
 *
 * and A_t = δ_t + γλ·A_{t+1}, with the recursion cut at every episode end. A step with both flags set counts
 * as terminated. Returns are `advantages + values` (the λ-return targets for the value function). Unlike
 * Stable-Baselines3 the bootstrap value is not folded into the stored reward; `rewards` stay as the env gave them.
 *
 * Using it with vector envs: create the envs with `autoresetMode: 'SAME_STEP'`. In that mode every step's
 * observation batch is the one the policy acts on next (ended envs are already reset), and
 * `infos.final_obs[e]` (with mask `infos._final_obs[e]`) is the true final observation of an env that ended.
 *
 *   const envs = makeVec(id, { numEnvs, autoresetMode: 'SAME_STEP' });
 *   let [obs] = envs.reset({ seed });
 *   for (let t = 0; t < numSteps; t++) {
 *     const { actions, values, logProbs } = policy(obs);
 *     const [nextObs, rewards, terminations, truncations, infos] = envs.step(actions);
 *     // V(final obs) only where an env was truncated (terminated ones bootstrap from 0).
 *     const truncationValues = new Float64Array(numEnvs);
 *     for (let e = 0; e < numEnvs; e++)
 *       if (truncations[e] && !terminations[e]) truncationValues[e] = valueOf(infos.final_obs[e]);
 *     buffer.add({ observations: obs, actions, rewards, terminations, truncations, values, logProbs, truncationValues });
 *     obs = nextObs;
 *   }
 *   buffer.computeReturnsAndAdvantages(valueOfBatch(obs));   // V of the observations after the last step
 *
 * Do not feed it the default `NEXT_STEP` mode as is: there the step after an episode end is a reset transition
 * (action ignored, reward 0) that must not be learned from, and the final observation is the step's own
 * observation, so the bootstrap would need the value of an observation the policy never acted on.
 *
 * `episodeStarts[t * numEnvs + e]` is 1 when the observation at (t, e) begins an episode: at the very first
 * step after construction, and after every episode end (carried across `reset()`, like CleanRL's `next_done`).
 */
import { InvalidArgumentError, InvalidStateError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

export type ActionKind = 'discrete' | 'continuous';

export interface RolloutBufferOptions {
  numSteps: number;
  numEnvs: number;
  /** Length of one flattened observation. */
  obsDim: number;
  /** Length of one flattened action: 1 for `Discrete`, the Box size for continuous actions. Default 1. */
  actDim?: number;
  /** `discrete` stores actions as Int32 (integers checked), `continuous` as float32. Default `continuous`. */
  actionKind?: ActionKind;
  /** Discount γ in [0, 1]. Default 0.99. */
  gamma?: number;
  /** GAE λ in [0, 1]. Default 0.95. */
  gaeLambda?: number;
}

type Flags = ArrayLike<number | boolean>;

/** One vector step: every array holds one entry (or `obsDim`/`actDim` entries) per env, env-major. */
export interface RolloutStep {
  /** The observations the actions were chosen from (`numEnvs * obsDim`). */
  observations: ArrayLike<number>;
  actions: ArrayLike<number>;
  rewards: ArrayLike<number>;
  terminations: Flags;
  truncations: Flags;
  /** V(s_t) of the observations. */
  values: ArrayLike<number>;
  logProbs: ArrayLike<number>;
  /**
   * V(final observation) for envs truncated (and not terminated) at this step; other entries are ignored.
   * Required when any env is truncated without being terminated.
   */
  truncationValues?: ArrayLike<number>;
}

/** A minibatch gathered over flat indices (step-major `t * numEnvs + e`), ready to become tensors. */
export interface RolloutBatch {
  indices: Int32Array;
  observations: Float32Array;
  actions: Float32Array | Int32Array;
  values: Float32Array;
  logProbs: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
}

const OPTION_KEYS = ['numSteps', 'numEnvs', 'obsDim', 'actDim', 'actionKind', 'gamma', 'gaeLambda'];
const STEP_KEYS = ['observations', 'actions', 'rewards', 'terminations', 'truncations', 'values', 'logProbs', 'truncationValues'];

function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`RolloutBuffer: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function unitInterval(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(`RolloutBuffer: ${name} must be a number in [0, 1], got ${String(value)}`);
  }
  return value;
}

export class RolloutBuffer {
  readonly numSteps: number;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actionKind: ActionKind;
  readonly gamma: number;
  readonly gaeLambda: number;
  /** numSteps * numEnvs. */
  readonly size: number;

  readonly observations: Float32Array;
  readonly actions: Float32Array | Int32Array;
  readonly rewards: Float64Array;
  readonly values: Float64Array;
  readonly logProbs: Float64Array;
  readonly terminations: Uint8Array;
  readonly truncations: Uint8Array;
  readonly truncationValues: Float64Array;
  readonly episodeStarts: Uint8Array;
  readonly advantages: Float64Array;
  readonly returns: Float64Array;

  private pos = 0;
  private computed = false;
  /** Episode-start flags for the next added step (1 where the previous step ended an episode). */
  private readonly nextEpisodeStarts: Uint8Array;

  constructor(options: RolloutBufferOptions) {
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError('RolloutBuffer needs an options object');
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) {
        throw new InvalidArgumentError(`RolloutBuffer got an unknown option '${key}' (accepted options: ${OPTION_KEYS.join(', ')})`);
      }
    }
    this.numSteps = positiveInt('numSteps', options.numSteps);
    this.numEnvs = positiveInt('numEnvs', options.numEnvs);
    this.obsDim = positiveInt('obsDim', options.obsDim);
    this.actDim = positiveInt('actDim', options.actDim ?? 1);
    const kind = options.actionKind ?? 'continuous';
    if (kind !== 'discrete' && kind !== 'continuous') {
      throw new InvalidArgumentError(`RolloutBuffer: actionKind must be 'discrete' or 'continuous', got ${String(kind)}`);
    }
    this.actionKind = kind;
    this.gamma = unitInterval('gamma', options.gamma ?? 0.99);
    this.gaeLambda = unitInterval('gaeLambda', options.gaeLambda ?? 0.95);

    const n = this.numSteps * this.numEnvs;
    this.size = n;
    this.observations = new Float32Array(n * this.obsDim);
    this.actions = kind === 'discrete' ? new Int32Array(n * this.actDim) : new Float32Array(n * this.actDim);
    this.rewards = new Float64Array(n);
    this.values = new Float64Array(n);
    this.logProbs = new Float64Array(n);
    this.terminations = new Uint8Array(n);
    this.truncations = new Uint8Array(n);
    this.truncationValues = new Float64Array(n);
    this.episodeStarts = new Uint8Array(n);
    this.advantages = new Float64Array(n);
    this.returns = new Float64Array(n);
    this.nextEpisodeStarts = new Uint8Array(this.numEnvs).fill(1);
  }

  /** Number of vector steps stored so far. */
  get stepCount(): number {
    return this.pos;
  }

  /** Whether all `numSteps` steps are stored. */
  get full(): boolean {
    return this.pos === this.numSteps;
  }

  /** Whether advantages and returns are up to date with the stored rollout. */
  get advantagesComputed(): boolean {
    return this.computed;
  }

  /** Starts a new rollout (storage is overwritten in place); episode-start flags carry over. */
  reset(): void {
    this.pos = 0;
    this.computed = false;
  }

  /** Stores one vector step. Validates every array before writing anything. */
  add(step: RolloutStep): void {
    if (this.full) throw new InvalidStateError(`RolloutBuffer is full (${this.numSteps} steps); call reset() before adding more`);
    if (step === null || typeof step !== 'object') throw new InvalidArgumentError('RolloutBuffer.add needs a step object');
    for (const key of Object.keys(step)) {
      if (!STEP_KEYS.includes(key)) {
        throw new InvalidArgumentError(`RolloutBuffer.add got an unknown field '${key}' (accepted: ${STEP_KEYS.join(', ')})`);
      }
    }
    const E = this.numEnvs;
    this.checkNumbers('observations', step.observations, E * this.obsDim);
    this.checkNumbers('actions', step.actions, E * this.actDim);
    if (this.actionKind === 'discrete') {
      for (let i = 0; i < step.actions.length; i++) {
        const a = step.actions[i]!;
        if (!Number.isInteger(a) || a < -2147483648 || a > 2147483647) {
          throw new InvalidArgumentError(`RolloutBuffer.add: discrete action at index ${i} must be a 32-bit integer, got ${a}`);
        }
      }
    }
    this.checkNumbers('rewards', step.rewards, E);
    this.checkNumbers('values', step.values, E);
    this.checkNumbers('logProbs', step.logProbs, E);
    this.checkFlags('terminations', step.terminations);
    this.checkFlags('truncations', step.truncations);
    let needsTruncationValue = false;
    for (let e = 0; e < E; e++) if (step.truncations[e] && !step.terminations[e]) needsTruncationValue = true;
    if (needsTruncationValue) {
      if (step.truncationValues === undefined) {
        throw new InvalidArgumentError(
          'RolloutBuffer.add: an env was truncated without terminating, so truncationValues (V of its final observation) is required',
        );
      }
      this.checkLength('truncationValues', step.truncationValues, E);
      for (let e = 0; e < E; e++) {
        if (step.truncations[e] && !step.terminations[e] && !Number.isFinite(step.truncationValues[e]!)) {
          throw new InvalidArgumentError(`RolloutBuffer.add: truncationValues[${e}] must be finite, got ${step.truncationValues[e]}`);
        }
      }
    }

    const base = this.pos * E;
    this.observations.set(step.observations, base * this.obsDim);
    this.actions.set(step.actions, base * this.actDim);
    for (let e = 0; e < E; e++) {
      const i = base + e;
      const terminated = step.terminations[e] ? 1 : 0;
      const truncated = step.truncations[e] ? 1 : 0;
      this.rewards[i] = step.rewards[e]!;
      this.values[i] = step.values[e]!;
      this.logProbs[i] = step.logProbs[e]!;
      this.terminations[i] = terminated;
      this.truncations[i] = truncated;
      this.truncationValues[i] = truncated && !terminated ? step.truncationValues![e]! : 0;
      this.episodeStarts[i] = this.nextEpisodeStarts[e]!;
      this.nextEpisodeStarts[e] = terminated | truncated;
    }
    this.pos++;
    this.computed = false;
  }

  /**
   * GAE(λ) advantages and λ-returns over the stored rollout. `lastValues[e]` is V of env e's observation after
   * the last stored step (ignored where that step ended an episode). `lastDones`, if given, must agree with the
   * stored episode ends of the last step; it is accepted only as a consistency check (the flags are stored).
   */
  computeReturnsAndAdvantages(lastValues: ArrayLike<number>, lastDones?: Flags): void {
    if (!this.full) {
      throw new InvalidStateError(`RolloutBuffer holds ${this.pos} of ${this.numSteps} steps; fill it before computing advantages`);
    }
    const E = this.numEnvs;
    this.checkNumbers('lastValues', lastValues, E);
    const lastBase = (this.numSteps - 1) * E;
    if (lastDones !== undefined) {
      this.checkFlags('lastDones', lastDones);
      for (let e = 0; e < E; e++) {
        const stored = this.terminations[lastBase + e]! | this.truncations[lastBase + e]!;
        if ((lastDones[e] ? 1 : 0) !== stored) {
          throw new InvalidArgumentError(
            `RolloutBuffer: lastDones[${e}] = ${String(lastDones[e])} disagrees with the last step's stored episode end (${stored === 1})`,
          );
        }
      }
    }
    const gamma = this.gamma;
    const gl = this.gamma * this.gaeLambda;
    const running = new Float64Array(E); // A_{t+1} per env, 0 beyond an episode end
    for (let t = this.numSteps - 1; t >= 0; t--) {
      const base = t * E;
      for (let e = 0; e < E; e++) {
        const i = base + e;
        let bootstrap: number;
        let carry: number;
        if (this.terminations[i]) {
          bootstrap = 0;
          carry = 0;
        } else if (this.truncations[i]) {
          bootstrap = this.truncationValues[i]!;
          carry = 0;
        } else {
          bootstrap = t === this.numSteps - 1 ? lastValues[e]! : this.values[i + E]!;
          carry = 1;
        }
        const delta = this.rewards[i]! + gamma * bootstrap - this.values[i]!;
        const advantage = delta + gl * carry * running[e]!;
        running[e] = advantage;
        this.advantages[i] = advantage;
        this.returns[i] = advantage + this.values[i]!;
      }
    }
    this.computed = true;
  }

  /**
   * Flat-index minibatches over one pass of the rollout: a permutation of 0..size-1 from `rng`, cut into
   * consecutive slices of `batchSize` (the last one shorter when `batchSize` does not divide `size`).
   */
  *minibatchIndices(batchSize: number, rng: Rng): Generator<Int32Array> {
    positiveInt('batchSize', batchSize);
    if (!this.full) throw new InvalidStateError(`RolloutBuffer holds ${this.pos} of ${this.numSteps} steps; fill it before sampling`);
    const order = rng.permutation(this.size);
    for (let start = 0; start < this.size; start += batchSize) yield order.subarray(start, Math.min(start + batchSize, this.size));
  }

  /** Gathered minibatches (see `minibatchIndices`); needs `computeReturnsAndAdvantages` first. */
  *minibatches(batchSize: number, rng: Rng): Generator<RolloutBatch> {
    if (!this.computed) {
      throw new InvalidStateError('RolloutBuffer: call computeReturnsAndAdvantages() before iterating minibatches');
    }
    for (const indices of this.minibatchIndices(batchSize, rng)) yield this.gather(indices);
  }

  /** Copies the transitions at the given flat indices into fresh typed arrays. */
  gather(indices: ArrayLike<number>): RolloutBatch {
    const m = indices.length;
    const { obsDim, actDim } = this;
    const batch: RolloutBatch = {
      indices: Int32Array.from(indices),
      observations: new Float32Array(m * obsDim),
      actions: this.actionKind === 'discrete' ? new Int32Array(m * actDim) : new Float32Array(m * actDim),
      values: new Float32Array(m),
      logProbs: new Float32Array(m),
      advantages: new Float32Array(m),
      returns: new Float32Array(m),
    };
    for (let k = 0; k < m; k++) {
      const i = indices[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.pos * this.numEnvs) {
        throw new InvalidArgumentError(`RolloutBuffer.gather: index ${i} is outside the ${this.pos * this.numEnvs} stored transitions`);
      }
      batch.observations.set(this.observations.subarray(i * obsDim, (i + 1) * obsDim), k * obsDim);
      batch.actions.set(this.actions.subarray(i * actDim, (i + 1) * actDim), k * actDim);
      batch.values[k] = this.values[i]!;
      batch.logProbs[k] = this.logProbs[i]!;
      batch.advantages[k] = this.advantages[i]!;
      batch.returns[k] = this.returns[i]!;
    }
    return batch;
  }

  private checkLength(name: string, arr: ArrayLike<unknown> | undefined, expected: number): void {
    if (arr === null || typeof arr !== 'object' || typeof arr.length !== 'number') {
      throw new InvalidArgumentError(`RolloutBuffer: ${name} must be an array of length ${expected}, got ${String(arr)}`);
    }
    if (arr.length !== expected) {
      throw new InvalidArgumentError(`RolloutBuffer: ${name} must have length ${expected}, got ${arr.length}`);
    }
  }

  private checkNumbers(name: string, arr: ArrayLike<number>, expected: number): void {
    this.checkLength(name, arr, expected);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidArgumentError(`RolloutBuffer: ${name}[${i}] must be a finite number, got ${String(v)}`);
      }
    }
  }

  private checkFlags(name: string, arr: Flags): void {
    this.checkLength(name, arr, this.numEnvs);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (v !== 0 && v !== 1 && v !== true && v !== false) {
        throw new InvalidArgumentError(`RolloutBuffer: ${name}[${i}] must be 0/1 or a boolean, got ${String(v)}`);
      }
    }
  }
}
