/** The ad-load reproduction pipeline on a tiny configuration: structure, determinism, report files. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnknownOptionError } from '../../src/core/errors.js';
import { resolveAdloadConfig } from '../../src/experiments/adload/config.js';
import { averageFrontier, dominates, type FrontierPoint } from '../../src/experiments/adload/frontier.js';
import { adLoadTable, checkHeterogeneity, tableCorrelation } from '../../src/experiments/adload/heterogeneity.js';
import { ESTIMATORS, OBJECTIVES, makeAdloadWorld, oraclePolicy, runAdloadSeed } from '../../src/experiments/adload/pipeline.js';
import { reproduceAdload } from '../../src/experiments/adload/reproduce.js';
import { Rng } from '../../src/core/rng.js';

const TINY = { nTrainSessions: 300, nEvalSessions: 300, nAbSessions: 300, epochs: 20, bootstrapReps: 20, lambdas: [0.15] };

describe('runAdloadSeed', () => {
  const config = resolveAdloadConfig(TINY, true);
  const a = runAdloadSeed(3, config);

  it('reports every candidate policy with every estimator, a CI and the true values', () => {
    expect(Object.keys(a.policies)).toEqual(['static-0', 'static-1', 'static-2', 'static-3', 'static-4', 'logging', 'dm-greedy', 'ips-learned', 'dr-learned', 'oracle']);
    for (const report of Object.values(a.policies)) {
      for (const objective of OBJECTIVES) {
        for (const e of ESTIMATORS) {
          const v = report.ope[objective][e];
          expect(Number.isFinite(v.estimate)).toBe(true);
          expect(v.lower).toBeLessThanOrEqual(v.upper);
        }
      }
    }
    // No ads, no revenue: exactly, in the truth and in every estimate.
    expect(a.policies['static-0']!.trueValue.revenue).toBe(0);
    for (const e of ESTIMATORS) expect(a.policies['static-0']!.ope.revenue[e].estimate).toBe(0);
    // The oracle is the best policy for the objective on the A/B contexts (exact values).
    const objective = (name: string) => a.policies[name]!.abTrueValue.satisfaction + a.lambda * a.policies[name]!.abTrueValue.revenue;
    for (const name of Object.keys(a.policies)) expect(objective('oracle')).toBeGreaterThanOrEqual(objective(name));
  });

  it('is deterministic for a seed', () => {
    const b = runAdloadSeed(3, config);
    expect(JSON.stringify(b.policies)).toBe(JSON.stringify(a.policies));
    const c = runAdloadSeed(4, config);
    expect(JSON.stringify(c.policies)).not.toBe(JSON.stringify(a.policies));
  });
});

describe('frontier and heterogeneity helpers', () => {
  it('dominance needs no loss on either objective and a gain on one', () => {
    const p = (satisfaction: number, revenue: number): FrontierPoint => ({ policy: 'x', lambda: 0, satisfaction, revenue });
    expect(dominates(p(0.6, 1), p(0.5, 1))).toBe(true);
    expect(dominates(p(0.6, 1), p(0.6, 1))).toBe(false);
    expect(dominates(p(0.7, 0.9), p(0.6, 1))).toBe(false);
    expect(averageFrontier([[p(0.2, 1)], [p(0.4, 3)]])).toEqual([p(0.30000000000000004, 2)]);
  });

  it("the oracle's ad-load table has the ground-truth pattern the claim checks", () => {
    const world = makeAdloadWorld();
    const fetches = world.sim.sampleFetches(Rng.fromSeed(0), 3000);
    const table = adLoadTable(world.sim, oraclePolicy(world.sim, 0.15), fetches);
    expect(tableCorrelation(table, table)).toBeCloseTo(1, 12);
    const check = checkHeterogeneity(table, table);
    expect(check.lightDecreasesWithPosition).toBe(true);
    expect(check.heavyAboveLight).toBe(true);
    // A flat policy carries no pattern.
    const flat = table.map((row) => row.map(() => 2));
    expect(Number.isNaN(tableCorrelation(flat, table))).toBe(true);
  });
});

describe('reproduceAdload', () => {
  it('runs the experiment, checks the claims and writes the report files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'teleo-adload-'));
    try {
      const result = await reproduceAdload({ seeds: [0, 1], quick: true, config: TINY, out });
      expect(result.experiment.ok).toBe(true);
      expect(Object.keys(result.experiment.arms)).toContain('dr-learned');
      expect(result.frontierPerSeed).toHaveLength(2);
      expect(result.claims.coverage.dr).toBeGreaterThanOrEqual(0);
      expect(result.claims.heterogeneity).toHaveLength(2);
      for (const file of ['adload-report.md', 'adload-frontier.json', 'experiment/results.json']) expect(existsSync(join(out, file))).toBe(true);
      const report = readFileSync(join(out, 'adload-report.md'), 'utf8');
      for (const section of ['## Claims', '## Off-policy estimates', '## Online A/B test', '## λ frontier', '## Ad load of the DR-learned policy']) expect(report).toContain(section);
      expect(JSON.parse(readFileSync(join(out, 'adload-frontier.json'), 'utf8')).frontier.length).toBe(result.frontier.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects unknown options', async () => {
    await expect(reproduceAdload({ seed: [0] } as never)).rejects.toThrow(UnknownOptionError);
    expect(() => resolveAdloadConfig({ lamda: 1 } as never)).toThrow(UnknownOptionError);
  });
});
