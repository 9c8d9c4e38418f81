/** BanditLog: validation of every column, select/scalarize, Arrow IPC round trip and corrupt files. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Field, Float64, RecordBatch, Schema, Struct, Table, makeData, makeVector, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidDataError } from '../../src/core/errors.js';
import { BanditLog, type BanditLogColumns } from '../../src/data/bandit-log.js';
import { banditLogFromIPC, banditLogToArrow, banditLogToIPC, readBanditLog, writeBanditLog } from '../../src/data/bandit-log-arrow.js';

function columns(): BanditLogColumns {
  return {
    nActions: 3,
    dimContext: 2,
    context: new Float64Array([0.5, -1, 1.5, 2, -0.25, 0, 3, 1]),
    action: new Int32Array([0, 2, 1, 2]),
    reward: new Float64Array([1, 0, 0.5, 1]),
    pscore: new Float64Array([0.5, 0.25, 1, 0.1]),
  };
}

function fullColumns(): BanditLogColumns {
  return {
    ...columns(),
    objectives: { satisfaction: new Float64Array([1, 0, 1, 1]), revenue: new Float64Array([0.2, 0.7, 0, 1.3]) },
    position: new Int32Array([0, 1, 2, 1]),
    nPositions: 4,
    userId: new Int32Array([7, 7, 9, 2147483647]),
    sessionId: new Int32Array([1, 1, 2, -3]),
    actionContext: new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5, 1e-300]),
    dimActionContext: 2,
  };
}

function expectDataError(fn: () => unknown, column: string | undefined, row: number | undefined, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidDataError);
  const err = caught as InvalidDataError;
  expect(err.column).toBe(column);
  expect(err.row).toBe(row);
  if (column !== undefined) expect(err.message).toContain(column);
  if (row !== undefined) expect(err.message).toContain(`row ${row}`);
  if (pattern) expect(err.message).toMatch(pattern);
}

describe('BanditLog validation', () => {
  it('accepts valid columns and infers nRounds and nPositions', () => {
    const log = new BanditLog(columns());
    expect(log.nRounds).toBe(4);
    expect(log.nPositions).toBe(1);
    const full = new BanditLog({ ...fullColumns(), nPositions: undefined });
    expect(full.nPositions).toBe(3);
    expect(full.dimActionContext).toBe(2);
  });

  it('rejects bad propensities naming the row and column', () => {
    for (const bad of [0, -0.1, 1.0000001, NaN]) {
      const cols = columns();
      cols.pscore[2] = bad;
      expectDataError(() => new BanditLog(cols), 'pscore', 2, /propensit/);
    }
    const missing = columns() as Partial<BanditLogColumns>;
    delete missing.pscore;
    expectDataError(() => new BanditLog(missing as BanditLogColumns), 'pscore', undefined, /missing/);
  });

  it('rejects mismatched lengths, out-of-range actions, NaN rewards and contexts', () => {
    expectDataError(() => new BanditLog({ ...columns(), reward: new Float64Array(3) }), 'reward', undefined, /length 3/);
    expectDataError(() => new BanditLog({ ...columns(), pscore: new Float64Array(5).fill(0.5) }), 'pscore', undefined, /length 5/);
    expectDataError(() => new BanditLog({ ...columns(), context: new Float64Array(7) }), 'context', undefined, /4 × 2/);
    for (const a of [-1, 3]) {
      const cols = columns();
      cols.action[3] = a;
      expectDataError(() => new BanditLog(cols), 'action', 3, /\[0, 3\)/);
    }
    const nanReward = columns();
    nanReward.reward[1] = NaN;
    expectDataError(() => new BanditLog(nanReward), 'reward', 1, /finite/);
    const nanContext = columns();
    nanContext.context[5] = Infinity;
    expectDataError(() => new BanditLog(nanContext), 'context', 2, /feature 1/);
    expectDataError(() => new BanditLog({ ...columns(), action: new Float64Array(4) as unknown as Int32Array }), 'action', undefined, /Int32Array/);
  });

  it('rejects bad optional columns', () => {
    const cols = fullColumns();
    cols.objectives!.revenue![3] = NaN;
    expectDataError(() => new BanditLog(cols), 'objectives.revenue', 3);
    expectDataError(() => new BanditLog({ ...fullColumns(), position: new Int32Array([0, -1, 0, 0]) }), 'position', 1, /non-negative/);
    expectDataError(() => new BanditLog({ ...fullColumns(), nPositions: 2 }), 'position', 2, /nPositions = 2/);
    expectDataError(() => new BanditLog({ ...fullColumns(), userId: new Int32Array(2) }), 'userId', undefined);
    expectDataError(() => new BanditLog({ ...fullColumns(), actionContext: new Float64Array(5), dimActionContext: undefined }), 'actionContext', undefined);
    expectDataError(() => new BanditLog({ ...columns(), nActions: 1 }), 'nActions', undefined);
  });

  it('select copies the chosen rounds; scalarize combines objectives', () => {
    const log = new BanditLog(fullColumns());
    const sub = log.select([3, 1, 3]);
    expect([...sub.action]).toEqual([2, 2, 2]);
    expect([...sub.context]).toEqual([3, 1, 1.5, 2, 3, 1]);
    expect([...sub.objectives.revenue!]).toEqual([1.3, 0.7, 1.3]);
    expect([...sub.position!]).toEqual([1, 1, 1]);
    expect(sub.nPositions).toBe(4);
    expectDataError(() => log.select([4]), undefined, undefined, /outside/);

    const mixed = log.scalarize({ satisfaction: 1, revenue: 0.5 });
    expect([...mixed.reward]).toEqual([1 + 0.1, 0 + 0.35, 1 + 0, 1 + 0.65]);
    expect(mixed.objectives).toEqual(log.objectives);
    expectDataError(() => log.scalarize({ clicks: 1 }), 'clicks', undefined, /satisfaction/);
  });
});

/** The table with one column swapped for `vector` (type included; Table.setChild keeps the old field type). */
function replaceColumn(table: Table, name: string, vector: Vector): Table {
  const fields = table.schema.fields.map((f) => (f.name === name ? new Field(name, vector.type, true) : f));
  const children = table.schema.fields.map((f) => (f.name === name ? vector.data[0]! : table.getChild(f.name)!.data[0]!));
  const schema = new Schema(fields, table.schema.metadata);
  return new Table([new RecordBatch(schema, makeData({ type: new Struct(fields), length: table.numRows, nullCount: 0, children }))]);
}

describe('BanditLog Arrow IPC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teleo-bandit-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function expectSameLog(a: BanditLog, b: BanditLog): void {
    expect(b.nRounds).toBe(a.nRounds);
    expect(b.nActions).toBe(a.nActions);
    expect(b.dimContext).toBe(a.dimContext);
    expect(b.nPositions).toBe(a.nPositions);
    for (const key of ['context', 'action', 'reward', 'pscore', 'position', 'userId', 'sessionId', 'actionContext'] as const) {
      const x = a[key];
      const y = b[key];
      if (x === undefined) expect(y).toBeUndefined();
      else {
        expect(y).toBeInstanceOf(x.constructor);
        expect(Array.from(y!)).toEqual(Array.from(x));
      }
    }
    expect(Object.keys(b.objectives)).toEqual(Object.keys(a.objectives));
    for (const name of Object.keys(a.objectives)) expect(Array.from(b.objectives[name]!)).toEqual(Array.from(a.objectives[name]!));
  }

  it('write then read gives identical arrays (minimal and full logs)', () => {
    for (const cols of [columns(), fullColumns()]) {
      const log = new BanditLog(cols);
      const path = join(dir, 'log.arrow');
      writeBanditLog(path, log);
      expectSameLog(log, readBanditLog(path));
    }
  });

  it('rejects truncated, garbage and foreign Arrow files', () => {
    const bytes = banditLogToIPC(new BanditLog(fullColumns()));
    for (const cut of [bytes.length - 1, bytes.length - 40, Math.floor(bytes.length / 2), 10]) {
      const path = join(dir, `cut-${cut}.arrow`);
      writeFileSync(path, bytes.subarray(0, cut));
      expect(() => readBanditLog(path)).toThrow(InvalidDataError);
    }
    const garbage = Uint8Array.from(bytes);
    garbage.fill(0x5a, 16, 200); // keep both magics, destroy the schema
    expect(() => banditLogFromIPC(garbage)).toThrow(InvalidDataError);
    expect(() => readBanditLog(join(dir, 'does-not-exist.arrow'))).toThrow(InvalidDataError);

    const table = banditLogToArrow(new BanditLog(columns()));
    table.schema.metadata.clear();
    expect(() => banditLogFromIPC(tableToIPC(table, 'file'))).toThrow(/metadata/);
  });

  it('rejects a bad value in each column of a stored file, naming row and column', () => {
    const cases: Array<[string, (c: BanditLogColumns) => void, number]> = [
      ['pscore', (c) => (c.pscore[1] = 0), 1],
      ['pscore', (c) => (c.pscore[2] = 1.5), 2],
      ['reward', (c) => (c.reward[3] = NaN), 3],
      ['action', (c) => (c.action[0] = 7), 0],
      ['context', (c) => (c.context[3] = NaN), 1],
      ['objective:revenue', (c) => (c.objectives!.revenue![2] = NaN), 2],
      ['position', (c) => (c.position![1] = 9), 1],
    ];
    for (const [column, corrupt, row] of cases) {
      const cols = fullColumns();
      const log = new BanditLog(cols);
      corrupt(cols); // the log shares the arrays: this writes a bad value that validation never saw
      expectDataError(() => banditLogFromIPC(banditLogToIPC(log)), column, row);
    }
  });

  it('rejects nulls, missing columns and metadata that disagrees with the table', () => {
    const table = banditLogToArrow(new BanditLog(columns()));
    const withNull = replaceColumn(table, 'reward', vectorFromArray([1, null, 0.5, 1], new Float64()));
    expectDataError(() => banditLogFromIPC(tableToIPC(withNull, 'file')), 'reward', 1, /missing/);
    const dropped = table.select(['context', 'action', 'reward']);
    expect(() => banditLogFromIPC(tableToIPC(dropped, 'file'))).toThrow(/pscore/);
    const short = table.slice(0, 3);
    expect(() => banditLogFromIPC(tableToIPC(short, 'file'))).toThrow(/nRounds = 4/);
  });

  it('accepts Int64 integer columns as pyarrow writes them from numpy', () => {
    const log = new BanditLog(columns());
    const table = replaceColumn(banditLogToArrow(log), 'action', makeVector(BigInt64Array.from([0n, 2n, 1n, 2n])));
    expect(Array.from(banditLogFromIPC(tableToIPC(table, 'file')).action)).toEqual(Array.from(log.action));
  });

  const hasPyarrow = (() => {
    try {
      execFileSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasPyarrow) console.log('[bandit-log] skipping the pyarrow read-back check: python3 cannot import pyarrow here');
  it.skipIf(!hasPyarrow)('pyarrow reads the file: same columns and metadata', () => {
    const log = new BanditLog(fullColumns());
    const path = join(dir, 'for-pyarrow.arrow');
    writeBanditLog(path, log);
    const script = [
      'import json, sys, pyarrow as pa',
      't = pa.ipc.open_file(sys.argv[1]).read_all()',
      'm = json.loads(t.schema.metadata[b"teleo.bandit_log"])',
      'ctx = t["context"].combine_chunks().flatten().to_pylist()',
      'print(json.dumps({"meta": m, "context": ctx, "pscore": t["pscore"].to_pylist(), "revenue": t["objective:revenue"].to_pylist()}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
    expect(out.meta.nActions).toBe(3);
    expect(out.context).toEqual(Array.from(log.context));
    expect(out.pscore).toEqual(Array.from(log.pscore));
    expect(out.revenue).toEqual(Array.from(log.objectives.revenue!));
    expect(out.meta.actionContext).toEqual(Array.from(log.actionContext!));
  });

  it.skipIf(!hasPyarrow)('reads a log that pyarrow wrote from numpy-like columns (Int64 actions)', () => {
    const path = join(dir, 'from-pyarrow.arrow');
    const script = [
      'import json, sys, pyarrow as pa',
      'ctx = pa.FixedSizeListArray.from_arrays(pa.array([0.5, -1.0, 1.5, 2.0, -0.25, 0.0], pa.float64()), 2)',
      'meta = {"format": "teleo.bandit_log", "version": 1, "nRounds": 3, "nActions": 3, "dimContext": 2, "nPositions": 1, "objectives": []}',
      't = pa.table({"context": ctx, "action": pa.array([2, 0, 1], pa.int64()), "reward": [1.0, 0.0, 0.5], "pscore": [0.25, 0.5, 1.0]})',
      't = t.replace_schema_metadata({"teleo.bandit_log": json.dumps(meta)})',
      'with pa.OSFile(sys.argv[1], "wb") as f:',
      '    with pa.ipc.new_file(f, t.schema) as w: w.write_table(t)',
    ].join('\n');
    execFileSync('python3', ['-c', script, path]);
    const log = readBanditLog(path);
    expect(Array.from(log.action)).toEqual([2, 0, 1]);
    expect(Array.from(log.context)).toEqual([0.5, -1, 1.5, 2, -0.25, 0]);
    expect(Array.from(log.pscore)).toEqual([0.25, 0.5, 1]);
  });

  it('writes atomically: no temporary files are left behind', () => {
    const path = join(dir, 'atomic.arrow');
    writeBanditLog(path, new BanditLog(columns()));
    writeBanditLog(path, new BanditLog(fullColumns())); // replaces the file
    expect(readFileSync(path).subarray(0, 6).toString()).toBe('ARROW1');
    expect(readBanditLog(path).nPositions).toBe(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
