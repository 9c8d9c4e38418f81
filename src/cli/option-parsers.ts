/** Commander value parsers shared by the plot, reproduce, ope and bandit commands (usage errors, exit code 1). */
import { InvalidArgumentError as CommanderArgumentError } from 'commander';

export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new CommanderArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}

export function finiteNumber(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new CommanderArgumentError('expected a finite number.');
  return n;
}

/** "ips, snips,dr" → ['ips', 'snips', 'dr'] (empty items dropped). */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
