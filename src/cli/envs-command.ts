/** `teleo envs`: lists registered environments with their spaces, time limit and reward threshold. */
import type { Command } from 'commander';
import { Box } from '../core/spaces/box.js';
import type { Space } from '../core/spaces/space.js';
import { make, registeredIds, spec } from '../envs/registration.js';
import type { CliIO } from './io.js';
import { textTable } from './table.js';

export interface EnvListing {
  id: string;
  observationSpace: string;
  actionSpace: string;
  maxEpisodeSteps: number | null;
  rewardThreshold: number | null;
  nondeterministic: boolean;
  description: string | null;
}

/** Shortest decimal that reads back as the same float32 (so 4.8f prints as 4.8, not 4.800000190734863). */
/** `toString()` of the space (float32 Box bounds print as their shortest float32 decimal). */
export function describeSpace(space: Space<unknown>): string {
  return space.toString();
}

/** Builds each registered env once (checker off) to read its spaces. */
export function listEnvs(): EnvListing[] {
  return registeredIds().map((id) => {
    const s = spec(id);
    const env = make(id, { disableEnvChecker: true });
    try {
      return {
        id,
        observationSpace: describeSpace(env.observationSpace),
        actionSpace: describeSpace(env.actionSpace),
        maxEpisodeSteps: s.maxEpisodeSteps,
        rewardThreshold: s.rewardThreshold,
        nondeterministic: s.nondeterministic,
        description: s.description ?? null,
      };
    } finally {
      env.close();
    }
  });
}

export function formatEnvList(envs: readonly EnvListing[]): string {
  if (envs.length === 0) return 'No environments are registered.';
  const table = textTable(
    [
      { header: 'ID' },
      { header: 'Observation space' },
      { header: 'Action space' },
      { header: 'Max steps', align: 'right' },
      { header: 'Reward threshold', align: 'right' },
    ],
    envs.map((e) => [e.id, e.observationSpace, e.actionSpace, e.maxEpisodeSteps === null ? '-' : String(e.maxEpisodeSteps), e.rewardThreshold === null ? '-' : String(e.rewardThreshold)]),
  );
  return `${table}\n\n${envs.length} environment${envs.length === 1 ? '' : 's'} registered.`;
}

export function addEnvsCommand(program: Command, io: CliIO): void {
  program
    .command('envs')
    .description('List registered environments with their spaces, time limit and reward threshold')
    .option('--json', 'print a JSON array instead of a table')
    .action((opts: { json?: boolean }) => {
      const envs = listEnvs();
      io.out(opts.json ? JSON.stringify(envs, null, 2) : formatEnvList(envs));
    });
}
