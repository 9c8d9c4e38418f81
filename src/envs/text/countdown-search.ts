/**
 * Exhaustive Countdown search over subsets: for every subset of the given numbers (a bitmask), every integer value
 * reachable with exactly those numbers, each with one expression that reaches it. A subset's values come from
 * splitting it into two non-empty parts and combining their values with + − × ÷; intermediate results are kept
 * integer (÷ only when exact), so the search is exact in plain numbers for the task's bounded inputs.
 * Expressions carry only the parentheses precedence needs.
 */

interface Reached {
  expr: string;
  /** 0 = additive (a+b, a-b), 1 = multiplicative, 2 = a literal. */
  precedence: 0 | 1 | 2;
}

/** reachable[mask] maps each value reachable with exactly the numbers in `mask` to one expression for it. */
export function reachableValues(numbers: readonly number[]): Map<number, Reached>[] {
  const n = numbers.length;
  const tables: Map<number, Reached>[] = Array.from({ length: 1 << n }, () => new Map());
  for (let i = 0; i < n; i++) tables[1 << i]!.set(numbers[i]!, { expr: String(numbers[i]), precedence: 2 });
  // Masks in increasing order: every proper submask is complete before the mask that contains it.
  for (let mask = 1; mask < 1 << n; mask++) {
    if ((mask & (mask - 1)) === 0) continue;
    const table = tables[mask]!;
    const lowest = mask & -mask;
    const add = (value: number, expr: string, precedence: 0 | 1) => {
      if (!table.has(value)) table.set(value, { expr, precedence });
    };
    // Each unordered split once: part A holds the lowest number of the mask.
    for (let a = (mask - 1) & mask; a > 0; a = (a - 1) & mask) {
      if ((a & lowest) === 0) continue;
      const b = mask ^ a;
      for (const [x, ex] of tables[a]!) {
        for (const [y, ey] of tables[b]!) {
          const wrap = (e: Reached, below: number) => (e.precedence < below ? `(${e.expr})` : e.expr);
          add(x + y, `${ex.expr}+${ey.expr}`, 0);
          add(x - y, `${ex.expr}-${wrap(ey, 1)}`, 0);
          add(y - x, `${ey.expr}-${wrap(ex, 1)}`, 0);
          add(x * y, `${wrap(ex, 1)}*${wrap(ey, 1)}`, 1);
          if (y !== 0 && x % y === 0) add(x / y, `${wrap(ex, 1)}/${wrap(ey, 2)}`, 1);
          if (x !== 0 && y % x === 0) add(y / x, `${wrap(ey, 1)}/${wrap(ex, 2)}`, 1);
        }
      }
    }
  }
  return tables;
}

function popcount(mask: number): number {
  let c = 0;
  for (; mask; mask &= mask - 1) c++;
  return c;
}

/**
 * An expression reaching `target` with the fewest numbers (each at most once; all of them when `useAll`),
 * or null when there is none. Deterministic: ties go to the lowest subset mask and the first expression found.
 */
export function solveCountdown(numbers: readonly number[], target: number, useAll: boolean, tables = reachableValues(numbers)): string | null {
  const full = (1 << numbers.length) - 1;
  if (useAll) return tables[full]!.get(target)?.expr ?? null;
  let best: string | null = null;
  let bestCount = Infinity;
  for (let mask = 1; mask <= full; mask++) {
    const count = popcount(mask);
    if (count >= bestCount) continue;
    const hit = tables[mask]!.get(target);
    if (hit) {
      best = hit.expr;
      bestCount = count;
    }
  }
  return best;
}

/** Sorted targets in [1, maxTarget] reachable with at least two numbers (all when `useAll`) and not a given number. */
export function nonTrivialTargets(numbers: readonly number[], maxTarget: number, useAll: boolean, tables = reachableValues(numbers)): number[] {
  const full = (1 << numbers.length) - 1;
  const given = new Set(numbers);
  const out = new Set<number>();
  for (let mask = 1; mask <= full; mask++) {
    if (useAll ? mask !== full : (mask & (mask - 1)) === 0) continue;
    for (const value of tables[mask]!.keys()) {
      if (Number.isInteger(value) && value >= 1 && value <= maxTarget && !given.has(value)) out.add(value);
    }
  }
  return [...out].sort((x, y) => x - y);
}
