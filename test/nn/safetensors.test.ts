/** safetensors: byte layout, round trip, atomic writes, corrupt files, a Python reader (when numpy exists), model checkpoints. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptFileError, InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { MLP } from '../../src/nn/mlp.js';
import { Adam } from '../../src/nn/optim/adam.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../../src/nn/safetensors.js';
import { adamStateFromTensors, loadParameters, saveParameters } from '../../src/nn/serialize.js';
import { use } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'teleo-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TENSORS = {
  'pi.0.weight': { data: Float32Array.from([1.5, -2, 3.25, 0, 1e-8, -7]), shape: [2, 3] },
  'pi.0.bias': Float32Array.from([0.5, -0.5, 0.25]),
  counts: { data: Int32Array.from([1, -2, 2147483647]), shape: [3] },
  step: { data: BigInt64Array.from([123456789012345n]), shape: [] },
  returns: { data: Float64Array.from([Math.PI, -Math.E]), shape: [2, 1] },
  flags: { data: Uint8Array.from([1, 0, 1]), shape: [3], dtype: 'BOOL' as const },
  raw: Int8Array.from([-128, 127]),
  empty: { data: new Float32Array(0), shape: [0, 4] },
};
const METADATA = { format: 'teleo', config: JSON.stringify({ lr: 3e-4 }) };

describe('safetensors encoding', () => {
  it('has an 8-byte little-endian header length, an aligned space-padded JSON header, then contiguous little-endian data', () => {
    const bytes = encodeSafetensors(TENSORS, METADATA);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const padding = headerText.slice(headerText.lastIndexOf('}') + 1);
    expect(padding).toMatch(/^ {0,7}$/); // only spaces, just enough to align the data section
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual(METADATA);
    expect(header['pi.0.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: expect.any(Array) });
    expect(header.step.dtype).toBe('I64');
    expect(header.flags.dtype).toBe('BOOL');
    expect(header.raw).toMatchObject({ dtype: 'I8', shape: [2] });
    // Offsets tile the data section exactly; each tensor starts at a multiple of its element size.
    const spans = Object.entries(header).filter(([k]) => k !== '__metadata__').map(([, v]) => (v as { data_offsets: [number, number] }).data_offsets).sort((a, b) => a[0] - b[0]);
    let pos = 0;
    for (const [b, e] of spans) {
      expect(b).toBe(pos);
      pos = e;
    }
    expect(8 + n + pos).toBe(bytes.length);
    const [b0] = header.returns.data_offsets;
    expect(b0 % 8).toBe(0);
    expect(view.getFloat64(8 + n + b0, true)).toBe(Math.PI);
    const [w0] = header['pi.0.weight'].data_offsets;
    expect(view.getFloat32(8 + n + w0 + 8, true)).toBe(3.25);
  });

  it('round-trips every dtype, shape and the metadata through a file', async () => {
    const path = join(dir, 'model.safetensors');
    await saveSafetensors(path, TENSORS, METADATA);
    const { tensors, metadata } = await loadSafetensors(path);
    expect(metadata).toEqual(METADATA);
    expect(tensors['pi.0.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data: TENSORS['pi.0.weight'].data });
    expect(tensors['pi.0.bias']).toEqual({ dtype: 'F32', shape: [3], data: TENSORS['pi.0.bias'] });
    expect(tensors.counts!.data).toEqual(TENSORS.counts.data);
    expect(tensors.step).toEqual({ dtype: 'I64', shape: [], data: TENSORS.step.data });
    expect(tensors.returns!.data).toEqual(TENSORS.returns.data);
    expect(tensors.flags).toEqual({ dtype: 'BOOL', shape: [3], data: TENSORS.flags.data });
    expect(tensors.raw!.data).toEqual(TENSORS.raw);
    expect(tensors.empty).toEqual({ dtype: 'F32', shape: [0, 4], data: new Float32Array(0) });
    // Atomic write: nothing but the file itself is left in the directory.
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('is readable by numpy (np.frombuffer on the header offsets)', async (ctx) => {
    const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
    if (!hasNumpy) {
      console.warn('safetensors numpy check skipped: python3 with numpy is not available on this machine');
      ctx.skip();
    }
    const path = join(dir, 'numpy.safetensors');
    await saveSafetensors(path, TENSORS, METADATA);
    const script = [
      'import json, struct, sys',
      'import numpy as np',
      'raw = open(sys.argv[1], "rb").read()',
      '(n,) = struct.unpack("<Q", raw[:8])',
      'header = json.loads(raw[8:8 + n])',
      'types = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8", "I8": "i1", "BOOL": "u1"}',
      'out = {"__metadata__": header.pop("__metadata__")}',
      'for name, info in header.items():',
      '    b, e = info["data_offsets"]',
      '    a = np.frombuffer(raw[8 + n + b: 8 + n + e], dtype=types[info["dtype"]]).reshape(info["shape"])',
      '    out[name] = {"shape": list(a.shape), "values": [float(v) for v in a.ravel()]}',
      'print(json.dumps(out))',
    ].join('\n');
    const parsed = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
    expect(parsed.__metadata__).toEqual(METADATA);
    expect(parsed['pi.0.weight']).toEqual({ shape: [2, 3], values: Array.from(TENSORS['pi.0.weight'].data) });
    expect(parsed.returns).toEqual({ shape: [2, 1], values: [Math.PI, -Math.E] });
    expect(parsed.step).toEqual({ shape: [], values: [123456789012345] });
    expect(parsed.counts.values).toEqual([1, -2, 2147483647]);
    expect(parsed.empty.shape).toEqual([0, 4]);
  });

  it('rejects inconsistent inputs before writing anything', async () => {
    expect(() => encodeSafetensors({ w: { data: new Float32Array(5), shape: [2, 3] } })).toThrow(/shape \[2, 3\] \(6 values\) but 5 values/);
    expect(() => encodeSafetensors({ w: { data: new Float32Array(2), shape: [2], dtype: 'F64' } })).toThrow(/declared F64 but its data is a Float32Array/);
    expect(() => encodeSafetensors({ __metadata__: new Float32Array(1) })).toThrow(InvalidArgumentError);
    expect(() => encodeSafetensors({ w: [1, 2] as never })).toThrow(InvalidArgumentError);
    expect(() => encodeSafetensors({}, { n: 3 as never })).toThrow(/metadata 'n' must be a string/);
    await expect(saveSafetensors(join(dir, 'no-such-dir', 'x.safetensors'), { w: new Float32Array(1) })).rejects.toThrow(/ENOENT/);
  });
});

describe('corrupt safetensors files', () => {
  const good = encodeSafetensors({ a: Float32Array.from([1, 2, 3]), b: Int32Array.from([4]) }, { k: 'v' });
  const n = Number(new DataView(good.buffer).getBigUint64(0, true));

  function withHeader(header: unknown, dataBytes: number): Uint8Array {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + dataBytes);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    return out;
  }

  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['shorter than the length prefix', good.subarray(0, 5), /truncated \(5 bytes/],
    ['header cut short', good.subarray(0, 8 + n - 3), /truncated: header length is \d+ bytes/],
    ['data cut short', good.subarray(0, good.length - 2), /truncated: tensors need 16 data bytes but the file has 14/],
    ['trailing bytes', Uint8Array.from([...good, 0, 0]), /2 unexpected bytes after the last tensor/],
    ['absurd header length', Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1]), /exceeds the 100000000-byte limit/],
    ['non-JSON header', Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7b, 0x7d]), /not valid UTF-8 JSON/],
    ['header not an object', withHeader([1, 2], 0), /does not start with '\{'/],
    ['unknown dtype', withHeader({ a: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, 1), /unknown dtype "F8"/],
    ['offsets disagree with shape', withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4), /needs 8 bytes but data_offsets span 4/],
    ['gap between tensors', withHeader({ a: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, 2), /gap before tensor 'a'/],
    ['overlapping tensors', withHeader({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] }, b: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, 2), /overlaps/],
    ['bad shape', withHeader({ a: { dtype: 'U8', shape: [-1], data_offsets: [0, 0] } }, 0), /invalid shape/],
    ['non-string metadata', withHeader({ __metadata__: { k: 1 } }, 0), /__metadata__ value 'k' is not a string/],
  ];

  it.each(cases)('%s → CorruptFileError', (_name, bytes, message) => {
    let err: unknown;
    try {
      decodeSafetensors(bytes, 'ckpt.safetensors');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).path).toBe('ckpt.safetensors');
    expect((err as Error).message).toMatch(message);
  });

  it('loadSafetensors names the file', async () => {
    const path = join(dir, 'broken.safetensors');
    writeFileSync(path, good.subarray(0, good.length - 1));
    await expect(loadSafetensors(path)).rejects.toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a valid safetensors file: truncated`));
    expect(readFileSync(path).length).toBe(good.length - 1);
  });
});

describe('saveParameters / loadParameters', () => {
  it('round-trip a model and its Adam state; a restored optimizer continues identically', async () => {
    await use('wasm');
    const rng = Rng.fromSeed(1);
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(8 * 3)), [8, 3]);
    const make = (seed: number) => {
      const net = new MLP([3, 5, 1], 'relu', { rng: Rng.fromSeed(seed) });
      return { net, opt: new Adam(net.params, { lr: 0.01 }), loss: () => tf.mean(tf.square(net.apply(x, { inputGrad: false }))) as tf.Scalar };
    };
    const a = make(1);
    for (let i = 0; i < 3; i++) a.opt.minimize(a.loss);
    const path = join(dir, 'ckpt.safetensors');
    await saveParameters(path, a.net.params, { metadata: { algo: 'test' }, adam: a.opt.getState() });
    const b = make(2);
    const content = await loadParameters(path, b.net.params);
    expect(content.metadata.algo).toBe('test');
    b.opt.setState(adamStateFromTensors(content.tensors, content.metadata.adam!));
    expect(b.net.params.getWeights()).toEqual(a.net.params.getWeights());
    a.opt.minimize(a.loss);
    b.opt.minimize(b.loss);
    expect(b.net.params.getWeights()).toEqual(a.net.params.getWeights());

    // A model of another shape is refused with the parameter named, and left unchanged.
    const other = new MLP([3, 6, 1], 'relu', { rng: Rng.fromSeed(3) });
    const before = other.params.getWeights();
    await expect(loadParameters(path, other.params)).rejects.toThrow(/parameter 'mlp.0.weight' has shape \[3, 6\] \(18 values\), got 15 values/);
    expect(other.params.getWeights()).toEqual(before);
  });
});
