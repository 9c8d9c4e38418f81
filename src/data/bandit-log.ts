/**
 * Logged bandit feedback: a columnar, validated dataset of rounds (x_i, a_i, r_i, π_0(a_i|x_i)) as
 * Open Bandit Pipeline's `bandit_feedback` dict, with typed arrays instead of numpy arrays.
 *
 * Columns (n = number of rounds):
 * - `context`  Float64Array n × dimContext, row-major;
 * - `action`   Int32Array n, each in [0, nActions);
 * - `reward`   Float64Array n (the objective estimators use), plus optional named `objectives`
 *              (e.g. satisfaction and revenue) that `scalarize` combines into a new `reward`;
 * - `pscore`   Float64Array n, the logging policy's probability of the logged action, in (0, 1];
 * - optional `position` (Int32Array, in [0, nPositions)), `userId`, `sessionId` (Int32Array),
 *   and `actionContext` (Float64Array nActions × dimActionContext, one feature row per action).
 *
 * Every column is checked once, on construction: a bad value throws `InvalidDataError` naming the
 * column and the first bad row. Arrays are kept by reference (not copied); treat them as read-only.
 * Storage as Arrow IPC lives in `bandit-log-arrow.ts`.
 */
import { InvalidDataError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';

export interface BanditLogColumns {
  nActions: number;
  dimContext: number;
  context: Float64Array;
  action: Int32Array;
  reward: Float64Array;
  pscore: Float64Array;
  /** Further named reward columns (one value per round), e.g. `{ satisfaction, revenue }`. */
  objectives?: Record<string, Float64Array>;
  position?: Int32Array;
  /** Number of positions (slots); defaults to max(position) + 1, or 1 without positions. */
  nPositions?: number;
  userId?: Int32Array;
  sessionId?: Int32Array;
  /** nActions × dimActionContext features describing each action. */
  actionContext?: Float64Array;
  dimActionContext?: number;
}

const COLUMN_KEYS = [
  'nActions',
  'dimContext',
  'context',
  'action',
  'reward',
  'pscore',
  'objectives',
  'position',
  'nPositions',
  'userId',
  'sessionId',
  'actionContext',
  'dimActionContext',
] as const;

/** Objective names must be usable as Arrow column suffixes and JSON keys. */
const OBJECTIVE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class BanditLog {
  readonly nRounds: number;
  readonly nActions: number;
  readonly dimContext: number;
  readonly context: Float64Array;
  readonly action: Int32Array;
  readonly reward: Float64Array;
  readonly pscore: Float64Array;
  readonly objectives: Readonly<Record<string, Float64Array>>;
  readonly position: Int32Array | undefined;
  readonly nPositions: number;
  readonly userId: Int32Array | undefined;
  readonly sessionId: Int32Array | undefined;
  readonly actionContext: Float64Array | undefined;
  readonly dimActionContext: number;

  constructor(columns: BanditLogColumns) {
    if (typeof columns !== 'object' || columns === null) {
      throw new InvalidDataError(`BanditLog needs an object of columns, got ${describeValue(columns)}`);
    }
    checkOptions('BanditLog', columns, COLUMN_KEYS);
    const { nActions, dimContext } = columns;
    if (!Number.isSafeInteger(nActions) || nActions < 2) {
      throw new InvalidDataError(`BanditLog nActions must be an integer >= 2, got ${describeValue(nActions)}`, { column: 'nActions' });
    }
    if (!Number.isSafeInteger(dimContext) || dimContext < 1) {
      throw new InvalidDataError(`BanditLog dimContext must be an integer >= 1, got ${describeValue(dimContext)}`, { column: 'dimContext' });
    }
    const action = expectType(columns.action, Int32Array, 'action', 'Int32Array');
    const n = action.length;
    if (n < 1) throw new InvalidDataError('BanditLog needs at least one round (the action column is empty)', { column: 'action' });
    const context = expectType(columns.context, Float64Array, 'context', 'Float64Array');
    expectLength(context, n * dimContext, 'context', `nRounds × dimContext = ${n} × ${dimContext}`);
    const reward = expectType(columns.reward, Float64Array, 'reward', 'Float64Array');
    expectLength(reward, n, 'reward', `nRounds = ${n} (the length of action)`);
    const pscore = expectType(columns.pscore, Float64Array, 'pscore', 'Float64Array');
    expectLength(pscore, n, 'pscore', `nRounds = ${n} (the length of action)`);

    for (let i = 0; i < n; i++) {
      const a = action[i]!;
      if (a < 0 || a >= nActions) badRow('action', i, `action must be in [0, ${nActions}), got ${a}`);
    }
    checkFinite(reward, 'reward', 1);
    for (let i = 0; i < n; i++) {
      const p = pscore[i]!;
      // Written so that NaN fails too.
      if (!(p > 0 && p <= 1)) badRow('pscore', i, `propensity must be in (0, 1], got ${p}`);
    }
    checkFinite(context, 'context', dimContext);

    const objectives: Record<string, Float64Array> = {};
    if (columns.objectives !== undefined) {
      if (typeof columns.objectives !== 'object' || columns.objectives === null) {
        throw new InvalidDataError(`BanditLog objectives must be an object of Float64Arrays, got ${describeValue(columns.objectives)}`, { column: 'objectives' });
      }
      for (const [name, values] of Object.entries(columns.objectives)) {
        const column = `objectives.${name}`;
        if (!OBJECTIVE_NAME.test(name)) {
          throw new InvalidDataError(`BanditLog objective name ${JSON.stringify(name)} must match ${OBJECTIVE_NAME}`, { column });
        }
        expectType(values, Float64Array, column, 'Float64Array');
        expectLength(values, n, column, `nRounds = ${n}`);
        checkFinite(values, column, 1);
        objectives[name] = values;
      }
    }

    let nPositions = 1;
    let position: Int32Array | undefined;
    if (columns.position !== undefined) {
      position = expectType(columns.position, Int32Array, 'position', 'Int32Array');
      expectLength(position, n, 'position', `nRounds = ${n}`);
      let maxPosition = 0;
      for (let i = 0; i < n; i++) {
        const p = position[i]!;
        if (p < 0) badRow('position', i, `position must be non-negative, got ${p}`);
        if (p > maxPosition) maxPosition = p;
      }
      nPositions = maxPosition + 1;
    }
    if (columns.nPositions !== undefined) {
      const given = columns.nPositions;
      if (!Number.isSafeInteger(given) || given < 1) {
        throw new InvalidDataError(`BanditLog nPositions must be a positive integer, got ${describeValue(given)}`, { column: 'nPositions' });
      }
      if (position !== undefined) {
        for (let i = 0; i < n; i++) {
          if (position[i]! >= given) badRow('position', i, `position must be < nPositions = ${given}, got ${position[i]}`);
        }
      } else if (given !== 1) {
        throw new InvalidDataError(`BanditLog nPositions = ${given} needs a position column`, { column: 'position' });
      }
      nPositions = given;
    }

    const userId = columns.userId === undefined ? undefined : expectType(columns.userId, Int32Array, 'userId', 'Int32Array');
    if (userId) expectLength(userId, n, 'userId', `nRounds = ${n}`);
    const sessionId = columns.sessionId === undefined ? undefined : expectType(columns.sessionId, Int32Array, 'sessionId', 'Int32Array');
    if (sessionId) expectLength(sessionId, n, 'sessionId', `nRounds = ${n}`);

    let actionContext: Float64Array | undefined;
    let dimActionContext = 0;
    if (columns.actionContext !== undefined) {
      actionContext = expectType(columns.actionContext, Float64Array, 'actionContext', 'Float64Array');
      dimActionContext = columns.dimActionContext ?? actionContext.length / nActions;
      if (!Number.isSafeInteger(dimActionContext) || dimActionContext < 1) {
        throw new InvalidDataError(
          `BanditLog actionContext must hold nActions (${nActions}) × dimActionContext values, got length ${actionContext.length}` +
            (columns.dimActionContext === undefined ? '' : ` with dimActionContext ${describeValue(columns.dimActionContext)}`),
          { column: 'actionContext' },
        );
      }
      expectLength(actionContext, nActions * dimActionContext, 'actionContext', `nActions × dimActionContext = ${nActions} × ${dimActionContext}`);
      checkFinite(actionContext, 'actionContext', dimActionContext);
    } else if (columns.dimActionContext !== undefined) {
      throw new InvalidDataError('BanditLog dimActionContext was given without actionContext', { column: 'dimActionContext' });
    }

    this.nRounds = n;
    this.nActions = nActions;
    this.dimContext = dimContext;
    this.context = context;
    this.action = action;
    this.reward = reward;
    this.pscore = pscore;
    this.objectives = Object.freeze(objectives);
    this.position = position;
    this.nPositions = nPositions;
    this.userId = userId;
    this.sessionId = sessionId;
    this.actionContext = actionContext;
    this.dimActionContext = dimActionContext;
  }

  /** The columns, by reference (for building a modified log). */
  columns(): BanditLogColumns {
    const cols: BanditLogColumns = {
      nActions: this.nActions,
      dimContext: this.dimContext,
      context: this.context,
      action: this.action,
      reward: this.reward,
      pscore: this.pscore,
    };
    if (Object.keys(this.objectives).length > 0) cols.objectives = { ...this.objectives };
    if (this.position) {
      cols.position = this.position;
      cols.nPositions = this.nPositions;
    }
    if (this.userId) cols.userId = this.userId;
    if (this.sessionId) cols.sessionId = this.sessionId;
    if (this.actionContext) {
      cols.actionContext = this.actionContext;
      cols.dimActionContext = this.dimActionContext;
    }
    return cols;
  }

  /** A new log with the given rounds (in the given order; repeats allowed), e.g. one fold of a split. */
  select(rows: Int32Array | readonly number[]): BanditLog {
    const m = rows.length;
    const d = this.dimContext;
    const pick = <T extends Float64Array | Int32Array>(src: T, make: (len: number) => T): T => {
      const out = make(m);
      for (let j = 0; j < m; j++) out[j] = src[rowIndex(rows, j, this.nRounds)]!;
      return out;
    };
    const context = new Float64Array(m * d);
    for (let j = 0; j < m; j++) {
      const i = rowIndex(rows, j, this.nRounds);
      context.set(this.context.subarray(i * d, i * d + d), j * d);
    }
    const cols = this.columns();
    cols.context = context;
    cols.action = pick(this.action, (k) => new Int32Array(k));
    cols.reward = pick(this.reward, (k) => new Float64Array(k));
    cols.pscore = pick(this.pscore, (k) => new Float64Array(k));
    if (cols.objectives) {
      for (const name of Object.keys(cols.objectives)) cols.objectives[name] = pick(this.objectives[name]!, (k) => new Float64Array(k));
    }
    if (this.position) cols.position = pick(this.position, (k) => new Int32Array(k));
    if (this.userId) cols.userId = pick(this.userId, (k) => new Int32Array(k));
    if (this.sessionId) cols.sessionId = pick(this.sessionId, (k) => new Int32Array(k));
    return new BanditLog(cols);
  }

  /**
   * A new log whose `reward` is Σ_k weights[k] · objective_k, e.g. `{ satisfaction: 1, revenue: λ }`.
   * The key `reward` refers to the current reward column. Objectives are kept unchanged.
   */
  scalarize(weights: Readonly<Record<string, number>>): BanditLog {
    const entries = Object.entries(weights);
    if (entries.length === 0) throw new InvalidDataError('scalarize needs at least one weight', { column: 'reward' });
    const sources: Array<[Float64Array, number]> = entries.map(([name, w]) => {
      const src = name === 'reward' ? this.reward : this.objectives[name];
      if (src === undefined) {
        const known = ['reward', ...Object.keys(this.objectives)].join(', ');
        throw new InvalidDataError(`scalarize: unknown objective '${name}' (this log has: ${known})`, { column: name });
      }
      if (!Number.isFinite(w)) throw new InvalidDataError(`scalarize: weight of '${name}' must be finite, got ${describeValue(w)}`, { column: name });
      return [src, w];
    });
    const reward = new Float64Array(this.nRounds);
    for (const [src, w] of sources) for (let i = 0; i < reward.length; i++) reward[i] = reward[i]! + w * src[i]!;
    return new BanditLog({ ...this.columns(), reward });
  }
}

function rowIndex(rows: Int32Array | readonly number[], j: number, n: number): number {
  const i = rows[j]!;
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new InvalidDataError(`select: rows[${j}] = ${describeValue(i)} is outside [0, nRounds = ${n})`);
  }
  return i;
}

function expectType<T>(value: unknown, ctor: { new (...args: never[]): T }, column: string, typeName: string): T {
  if (value instanceof ctor) return value;
  const got = value === undefined ? 'nothing (missing column)' : describeValue(value);
  throw new InvalidDataError(`BanditLog column '${column}' must be a ${typeName}, got ${got}`, { column });
}

function expectLength(values: ArrayLike<number>, expected: number, column: string, what: string): void {
  if (values.length !== expected) {
    throw new InvalidDataError(`BanditLog column '${column}' has length ${values.length}, expected ${what}`, { column });
  }
}

/** Values laid out as rows of `width`; the error names the row (and the feature index when width > 1). */
function checkFinite(values: Float64Array, column: string, width: number): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v - v !== 0) {
      const row = Math.floor(k / width);
      const where = width > 1 ? ` (feature ${k % width})` : '';
      badRow(column, row, `value${where} must be finite, got ${v}`);
    }
  }
}

function badRow(column: string, row: number, problem: string): never {
  throw new InvalidDataError(`BanditLog column '${column}', row ${row}: ${problem}`, { column, row });
}
