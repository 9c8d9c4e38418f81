/** Group advantages (GRPO, Dr.GRPO) and DCPO's smooth advantage standardisation against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { SmoothAdvantageStandardizer, broadcastToTokens, groupAdvantages, groupStats } from '../../src/algos/grpo/advantages.js';

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
}

describe('groupAdvantages', () => {
  // Groups of 4: [1,0,0,1] mean .5, unbiased var 1/3; [1,1,1,1] all equal; [0,0,0,1] mean .25, unbiased var .25 (std .5).
  const rewards = [1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1];

  it("'grpo' is (R − mean)/(unbiased std + eps)", () => {
    const a = groupAdvantages(rewards, 4, 'grpo');
    const s1 = 0.5 / (Math.sqrt(1 / 3) + 1e-6); // 0.866024...
    expect(s1).toBeCloseTo(0.866024, 5);
    expectClose(a, [s1, -s1, -s1, s1, 0, 0, 0, 0, -0.25 / 0.500001, -0.25 / 0.500001, -0.25 / 0.500001, 0.75 / 0.500001], 6);
    expect(a[8]).toBeCloseTo(-0.5, 5);
    expect(a[11]).toBeCloseTo(1.5, 5);
  });

  it('eps is added to the std', () => {
    const a = groupAdvantages([0, 0, 0, 1], 4, 'grpo', 0.5);
    expectClose(a, [-0.25, -0.25, -0.25, 0.75], 10); // std .5 + eps .5 = 1
  });

  it("'drgrpo' is R − mean", () => {
    expectClose(groupAdvantages(rewards, 4, 'drgrpo'), [0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0, -0.25, -0.25, -0.25, 0.75], 12);
  });

  it('all-equal groups get exactly zero even when the mean does not round-trip', () => {
    const a = groupAdvantages([0.1, 0.1, 0.1, 0.7, 0.7, 0.7], 3, 'grpo');
    expect(Array.from(a)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects bad input with a typed error', () => {
    expect(() => groupAdvantages([1, 0], 1, 'grpo')).toThrow(/groupSize/);
    expect(() => groupAdvantages([1, 0, 1], 2, 'grpo')).toThrow(/multiple of groupSize/);
    expect(() => groupAdvantages([1, Number.NaN], 2, 'grpo')).toThrow(InvalidArgumentError);
    expect(() => groupAdvantages([1, 0], 2, 'rloo' as 'grpo')).toThrow(/Unknown advantage estimator 'rloo'|"rloo"/);
    expect(() => groupAdvantages([], 2, 'grpo')).toThrow(InvalidArgumentError);
  });

  it('broadcastToTokens repeats each sequence value over its token slots', () => {
    expect(Array.from(broadcastToTokens([1.5, -2], 3))).toEqual([1.5, 1.5, 1.5, -2, -2, -2]);
    expect(() => broadcastToTokens([1], 0)).toThrow(InvalidArgumentError);
  });
});

/** Direct recomputation: mean and unbiased std of every reward seen for a prompt. */
function pooled(all: number[]): { mean: number; std: number } {
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const ss = all.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (all.length - 1)) };
}

/** SAS from its definition, given the pooled totals. */
function sasReference(group: number[], history: number[], visit: number): number[] {
  const g = pooled(group);
  const t = pooled(history);
  return group.map((r) => {
    const aNew = g.std > 1e-12 ? (r - g.mean) / g.std : 0;
    const aTot = t.std > 1e-12 ? (r - t.mean) / t.std : 0;
    const saNew = ((visit - 1) / visit) * aNew + aTot / visit;
    const saTot = aNew / visit + ((visit - 1) / visit) * aTot;
    return Math.abs(saNew) < Math.abs(saTot) ? saNew : saTot;
  });
}

describe('SmoothAdvantageStandardizer', () => {
  it('reduces to GRPO without eps the first time a prompt is seen', () => {
    const sas = new SmoothAdvantageStandardizer();
    const a = sas.advantages('p', [1, 0, 0, 0]);
    expectClose(a, [1.5, -0.5, -0.5, -0.5], 12);
    expectClose(a, Array.from(groupAdvantages([1, 0, 0, 0], 4, 'grpo', 0)), 12);
    expect(Array.from(sas.advantages('q', [1, 1, 1, 1]))).toEqual([0, 0, 0, 0]);
  });

  it('matches hand-computed values over three visits (pooled merge)', () => {
    const sas = new SmoothAdvantageStandardizer();
    sas.advantages('p', [1, 0, 0, 0]);
    // Visit 2, group [1,1,0,0]: μ_new .5, σ_new √(1/3); all 8 rewards: μ .375, var 1.875/7, σ .517549.
    // R=1: Â_new .866025, Â_tot 1.207615 → both SA = their mean 1.036820; R=0: −.866025, −.724569 → −.795297.
    expectClose(sas.advantages('p', [1, 1, 0, 0]), [1.03682, 1.03682, -0.795297, -0.795297], 5);
    expect(sas.statsOf('p')).toMatchObject({ times: 2, count: 8, mean: 0.375 });
    expect(sas.statsOf('p')!.std).toBeCloseTo(0.517549, 6);
    // Visit 3, all-equal group [1,1,1,1]: 12 rewards, 7 ones: μ 7/12, var (420/144)/11, σ .514929; Â_tot(1) = .809173;
    // Â_new = 0 → SA_new = Â_tot/3 = .269724 (smaller than SA_tot = 2Â_tot/3).
    expectClose(sas.advantages('p', [1, 1, 1, 1]), [0.269724, 0.269724, 0.269724, 0.269724], 5);
  });

  it("'per-group' merge follows DCPO's recursion (each group one unit)", () => {
    const sas = new SmoothAdvantageStandardizer({ merge: 'per-group' });
    sas.advantages('p', [1, 0, 0, 0]);
    sas.advantages('p', [1, 1, 0, 0]);
    // k=1: μ = (.25+.5)/2 = .375; σ² = [.25 + 1/3 + ½·.25²]/2 = .307292 (≠ pooled .267857).
    const s = sas.statsOf('p')!;
    expect(s.mean).toBeCloseTo(0.375, 12);
    expect(s.std ** 2).toBeCloseTo((0.25 + 1 / 3 + 0.5 * 0.0625) / 2, 12);
  });

  it('matches a direct recomputation from all rewards seen, over many steps and prompts', () => {
    const rng = Rng.fromSeed(7);
    const sas = new SmoothAdvantageStandardizer();
    const history = new Map<string, number[]>();
    const visits = new Map<string, number>();
    for (let step = 0; step < 30; step++) {
      const id = `prompt-${rng.integers(0, 4)}`;
      const size = 3 + rng.integers(0, 4); // group sizes may differ between visits
      const p = rng.uniform(0, 1);
      const group = Array.from({ length: size }, () => (rng.uniform(0, 1) < p ? 1 : 0) + (step % 3 === 0 ? 0.5 * rng.uniform(0, 1) : 0));
      const all = [...(history.get(id) ?? []), ...group];
      history.set(id, all);
      visits.set(id, (visits.get(id) ?? 0) + 1);
      const got = sas.advantages(id, group);
      expectClose(got, sasReference(group, all, visits.get(id)!), 9);
      const s = sas.statsOf(id)!;
      expect(s.count).toBe(all.length);
      expect(s.mean).toBeCloseTo(pooled(all).mean, 12);
    }
    expect(sas.size).toBe(history.size);
  });

  it('without std normalisation it blends mean differences', () => {
    const sas = new SmoothAdvantageStandardizer({ normalizeByStd: false });
    expectClose(sas.advantages('p', [1, 0]), [0.5, -0.5], 12);
    // Visit 2 [1,1]: Â_new = 0; μ_tot = .75 → Â_tot = .25 → SA_new = .125.
    expectClose(sas.advantages('p', [1, 1]), [0.125, 0.125], 12);
  });

  it('batchAdvantages splits contiguous groups by prompt id', () => {
    const a = new SmoothAdvantageStandardizer();
    const b = new SmoothAdvantageStandardizer();
    const batch = a.batchAdvantages(['x', 'y'], [1, 0, 0, 0, 1, 1, 1, 0], 4);
    expectClose(batch, [...b.advantages('x', [1, 0, 0, 0]), ...b.advantages('y', [1, 1, 1, 0])], 14);
    expect(() => a.batchAdvantages(['x'], [1, 0, 0, 0, 1, 1, 1, 0], 4)).toThrow(/prompt ids/);
  });

  it('JSON state round-trips and continues identically', () => {
    const sas = new SmoothAdvantageStandardizer({ merge: 'per-group' });
    sas.advantages('a', [0.3, 0.1, 0.9]);
    sas.advantages('b', [1, 0, 1]);
    sas.advantages('a', [0.2, 0.2, 0.5]);
    const restored = SmoothAdvantageStandardizer.fromJSON(JSON.parse(JSON.stringify(sas)));
    expect(restored.merge).toBe('per-group');
    expect(Array.from(restored.advantages('a', [0, 1, 0.4]))).toEqual(Array.from(sas.advantages('a', [0, 1, 0.4])));
    expect(restored.statsOf('b')).toEqual(sas.statsOf('b'));
  });

  it('rejects bad input and corrupt state with typed errors', () => {
    const sas = new SmoothAdvantageStandardizer();
    expect(() => sas.advantages('p', [1])).toThrow(/at least 2/);
    expect(() => sas.advantages('p', [1, Number.POSITIVE_INFINITY])).toThrow(InvalidArgumentError);
    expect(() => new SmoothAdvantageStandardizer({ merge: 'ewma' as 'pooled' })).toThrow(/merge/);
    expect(() => new SmoothAdvantageStandardizer({ mrege: 'pooled' } as object)).toThrow(/unknown option 'mrege'/);
    expect(() => SmoothAdvantageStandardizer.fromJSON({ format: 'x' })).toThrow(InvalidDataError);
    const good = sas.toJSON();
    expect(() => SmoothAdvantageStandardizer.fromJSON({ ...good, prompts: [['p', 1, 4, 0.5, -1]] })).toThrow(/invalid statistics/);
    expect(() => SmoothAdvantageStandardizer.fromJSON({ ...good, prompts: [['p', 1, 4, 0.5, 1], ['p', 1, 4, 0.5, 1]] })).toThrow(/twice/);
  });

  it('groupStats gives the unbiased variance', () => {
    expect(groupStats([1, 2, 3, 4])).toMatchObject({ count: 4, mean: 2.5, variance: 5 / 3, allEqual: false });
  });
});
