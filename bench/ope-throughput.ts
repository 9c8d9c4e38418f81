/**
 * OPE estimator throughput: time of one estimate (estimate, round values and standard error, inputs checked)
 * on 1M logged rounds with 10 actions, median of 7 rounds after 2 warm-up rounds (each round runs every estimator once), for IPS, SNIPS, DM, DR, SNDR,
 * Switch-DR and DRos. IPS and SNIPS are timed twice: with a raw Float64Array (every row of π_e checked on
 * every call: a full read of the 80 MB array) and with an `ActionDistribution` (rows checked once, when the
 * policy is wrapped; the estimator then reads one entry per round). Both wall-clock and process CPU time
 * are reported: on a shared machine CPU time is the steadier measure of the code itself. Data: OBP-style synthetic log (logistic rewards, softmax behaviour policy), evaluation
 * policy softmax(5·q), q̂ = q + N(0, 0.1²) noise (the reward model's fitting time is not part of an
 * estimator's time, as in OBP's `estimate_policy_value`). Prints a Markdown table with OBP's numbers
 * (OBP 0.5.5, numpy 1.24, median of 7, measured on this machine type by the team).
 *
 *   npx tsx bench/ope-throughput.ts [--rounds N] [--repeats N]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.js';
import { describeMachine } from '../src/cli/machine.js';
import { SyntheticBanditDataset, logisticRewardFunction } from '../src/envs/bandit/synthetic.js';
import { ActionDistribution, dm, dr, dros, ips, sndr, snips, switchDr, type OpeResult } from '../src/ope/index.js';

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

const t0 = performance.now();
const checked = new ActionDistribution(actionDist, { nRounds, nActions: K });
const checkMs = performance.now() - t0;

const cases: Array<[string, () => OpeResult]> = [
  ['IPS', () => ips(log, actionDist)],
  ['IPS (checked π_e)', () => ips(log, checked)],
  ['SNIPS', () => snips(log, actionDist)],
  ['SNIPS (checked π_e)', () => snips(log, checked)],
  ['DM', () => dm(log, actionDist, estimatedRewards)],
  ['DR', () => dr(log, actionDist, estimatedRewards)],
  ['SNDR', () => sndr(log, actionDist, estimatedRewards)],
  ['Switch-DR', () => switchDr(log, actionDist, estimatedRewards, { lambda: 10 })],
  ['DRos', () => dros(log, actionDist, estimatedRewards, { lambda: 10 })],
];

// Round-robin: every round runs every case once, so each sees the same JIT state (all kernels warm).
const wall = cases.map(() => [] as number[]);
const cpu = cases.map(() => [] as number[]);
const estimates = cases.map(() => 0);
for (let round = -2; round < repeats; round++) {
  cases.forEach(([, run], k) => {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    estimates[k] = run().estimate;
    const wallMs = performance.now() - w0;
    const c = process.cpuUsage(c0);
    if (round >= 0) {
      wall[k]!.push(wallMs);
      cpu[k]!.push((c.user + c.system) / 1000);
    }
  });
  process.stderr.write(round < 0 ? 'warm-up round done\n' : `round ${round + 1}/${repeats} done\n`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = cases.map(([name], k) => {
  const wallMs = median(wall[k]!);
  const obp = OBP_MS[name.replace(/ \(checked π_e\)$/, '')];
  const speedup = obp === undefined ? '—' : `${(obp / wallMs).toFixed(1)}×`;
  return `| ${name} | ${wallMs.toFixed(1)} | ${Math.min(...wall[k]!).toFixed(1)}–${Math.max(...wall[k]!).toFixed(1)} | ${median(cpu[k]!).toFixed(1)} | ${obp ?? '—'} | ${speedup} | ${estimates[k]!.toFixed(4)} |`;
});

console.log(`OPE estimator time, ${nRounds.toLocaleString('en')} rounds × ${K} actions, median of ${repeats} (${describeMachine()})\n`);
console.log('| estimator | Teleo wall ms (median) | wall min–max | Teleo CPU ms (median) | OBP ms | speed-up (wall) | estimate |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
console.log(`\nWrapping π_e in an ActionDistribution (the one-time check): ${checkMs.toFixed(1)} ms. Load average at the end: ${os.loadavg().map((v) => v.toFixed(1)).join(', ')}.`);
