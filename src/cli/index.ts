/**
 * The `teleo` command line; each command (group) is added by its own `*-command.ts` module.
 *
 * `runCli(args, io)` never exits the process: it returns the exit code, and prints any error as one
 * line (`teleo: <ErrorName>: <message>`) so bad input never dumps a stack trace (set TELEO_DEBUG=1 for it).
 */
import { Command, CommanderError } from 'commander';
import '../envs/index.js';
import { addBenchCommand } from './bench-command.js';
import { addEnvsCommand } from './envs-command.js';
import { addEvalCommand } from './eval-command.js';
import { addTrainCommand } from './train-command.js';
import { addPlotCommand } from './plot-command.js';
import { addReproduceCommand } from './reproduce-command.js';
import { addOpeCommand } from './ope-command.js';
import { addBanditCommand } from './bandit-command.js';
import { consoleIO, type CliIO } from './io.js';

export type { CliIO } from './io.js';

export function buildProgram(io: CliIO = consoleIO): Command {
  const program = new Command();
  // Set before adding subcommands: they inherit both settings.
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => io.out(text.replace(/\n$/, '')),
    writeErr: (text) => io.err(text.replace(/\n$/, '')),
  });
  program.name('teleo').description('Policy learning for TypeScript: environments, training, evaluation.').version('0.1.0');
  addEnvsCommand(program, io);
  addBenchCommand(program, io);
  addTrainCommand(program, io);
  addEvalCommand(program, io);
  addPlotCommand(program, io);
  addReproduceCommand(program, io);
  addOpeCommand(program, io);
  addBanditCommand(program, io);
  return program;
}

/** Runs the CLI on user arguments (without `node` and the script path); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIO = consoleIO): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander has already printed its own message (usage errors) or the help/version text.
    if (err instanceof CommanderError) return err.exitCode;
    const name = err instanceof Error ? err.name : 'Error';
    const message = err instanceof Error ? err.message : String(err);
    io.err(`teleo: ${name}: ${message}`);
    if (process.env.TELEO_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return 1;
  }
}

/**
 * Registers the MuJoCo environments and waits for their wasm module, so every command can use their ids.
 * Best effort: if mujoco-js cannot load, the ids stay registered and `make()` reports why when one is used.
 */
async function loadMujocoEnvs(): Promise<void> {
  try {
    const mujoco = await import('../envs/mujoco/index.js');
    await mujoco.ready;
  } catch {
    // reported by make() on first use of a MuJoCo id
  }
}

/** Entry point of `bin/teleo.js`. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await loadMujocoEnvs();
  process.exitCode = await runCli(argv.slice(2));
}
