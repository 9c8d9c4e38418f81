/** DAPO's dynamic-sampling filter and batch filler, response utilisation, the soft overlong penalty, reward combination. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidStateError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { groupAdvantages } from '../../src/algos/grpo/advantages.js';
import { DynamicBatchFiller, responseUtilisation, zeroVarianceGroups } from '../../src/algos/grpo/sampling.js';
import { combineRewards, overlongPenalty } from '../../src/algos/grpo/shaping.js';

describe('zeroVarianceGroups', () => {
  it('flags groups whose values are all equal', () => {
    expect(zeroVarianceGroups([1, 1, 1, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5], 4)).toEqual([false, true, true]);
    expect(zeroVarianceGroups([0.3, 0.3, 0.3, 0.30000001], 2)).toEqual([true, false]);
  });
  it('rejects bad input', () => {
    expect(() => zeroVarianceGroups([1, 0, 1], 2)).toThrow(/multiple/);
    expect(() => zeroVarianceGroups([1, Number.NaN], 2)).toThrow(InvalidArgumentError);
    expect(() => zeroVarianceGroups([1, 0], 0)).toThrow(/groupSize/);
  });
});

describe('responseUtilisation', () => {
  it('is the fraction of responses with a non-zero advantage', () => {
    // Groups [1,0,0,1] (used), [1,1,1,1] (all zero), [0,0,0,1] (used): 8 of 12.
    const adv = groupAdvantages([1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1], 4, 'grpo');
    expect(responseUtilisation(adv)).toBeCloseTo(8 / 12, 12);
    expect(responseUtilisation([])).toBe(0);
    expect(() => responseUtilisation([Number.NaN])).toThrow(InvalidArgumentError);
  });
});

describe('DynamicBatchFiller', () => {
  it('accumulates kept groups across calls, trims to the target and counts calls', () => {
    const filler = new DynamicBatchFiller<string>({ targetGroups: 3, maxGenerationCalls: 5 });
    expect(filler.missingGroups).toBe(3);
    filler.addCall(['a', 'b', 'c'], [true, false, false]);
    expect(filler.done).toBe(false);
    expect(filler.missingGroups).toBe(2);
    filler.addCall(['d', 'e', 'f'], [false, true, true]);
    expect(filler.done).toBe(true);
    expect(() => filler.addCall(['g'], [true])).toThrow(InvalidStateError);
    const batch = filler.take();
    expect(batch).toEqual({ groups: ['a', 'e', 'f'], generationCalls: 2, generatedGroups: 6, keptGroups: 3, droppedGroups: 3, full: true });
    expect(filler.generationCalls).toBe(0); // reset for the next batch
  });

  it('trims excess kept groups', () => {
    const filler = new DynamicBatchFiller<number>({ targetGroups: 2, maxGenerationCalls: 3 });
    filler.addCall([1, 2, 3, 4], [true, true, false, true]);
    expect(filler.take()).toMatchObject({ groups: [1, 2], keptGroups: 3, droppedGroups: 1, full: true, generationCalls: 1 });
  });

  it('stops at the call budget and reports the shortfall', () => {
    const filler = new DynamicBatchFiller<number>({ targetGroups: 4, maxGenerationCalls: 2 });
    filler.addCall([1, 2], [false, false]);
    filler.addCall([3, 4], [true, false]);
    expect(filler.done).toBe(true);
    expect(filler.take()).toEqual({ groups: [3], generationCalls: 2, generatedGroups: 4, keptGroups: 1, droppedGroups: 3, full: false });
  });

  it('fills a batch from a simulated sampler with the zero-variance filter', () => {
    // Binary rewards with success probability p per prompt; groups with all-equal rewards are dropped.
    const rng = Rng.fromSeed(11);
    const G = 4;
    const filler = new DynamicBatchFiller<number[]>({ targetGroups: 8, maxGenerationCalls: 10 });
    while (!filler.done) {
      const groups = Array.from({ length: filler.missingGroups }, () => {
        const p = rng.uniform(0, 1) < 0.5 ? 0.9 : 0.4;
        return Array.from({ length: G }, () => (rng.uniform(0, 1) < p ? 1 : 0));
      });
      filler.addCall(groups, zeroVarianceGroups(groups.flat(), G).map((flat) => !flat));
    }
    const batch = filler.take();
    expect(batch.full).toBe(true);
    expect(batch.groups).toHaveLength(8);
    expect(batch.generationCalls).toBeGreaterThan(1); // some groups were all-equal and had to be replaced
    expect(zeroVarianceGroups(batch.groups.flat(), G).every((flat) => !flat)).toBe(true);
    expect(responseUtilisation(groupAdvantages(batch.groups.flat(), G, 'grpo'))).toBe(1);
  });

  it('rejects bad options and mismatched flags', () => {
    expect(() => new DynamicBatchFiller({ targetGroups: 0, maxGenerationCalls: 1 })).toThrow(/targetGroups/);
    expect(() => new DynamicBatchFiller({ targetGroups: 1, maxGenerationCalls: 1.5 })).toThrow(/maxGenerationCalls/);
    expect(() => new DynamicBatchFiller({ targetGroups: 1, maxGenerationCalls: 1, maxCalls: 3 } as never)).toThrow(/unknown option 'maxCalls'/);
    expect(() => new DynamicBatchFiller<number>({ targetGroups: 1, maxGenerationCalls: 1 }).addCall([1, 2], [true])).toThrow(/keep flags/);
  });
});

describe('overlongPenalty (DAPO soft overlong punishment)', () => {
  // L_max 20, buffer 4 → L_exp 16: 0 up to 16, then −(|o| − 16)/4 · factor.
  it.each([
    [10, 0],
    [16, 0],
    [17, -0.25],
    [18, -0.5],
    [20, -1],
    [22, -1.5],
  ])('length %i → %f (factor 1)', (length, expected) => {
    expect(overlongPenalty(length, 20, 4, 1)).toBeCloseTo(expected, 12);
  });
  it('scales with the factor and is never positive', () => {
    expect(overlongPenalty(18, 20, 4, 0.5)).toBeCloseTo(-0.25, 12);
    expect(overlongPenalty(0, 20, 20, 1)).toBe(0);
    expect(Object.is(overlongPenalty(19, 20, 4, 0), 0)).toBe(true);
  });
  it('rejects bad arguments', () => {
    expect(() => overlongPenalty(5, 20, 0, 1)).toThrow(/bufferLength/);
    expect(() => overlongPenalty(5, 20, 21, 1)).toThrow(/bufferLength/);
    expect(() => overlongPenalty(-1, 20, 4, 1)).toThrow(/length/);
    expect(() => overlongPenalty(5, 20, 4, -1)).toThrow(/factor/);
  });
});

describe('combineRewards', () => {
  it('is the weighted sum of the weighted components', () => {
    const components = { structural: 1, format: 0.5, content: 0.25, validity: 0, debugTokens: 99 };
    expect(combineRewards(components, { structural: 0.2, format: 0.2, content: 0.4, validity: 0.2 })).toBeCloseTo(0.2 + 0.1 + 0.1, 12);
  });
  it('names a missing component with close matches', () => {
    expect(() => combineRewards({ format: 1 }, { fromat: 1 })).toThrow(/'fromat' is missing.*did you mean 'format'/);
    expect(() => combineRewards({ format: Number.NaN }, { format: 1 })).toThrow(InvalidArgumentError);
  });
});
