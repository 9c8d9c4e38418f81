/**
 * Countdown expressions: a parser for `+ - * /` with parentheses over non-negative integer literals (spaces
 * ignored, no unary minus) and exact evaluation in reduced BigInt fractions, so no floating-point error can
 * make a wrong expression hit the target or a right one miss it.
 */

export type CountdownNode =
  | { kind: 'number'; text: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: CountdownNode; right: CountdownNode };

/** A reduced fraction with a positive denominator. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

/** The expression tree of `text`, or null when it is not a well-formed expression. */
export function parseCountdownExpression(text: string): CountdownNode | null {
  const tokens = text.match(/\d+|[-+*/()]|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];

  function expression(): CountdownNode | null {
    let left = term();
    while (left && (peek() === '+' || peek() === '-')) {
      const op = tokens[pos++] as '+' | '-';
      const right = term();
      if (!right) return null;
      left = { kind: 'binary', op, left, right };
    }
    return left;
  }
  function term(): CountdownNode | null {
    let left = factor();
    while (left && (peek() === '*' || peek() === '/')) {
      const op = tokens[pos++] as '*' | '/';
      const right = factor();
      if (!right) return null;
      left = { kind: 'binary', op, left, right };
    }
    return left;
  }
  function factor(): CountdownNode | null {
    const token = peek();
    if (token === undefined) return null;
    if (/^\d+$/.test(token)) {
      pos++;
      return { kind: 'number', text: token };
    }
    if (token === '(') {
      pos++;
      const inner = expression();
      if (!inner || peek() !== ')') return null;
      pos++;
      return inner;
    }
    return null;
  }

  const tree = expression();
  return tree && pos === tokens.length ? tree : null;
}

/** The literals of an expression, left to right, as written. */
export function literalsOf(node: CountdownNode): string[] {
  return node.kind === 'number' ? [node.text] : [...literalsOf(node.left), ...literalsOf(node.right)];
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function fraction(num: bigint, den: bigint): Fraction {
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/** The exact value, or null when some division has a zero divisor. */
export function evaluateCountdownExpression(node: CountdownNode): Fraction | null {
  if (node.kind === 'number') return { num: BigInt(node.text), den: 1n };
  const a = evaluateCountdownExpression(node.left);
  const b = evaluateCountdownExpression(node.right);
  if (!a || !b) return null;
  switch (node.op) {
    case '+':
      return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
    case '-':
      return fraction(a.num * b.den - b.num * a.den, a.den * b.den);
    case '*':
      return fraction(a.num * b.num, a.den * b.den);
    case '/':
      return b.num === 0n ? null : fraction(a.num * b.den, a.den * b.num);
  }
}
