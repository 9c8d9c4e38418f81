/**
 * How a policy's ad load varies with the (latent) user type and the fetch's position: mean ad load per
 * (type, position bucket) on a set of fetches, and its agreement with the oracle's (the simulator's ground
 * truth of what the best ad load is for each type and position).
 */
import { USER_TYPES, policyDist, type AdloadFetches, type AdloadSimulator } from '../../envs/bandit/adload.js';
import type { ContextualPolicy } from '../../algos/opl/policy.js';

/** Position buckets [from, to): early, middle and late in a session (for nPositions = 10). */
export const POSITION_BUCKETS: ReadonlyArray<readonly [number, number]> = [
  [0, 3],
  [3, 6],
  [6, 10],
];

/** Mean ad load per user type (rows) and position bucket (columns); NaN where a cell has no fetch. */
export function adLoadTable(sim: AdloadSimulator, policy: ContextualPolicy, fetches: AdloadFetches): number[][] {
  const K = sim.nActions;
  const dist = policyDist(policy, fetches, K);
  const sums = USER_TYPES.map(() => POSITION_BUCKETS.map(() => 0));
  const counts = USER_TYPES.map(() => POSITION_BUCKETS.map(() => 0));
  for (let i = 0; i < fetches.nRounds; i++) {
    const b = POSITION_BUCKETS.findIndex(([lo, hi]) => fetches.position[i]! >= lo && fetches.position[i]! < hi);
    if (b < 0) continue;
    let load = 0;
    for (let a = 0; a < K; a++) load += a * dist[i * K + a]!;
    const t = fetches.userType[i]!;
    sums[t]![b]! += load;
    counts[t]![b]! += 1;
  }
  return sums.map((row, t) => row.map((s, b) => (counts[t]![b]! > 0 ? s / counts[t]![b]! : NaN)));
}

/** Pearson correlation of two tables' cells (NaN cells skipped). */
export function tableCorrelation(a: number[][], b: number[][]): number {
  const xs: number[] = [];
  const ys: number[] = [];
  a.forEach((row, t) =>
    row.forEach((x, j) => {
      const y = b[t]![j]!;
      if (Number.isFinite(x) && Number.isFinite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }),
  );
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (xs[k]! - mx) * (ys[k]! - my);
    sxx += (xs[k]! - mx) ** 2;
    syy += (ys[k]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

export interface HeterogeneityCheck {
  /** Correlation of the policy's per-cell mean ad load with the oracle's. */
  correlation: number;
  /** Light users get fewer ads late in a session than early (as the oracle does). */
  lightDecreasesWithPosition: boolean;
  /** In every position bucket, heavy users get more ads than light users. */
  heavyAboveLight: boolean;
}

export function checkHeterogeneity(policyTable: number[][], oracleTable: number[][]): HeterogeneityCheck {
  const light = USER_TYPES.indexOf('light');
  const heavy = USER_TYPES.indexOf('heavy');
  const last = POSITION_BUCKETS.length - 1;
  return {
    correlation: tableCorrelation(policyTable, oracleTable),
    lightDecreasesWithPosition: policyTable[light]![0]! > policyTable[light]![last]! && oracleTable[light]![0]! > oracleTable[light]![last]!,
    heavyAboveLight: policyTable[heavy]!.every((v, b) => v > policyTable[light]![b]!),
  };
}

/** Markdown table of mean ad loads: rows = user types, columns = position buckets, "policy (oracle)". */
export function adLoadMarkdown(policyTable: number[][], oracleTable: number[][]): string {
  const header = POSITION_BUCKETS.map(([lo, hi]) => `positions ${lo}–${hi - 1}`);
  const lines = [`| user type | ${header.join(' | ')} |`, `| --- | ${header.map(() => '---').join(' | ')} |`];
  USER_TYPES.forEach((type, t) => {
    lines.push(`| ${type} | ${policyTable[t]!.map((v, b) => `${v.toFixed(2)} (${oracleTable[t]![b]!.toFixed(2)})`).join(' | ')} |`);
  });
  return lines.join('\n');
}
