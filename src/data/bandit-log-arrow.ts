/**
 * Logged bandit feedback as an Apache Arrow IPC *file* (the random-access format, `ARROW1` magic at both
 * ends), readable with pyarrow: `pa.ipc.open_file(path).read_all()`.
 *
 * Layout (one row per round):
 * - `context`: FixedSizeList<Float64>[dimContext]  (pyarrow: `t['context'].combine_chunks().flatten()
 *   .to_numpy().reshape(n, d)`)
 * - `action`: Int32, `reward`: Float64, `pscore`: Float64
 * - optional `position`, `user_id`, `session_id`: Int32; optional `objective:<name>`: Float64 per objective
 * - schema metadata `teleo.bandit_log`: JSON `{ format, version, nRounds, nActions, dimContext, nPositions,
 *   objectives, dimActionContext?, actionContext? }` (actionContext is nActions × k, row-major; JSON numbers
 *   round-trip float64 exactly).
 *
 * Reading accepts what pyarrow writes from numpy: Int32/Int64 integer columns, Float32/Float64 floats.
 * A file is parsed completely and validated (schema, metadata, row count, nulls, then every value through
 * `BanditLog`) before anything is returned; any problem throws `InvalidDataError`, so nothing downstream
 * ever sees a partly read log. Writes go to a temporary file that is renamed into place.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  DataType,
  Field,
  FixedSizeList,
  Float64,
  Int32,
  RecordBatch,
  RecordBatchReader,
  Schema,
  Struct,
  Table,
  makeData,
  tableToIPC,
  type Data,
  type Vector,
} from 'apache-arrow';
import { InvalidDataError } from '../core/errors.js';
import { BanditLog, type BanditLogColumns } from './bandit-log.js';

export const BANDIT_LOG_METADATA_KEY = 'teleo.bandit_log';
const FORMAT_NAME = 'teleo.bandit_log';
const FORMAT_VERSION = 1;
const OBJECTIVE_PREFIX = 'objective:';
const ARROW_MAGIC = 'ARROW1';

interface BanditLogMetadata {
  format: string;
  version: number;
  nRounds: number;
  nActions: number;
  dimContext: number;
  nPositions: number;
  objectives: string[];
  dimActionContext?: number;
  actionContext?: number[];
}

/** The log as an Arrow table (one record batch; the typed arrays are shared, not copied). */
export function banditLogToArrow(log: BanditLog): Table {
  const n = log.nRounds;
  const fields: Field[] = [];
  const children: Data[] = [];
  const add = (name: string, type: DataType, data: Data) => {
    fields.push(new Field(name, type, false));
    children.push(data);
  };
  const contextType = new FixedSizeList(log.dimContext, new Field('item', new Float64(), false));
  add(
    'context',
    contextType,
    makeData({ type: contextType, length: n, nullCount: 0, child: makeData({ type: new Float64(), length: n * log.dimContext, nullCount: 0, data: log.context }) }),
  );
  const int32 = (values: Int32Array) => makeData({ type: new Int32(), length: n, nullCount: 0, data: values });
  const float64 = (values: Float64Array) => makeData({ type: new Float64(), length: n, nullCount: 0, data: values });
  add('action', new Int32(), int32(log.action));
  add('reward', new Float64(), float64(log.reward));
  add('pscore', new Float64(), float64(log.pscore));
  if (log.position) add('position', new Int32(), int32(log.position));
  if (log.userId) add('user_id', new Int32(), int32(log.userId));
  if (log.sessionId) add('session_id', new Int32(), int32(log.sessionId));
  const objectives = Object.keys(log.objectives);
  for (const name of objectives) add(OBJECTIVE_PREFIX + name, new Float64(), float64(log.objectives[name]!));

  const meta: BanditLogMetadata = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    nRounds: n,
    nActions: log.nActions,
    dimContext: log.dimContext,
    nPositions: log.nPositions,
    objectives,
  };
  if (log.actionContext) {
    meta.dimActionContext = log.dimActionContext;
    meta.actionContext = Array.from(log.actionContext);
  }
  const schema = new Schema(fields, new Map([[BANDIT_LOG_METADATA_KEY, JSON.stringify(meta)]]));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  return new Table([batch]);
}

/** Arrow IPC file bytes. */
export function banditLogToIPC(log: BanditLog): Uint8Array {
  return tableToIPC(banditLogToArrow(log), 'file');
}

/** Writes the log to `path` atomically (temporary file in the same directory, then rename). */
export function writeBanditLog(path: string, log: BanditLog): void {
  const bytes = banditLogToIPC(log);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Reads and validates a log written by `writeBanditLog` (or by pyarrow in the same layout). */
export function readBanditLog(path: string): BanditLog {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InvalidDataError(`Cannot read bandit log '${path}': ${(err as Error).message}`, { cause: err });
  }
  try {
    return banditLogFromIPC(bytes);
  } catch (err) {
    if (err instanceof InvalidDataError) {
      throw new InvalidDataError(`${path}: ${err.message}`, { column: err.column, row: err.row, cause: err });
    }
    throw err;
  }
}

/** Parses Arrow IPC file bytes into a validated `BanditLog`. */
export function banditLogFromIPC(bytes: Uint8Array): BanditLog {
  const text = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  // The file format ends with a footer and the magic again: a truncated file fails this check.
  if (bytes.length < 12 || text(0, 6) !== ARROW_MAGIC || text(bytes.length - 6, bytes.length) !== ARROW_MAGIC) {
    throw new InvalidDataError('Not a complete Arrow IPC file (missing ARROW1 magic at the start or end; truncated or not Arrow)');
  }
  let table: Table;
  try {
    table = readIpcFile(bytes);
  } catch (err) {
    if (err instanceof InvalidDataError) throw err;
    throw new InvalidDataError(`Corrupt Arrow IPC file: ${(err as Error).message}`, { cause: err });
  }
  return banditLogFromArrow(table);
}

/**
 * Reads the record batches one by one through the footer's block index. (apache-arrow's `tableFromIPC` loops
 * forever on a block whose message header is neither a schema nor a batch, as in a corrupted file.)
 */
function readIpcFile(bytes: Uint8Array): Table {
  const reader = RecordBatchReader.from(bytes);
  if (!reader.isFile()) throw new InvalidDataError('Not an Arrow IPC file');
  reader.open();
  const batches: RecordBatch[] = [];
  for (let index = 0; index < reader.numRecordBatches; index++) {
    const batch = reader.readRecordBatch(index);
    if (batch === null) throw new InvalidDataError(`Corrupt Arrow IPC file: record batch ${index} cannot be read`);
    batches.push(batch);
  }
  return new Table(reader.schema, batches);
}

/** Converts an Arrow table in the layout above into a validated `BanditLog`. */
export function banditLogFromArrow(table: Table): BanditLog {
  const meta = parseMetadata(table.schema.metadata.get(BANDIT_LOG_METADATA_KEY));
  const n = table.numRows;
  if (n !== meta.nRounds) {
    throw new InvalidDataError(`The table has ${n} rows but its metadata says nRounds = ${meta.nRounds} (incomplete file?)`);
  }
  const column = (name: string, required: boolean): Vector | undefined => {
    const vector = table.getChild(name);
    if (vector === null) {
      if (required) throw new InvalidDataError(`Bandit log is missing the column '${name}'`, { column: name });
      return undefined;
    }
    if (vector.nullCount > 0) {
      let row = 0;
      while (row < n && vector.isValid(row)) row++;
      throw new InvalidDataError(`Bandit log column '${name}', row ${row}: value is missing (null)`, { column: name, row });
    }
    return vector;
  };

  const cols: BanditLogColumns = {
    nActions: meta.nActions,
    dimContext: meta.dimContext,
    context: readContext(column('context', true)!, meta.dimContext, n),
    action: readInt(column('action', true)!, 'action'),
    reward: readFloat(column('reward', true)!, 'reward'),
    pscore: readFloat(column('pscore', true)!, 'pscore'),
  };
  const position = column('position', false);
  if (position) {
    cols.position = readInt(position, 'position');
    cols.nPositions = meta.nPositions;
  } else if (meta.nPositions !== 1) {
    throw new InvalidDataError(`Metadata says nPositions = ${meta.nPositions} but there is no 'position' column`, { column: 'position' });
  }
  const userId = column('user_id', false);
  if (userId) cols.userId = readInt(userId, 'user_id');
  const sessionId = column('session_id', false);
  if (sessionId) cols.sessionId = readInt(sessionId, 'session_id');
  if (meta.objectives.length > 0) {
    cols.objectives = {};
    for (const name of meta.objectives) cols.objectives[name] = readFloat(column(OBJECTIVE_PREFIX + name, true)!, OBJECTIVE_PREFIX + name);
  }
  if (meta.actionContext !== undefined) {
    cols.actionContext = Float64Array.from(meta.actionContext);
    if (meta.dimActionContext !== undefined) cols.dimActionContext = meta.dimActionContext;
  }
  try {
    return new BanditLog(cols);
  } catch (err) {
    // Report file column names (user_id, not userId) where they differ.
    if (err instanceof InvalidDataError && err.column !== undefined) {
      const fileName = err.column === 'userId' ? 'user_id' : err.column === 'sessionId' ? 'session_id' : err.column.replace(/^objectives\./, OBJECTIVE_PREFIX);
      if (fileName !== err.column) {
        throw new InvalidDataError(err.message.replace(`'${err.column}'`, `'${fileName}'`), { column: fileName, row: err.row, cause: err });
      }
    }
    throw err;
  }
}

function parseMetadata(raw: string | undefined): BanditLogMetadata {
  if (raw === undefined) {
    throw new InvalidDataError(`Arrow file has no '${BANDIT_LOG_METADATA_KEY}' schema metadata (not a Teleo bandit log)`);
  }
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(raw) as Record<string, unknown>;
  } catch (err) {
    throw new InvalidDataError(`'${BANDIT_LOG_METADATA_KEY}' metadata is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof meta !== 'object' || meta === null || meta.format !== FORMAT_NAME) {
    throw new InvalidDataError(`'${BANDIT_LOG_METADATA_KEY}' metadata must be an object with format '${FORMAT_NAME}'`);
  }
  if (meta.version !== FORMAT_VERSION) {
    throw new InvalidDataError(`Unsupported bandit log format version ${String(meta.version)} (this Teleo reads version ${FORMAT_VERSION})`);
  }
  const int = (key: string, min: number): number => {
    const v = meta[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new InvalidDataError(`Metadata field '${key}' must be an integer >= ${min}, got ${JSON.stringify(v)}`, { column: key });
    }
    return v;
  };
  const out: BanditLogMetadata = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    nRounds: int('nRounds', 1),
    nActions: int('nActions', 2),
    dimContext: int('dimContext', 1),
    nPositions: meta.nPositions === undefined ? 1 : int('nPositions', 1),
    objectives: [],
  };
  if (meta.objectives !== undefined) {
    if (!Array.isArray(meta.objectives) || !meta.objectives.every((s) => typeof s === 'string')) {
      throw new InvalidDataError(`Metadata field 'objectives' must be an array of names`, { column: 'objectives' });
    }
    out.objectives = meta.objectives as string[];
  }
  if (meta.actionContext !== undefined) {
    if (!Array.isArray(meta.actionContext) || !meta.actionContext.every((v) => typeof v === 'number')) {
      throw new InvalidDataError(`Metadata field 'actionContext' must be an array of numbers`, { column: 'actionContext' });
    }
    out.actionContext = meta.actionContext as number[];
    if (meta.dimActionContext !== undefined) out.dimActionContext = int('dimActionContext', 1);
  }
  return out;
}

function readFloat(vector: Vector, name: string): Float64Array {
  const type = vector.type;
  if (!DataType.isFloat(type) || (type.precision !== 1 && type.precision !== 2)) {
    throw new InvalidDataError(`Bandit log column '${name}' must be Float64 (or Float32), got ${String(type)}`, { column: name });
  }
  const values = vector.toArray() as Float64Array | Float32Array;
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

function readInt(vector: Vector, name: string): Int32Array {
  const type = vector.type;
  if (!DataType.isInt(type) || !type.isSigned || (type.bitWidth !== 32 && type.bitWidth !== 64)) {
    throw new InvalidDataError(`Bandit log column '${name}' must be Int32 (or Int64), got ${String(type)}`, { column: name });
  }
  const values = vector.toArray() as Int32Array | BigInt64Array;
  if (values instanceof Int32Array) return values;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < -2147483648n || v > 2147483647n) {
      throw new InvalidDataError(`Bandit log column '${name}', row ${i}: ${v} does not fit in 32 bits`, { column: name, row: i });
    }
    out[i] = Number(v);
  }
  return out;
}

function readContext(vector: Vector, dimContext: number, n: number): Float64Array {
  const type = vector.type;
  if (!DataType.isFixedSizeList(type)) {
    throw new InvalidDataError(`Bandit log column 'context' must be FixedSizeList<Float64>[${dimContext}], got ${String(type)}`, { column: 'context' });
  }
  const itemType = type.children[0]!.type;
  if (type.listSize !== dimContext || !DataType.isFloat(itemType) || (itemType.precision !== 1 && itemType.precision !== 2)) {
    throw new InvalidDataError(
      `Bandit log column 'context' must be FixedSizeList<Float64>[${dimContext}] (dimContext from metadata), got ${String(type)}`,
      { column: 'context' },
    );
  }
  const out = new Float64Array(n * dimContext);
  let row = 0;
  for (const chunk of vector.data) {
    const child = chunk.children[0]!;
    if (child.nullCount > 0) {
      let k = 0;
      while (child.getValid(k)) k++;
      const r = row + Math.floor(k / dimContext);
      throw new InvalidDataError(`Bandit log column 'context', row ${r}: feature ${k % dimContext} is missing (null)`, { column: 'context', row: r });
    }
    // Sliced Data already starts its child values at the slice.
    const values = (child.values as Float64Array | Float32Array).subarray(0, chunk.length * dimContext);
    out.set(values, row * dimContext);
    row += chunk.length;
  }
  return out;
}
