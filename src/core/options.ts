/** Option checking and "did you mean" suggestions for unknown names. */
import { UnknownOptionError } from './errors.js';

/** Throws `UnknownOptionError` naming the first key of `options` not in `allowed`. */
export function checkOptions(owner: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new UnknownOptionError(owner, key, allowed);
  }
}

/** Levenshtein distance (for "did you mean" suggestions). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Candidates closest to `name` (case-insensitive edit distance), best first. */
export function closeMatches(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length * 0.4));
  return [...candidates]
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => {
      if (d <= limit || c.toLowerCase().startsWith(lower)) return true;
      // 'cartpole-v9' or 'CartPoleXL' still suggest 'CartPole-v1' (the name before the version).
      const stem = c.toLowerCase().split('-')[0]!;
      return stem.length >= 3 && lower.startsWith(stem);
    })
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}
