/**
 * OPE estimator throughput: time of one estimate (estimate, round values and standard error, inputs checked)
 * on 1M logged rounds with 10 actions, median of 7 runs after 2 warm-ups, for IPS, SNIPS, DM, DR, SNDR,
 * Switch-DR and DRos. Data: OBP-style synthetic log (logistic rewards, softmax behaviour policy), evaluation
 * policy softmax(5·q), q̂ = q + N(0, 0.1²) noise (the reward model's fitting time is not part of an
 * estimator's time, as in OBP's `estimate_policy_value`). Prints a Markdown table with OBP's numbers
 * (OBP 0.5.5, numpy 1.24, median of 7, measured on this machine type by the team).
 *
 *   npx tsx bench/ope-throughput.ts [--rounds N] [--repeats N]
 */
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.js';
import { describeMachine } from '../src/cli/machine.js';
import { SyntheticBanditDataset, logisticRewardFunction } from '../src/envs/bandit/synthetic.js';
import { dm, dr, dros, ips, sndr, snips, switchDr, type OpeResult } from '../src/ope/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '7' },
  },
});
const nRounds = Number(values.rounds);
const repeats = Number(values.repeats);
const K = 10;

/** Milliseconds, OBP's numpy implementation (estimate_policy_value), as given in the issue. */
const OBP_MS: Record<string, number> = { IPS: 39, SNIPS: 39, DM: 135, 'Switch-DR': 176 };

process.stderr.write(`generating ${nRounds} rounds × ${K} actions...\n`);
const { log, expectedReward } = new SyntheticBanditDataset({ nActions: K, dimContext: 5, rewardFunction: logisticRewardFunction, beta: 1, seed: 0 }).obtainBatch(nRounds);
const rng = Rng.fromSeed(1);
const actionDist = new Float64Array(nRounds * K);
const estimatedRewards = new Float64Array(nRounds * K);
for (let i = 0; i < nRounds; i++) {
  let max = -Infinity;
  for (let a = 0; a < K; a++) max = Math.max(max, 5 * expectedReward[i * K + a]!);
  let sum = 0;
  for (let a = 0; a < K; a++) sum += actionDist[i * K + a] = Math.exp(5 * expectedReward[i * K + a]! - max);
  for (let a = 0; a < K; a++) {
    actionDist[i * K + a] = actionDist[i * K + a]! / sum;
    estimatedRewards[i * K + a] = expectedReward[i * K + a]! + rng.normal(0, 0.1);
  }
}

const cases: Array<[string, () => OpeResult]> = [
  ['IPS', () => ips(log, actionDist)],
  ['SNIPS', () => snips(log, actionDist)],
  ['DM', () => dm(log, actionDist, estimatedRewards)],
  ['DR', () => dr(log, actionDist, estimatedRewards)],
  ['SNDR', () => sndr(log, actionDist, estimatedRewards)],
  ['Switch-DR', () => switchDr(log, actionDist, estimatedRewards, { lambda: 10 })],
  ['DRos', () => dros(log, actionDist, estimatedRewards, { lambda: 10 })],
];

const rows: string[] = [];
for (const [name, run] of cases) {
  for (let w = 0; w < 2; w++) run();
  const times: number[] = [];
  let estimate = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    estimate = run().estimate;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const obp = OBP_MS[name];
  const speedup = obp === undefined ? '—' : `${(obp / median).toFixed(1)}×`;
  rows.push(`| ${name} | ${median.toFixed(1)} | ${times[0]!.toFixed(1)}–${times[times.length - 1]!.toFixed(1)} | ${obp ?? '—'} | ${speedup} | ${estimate.toFixed(4)} |`);
  process.stderr.write(`${name}: ${median.toFixed(1)} ms\n`);
}

console.log(`OPE estimator time, ${nRounds.toLocaleString('en')} rounds × ${K} actions, median of ${repeats} (${describeMachine()})\n`);
console.log('| estimator | Teleo ms (median) | min–max | OBP ms | speed-up | estimate |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
