/**
 * Evaluation-policy files for `teleo ope`: JSON describing π_e(a | x) for the logged rounds, in one of three
 * forms that are easy to produce from any language.
 *
 *   { "type": "linear-softmax", "nActions": K, "dimContext": d, "weights": [[b_0, w_01, …, w_0d], …] }
 *       π(a|x) = softmax_a(b_a + w_a · x); one row per action (bias first). A flat "params" array of
 *       K × (d + 1) numbers is accepted instead of "weights" (what LinearSoftmaxPolicy.toJSON() writes,
 *       with "kind" in place of "type").
 *   { "type": "action-distribution", "nActions": K, "probabilities": [[p_0, …, p_{K-1}], …] }
 *       one row per logged round (in log order), or a single row used for every round.
 *   { "type": "static", "nActions": K, "action": a }
 *       always action a.
 *
 * The policy's action count must equal the log's; probabilities are checked (in [0, 1], rows summing to 1).
 */
import { readFileSync } from 'node:fs';
import { InvalidDataError, describeValue } from '../core/errors.js';
import { LinearSoftmaxPolicy } from '../algos/opl/linear-softmax.js';
import type { BanditLog } from '../data/bandit-log.js';
import { ActionDistribution } from '../ope/action-distribution.js';

export const POLICY_TYPES = ['linear-softmax', 'action-distribution', 'static'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export interface PolicyFile {
  type: PolicyType;
  nActions: number;
  /** π_e over the log's rounds (n × nActions), checked. */
  distribution(log: BanditLog): ActionDistribution;
}

function fail(path: string, message: string, column?: string, row?: number): never {
  throw new InvalidDataError(`Policy file '${path}': ${message}`, { ...(column ? { column } : {}), ...(row !== undefined ? { row } : {}) });
}

function numberRow(path: string, value: unknown, length: number, what: string, row?: number): Float64Array {
  if (!Array.isArray(value) || value.length !== length) fail(path, `${what} must be an array of ${length} numbers, got ${describeValue(value)}`, what.split('[')[0], row);
  const out = new Float64Array(length);
  value.forEach((v, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `${what}[${j}] must be a finite number, got ${describeValue(v)}`, what.split('[')[0], row);
    out[j] = v;
  });
  return out;
}

/** Reads and checks a policy file (its shape; the match with a log is checked by `distribution`). */
export function readPolicyFile(path: string): PolicyFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidDataError(`Cannot read policy file '${path}': ${(err as Error).message}`, { cause: err });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail(path, `must hold a JSON object, got ${describeValue(json)}`);
  const spec = json as Record<string, unknown>;
  const type = spec.type ?? spec.kind;
  if (!(POLICY_TYPES as readonly unknown[]).includes(type)) fail(path, `"type" must be one of ${POLICY_TYPES.join(', ')}, got ${describeValue(type)}`, 'type');
  const K = spec.nActions;
  if (typeof K !== 'number' || !Number.isSafeInteger(K) || K < 2) fail(path, `"nActions" must be an integer >= 2, got ${describeValue(K)}`, 'nActions');
  const nActions = K;

  const checkLog = (log: BanditLog) => {
    if (log.nActions !== nActions) {
      throw new InvalidDataError(`Policy file '${path}' has nActions = ${nActions} but the log has ${log.nActions} actions`, { column: 'nActions' });
    }
  };

  if (type === 'static') {
    const a = spec.action;
    if (typeof a !== 'number' || !Number.isSafeInteger(a) || a < 0 || a >= nActions) fail(path, `"action" must be an integer in [0, ${nActions}), got ${describeValue(a)}`, 'action');
    return {
      type,
      nActions,
      distribution(log) {
        checkLog(log);
        const values = new Float64Array(log.nRounds * nActions);
        for (let i = 0; i < log.nRounds; i++) values[i * nActions + a] = 1;
        return new ActionDistribution(values, { nRounds: log.nRounds, nActions });
      },
    };
  }

  if (type === 'linear-softmax') {
    const d = spec.dimContext;
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1) fail(path, `"dimContext" must be a positive integer, got ${describeValue(d)}`, 'dimContext');
    let params: Float64Array;
    if (spec.weights !== undefined) {
      if (!Array.isArray(spec.weights) || spec.weights.length !== nActions) fail(path, `"weights" must have one row per action (${nActions}), got ${describeValue(spec.weights)}`, 'weights');
      params = new Float64Array(nActions * (d + 1));
      (spec.weights as unknown[]).forEach((row, a) => params.set(numberRow(path, row, d + 1, `weights[${a}]`, a), a * (d + 1)));
    } else if (spec.params !== undefined) {
      params = numberRow(path, spec.params, nActions * (d + 1), 'params');
    } else {
      fail(path, 'a linear-softmax policy needs "weights" (one [bias, w_1..w_d] row per action) or a flat "params" array', 'weights');
    }
    const policy = new LinearSoftmaxPolicy(nActions, d, params);
    return {
      type,
      nActions,
      distribution(log) {
        checkLog(log);
        if (log.dimContext !== d) throw new InvalidDataError(`Policy file '${path}' has dimContext = ${d} but the log's contexts have ${log.dimContext} features`, { column: 'dimContext' });
        return new ActionDistribution(policy.actionDist(log.context, log.nRounds), { nRounds: log.nRounds, nActions });
      },
    };
  }

  // action-distribution
  const rows = spec.probabilities;
  if (!Array.isArray(rows) || rows.length === 0) fail(path, `"probabilities" must be a non-empty array of rows, got ${describeValue(rows)}`, 'probabilities');
  const single = rows.length === 1 || typeof rows[0] === 'number';
  const table = typeof rows[0] === 'number' ? [rows] : rows;
  const parsed = (table as unknown[]).map((row, i) => numberRow(path, row, nActions, `probabilities[${i}]`, i));
  return {
    type: 'action-distribution',
    nActions,
    distribution(log) {
      checkLog(log);
      if (!single && parsed.length !== log.nRounds) {
        throw new InvalidDataError(`Policy file '${path}' has ${parsed.length} rows of probabilities but the log has ${log.nRounds} rounds (give one row per round, or a single row)`, {
          column: 'probabilities',
        });
      }
      const values = new Float64Array(log.nRounds * nActions);
      for (let i = 0; i < log.nRounds; i++) values.set(parsed[single ? 0 : i]!, i * nActions);
      try {
        return new ActionDistribution(values, { nRounds: log.nRounds, nActions });
      } catch (err) {
        throw new InvalidDataError(`Policy file '${path}': ${(err as Error).message}`, { column: 'probabilities', cause: err });
      }
    },
  };
}
