/** The `teleo` command line. */
import { Command } from 'commander';
import '../envs/index.js';
import { registeredIds, spec, make } from '../envs/registration.js';

export function buildProgram(): Command {
  const program = new Command();
  program.name('teleo').description('Policy learning for TypeScript: environments, training, evaluation.').version('0.1.0');

  program
    .command('envs')
    .description('List registered environments with their spaces')
    .action(() => {
      for (const id of registeredIds()) {
        const env = make(id, { disableEnvChecker: true });
        const s = spec(id);
        console.log(`${id}\n  observation: ${env.observationSpace.toString()}\n  action:      ${env.actionSpace.toString()}\n  max steps:   ${s.maxEpisodeSteps ?? '-'}   reward threshold: ${s.rewardThreshold ?? '-'}`);
        env.close();
      }
    });

  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
