/**
 * The λ sweep: for each revenue weight λ, learn the DM-greedy, IPS and DR policies for satisfaction + λ·revenue
 * on a seed's training log and record their exact (satisfaction, revenue) on fresh contexts, next to the static
 * ad loads and the oracle. The learned points trace the trade-off frontier; a static ad load is dominated when
 * some learned policy has at least its satisfaction and at least its revenue, one of them strictly more.
 */
import { policyDist } from '../../envs/bandit/adload.js';
import { StaticPolicy, type ContextualPolicy } from '../../algos/opl/policy.js';
import type { AdloadConfig } from './config.js';
import { learnPolicies, oraclePolicy, type AdloadSeedResult, type AdloadWorld } from './pipeline.js';

export interface FrontierPoint {
  /** 'static-k', 'dm-greedy', 'ips-learned', 'dr-learned' or 'oracle'. */
  policy: string;
  /** λ the policy was learned for (null for static ad loads). */
  lambda: number | null;
  satisfaction: number;
  revenue: number;
}

export const LEARNERS = ['dm-greedy', 'ips-learned', 'dr-learned'] as const;

/** Frontier points of one seed (true values on the seed's A/B contexts). */
export function frontierPoints(world: AdloadWorld, seedResult: AdloadSeedResult, config: AdloadConfig): FrontierPoint[] {
  const { sim } = world;
  const expected = sim.expectedOutcomes(seedResult.abFetches);
  const value = (policy: ContextualPolicy) => sim.trueValue(expected, policyDist(policy, seedResult.abFetches, sim.nActions));
  const points: FrontierPoint[] = [];
  for (let k = 0; k < sim.nActions; k++) points.push({ policy: `static-${k}`, lambda: null, ...value(new StaticPolicy(sim.nActions, k)) });
  const { log, crossFitted, models } = seedResult.train;
  for (const lambda of config.lambdas) {
    const learned = lambda === seedResult.lambda ? seedResult.learned : learnPolicies(log, lambda, config, crossFitted, models);
    for (const name of LEARNERS) points.push({ policy: name, lambda, ...value(learned[name]) });
    points.push({ policy: 'oracle', lambda, ...value(oraclePolicy(sim, lambda)) });
  }
  return points;
}

/** Whether a dominates b: no worse on both objectives, strictly better on one. */
export function dominates(a: FrontierPoint, b: FrontierPoint): boolean {
  return a.satisfaction >= b.satisfaction && a.revenue >= b.revenue && (a.satisfaction > b.satisfaction || a.revenue > b.revenue);
}

/** For each static ad load, the λ values at which the given learner's policy dominates it. */
export function dominanceByStatic(points: readonly FrontierPoint[], learner: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const learned = points.filter((p) => p.policy === learner);
  for (const s of points.filter((p) => p.lambda === null)) out[s.policy] = learned.filter((p) => dominates(p, s)).map((p) => p.lambda!);
  return out;
}

/** Mean of each (policy, λ) point over seeds (every seed must have the same points). */
export function averageFrontier(perSeed: readonly FrontierPoint[][]): FrontierPoint[] {
  const first = perSeed[0] ?? [];
  return first.map((p, j) => {
    let satisfaction = 0;
    let revenue = 0;
    for (const points of perSeed) {
      satisfaction += points[j]!.satisfaction;
      revenue += points[j]!.revenue;
    }
    return { policy: p.policy, lambda: p.lambda, satisfaction: satisfaction / perSeed.length, revenue: revenue / perSeed.length };
  });
}

/** Markdown table: one row per λ (static ad loads first), (satisfaction, revenue) per policy. */
export function frontierMarkdown(points: readonly FrontierPoint[]): string {
  const fmt = (p: FrontierPoint | undefined) => (p ? `${p.satisfaction.toFixed(4)} / ${p.revenue.toFixed(3)}` : '');
  const lines = ['| policy | λ | satisfaction / revenue |', '| --- | --- | --- |'];
  for (const p of points.filter((q) => q.lambda === null)) lines.push(`| ${p.policy} | – | ${fmt(p)} |`);
  const lambdas = [...new Set(points.filter((q) => q.lambda !== null).map((q) => q.lambda!))];
  lines.push('', `| λ | ${[...LEARNERS, 'oracle'].join(' | ')} |`, `| --- | ${[...LEARNERS, 'oracle'].map(() => '---').join(' | ')} |`);
  for (const lambda of lambdas) {
    const row = [...LEARNERS, 'oracle'].map((name) => fmt(points.find((q) => q.policy === name && q.lambda === lambda)));
    lines.push(`| ${lambda} | ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}
