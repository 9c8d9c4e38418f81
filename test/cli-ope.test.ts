/** `teleo bandit simulate` and `teleo ope`: files written, estimates as the library computes them, bad input. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { readBanditLog } from '../src/data/bandit-log-arrow.js';
import { SyntheticBanditDataset, logisticRewardFunction } from '../src/envs/bandit/synthetic.js';
import { ips, snips } from '../src/ope/estimators.js';

let dir: string;
let logPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teleo-cli-ope-'));
  logPath = join(dir, 'log.arrow');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function policyFile(name: string, spec: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

const ROUNDS = 3000;

describe('teleo bandit simulate', () => {
  it('writes the synthetic log that SyntheticBanditDataset gives for the same settings', async () => {
    const { code, out, err } = await cli('bandit', 'simulate', '--rounds', String(ROUNDS), '--actions', '3', '--dim', '2', '--beta', '2', '--seed', '7', '--out', logPath);
    expect(code, err).toBe(0);
    expect(out).toContain(`Wrote ${logPath} (${ROUNDS} rounds, 3 actions, context dimension 2)`);
    const log = readBanditLog(logPath);
    const expected = new SyntheticBanditDataset({ nActions: 3, dimContext: 2, beta: 2, seed: 7, rewardFunction: logisticRewardFunction }).obtainBatch(ROUNDS).log;
    expect(log.action).toEqual(expected.action);
    expect(log.pscore).toEqual(expected.pscore);
    expect(log.reward).toEqual(expected.reward);
  });

  it('writes an ad-load log with satisfaction and revenue', async () => {
    const path = join(dir, 'adload.arrow');
    const { code, out } = await cli('bandit', 'simulate', '--kind', 'adload', '--sessions', '100', '--seed', '1', '--out', path);
    expect(code).toBe(0);
    expect(out).toMatch(/adload: 100 sessions \(\d+ fetches\), ad loads 0\.\.4/);
    const log = readBanditLog(path);
    expect(Object.keys(log.objectives).sort()).toEqual(['revenue', 'satisfaction']);
    expect(log.nActions).toBe(5);
    // Revenue can be evaluated as the objective; the policy ignores positions.
    const policy = policyFile('two-ads.json', { type: 'static', nActions: 5, action: 2 });
    const res = await cli('ope', path, '--policy', policy, '--objective', 'revenue', '--estimators', 'ips,dr', '--reps', '50', '--json');
    expect(res.code, res.err).toBe(0);
    expect(JSON.parse(res.out).objective).toBe('revenue');
  });

  it.each([
    [['--kind', 'mujoco', '--out', 'x.arrow'], /--kind mujoco: use one of synthetic, adload/],
    [['--kind', 'adload', '--rounds', '10', '--out', 'x.arrow'], /use --sessions/],
    [['--rounds', '10', '--out', 'x.csv'], /name it \*\.arrow/],
    [['--rounds', '0', '--out', 'x.arrow'], /expected an integer >= 1/],
  ])('bad input → exit 1 (%#)', async (args, message) => {
    const { code, err } = await cli('bandit', 'simulate', ...args.map((a) => (a.startsWith('x.') ? join(dir, a) : a)));
    expect(code).toBe(1);
    expect(err).toMatch(message);
  });
});

describe('teleo ope', () => {
  it('prints estimate, standard error and CI per estimator, equal to the library estimators', async () => {
    const policy = policyFile('static.json', { type: 'static', nActions: 3, action: 1 });
    const { code, out, err } = await cli('ope', logPath, '--policy', policy, '--estimators', 'ips,snips,dm,dr', '--reps', '200');
    expect(code, err).toBe(0);
    expect(out).toContain(`Log ${logPath}: ${ROUNDS} rounds, 3 actions; objective: reward`);
    expect(out).toMatch(/reward model: logistic \(per-action features, 3-fold cross-fitting\)/);
    expect(out).toMatch(/^estimator\s+estimate\s+std\. error\s+95% CI \(bootstrap, 200 resamples\)$/m);
    const log = readBanditLog(logPath);
    const dist = new Float64Array(ROUNDS * 3);
    for (let i = 0; i < ROUNDS; i++) dist[i * 3 + 1] = 1;
    const row = (name: string) => out.split('\n').find((l) => l.startsWith(`${name} `))!.trim().split(/\s+/);
    expect(Number(row('ips')[1])).toBeCloseTo(ips(log, dist).estimate, 5);
    expect(Number(row('ips')[2])).toBeCloseTo(ips(log, dist).stdErr, 5);
    expect(Number(row('snips')[1])).toBeCloseTo(snips(log, dist).estimate, 5);
    for (const name of ['ips', 'snips', 'dm', 'dr']) {
      const [, est, , lo, hi] = row(name);
      const lower = Number(lo!.replace(/[[,]/g, ''));
      const upper = Number(hi!.replace(']', ''));
      expect(lower).toBeLessThanOrEqual(Number(est));
      expect(upper).toBeGreaterThanOrEqual(Number(est));
    }
  });

  it('gives the same numbers for equivalent policy files (weights, flat params, per-round and single-row distributions)', async () => {
    const weights = [
      [0.1, 1, -1],
      [0, 0.5, 0.5],
      [-0.2, 0, 1],
    ];
    const byWeights = policyFile('w.json', { type: 'linear-softmax', nActions: 3, dimContext: 2, weights });
    const byParams = policyFile('p.json', { kind: 'linear-softmax', nActions: 3, dimContext: 2, params: weights.flat() });
    const run = async (p: string) => JSON.parse((await cli('ope', logPath, '--policy', p, '--estimators', 'ips,dr', '--reps', '50', '--json')).out).rows;
    expect(await run(byWeights)).toEqual(await run(byParams));

    const uniformRows = policyFile('rows.json', { type: 'action-distribution', nActions: 3, probabilities: Array.from({ length: ROUNDS }, () => [0.2, 0.3, 0.5]) });
    const uniformOne = policyFile('one.json', { type: 'action-distribution', nActions: 3, probabilities: [0.2, 0.3, 0.5] });
    expect(await run(uniformRows)).toEqual(await run(uniformOne));
    // Same seed → same intervals; another seed → other intervals, same estimates.
    const other = JSON.parse((await cli('ope', logPath, '--policy', uniformOne, '--estimators', 'ips,dr', '--reps', '50', '--json', '--seed', '9')).out).rows;
    const base = await run(uniformOne);
    expect(other[0].estimate).toBe(base[0].estimate);
    expect(other[0].ciLower).not.toBe(base[0].ciLower);
  });

  it.each([
    ['mismatch', { type: 'static', nActions: 4, action: 1 }, [], /nActions = 4 but the log has 3 actions/],
    ['dim', { type: 'linear-softmax', nActions: 3, dimContext: 5, params: new Array(18).fill(0) }, [], /dimContext = 5 but the log's contexts have 2 features/],
    ['rows', { type: 'action-distribution', nActions: 3, probabilities: [[1, 0, 0], [0, 1, 0]] }, [], /2 rows of probabilities but the log has 3000 rounds/],
    ['sum', { type: 'action-distribution', nActions: 3, probabilities: [0.5, 0.5, 0.5] }, [], /sums to 1.5, not 1/],
    ['type', { type: 'neural', nActions: 3 }, [], /"type" must be one of linear-softmax, action-distribution, static/],
    ['weights', { type: 'linear-softmax', nActions: 3, dimContext: 2, weights: [[0, 1, 'x'], [0, 0, 0], [0, 0, 0]] }, [], /weights\[0\]\[2\] must be a finite number/],
    ['estimator', { type: 'static', nActions: 3, action: 0 }, ['--estimators', 'ips,snip'], /Unknown estimator "snip".*Did you mean: snips/],
    ['objective', { type: 'static', nActions: 3, action: 0 }, ['--objective', 'revenue'], /no named objectives, only reward/],
    ['model', { type: 'static', nActions: 3, action: 0 }, ['--reward-model', 'forest'], /--reward-model forest: use ridge, logistic or mlp/],
  ])('bad input (%s) → exit 1 with a message naming the problem', async (name, spec, extra, message) => {
    const policy = policyFile(`bad-${name}.json`, spec);
    const { code, out, err } = await cli('ope', logPath, '--policy', policy, ...extra);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('a missing or corrupt log → exit 1 and nothing estimated', async () => {
    const policy = policyFile('ok.json', { type: 'static', nActions: 3, action: 0 });
    const missing = await cli('ope', join(dir, 'missing.arrow'), '--policy', policy);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/InvalidDataError: Cannot read bandit log/);
    const corrupt = join(dir, 'corrupt.arrow');
    writeFileSync(corrupt, 'ARROW1 not really');
    const bad = await cli('ope', corrupt, '--policy', policy);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(existsSync(corrupt)).toBe(true);
  });
});
