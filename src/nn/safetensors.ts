/**
 * The safetensors file format (https://github.com/huggingface/safetensors), read and written in plain
 * TypeScript: an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON mapping each
 * tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets into the data section that
 * follows) plus an optional `__metadata__` string→string map, padded with spaces so the data section
 * starts on an 8-byte boundary; then the tensors' little-endian bytes, contiguous, with no gaps.
 * Tensors are laid out largest element size first (then by name), so every tensor is aligned.
 * Files are written to a temporary sibling and renamed, so a reader never sees a partial file.
 */
import { open, rename, rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CorruptFileError, InvalidArgumentError } from '../core/errors.js';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export type SafetensorsArray =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** One tensor: row-major data, its shape, and its dtype (F16/BF16 data is kept as raw Uint16Array bits). */
export interface SafeTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: SafetensorsArray;
}

export interface SafetensorsContent {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string>;
}

/** A tensor to write: a typed array (1-D, dtype from its type) or an explicit `{ data, shape, dtype? }`. */
export type SafeTensorInput = SafetensorsArray | { data: SafetensorsArray; shape: readonly number[]; dtype?: SafetensorsDtype };

type ArrayCtor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): SafetensorsArray; BYTES_PER_ELEMENT: number };

const DTYPES: Record<SafetensorsDtype, ArrayCtor> = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U64: BigUint64Array,
  U32: Uint32Array,
  U16: Uint16Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
};

/** Largest header the reader accepts (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

function dtypeOfArray(data: SafetensorsArray): SafetensorsDtype {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof BigUint64Array) return 'U64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array) return 'U8';
  throw new InvalidArgumentError(`safetensors: unsupported array type ${(data as object)?.constructor?.name}`);
}

function normalise(name: string, input: SafeTensorInput): SafeTensor {
  const explicit = ArrayBuffer.isView(input) ? null : input;
  const data = (explicit ? explicit.data : input) as SafetensorsArray;
  if (!ArrayBuffer.isView(data)) throw new InvalidArgumentError(`safetensors: tensor '${name}' has no typed-array data`);
  const natural = dtypeOfArray(data);
  const dtype = explicit?.dtype ?? natural;
  if (!(dtype in DTYPES)) throw new InvalidArgumentError(`safetensors: tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
  if (DTYPES[dtype] !== data.constructor) {
    throw new InvalidArgumentError(`safetensors: tensor '${name}' is declared ${dtype} but its data is a ${data.constructor.name}`);
  }
  const shape = explicit ? [...explicit.shape] : [data.length];
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new InvalidArgumentError(`safetensors: tensor '${name}' has an invalid shape [${shape.join(', ')}]`);
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel !== data.length) throw new InvalidArgumentError(`safetensors: tensor '${name}' has shape [${shape.join(', ')}] (${numel} values) but ${data.length} values`);
  return { dtype, shape, data };
}

/** The bytes of a safetensors file holding `tensors` and string `metadata`. */
export function encodeSafetensors(tensors: Record<string, SafeTensorInput>, metadata: Record<string, string> = {}): Uint8Array {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new InvalidArgumentError(`safetensors: metadata '${k}' must be a string, got ${typeof v}`);
  }
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === '__metadata__' || name.length === 0) throw new InvalidArgumentError(`safetensors: invalid tensor name ${JSON.stringify(name)}`);
    return [name, normalise(name, t)] as const;
  });
  // Largest element first keeps every tensor aligned to its element size; ties by name for determinism.
  entries.sort(([na, a], [nb, b]) => DTYPES[b.dtype].BYTES_PER_ELEMENT - DTYPES[a.dtype].BYTES_PER_ELEMENT || (na < nb ? -1 : na > nb ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/** Parses safetensors bytes; `source` names the file in errors. Throws `CorruptFileError` on any defect. */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): SafetensorsContent {
  const fail = (msg: string): never => {
    throw new CorruptFileError(source, `not a valid safetensors file: ${msg}`);
  };
  if (bytes.length < 8) fail(`truncated (${bytes.length} bytes, the header length alone takes 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(n64);
  if (8 + n > bytes.length) fail(`truncated: header length is ${n} bytes but only ${bytes.length - 8} follow`);
  if (n === 0 || bytes[8] !== 0x7b) fail("header does not start with '{'");
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    fail(`header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const spans: Array<{ name: string; begin: number; end: number; dtype: SafetensorsDtype; shape: number[] }> = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value '${k}' is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof info !== 'object' || info === null) fail(`entry '${name}' is not an object`);
    if (typeof info.dtype !== 'string' || !(info.dtype in DTYPES)) fail(`tensor '${name}' has unknown dtype ${JSON.stringify(info.dtype)}`);
    const dtype = info.dtype as SafetensorsDtype;
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[0] > offs[1]) {
      fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== numel * DTYPES[dtype].BYTES_PER_ELEMENT) {
      fail(`tensor '${name}' (${dtype} [${(shape as number[]).join(', ')}]) needs ${numel * DTYPES[dtype].BYTES_PER_ELEMENT} bytes but data_offsets span ${end - begin}`);
    }
    spans.push({ name, begin, end, dtype, shape: shape as number[] });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const s of spans) {
    if (s.begin !== expected) fail(s.begin < expected ? `tensor '${s.name}' overlaps the previous tensor` : `gap before tensor '${s.name}' (bytes ${expected}..${s.begin})`);
    expected = s.end;
  }
  if (expected > dataLength) fail(`truncated: tensors need ${expected} data bytes but the file has ${dataLength}`);
  if (expected < dataLength) fail(`${dataLength - expected} unexpected bytes after the last tensor`);
  const tensors: Record<string, SafeTensor> = {};
  for (const s of spans) {
    const ctor = DTYPES[s.dtype];
    // Copy into a fresh, aligned buffer: the result must not alias the file bytes.
    const copy = bytes.slice(dataStart + s.begin, dataStart + s.end);
    tensors[s.name] = { dtype: s.dtype, shape: s.shape, data: new ctor(copy.buffer, 0, (s.end - s.begin) / ctor.BYTES_PER_ELEMENT) };
  }
  return { tensors, metadata };
}

let tempCounter = 0;

/** Writes a safetensors file atomically: a temporary sibling is written, fsynced, then renamed over `path`. */
export async function saveSafetensors(path: string, tensors: Record<string, SafeTensorInput>, metadata: Record<string, string> = {}): Promise<void> {
  const bytes = encodeSafetensors(tensors, metadata);
  await writeFileAtomic(path, bytes);
}

/** Reads and validates a safetensors file (`CorruptFileError` naming the defect). */
export async function loadSafetensors(path: string): Promise<SafetensorsContent> {
  const bytes = await readFile(path);
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/** Writes `bytes` to a temporary file next to `path`, fsyncs it and renames it into place. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
