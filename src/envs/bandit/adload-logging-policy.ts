/**
 * The ad-load simulator's logging ("production") policy: a hand-written rule mapped to a stochastic policy so
 * that every ad load has a known, positive propensity, as off-policy learning needs.
 *
 * The rule targets a preferred load h(x) = clamp(base + toleranceSlope·adTolerance − positionSlope·s, 0, maxAds)
 * (s = position scaled to [0, 1]); the policy is softmax(−(a − h(x))² / temperature) mixed with ε-uniform:
 * π_0(a|x) = (1 − ε)·softmax + ε/K, so min π_0 ≥ ε/K.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { AdloadPolicy } from './adload.js';

export interface AdloadLoggingPolicyOptions {
  nActions: number;
  /** Preferred load for an average user at the start of a session (default 2). */
  base?: number;
  /** Change of the preferred load per unit of the adTolerance feature (default 0.5). */
  toleranceSlope?: number;
  /** Decrease of the preferred load from the first to the last position (default 0.5). */
  positionSlope?: number;
  /** Softmax temperature (default 3). */
  temperature?: number;
  /** Uniform mixing weight (default 0.2). */
  epsilon?: number;
}

const OPTION_KEYS = ['nActions', 'base', 'toleranceSlope', 'positionSlope', 'temperature', 'epsilon'] as const;

/** Context layout of `AdloadSimulator`: [engagement, adTolerance, s, ...]. */
const TOLERANCE = 1;
const POSITION = 2;
const DIM_CONTEXT = 5;

export class AdloadLoggingPolicy implements AdloadPolicy {
  readonly nActions: number;
  readonly base: number;
  readonly toleranceSlope: number;
  readonly positionSlope: number;
  readonly temperature: number;
  readonly epsilon: number;

  constructor(options: AdloadLoggingPolicyOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`AdloadLoggingPolicy options must be an object, got ${describeValue(options)}`);
    checkOptions('AdloadLoggingPolicy', options, OPTION_KEYS);
    const { nActions, base = 2, toleranceSlope = 0.5, positionSlope = 0.5, temperature = 3, epsilon = 0.2 } = options;
    if (!Number.isSafeInteger(nActions) || nActions < 2) throw new InvalidArgumentError(`AdloadLoggingPolicy: nActions must be an integer >= 2, got ${describeValue(nActions)}`);
    for (const [name, v] of [['base', base], ['toleranceSlope', toleranceSlope], ['positionSlope', positionSlope]] as const) {
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`AdloadLoggingPolicy: ${name} must be finite, got ${describeValue(v)}`);
    }
    if (!(temperature > 0 && temperature < Infinity)) throw new InvalidArgumentError(`AdloadLoggingPolicy: temperature must be positive and finite, got ${describeValue(temperature)}`);
    // ε > 0 keeps every propensity positive (IPS and DR need full support).
    if (!(epsilon > 0 && epsilon <= 1)) throw new InvalidArgumentError(`AdloadLoggingPolicy: epsilon must be in (0, 1], got ${describeValue(epsilon)}`);
    this.nActions = nActions;
    this.base = base;
    this.toleranceSlope = toleranceSlope;
    this.positionSlope = positionSlope;
    this.temperature = temperature;
    this.epsilon = epsilon;
  }

  /** The rule's preferred ad load for one context. */
  preferredLoad(tolerance: number, s: number): number {
    const h = this.base + this.toleranceSlope * tolerance - this.positionSlope * s;
    return Math.min(this.nActions - 1, Math.max(0, h));
  }

  actionDist(context: Float64Array, nRounds: number): Float64Array {
    if (!(context instanceof Float64Array) || context.length !== nRounds * DIM_CONTEXT) {
      throw new InvalidArgumentError(`AdloadLoggingPolicy.actionDist: context must be a Float64Array of ${nRounds} × ${DIM_CONTEXT} values, got ${describeValue(context)}`);
    }
    const K = this.nActions;
    const out = new Float64Array(nRounds * K);
    const uniform = this.epsilon / K;
    for (let i = 0; i < nRounds; i++) {
      const h = this.preferredLoad(context[i * DIM_CONTEXT + TOLERANCE]!, context[i * DIM_CONTEXT + POSITION]!);
      let total = 0;
      for (let a = 0; a < K; a++) {
        const e = Math.exp(-((a - h) * (a - h)) / this.temperature); // max exponent is 0: no overflow
        out[i * K + a] = e;
        total += e;
      }
      for (let a = 0; a < K; a++) out[i * K + a] = (1 - this.epsilon) * (out[i * K + a]! / total) + uniform;
    }
    return out;
  }
}
