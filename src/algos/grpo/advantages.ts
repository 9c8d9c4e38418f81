/**
 * Group-relative advantages for sequence policies with one scalar reward per response (outcome rewards):
 * GRPO's group z-score, Dr.GRPO's mean-only variant, and DCPO's smooth advantage standardisation (SAS),
 * which blends each group's statistics with the running statistics of every earlier visit of the same prompt.
 *
 * Conventions pinned against the reference code (read, not copied):
 * - Group std is the *unbiased* sample std (n − 1 denominator): verl's `compute_grpo_outcome_advantage`
 *   uses `torch.std`, TRL's `GRPOTrainer` uses `nanstd` with Bessel's correction, DCPO's SAS uses `torch.std`.
 * - eps is added to the std, outside the square root: Â = (R − mean)/(std + eps). verl's default eps is 1e-6
 *   (ours too); TRL uses 1e-4.
 * - Dr.GRPO (verl `norm_adv_by_std_in_grpo=False`, TRL `scale_rewards="none"`): Â = R − mean.
 * - A group whose rewards are all equal gets exactly Â = 0 (its mean is taken as the common value, so no
 *   rounding residue leaks into response-utilisation counts).
 * - SAS (lime-RL/DCPO `compute_dcpo_outcome_advantage`): no eps; a zero std makes that term 0.
 */
import { InvalidArgumentError, InvalidDataError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';

export type AdvantageEstimator = 'grpo' | 'drgrpo';
export const ADVANTAGE_ESTIMATORS: readonly AdvantageEstimator[] = ['grpo', 'drgrpo'];

/** Mean and unbiased variance of a group; `allEqual` groups get their common value as mean and variance 0. */
export interface GroupStats {
  count: number;
  mean: number;
  /** Unbiased sample variance (n − 1 denominator); 0 for a single value. */
  variance: number;
  allEqual: boolean;
}

export function groupStats(values: ArrayLike<number>, start = 0, count = values.length - start): GroupStats {
  const first = values[start]!;
  let sum = 0;
  let allEqual = true;
  for (let i = start; i < start + count; i++) {
    const v = values[i]!;
    sum += v;
    if (v !== first) allEqual = false;
  }
  if (allEqual) return { count, mean: first, variance: 0, allEqual };
  const mean = sum / count;
  let squares = 0;
  for (let i = start; i < start + count; i++) squares += (values[i]! - mean) ** 2;
  return { count, mean, variance: count > 1 ? squares / (count - 1) : 0, allEqual };
}

function checkRewards(rewards: ArrayLike<number>, what: string): void {
  for (let i = 0; i < rewards.length; i++) {
    if (!Number.isFinite(rewards[i])) throw new InvalidArgumentError(`${what}[${i}] must be a finite number, got ${describeValue(rewards[i])}`);
  }
}

function checkGroupSize(groupSize: number, n: number): void {
  if (!Number.isInteger(groupSize) || groupSize < 2) {
    throw new InvalidArgumentError(`groupSize must be an integer >= 2 (a group-relative advantage needs at least two responses), got ${describeValue(groupSize)}`);
  }
  if (n === 0 || n % groupSize !== 0) {
    throw new InvalidArgumentError(`rewards length ${n} must be a positive multiple of groupSize ${groupSize} (groups are contiguous)`);
  }
}

/**
 * Advantages of `rewards` laid out as contiguous groups of `groupSize` responses to the same prompt.
 * 'grpo': (R − mean)/(std + eps) with the unbiased std; 'drgrpo': R − mean.
 */
export function groupAdvantages(rewards: ArrayLike<number>, groupSize: number, estimator: AdvantageEstimator, eps = 1e-6): Float64Array {
  if (!ADVANTAGE_ESTIMATORS.includes(estimator)) {
    throw new InvalidArgumentError(`Unknown advantage estimator ${describeValue(estimator)} (expected one of: ${ADVANTAGE_ESTIMATORS.join(', ')})`);
  }
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new InvalidArgumentError(`eps must be a finite number >= 0, got ${describeValue(eps)}`);
  checkGroupSize(groupSize, rewards.length);
  checkRewards(rewards, 'rewards');
  const out = new Float64Array(rewards.length);
  for (let start = 0; start < rewards.length; start += groupSize) {
    const stats = groupStats(rewards, start, groupSize);
    if (stats.allEqual) continue; // exact zeros
    const scale = estimator === 'grpo' ? 1 / (Math.sqrt(stats.variance) + eps) : 1;
    for (let i = start; i < start + groupSize; i++) out[i] = (rewards[i]! - stats.mean) * scale;
  }
  return out;
}

/** Repeats each sequence's advantage over its `length` token slots: [N] → [N·length] (row-major). */
export function broadcastToTokens(sequenceAdvantages: ArrayLike<number>, length: number): Float32Array {
  if (!Number.isInteger(length) || length < 1) throw new InvalidArgumentError(`length must be a positive integer, got ${describeValue(length)}`);
  const out = new Float32Array(sequenceAdvantages.length * length);
  for (let i = 0; i < sequenceAdvantages.length; i++) out.fill(sequenceAdvantages[i]!, i * length, (i + 1) * length);
  return out;
}

/**
 * How SAS folds a new group into a prompt's running statistics.
 * - 'pooled': exact statistics of every reward seen for the prompt (Chan et al.'s parallel merge of
 *   count/mean/sum of squared deviations), unbiased variance. With equal group sizes this is what DCPO's
 *   recursion computes when fed population variances.
 * - 'per-group': DCPO's released code literally — each visit's group is one unit of weight 1:
 *   μ ← (kμ + μ_new)/(k+1), σ² ← [kσ² + σ²_new + k/(k+1)(μ_new − μ)²]/(k+1), with σ_new the group's unbiased
 *   std (so σ_tot is slightly smaller than the pooled unbiased std; O(1/G)).
 */
export type SasMerge = 'pooled' | 'per-group';

export interface SmoothAdvantageOptions {
  /** Default 'pooled'. */
  merge?: SasMerge;
  /** Divide by the std (default true); false = DCPO's `norm_adv_by_std_in_grpo=False` (differences only). */
  normalizeByStd?: boolean;
}

/** One prompt's running statistics. `times` counts visits (groups), `count` rewards. */
interface PromptStats {
  times: number;
  count: number;
  mean: number;
  variance: number;
}

const SAS_FORMAT = 'teleo-sas';

/**
 * DCPO's smooth advantage standardisation. For visit i of a prompt (i = 1 the first time):
 *   Â_new = (R − μ_new)/σ_new, Â_tot = (R − μ_tot)/σ_tot (each 0 when its σ is 0; μ_tot, σ_tot include this group),
 *   SA_new = ((i−1)/i)Â_new + (1/i)Â_tot, SA_tot = (1/i)Â_new + ((i−1)/i)Â_tot,
 *   Â = whichever of SA_new, SA_tot has the smaller magnitude (ties: SA_tot, as the code's strict `<`).
 * At i = 1 this is GRPO's z-score without eps; an all-equal group at i ≥ 2 gets (1/i)·Â_tot ≠ 0.
 */
export class SmoothAdvantageStandardizer {
  readonly merge: SasMerge;
  readonly normalizeByStd: boolean;
  private readonly prompts = new Map<string, PromptStats>();

  constructor(options: SmoothAdvantageOptions = {}) {
    checkOptions('SmoothAdvantageStandardizer', options, ['merge', 'normalizeByStd']);
    const merge = options.merge ?? 'pooled';
    if (merge !== 'pooled' && merge !== 'per-group') throw new InvalidArgumentError(`merge must be 'pooled' or 'per-group', got ${describeValue(merge)}`);
    this.merge = merge;
    this.normalizeByStd = options.normalizeByStd ?? true;
  }

  /** Number of prompts with statistics. */
  get size(): number {
    return this.prompts.size;
  }

  /** A prompt's running statistics (a copy), or undefined if never seen. */
  statsOf(promptId: string): { times: number; count: number; mean: number; std: number } | undefined {
    const s = this.prompts.get(promptId);
    return s && { times: s.times, count: s.count, mean: s.mean, std: Math.sqrt(s.variance) };
  }

  /** Folds this visit's group into the prompt's statistics and returns the group's advantages. */
  advantages(promptId: string, groupRewards: ArrayLike<number>): Float64Array {
    if (typeof promptId !== 'string') throw new InvalidArgumentError(`promptId must be a string, got ${describeValue(promptId)}`);
    if (groupRewards.length < 2) throw new InvalidArgumentError(`SAS needs a group of at least 2 rewards for prompt '${promptId}', got ${groupRewards.length}`);
    checkRewards(groupRewards, `rewards of prompt '${promptId}'`);
    const group = groupStats(groupRewards);
    const total = this.fold(this.prompts.get(promptId), group);
    this.prompts.set(promptId, total);

    const i = total.times;
    const sigmaNew = Math.sqrt(group.variance);
    const sigmaTot = Math.sqrt(total.variance);
    const out = new Float64Array(groupRewards.length);
    for (let j = 0; j < groupRewards.length; j++) {
      const r = groupRewards[j]!;
      const aNew = this.standardise(r - group.mean, sigmaNew);
      const aTot = this.standardise(r - total.mean, sigmaTot);
      const saNew = ((i - 1) / i) * aNew + (1 / i) * aTot;
      const saTot = (1 / i) * aNew + ((i - 1) / i) * aTot;
      out[j] = Math.abs(saNew) < Math.abs(saTot) ? saNew : saTot;
    }
    return out;
  }

  /** Advantages for a batch of contiguous groups, `promptIds[g]` naming group g. */
  batchAdvantages(promptIds: readonly string[], rewards: ArrayLike<number>, groupSize: number): Float64Array {
    checkGroupSize(groupSize, rewards.length);
    if (promptIds.length * groupSize !== rewards.length) {
      throw new InvalidArgumentError(`${promptIds.length} prompt ids × groupSize ${groupSize} != ${rewards.length} rewards`);
    }
    const out = new Float64Array(rewards.length);
    for (let g = 0; g < promptIds.length; g++) {
      const group = Array.prototype.slice.call(rewards, g * groupSize, (g + 1) * groupSize) as number[];
      out.set(this.advantages(promptIds[g]!, group), g * groupSize);
    }
    return out;
  }

  private standardise(deviation: number, sigma: number): number {
    if (!this.normalizeByStd) return deviation;
    return sigma > 0 ? deviation / sigma : 0;
  }

  private fold(old: PromptStats | undefined, group: GroupStats): PromptStats {
    if (old === undefined) return { times: 1, count: group.count, mean: group.mean, variance: group.variance };
    const times = old.times + 1;
    const count = old.count + group.count;
    const delta = group.mean - old.mean;
    if (this.merge === 'per-group') {
      const k = old.times;
      const mean = delta === 0 ? old.mean : (old.mean * k + group.mean) / times;
      const variance = (k * old.variance + group.variance + (k / times) * delta * delta) / times;
      return { times, count, mean, variance };
    }
    const mean = delta === 0 ? old.mean : old.mean + (delta * group.count) / count;
    const m2 = old.variance * (old.count - 1) + group.variance * (group.count - 1) + (delta * delta * old.count * group.count) / count;
    return { times, count, mean, variance: m2 / (count - 1) };
  }

  /** JSON state for checkpoints (exact: numbers round-trip through JSON). */
  toJSON(): { format: string; version: 1; merge: SasMerge; normalizeByStd: boolean; prompts: [string, number, number, number, number][] } {
    return {
      format: SAS_FORMAT,
      version: 1,
      merge: this.merge,
      normalizeByStd: this.normalizeByStd,
      prompts: [...this.prompts].map(([id, s]) => [id, s.times, s.count, s.mean, s.variance]),
    };
  }

  static fromJSON(json: unknown): SmoothAdvantageStandardizer {
    const bad = (why: string): never => {
      throw new InvalidDataError(`Not a SmoothAdvantageStandardizer state: ${why}`);
    };
    if (typeof json !== 'object' || json === null) bad(`expected an object, got ${describeValue(json)}`);
    const o = json as Record<string, unknown>;
    if (o.format !== SAS_FORMAT) bad(`format ${describeValue(o.format)} (expected '${SAS_FORMAT}')`);
    if (o.version !== 1) bad(`unsupported version ${describeValue(o.version)}`);
    if (o.merge !== 'pooled' && o.merge !== 'per-group') bad(`merge ${describeValue(o.merge)}`);
    if (typeof o.normalizeByStd !== 'boolean') bad(`normalizeByStd ${describeValue(o.normalizeByStd)}`);
    if (!Array.isArray(o.prompts)) bad(`prompts must be an array, got ${describeValue(o.prompts)}`);
    const sas = new SmoothAdvantageStandardizer({ merge: o.merge as SasMerge, normalizeByStd: o.normalizeByStd as boolean });
    for (const [k, entry] of (o.prompts as unknown[]).entries()) {
      if (!Array.isArray(entry) || entry.length !== 5 || typeof entry[0] !== 'string') bad(`prompts[${k}] must be [id, times, count, mean, variance], got ${describeValue(entry)}`);
      const [id, times, count, mean, variance] = entry as [string, number, number, number, number];
      const okInts = Number.isInteger(times) && times >= 1 && Number.isInteger(count) && count >= 2 * times;
      if (!okInts || !Number.isFinite(mean) || !Number.isFinite(variance) || variance < 0) bad(`prompts[${k}] (${describeValue(entry)}) has invalid statistics`);
      if (sas.prompts.has(id)) bad(`prompt id '${id}' appears twice`);
      sas.prompts.set(id, { times, count, mean, variance });
    }
    return sas;
  }
}
