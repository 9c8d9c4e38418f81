/**
 * `reproduceAdload`: the whole ad-load reproduction over several seeds — the experiment table (arms =
 * policies), per-policy OPE estimates with CIs next to the true values, the online A/B check, the λ frontier,
 * the per-type/position ad loads of the DR-learned policy against the oracle, and the three signature claims of
 * issue 4 checked. Returns the data and a Markdown report; with `out`, writes adload-report.md,
 * adload-frontier.json and the runner's results.json/results.md (each via a temp file and a rename).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { assertValidSeed } from '../../core/rng.js';
import { runExperiment, resultsTable, type ExperimentResults } from '../../train/experiments/index.js';
import { resolveAdloadConfig, type AdloadConfig } from './config.js';
import { ADLOAD_ARMS, adloadExperiment, cachedAdloadSeed, clearAdloadCache } from './experiment.js';
import { averageFrontier, dominates, frontierMarkdown, frontierPoints, type FrontierPoint } from './frontier.js';
import { adLoadMarkdown, adLoadTable, checkHeterogeneity, type HeterogeneityCheck } from './heterogeneity.js';
import { ESTIMATORS, OBJECTIVES, makeAdloadWorld, oraclePolicy, type AdloadSeedResult, type EstimatorKey } from './pipeline.js';

export interface ReproduceAdloadOptions {
  /** Seeds (default 0..4). */
  seeds?: number[];
  /** Directory for the report files (nothing written when omitted). */
  out?: string;
  /** Smaller logs and fewer steps (a smoke run; the claims are meant for the default sizes). */
  quick?: boolean;
  /** Overrides of the configuration. */
  config?: Partial<AdloadConfig>;
  /** Progress lines (default: none). */
  onLog?: (line: string) => void;
}

export interface AdloadClaims {
  /** For each learner, the fraction of seeds where one of its sweep points dominates the best static ad load. */
  dominatesBestStatic: Record<'ips-learned' | 'dr-learned', number>;
  /** The best static ad load (by mean true objective at the arm λ). */
  bestStatic: string;
  /** For each static ad load, the fraction of seeds where some DR-learned sweep point dominates it. */
  drDominatesStatic: Record<string, number>;
  /** Per seed, the DR-learned policy's ad-load pattern against the oracle's. */
  heterogeneity: HeterogeneityCheck[];
  /** Per estimator, the fraction of (seed, policy, objective) with a non-degenerate CI that contains the true value. */
  coverage: Record<EstimatorKey, number>;
  /** Whether each claim holds: dominance in every seed, the ad-load pattern in every seed, DR coverage ≥ 0.9. */
  pass: { dominance: boolean; heterogeneity: boolean; drCoverage: boolean };
}

export interface AdloadReproduction {
  config: AdloadConfig;
  seeds: number[];
  experiment: ExperimentResults;
  /** Frontier points per seed and averaged over seeds. */
  frontierPerSeed: FrontierPoint[][];
  frontier: FrontierPoint[];
  claims: AdloadClaims;
  markdown: string;
}

const OPTION_KEYS = ['seeds', 'out', 'quick', 'config', 'onLog'];

export async function reproduceAdload(options: ReproduceAdloadOptions = {}): Promise<AdloadReproduction> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`reproduceAdload options must be an object, got ${describeValue(options)}`);
  checkOptions('reproduceAdload', options, OPTION_KEYS);
  const { seeds = [0, 1, 2, 3, 4], out, quick = false, onLog = () => {} } = options;
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InvalidArgumentError(`reproduceAdload: seeds must be a non-empty array, got ${describeValue(seeds)}`);
  seeds.forEach((s) => assertValidSeed(s));
  const config = resolveAdloadConfig(options.config ?? {}, quick);
  const world = makeAdloadWorld();

  const results: AdloadSeedResult[] = [];
  const frontierPerSeed: FrontierPoint[][] = [];
  const heterogeneity: HeterogeneityCheck[] = [];
  const tables: { policy: number[][]; oracle: number[][] }[] = [];
  for (const seed of seeds) {
    const start = performance.now();
    const result = cachedAdloadSeed(seed, config);
    results.push(result);
    frontierPerSeed.push(frontierPoints(world, result, config));
    const policyTable = adLoadTable(world.sim, result.learned['dr-learned'], result.abFetches);
    const oracleTable = adLoadTable(world.sim, oraclePolicy(world.sim, config.lambda), result.abFetches);
    tables.push({ policy: policyTable, oracle: oracleTable });
    heterogeneity.push(checkHeterogeneity(policyTable, oracleTable));
    onLog(`seed ${seed}: ${result.nTrainRounds} training / ${result.nEvalRounds} evaluation fetches, ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  const experiment = await runExperiment(adloadExperiment({ quick, config: options.config, seeds }), {
    seeds,
    parallel: 1,
    print: false,
    onLog,
    ...(out === undefined ? {} : { out: join(out, 'experiment') }),
  });
  clearAdloadCache();

  const frontier = averageFrontier(frontierPerSeed);
  const objectiveOf = (p: FrontierPoint) => p.satisfaction + config.lambda * p.revenue;
  const statics = frontier.filter((p) => p.lambda === null);
  const bestStatic = statics.reduce((a, b) => (objectiveOf(b) > objectiveOf(a) ? b : a));
  const dominanceFraction = (learner: string) =>
    frontierPerSeed.filter((points) => {
      const best = points.find((p) => p.policy === bestStatic.policy)!;
      return points.some((p) => p.policy === learner && dominates(p, best));
    }).length / seeds.length;

  const coverage = {} as Record<EstimatorKey, number>;
  for (const estimator of ESTIMATORS) {
    let hits = 0;
    let total = 0;
    for (const r of results) {
      for (const report of Object.values(r.policies)) {
        for (const objective of OBJECTIVES) {
          const ci = report.ope[objective][estimator];
          const truth = report.trueValue[objective];
          // Zero-width intervals (the revenue of 0 ads: every estimate is exactly 0) would be trivial hits.
          if (ci.lower === ci.upper) continue;
          if (ci.lower <= truth && truth <= ci.upper) hits++;
          total++;
        }
      }
    }
    coverage[estimator] = hits / total;
  }
  const drDominatesStatic: Record<string, number> = {};
  for (const s of statics) {
    drDominatesStatic[s.policy] =
      frontierPerSeed.filter((points) => {
        const target = points.find((p) => p.policy === s.policy)!;
        return points.some((p) => p.policy === 'dr-learned' && dominates(p, target));
      }).length / seeds.length;
  }
  const claims: AdloadClaims = {
    dominatesBestStatic: { 'ips-learned': dominanceFraction('ips-learned'), 'dr-learned': dominanceFraction('dr-learned') },
    bestStatic: bestStatic.policy,
    drDominatesStatic,
    heterogeneity,
    coverage,
    pass: {
      dominance: dominanceFraction('ips-learned') === 1 && dominanceFraction('dr-learned') === 1,
      heterogeneity: heterogeneity.every((h) => h.correlation >= 0.8 && h.lightDecreasesWithPosition && h.heavyAboveLight),
      drCoverage: coverage.dr >= 0.9,
    },
  };
  const markdown = reportMarkdown(config, seeds, results, experiment, frontier, claims, tables[0]!);
  if (out !== undefined) {
    mkdirSync(out, { recursive: true });
    writeAtomic(join(out, 'adload-report.md'), markdown);
    writeAtomic(join(out, 'adload-frontier.json'), JSON.stringify({ lambda: config.lambda, seeds, frontier, frontierPerSeed, claims }, null, 2));
  }
  return { config, seeds, experiment, frontierPerSeed, frontier, claims, markdown };
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const f4 = (x: number) => x.toFixed(4);

function reportMarkdown(
  config: AdloadConfig,
  seeds: number[],
  results: AdloadSeedResult[],
  experiment: ExperimentResults,
  frontier: FrontierPoint[],
  claims: AdloadClaims,
  table: { policy: number[][]; oracle: number[][] },
): string {
  const first = results[0]!;
  const lines: string[] = [];
  const yes = (b: boolean) => (b ? '✅' : '❌');
  lines.push(`# Ad-load balancing by off-policy learning — reproduction`, '');
  lines.push(
    `Seeds ${seeds.join(', ')}; per seed ${first.nTrainRounds} training and ${first.nEvalRounds} evaluation fetches (seed ${first.seed}), ` +
      `${config.nTrainSessions}/${config.nEvalSessions}/${config.nAbSessions} sessions (train/eval/A/B); objective satisfaction + λ·revenue with λ = ${config.lambda}.`,
    '',
  );
  lines.push('## Claims', '');
  lines.push(`- ${yes(claims.pass.dominance)} Learned policies dominate the best static ad load (${claims.bestStatic}) on (satisfaction, revenue): IPS in ${pct(claims.dominatesBestStatic['ips-learned'])} of seeds, DR in ${pct(claims.dominatesBestStatic['dr-learned'])}.`);
  lines.push(`  Seeds where a DR-learned point dominates each static ad load: ${Object.entries(claims.drDominatesStatic).map(([k, v]) => `${k} ${pct(v)}`).join(', ')} (always-0 and always-${Object.keys(claims.drDominatesStatic).length - 1} maximise one objective: nothing can dominate them).`);
  const h = claims.heterogeneity;
  lines.push(
    `- ${yes(claims.pass.heterogeneity)} DR-learned ad load follows the ground truth: correlation with the oracle's per (type, position) ad load ${h.map((c) => c.correlation.toFixed(2)).join(', ')}; ` +
      `light users get fewer ads late in a session in ${h.filter((c) => c.lightDecreasesWithPosition).length}/${h.length} seeds; heavy > light everywhere in ${h.filter((c) => c.heavyAboveLight).length}/${h.length}.`,
  );
  lines.push(`- ${yes(claims.pass.drCoverage)} True value inside the DR 95% CI in ${pct(claims.coverage.dr)} of (seed, policy, objective) cases (claim: ≥ 90%; the truth is the exact value on the evaluation log's contexts; zero-width CIs, i.e. the revenue of 0 ads, are left out).`, '');
  lines.push('CI coverage per estimator (all seeds, policies and both objectives):', '');
  lines.push(`| ${ESTIMATORS.join(' | ')} |`, `| ${ESTIMATORS.map(() => '---').join(' | ')} |`, `| ${ESTIMATORS.map((e) => pct(claims.coverage[e])).join(' | ')} |`, '');
  lines.push('## Policies (runner: IQM and 95% bootstrap CI over seeds)', '', resultsTable(experiment, 'markdown'), '');
  lines.push(`## Off-policy estimates on the held-out log (seed ${first.seed}): estimate [95% CI], true value`, '');
  lines.push(`| policy | objective | true | ${ESTIMATORS.join(' | ')} |`, `| --- | --- | --- | ${ESTIMATORS.map(() => '---').join(' | ')} |`);
  for (const [name, report] of Object.entries(first.policies)) {
    for (const objective of OBJECTIVES) {
      const truth = report.trueValue[objective];
      const cells = ESTIMATORS.map((e) => {
        const v = report.ope[objective][e];
        const miss = truth < v.lower || truth > v.upper ? ' ✗' : '';
        return `${f4(v.estimate)} [${f4(v.lower)}, ${f4(v.upper)}]${miss}`;
      });
      lines.push(`| ${name} | ${objective} | ${f4(truth)} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('', '✗: the true value is outside the CI.', '');
  lines.push(`## Online A/B test (seed ${first.seed}, ${first.nAbRounds} fresh fetches per policy): measured ± s.e., true value, DR estimate`, '');
  lines.push('| policy | satisfaction A/B | true | DR | revenue A/B | true | DR |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, report] of Object.entries(first.policies)) {
    const cells = OBJECTIVES.flatMap((o) => [`${f4(report.ab[o].mean)} ± ${f4(report.ab[o].stdErr)}`, f4(report.abTrueValue[o]), f4(report.ope[o].dr.estimate)]);
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  lines.push('', `## λ frontier (true satisfaction / revenue on fresh contexts, mean over ${seeds.length} seeds)`, '', frontierMarkdown(frontier), '');
  lines.push(`## Ad load of the DR-learned policy by user type and position (seed ${first.seed}; oracle in parentheses), λ = ${config.lambda}`, '', adLoadMarkdown(table.policy, table.oracle), '');
  lines.push('Arms: ' + ADLOAD_ARMS.join(', ') + '.');
  return lines.join('\n') + '\n';
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)}%`;
}
