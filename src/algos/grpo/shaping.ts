/**
 * Reward shaping for sequence policies: DAPO's soft overlong punishment and a weighted sum of named reward
 * components (RL-Struct-style multi-part rewards).
 *
 * Overlong (verl `DAPORewardManager`, DAPO paper eq. 13): with L_exp = L_max − L_buf,
 *   R_len(|o|) = min(−(|o| − L_exp)/L_buf · factor, 0)
 * i.e. 0 up to L_exp, then linear down to −factor at |o| = L_max (beyond L_max it keeps decreasing; generation
 * normally stops at L_max). It is added to the task reward.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { closeMatches } from '../../core/options.js';

export function overlongPenalty(length: number, maxLength: number, bufferLength: number, factor: number): number {
  if (!Number.isFinite(length) || length < 0) throw new InvalidArgumentError(`length must be a finite number >= 0, got ${describeValue(length)}`);
  if (!Number.isFinite(maxLength) || maxLength <= 0) throw new InvalidArgumentError(`maxLength must be a finite number > 0, got ${describeValue(maxLength)}`);
  if (!Number.isFinite(bufferLength) || bufferLength <= 0 || bufferLength > maxLength) {
    throw new InvalidArgumentError(`bufferLength must be in (0, maxLength = ${maxLength}], got ${describeValue(bufferLength)}`);
  }
  if (!Number.isFinite(factor) || factor < 0) throw new InvalidArgumentError(`factor must be a finite number >= 0, got ${describeValue(factor)}`);
  const expected = maxLength - bufferLength;
  // `+ 0` turns −0 (a zero factor) into 0.
  return Math.min((-(length - expected) / bufferLength) * factor, 0) + 0;
}

/**
 * Σ_k weights[k]·components[k] over the weighted names. A weight naming a component that is absent is an
 * error (with close matches); components without a weight are ignored (they may be diagnostics).
 */
export function combineRewards(components: Readonly<Record<string, number>>, weights: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const [name, w] of Object.entries(weights)) {
    if (!Number.isFinite(w)) throw new InvalidArgumentError(`weight of '${name}' must be finite, got ${describeValue(w)}`);
    if (!Object.prototype.hasOwnProperty.call(components, name)) {
      const hint = closeMatches(name, Object.keys(components));
      throw new InvalidArgumentError(`reward component '${name}' is missing (components: ${Object.keys(components).join(', ') || 'none'})${hint.length > 0 ? `; did you mean ${hint.map((h) => `'${h}'`).join(', ')}?` : ''}`);
    }
    const v = components[name]!;
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`reward component '${name}' must be finite, got ${describeValue(v)}`);
    total += w * v;
  }
  return total;
}
