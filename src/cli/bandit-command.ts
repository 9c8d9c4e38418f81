/**
 * `teleo bandit simulate`: writes a logged-bandit-feedback file (Arrow IPC) from a simulator —
 * `synthetic` (OBP's SyntheticBanditDataset: linear/logistic rewards, softmax behaviour policy with inverse
 * temperature β) or `adload` (the content-feed simulator with its stochastic logging policy, whole sessions,
 * objectives satisfaction and revenue). The log is what `teleo ope` reads.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { BanditLog } from '../data/bandit-log.js';
import { writeBanditLog } from '../data/bandit-log-arrow.js';
import { AdloadLoggingPolicy } from '../envs/bandit/adload-logging-policy.js';
import { AdloadSimulator } from '../envs/bandit/adload.js';
import { SyntheticBanditDataset, linearRewardFunction, logisticRewardFunction } from '../envs/bandit/synthetic.js';
import type { CliIO } from './io.js';
import { finiteNumber, integerAtLeast } from './option-parsers.js';

export interface SimulateOptions {
  kind: string;
  rounds?: number;
  sessions?: number;
  actions?: number;
  dim?: number;
  beta?: number;
  rewardType: string;
  seed: number;
  out: string;
}

export const SIMULATOR_KINDS = ['synthetic', 'adload'] as const;

function simulateSynthetic(opts: SimulateOptions): { log: BanditLog; description: string } {
  if (opts.sessions !== undefined) throw new InvalidArgumentError('--sessions is for --kind adload; the synthetic simulator takes --rounds');
  if (opts.rewardType !== 'binary' && opts.rewardType !== 'continuous') throw new InvalidArgumentError(`--reward-type ${opts.rewardType}: use binary or continuous`);
  const nActions = opts.actions ?? 10;
  const dimContext = opts.dim ?? 5;
  const beta = opts.beta ?? 1;
  const rounds = opts.rounds ?? 10_000;
  if (nActions < 2) throw new InvalidArgumentError(`--actions must be at least 2, got ${nActions}`);
  const dataset = new SyntheticBanditDataset({
    nActions,
    dimContext,
    beta,
    seed: opts.seed,
    rewardType: opts.rewardType,
    rewardFunction: opts.rewardType === 'binary' ? logisticRewardFunction : linearRewardFunction,
  });
  const { log } = dataset.obtainBatch(rounds);
  return { log, description: `synthetic: ${rounds} rounds, ${nActions} actions, context dimension ${dimContext}, ${opts.rewardType} rewards, β = ${beta}, seed ${opts.seed}` };
}

function simulateAdload(opts: SimulateOptions): { log: BanditLog; description: string } {
  if (opts.rounds !== undefined) throw new InvalidArgumentError('--rounds is for --kind synthetic; the adload simulator logs whole sessions: use --sessions');
  if (opts.dim !== undefined) throw new InvalidArgumentError(`--dim is for --kind synthetic; the adload context has a fixed dimension`);
  if (opts.beta !== undefined) throw new InvalidArgumentError('--beta is for --kind synthetic; the adload logging policy is fixed');
  const nActions = opts.actions ?? 5;
  if (nActions < 2) throw new InvalidArgumentError(`--actions must be at least 2 (ad loads 0..actions-1), got ${nActions}`);
  const sessions = opts.sessions ?? 2000;
  const sim = new AdloadSimulator({ maxAds: nActions - 1 });
  const { log } = sim.simulateLog(Rng.fromSeed(opts.seed), sessions, new AdloadLoggingPolicy({ nActions }));
  return {
    log,
    description: `adload: ${sessions} sessions (${log.nRounds} fetches), ad loads 0..${nActions - 1}, objectives satisfaction (the reward) and revenue, seed ${opts.seed}`,
  };
}

export function runSimulate(opts: SimulateOptions, io: CliIO): BanditLog {
  if (!(SIMULATOR_KINDS as readonly string[]).includes(opts.kind)) throw new InvalidArgumentError(`--kind ${opts.kind}: use one of ${SIMULATOR_KINDS.join(', ')}`);
  const { log, description } = opts.kind === 'synthetic' ? simulateSynthetic(opts) : simulateAdload(opts);
  if (!/\.arrow$/i.test(opts.out)) throw new InvalidArgumentError(`--out ${opts.out}: the log is an Arrow IPC file; name it *.arrow`);
  writeBanditLog(opts.out, log);
  io.out(`Simulated ${description}`);
  io.out(`Wrote ${opts.out} (${log.nRounds} rounds, ${log.nActions} actions, context dimension ${log.dimContext})`);
  return log;
}

export function addBanditCommand(program: Command, io: CliIO): void {
  const bandit = program.command('bandit').description('Contextual-bandit tools: simulate logged feedback');
  bandit
    .command('simulate')
    .description('Simulate logged bandit feedback and write it as Arrow IPC: teleo bandit simulate --rounds 10000 --out log.arrow')
    .option('--kind <kind>', `simulator: ${SIMULATOR_KINDS.join(' or ')}`, 'synthetic')
    .option('--rounds <n>', 'rounds (synthetic; default 10000)', integerAtLeast(1))
    .option('--sessions <n>', 'user sessions, each several fetches (adload; default 2000)', integerAtLeast(1))
    .option('--actions <k>', 'number of actions (synthetic default 10; adload default 5, ad loads 0..k-1)', integerAtLeast(2))
    .option('--dim <d>', 'context dimension (synthetic; default 5)', integerAtLeast(1))
    .option('--beta <b>', 'inverse temperature of the softmax logging policy (synthetic; default 1)', finiteNumber)
    .option('--reward-type <type>', 'binary (logistic expected reward) or continuous (linear) (synthetic)', 'binary')
    .option('--seed <s>', 'seed', integerAtLeast(0), 0)
    .requiredOption('--out <file.arrow>', 'output log file')
    .action((opts: SimulateOptions) => {
      runSimulate(opts, io);
    });
}
