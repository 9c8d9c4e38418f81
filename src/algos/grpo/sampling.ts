/**
 * DAPO's dynamic sampling and the response-utilisation diagnostic.
 *
 * A group whose G rewards (or accuracies, in the DAPO recipe's `filter_groups.metric: acc`) are all equal has
 * zero group-relative advantage and contributes no gradient; DAPO drops such groups and keeps generating
 * batches until the training batch has its target number of groups, at most `max_num_gen_batches` calls
 * (verl `recipe/dapo`: keep a prompt iff std(metric) > 0; excess kept groups beyond the batch are trimmed).
 * The recipe raises an error when the call budget runs out; `DynamicBatchFiller` instead reports the shortfall
 * (`full: false`) so the trainer can train on what it has.
 */
import { InvalidArgumentError, InvalidStateError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';

/** One flag per contiguous group of `groupSize` values: true when all its values are equal (DAPO drops it). */
export function zeroVarianceGroups(values: ArrayLike<number>, groupSize: number): boolean[] {
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new InvalidArgumentError(`groupSize must be a positive integer, got ${describeValue(groupSize)}`);
  if (values.length % groupSize !== 0) throw new InvalidArgumentError(`values length ${values.length} is not a multiple of groupSize ${groupSize}`);
  const out: boolean[] = [];
  for (let start = 0; start < values.length; start += groupSize) {
    const first = values[start]!;
    if (Number.isNaN(first)) throw new InvalidArgumentError(`values[${start}] is NaN`);
    let equal = true;
    for (let i = start + 1; i < start + groupSize; i++) {
      if (Number.isNaN(values[i]!)) throw new InvalidArgumentError(`values[${i}] is NaN`);
      if (values[i] !== first) equal = false;
    }
    out.push(equal);
  }
  return out;
}

/** Fraction of responses whose advantage is non-zero (DCPO's response utilisation ratio); 0 for none. */
export function responseUtilisation(advantages: ArrayLike<number>): number {
  if (advantages.length === 0) return 0;
  let used = 0;
  for (let i = 0; i < advantages.length; i++) {
    const a = advantages[i]!;
    if (Number.isNaN(a)) throw new InvalidArgumentError(`advantages[${i}] is NaN`);
    if (a !== 0) used++;
  }
  return used / advantages.length;
}

export interface DynamicBatchFillerOptions {
  /** Groups the training batch needs. */
  targetGroups: number;
  /** Most generation calls per batch (DAPO `max_num_gen_batches`; 10 in the recipes). */
  maxGenerationCalls: number;
}

export interface FilledBatch<T> {
  /** The first `targetGroups` kept groups (fewer when the call budget ran out). */
  groups: T[];
  /** Generation calls made for this batch. */
  generationCalls: number;
  /** Groups generated, kept (before trimming to the target) and dropped. */
  generatedGroups: number;
  keptGroups: number;
  droppedGroups: number;
  /** Whether the target was reached. */
  full: boolean;
}

/**
 * Accumulates the kept groups of successive generation calls until `targetGroups` are kept or
 * `maxGenerationCalls` calls were made. Typical use:
 *   while (!filler.done) { const groups = generate(filler.missingGroups); filler.addCall(groups, keepFlags(groups)); }
 *   const batch = filler.take();
 */
export class DynamicBatchFiller<T> {
  readonly targetGroups: number;
  readonly maxGenerationCalls: number;
  private kept: T[] = [];
  private calls = 0;
  private generated = 0;

  constructor(options: DynamicBatchFillerOptions) {
    checkOptions('DynamicBatchFiller', options, ['targetGroups', 'maxGenerationCalls']);
    for (const key of ['targetGroups', 'maxGenerationCalls'] as const) {
      const v = options[key];
      if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`DynamicBatchFiller: ${key} must be a positive integer, got ${describeValue(v)}`);
    }
    this.targetGroups = options.targetGroups;
    this.maxGenerationCalls = options.maxGenerationCalls;
  }

  /** Records one generation call: its groups and, per group, whether it is kept. */
  addCall(groups: readonly T[], keep: readonly boolean[]): void {
    if (this.done) throw new InvalidStateError(`DynamicBatchFiller is done (${this.kept.length}/${this.targetGroups} groups, ${this.calls}/${this.maxGenerationCalls} calls); call take()`);
    if (groups.length !== keep.length) throw new InvalidArgumentError(`addCall got ${groups.length} groups but ${keep.length} keep flags`);
    this.calls++;
    this.generated += groups.length;
    groups.forEach((g, i) => {
      if (keep[i]) this.kept.push(g);
    });
  }

  /** Kept groups still missing from the target (how many to ask the next call for). */
  get missingGroups(): number {
    return Math.max(0, this.targetGroups - this.kept.length);
  }

  get generationCalls(): number {
    return this.calls;
  }

  /** True once the target is reached or the call budget is spent. */
  get done(): boolean {
    return this.kept.length >= this.targetGroups || this.calls >= this.maxGenerationCalls;
  }

  /** The batch (trimmed to the target, in arrival order) and its counters; resets the filler for the next batch. */
  take(): FilledBatch<T> {
    const batch: FilledBatch<T> = {
      groups: this.kept.slice(0, this.targetGroups),
      generationCalls: this.calls,
      generatedGroups: this.generated,
      keptGroups: this.kept.length,
      droppedGroups: this.generated - this.kept.length,
      full: this.kept.length >= this.targetGroups,
    };
    this.kept = [];
    this.calls = 0;
    this.generated = 0;
    return batch;
  }
}
