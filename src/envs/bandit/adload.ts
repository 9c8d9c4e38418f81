/**
 * Ad-load simulator: a content feed with ground truth, after "Ad-load Balancing via Off-policy Learning in a
 * Content Marketplace" (Sagtani et al., WSDM 2024). Each feed fetch is one round of a contextual bandit: the
 * policy picks how many ads the fetch carries (0..maxAds), and two competing outcomes follow:
 *
 * - satisfaction: a binary per-fetch engagement signal, P = σ(b_t − d_t·s − a·(c_t + e_t·s));
 * - revenue: bid × ad clicks, ad j (0-based) clicked w.p. ctr_t·(1 − 0.3 s)·ρ^j (diminishing returns),
 *   so E[revenue] = bid·ctr_t·(1 − 0.3 s)·(1 − ρ^a)/(1 − ρ);
 *
 * where t is the user's latent type (light / medium / heavy), s = position/(nPositions − 1) the fetch's place
 * in its session, and a the ad load. Light users tire of ads quickly and more so late in a session; heavy
 * users tolerate ads and click more: the best ad load depends on user type and position.
 *
 * Users: type t ~ prior; two observable noisy features drawn once per user, engagement ~ N(μ_eng[t], σ²) and
 * adTolerance ~ N(μ_tol[t], σ²). Sessions: length L = 1 + (number of continuations), each with probability
 * g_t, capped at nPositions, so P(L > p | t) = g_t^p. The policy's context per fetch is
 * [engagement, adTolerance, s, engagement·s, adTolerance·s].
 *
 * Exact ground truth: outcomes depend on the latent type, which the context only reveals partially, so
 * E[outcome | x, a] = Σ_t P(t | x) · E[outcome | t, s, a] with the posterior
 * P(t | x) ∝ prior_t · N(eng; μ_eng[t], σ²) · N(tol; μ_tol[t], σ²) · g_t^p (a fetch at position p exists only
 * when the session got that far, which is itself evidence about the type). `expectedOutcomes` returns these
 * for every fetch and action, so any policy's true value on any set of fetches is exact.
 *
 * Simplification (documented on purpose): positions are exogenous. The ad load changes the satisfaction
 * signal but not how long the session lasts, so the context distribution does not depend on the policy and
 * the per-fetch contextual-bandit framing (the one under which the paper does OPE) is exact; an online A/B
 * test in this simulator is then fresh sessions with each policy's actions. Real feeds also have this
 * long-term effect of ads on session length, which a one-step bandit ignores.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import { BanditLog } from '../../data/bandit-log.js';

/** A policy as the simulator sees it: for n contexts (row-major), an n × nActions distribution. */
export interface AdloadPolicy {
  actionDist(context: Float64Array, nRounds: number): Float64Array;
}

export const USER_TYPES = ['light', 'medium', 'heavy'] as const;
export type UserType = (typeof USER_TYPES)[number];

export const ADLOAD_FEATURES = ['engagement', 'adTolerance', 'position', 'engagement×position', 'adTolerance×position'] as const;

/** Per-type ground-truth parameters (index = type). */
export interface AdloadTypeParameters {
  prior: readonly number[];
  engagementMean: readonly number[];
  toleranceMean: readonly number[];
  /** Probability that a session continues to the next fetch. */
  continueProb: readonly number[];
  /** Satisfaction logit at position 0 without ads, its drop over the session, ad sensitivity and its growth. */
  satBase: readonly number[];
  satPositionDrop: readonly number[];
  adSensitivity: readonly number[];
  adSensitivityGrowth: readonly number[];
  /** Click-through rate of the first ad of a fetch at position 0. */
  ctr: readonly number[];
}

export const DEFAULT_ADLOAD_TYPES: AdloadTypeParameters = Object.freeze({
  prior: [0.45, 0.35, 0.2],
  engagementMean: [-1, 0, 1],
  toleranceMean: [-0.8, 0.5, 0.6],
  continueProb: [0.6, 0.78, 0.88],
  satBase: [0.6, 1.1, 1.6],
  satPositionDrop: [0.4, 0.3, 0.2],
  adSensitivity: [0.3, 0.15, 0.08],
  adSensitivityGrowth: [0.6, 0.2, 0.06],
  ctr: [0.03, 0.05, 0.07],
});

export interface AdloadSimulatorOptions {
  /** Fetches per session at most (default 10). */
  nPositions?: number;
  /** Largest ad load; actions are 0..maxAds (default 4). */
  maxAds?: number;
  /** Standard deviation of the observable user features around their type's mean (default 0.6). */
  featureNoise?: number;
  /** Sessions per user (default 2); user features are fixed across a user's sessions. */
  sessionsPerUser?: number;
  /** Revenue of one ad click (default 10). */
  bid?: number;
  /** Click-probability decay from one ad of a fetch to the next (default 0.8). */
  clickDecay?: number;
  types?: AdloadTypeParameters;
}

const OPTION_KEYS = ['nPositions', 'maxAds', 'featureNoise', 'sessionsPerUser', 'bid', 'clickDecay', 'types'] as const;
const TYPE_KEYS = ['prior', 'engagementMean', 'toleranceMean', 'continueProb', 'satBase', 'satPositionDrop', 'adSensitivity', 'adSensitivityGrowth', 'ctr'] as const;

/** A set of feed fetches (the contexts of rounds) with their latent ground truth. */
export interface AdloadFetches {
  nRounds: number;
  /** nRounds × dimContext, row-major. */
  context: Float64Array;
  position: Int32Array;
  /** Latent user type (index into USER_TYPES); hidden from policies. */
  userType: Int32Array;
  userId: Int32Array;
  sessionId: Int32Array;
}

/** Per-fetch, per-action expected outcomes (nRounds × nActions, row-major). */
export interface AdloadExpectedOutcomes {
  satisfaction: Float64Array;
  revenue: Float64Array;
}

export interface AdloadValue {
  satisfaction: number;
  revenue: number;
}

export interface AdloadLogBatch {
  /** Rewards: `reward` = satisfaction; objectives { satisfaction, revenue }; position, userId, sessionId. */
  log: BanditLog;
  fetches: AdloadFetches;
  /** The logging policy's n × nActions distribution. */
  loggingDist: Float64Array;
}

export class AdloadSimulator {
  readonly nPositions: number;
  readonly maxAds: number;
  readonly nActions: number;
  readonly dimContext = ADLOAD_FEATURES.length;
  readonly featureNoise: number;
  readonly sessionsPerUser: number;
  readonly bid: number;
  readonly clickDecay: number;
  readonly types: AdloadTypeParameters;

  constructor(options: AdloadSimulatorOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`AdloadSimulator options must be an object, got ${describeValue(options)}`);
    checkOptions('AdloadSimulator', options, OPTION_KEYS);
    const { nPositions = 10, maxAds = 4, featureNoise = 0.6, sessionsPerUser = 2, bid = 10, clickDecay = 0.8, types = DEFAULT_ADLOAD_TYPES } = options;
    const bad = (what: string, value: unknown): never => {
      throw new InvalidArgumentError(`AdloadSimulator: ${what}, got ${describeValue(value)}`);
    };
    if (!Number.isSafeInteger(nPositions) || nPositions < 2) bad('nPositions must be an integer >= 2', nPositions);
    if (!Number.isSafeInteger(maxAds) || maxAds < 1) bad('maxAds must be an integer >= 1', maxAds);
    if (!(featureNoise > 0 && featureNoise < Infinity)) bad('featureNoise must be a positive finite number', featureNoise);
    if (!Number.isSafeInteger(sessionsPerUser) || sessionsPerUser < 1) bad('sessionsPerUser must be a positive integer', sessionsPerUser);
    if (!(bid >= 0 && bid < Infinity)) bad('bid must be a finite number >= 0', bid);
    if (!(clickDecay > 0 && clickDecay < 1)) bad('clickDecay must be in (0, 1)', clickDecay);
    checkTypes(types);
    this.nPositions = nPositions;
    this.maxAds = maxAds;
    this.nActions = maxAds + 1;
    this.featureNoise = featureNoise;
    this.sessionsPerUser = sessionsPerUser;
    this.bid = bid;
    this.clickDecay = clickDecay;
    this.types = types;
  }

  /** Position scaled to [0, 1]. */
  positionScale(position: number): number {
    return position / (this.nPositions - 1);
  }

  /** P(satisfied | type, position, ads). */
  satisfactionProb(type: number, position: number, ads: number): number {
    const T = this.types;
    const s = this.positionScale(position);
    const logit = T.satBase[type]! - T.satPositionDrop[type]! * s - ads * (T.adSensitivity[type]! + T.adSensitivityGrowth[type]! * s);
    return 1 / (1 + Math.exp(-logit));
  }

  /** Click probability of the j-th ad (0-based) of a fetch. */
  clickProb(type: number, position: number, j: number): number {
    return this.types.ctr[type]! * (1 - 0.3 * this.positionScale(position)) * this.clickDecay ** j;
  }

  /** E[revenue | type, position, ads]. */
  expectedRevenue(type: number, position: number, ads: number): number {
    let clicks = 0;
    for (let j = 0; j < ads; j++) clicks += this.clickProb(type, position, j);
    return this.bid * clicks;
  }

  /** Posterior P(type | features, position) into `out` (length 3). */
  typePosterior(engagement: number, tolerance: number, position: number, out: Float64Array = new Float64Array(USER_TYPES.length)): Float64Array {
    const T = this.types;
    const inv2var = 1 / (2 * this.featureNoise * this.featureNoise);
    // Log-likelihoods, shifted by their max before exponentiating (features far in a tail underflow otherwise).
    let maxLog = -Infinity;
    for (let t = 0; t < USER_TYPES.length; t++) {
      const de = engagement - T.engagementMean[t]!;
      const dt = tolerance - T.toleranceMean[t]!;
      const logp = Math.log(T.prior[t]!) - (de * de + dt * dt) * inv2var + position * Math.log(T.continueProb[t]!);
      out[t] = logp;
      if (logp > maxLog) maxLog = logp;
    }
    let total = 0;
    for (let t = 0; t < USER_TYPES.length; t++) {
      out[t] = Math.exp(out[t]! - maxLog);
      total += out[t]!;
    }
    for (let t = 0; t < USER_TYPES.length; t++) out[t] = out[t]! / total;
    return out;
  }

  /** Writes the policy context of one fetch at `offset`. */
  writeContext(out: Float64Array, offset: number, engagement: number, tolerance: number, position: number): void {
    const s = this.positionScale(position);
    out[offset] = engagement;
    out[offset + 1] = tolerance;
    out[offset + 2] = s;
    out[offset + 3] = engagement * s;
    out[offset + 4] = tolerance * s;
  }

  /**
   * The fetches of `nSessions` fresh sessions (`sessionsPerUser` per user; the last user may have fewer).
   * Ids start at `firstUserId` / `firstSessionId`, so batches can be kept apart.
   */
  sampleFetches(rng: Rng, nSessions: number, ids: { firstUserId?: number; firstSessionId?: number } = {}): AdloadFetches {
    if (!(rng instanceof Rng)) throw new InvalidArgumentError(`sampleFetches needs an Rng, got ${describeValue(rng)}`);
    if (!Number.isSafeInteger(nSessions) || nSessions < 1) throw new InvalidArgumentError(`sampleFetches: nSessions must be a positive integer, got ${describeValue(nSessions)}`);
    checkOptions('sampleFetches', ids, ['firstUserId', 'firstSessionId']);
    const { firstUserId = 0, firstSessionId = 0 } = ids;
    const T = this.types;
    const positions: number[] = [];
    const users: number[] = [];
    const sessions: number[] = [];
    const typeOf: number[] = [];
    const engagementOf: number[] = [];
    const toleranceOf: number[] = [];
    let type = 0;
    let engagement = 0;
    let tolerance = 0;
    for (let k = 0; k < nSessions; k++) {
      if (k % this.sessionsPerUser === 0) {
        type = rng.choiceIndex(T.prior);
        engagement = rng.normal(T.engagementMean[type]!, this.featureNoise);
        tolerance = rng.normal(T.toleranceMean[type]!, this.featureNoise);
      }
      const user = firstUserId + Math.floor(k / this.sessionsPerUser);
      let length = 1;
      while (length < this.nPositions && rng.random() < T.continueProb[type]!) length++;
      for (let p = 0; p < length; p++) {
        positions.push(p);
        users.push(user);
        sessions.push(firstSessionId + k);
        typeOf.push(type);
        engagementOf.push(engagement);
        toleranceOf.push(tolerance);
      }
    }
    const n = positions.length;
    const context = new Float64Array(n * this.dimContext);
    for (let i = 0; i < n; i++) this.writeContext(context, i * this.dimContext, engagementOf[i]!, toleranceOf[i]!, positions[i]!);
    return {
      nRounds: n,
      context,
      position: Int32Array.from(positions),
      userType: Int32Array.from(typeOf),
      userId: Int32Array.from(users),
      sessionId: Int32Array.from(sessions),
    };
  }

  /** Exact E[satisfaction | x, a] and E[revenue | x, a] for every fetch and action (posterior over types). */
  expectedOutcomes(fetches: AdloadFetches): AdloadExpectedOutcomes {
    const n = fetches.nRounds;
    const K = this.nActions;
    const d = this.dimContext;
    const satisfaction = new Float64Array(n * K);
    const revenue = new Float64Array(n * K);
    // Per (type, position, action) tables: the per-fetch work is then a 3-term mixture.
    const nT = USER_TYPES.length;
    const satTable = new Float64Array(nT * this.nPositions * K);
    const revTable = new Float64Array(nT * this.nPositions * K);
    for (let t = 0; t < nT; t++) {
      for (let p = 0; p < this.nPositions; p++) {
        for (let a = 0; a < K; a++) {
          satTable[(t * this.nPositions + p) * K + a] = this.satisfactionProb(t, p, a);
          revTable[(t * this.nPositions + p) * K + a] = this.expectedRevenue(t, p, a);
        }
      }
    }
    const posterior = new Float64Array(nT);
    for (let i = 0; i < n; i++) {
      const p = fetches.position[i]!;
      this.typePosterior(fetches.context[i * d]!, fetches.context[i * d + 1]!, p, posterior);
      for (let a = 0; a < K; a++) {
        let sat = 0;
        let rev = 0;
        for (let t = 0; t < nT; t++) {
          const k = (t * this.nPositions + p) * K + a;
          sat += posterior[t]! * satTable[k]!;
          rev += posterior[t]! * revTable[k]!;
        }
        satisfaction[i * K + a] = sat;
        revenue[i * K + a] = rev;
      }
    }
    return { satisfaction, revenue };
  }

  /** Draws the outcomes of the given actions, from each fetch's latent type. */
  sampleOutcomes(rng: Rng, fetches: AdloadFetches, actions: Int32Array): { satisfaction: Float64Array; revenue: Float64Array } {
    const n = fetches.nRounds;
    if (!(actions instanceof Int32Array) || actions.length !== n) {
      throw new InvalidArgumentError(`sampleOutcomes: actions must be an Int32Array of ${n} values, got ${describeValue(actions)}`);
    }
    const satisfaction = new Float64Array(n);
    const revenue = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = actions[i]!;
      if (!(a >= 0 && a < this.nActions)) throw new InvalidArgumentError(`sampleOutcomes: actions[${i}] = ${a} is outside [0, ${this.nActions})`);
      const t = fetches.userType[i]!;
      const p = fetches.position[i]!;
      satisfaction[i] = rng.random() < this.satisfactionProb(t, p, a) ? 1 : 0;
      let clicks = 0;
      for (let j = 0; j < a; j++) if (rng.random() < this.clickProb(t, p, j)) clicks++;
      revenue[i] = this.bid * clicks;
    }
    return { satisfaction, revenue };
  }

  /** Draws one action per fetch from a policy's distribution. */
  sampleActions(rng: Rng, fetches: AdloadFetches, policy: AdloadPolicy): { actions: Int32Array; dist: Float64Array } {
    const n = fetches.nRounds;
    const K = this.nActions;
    const dist = policyDist(policy, fetches, K);
    const actions = new Int32Array(n);
    for (let i = 0; i < n; i++) actions[i] = rng.choiceIndex(dist.subarray(i * K, i * K + K));
    return { actions, dist };
  }

  /**
   * A logged batch: `nSessions` fresh sessions, actions from `loggingPolicy`, propensities and sampled outcomes.
   * One `rng` drives everything, so a seed fixes the log.
   */
  simulateLog(rng: Rng, nSessions: number, loggingPolicy: AdloadPolicy, ids: { firstUserId?: number; firstSessionId?: number } = {}): AdloadLogBatch {
    const fetches = this.sampleFetches(rng, nSessions, ids);
    const { actions, dist } = this.sampleActions(rng, fetches, loggingPolicy);
    const { satisfaction, revenue } = this.sampleOutcomes(rng, fetches, actions);
    const n = fetches.nRounds;
    const K = this.nActions;
    const pscore = new Float64Array(n);
    for (let i = 0; i < n; i++) pscore[i] = dist[i * K + actions[i]!]!;
    const log = new BanditLog({
      nActions: K,
      dimContext: this.dimContext,
      context: fetches.context,
      action: actions,
      reward: satisfaction,
      pscore,
      objectives: { satisfaction, revenue },
      position: fetches.position,
      nPositions: this.nPositions,
      userId: fetches.userId,
      sessionId: fetches.sessionId,
    });
    return { log, fetches, loggingDist: dist };
  }

  /** Exact mean per-fetch satisfaction and revenue of a policy (given as its n × nActions distribution) on these fetches. */
  trueValue(expected: AdloadExpectedOutcomes, actionDist: Float64Array): AdloadValue {
    const K = this.nActions;
    const n = expected.satisfaction.length / K;
    if (!(actionDist instanceof Float64Array) || actionDist.length !== n * K) {
      throw new InvalidArgumentError(`trueValue: actionDist must be a Float64Array of ${n} × ${K} values, got ${describeValue(actionDist)}`);
    }
    let sat = 0;
    let rev = 0;
    for (let k = 0; k < n * K; k++) {
      sat += actionDist[k]! * expected.satisfaction[k]!;
      rev += actionDist[k]! * expected.revenue[k]!;
    }
    return { satisfaction: sat / n, revenue: rev / n };
  }

  /** The oracle: per fetch, the action maximising E[satisfaction + λ·revenue | x, a] (one-hot n × nActions). */
  oracleDist(expected: AdloadExpectedOutcomes, lambda: number): Float64Array {
    const K = this.nActions;
    const n = expected.satisfaction.length / K;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestValue = -Infinity;
      for (let a = 0; a < K; a++) {
        const v = expected.satisfaction[i * K + a]! + lambda * expected.revenue[i * K + a]!;
        if (v > bestValue) {
          bestValue = v;
          best = a;
        }
      }
      out[i * K + best] = 1;
    }
    return out;
  }
}

/** A policy's distribution on the fetches, checked: n × nActions, rows of probabilities summing to 1. */
export function policyDist(policy: AdloadPolicy, fetches: AdloadFetches, nActions: number): Float64Array {
  if (!policy || typeof policy.actionDist !== 'function') throw new InvalidArgumentError(`expected a policy with actionDist(context, n), got ${describeValue(policy)}`);
  const n = fetches.nRounds;
  const dist = policy.actionDist(fetches.context, n);
  if (!(dist instanceof Float64Array) || dist.length !== n * nActions) {
    throw new InvalidArgumentError(`policy.actionDist returned ${describeValue(dist)}, expected a Float64Array of ${n} × ${nActions} values`);
  }
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let a = 0; a < nActions; a++) {
      const p = dist[i * nActions + a]!;
      if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`policy.actionDist row ${i}, action ${a}: probability must be in [0, 1], got ${p}`);
      total += p;
    }
    if (Math.abs(total - 1) > 1e-9) throw new InvalidArgumentError(`policy.actionDist row ${i} sums to ${total}, not 1`);
  }
  return dist;
}

function checkTypes(types: AdloadTypeParameters): void {
  if (typeof types !== 'object' || types === null) throw new InvalidArgumentError(`AdloadSimulator: types must be an object, got ${describeValue(types)}`);
  checkOptions('AdloadSimulator types', types, TYPE_KEYS);
  for (const key of TYPE_KEYS) {
    const values = types[key];
    if (!Array.isArray(values) || values.length !== USER_TYPES.length || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new InvalidArgumentError(`AdloadSimulator: types.${key} must be ${USER_TYPES.length} finite numbers (${USER_TYPES.join(', ')}), got ${describeValue(values)}`);
    }
  }
  const prior = types.prior;
  if (prior.some((p) => !(p > 0)) || Math.abs(prior.reduce((s, p) => s + p, 0) - 1) > 1e-9) {
    throw new InvalidArgumentError(`AdloadSimulator: types.prior must be positive and sum to 1, got ${JSON.stringify(prior)}`);
  }
  const probs = (key: 'continueProb' | 'ctr') => {
    if (types[key].some((p) => !(p > 0 && p < 1))) throw new InvalidArgumentError(`AdloadSimulator: types.${key} must be probabilities in (0, 1), got ${JSON.stringify(types[key])}`);
  };
  probs('continueProb');
  probs('ctr');
}
