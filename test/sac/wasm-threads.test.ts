/**
 * The multi-threaded wasm backend (`TELEO_WASM_THREADS`, src/core/wasm-threads.ts): it starts in Node with
 * the requested XNNPACK thread count, gives bit-identical products to the single-threaded build, lets the
 * process exit on its own, and rejects bad thread counts. Each backend runs in its own child process
 * (the backend is fixed per process).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseWasmThreads } from '../../src/core/backend.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

const run = promisify(execFile);
const child = join(import.meta.dirname, 'fixtures', 'wasm-threads-child.ts');

async function products(threads: number): Promise<{ threads: number; values: string }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, TELEO_WASM_THREADS: String(threads) }, timeout: 60_000, maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('multi-threaded wasm backend', () => {
  it('runs with 2 threads and matches the single-threaded results exactly', async () => {
    const [one, two] = await Promise.all([products(1), products(2)]);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(Buffer.from(two.values, 'base64').length).toBe(4 * 256 * 256);
    expect(two.values).toEqual(one.values);
  }, 120_000);

  it('parses thread counts', () => {
    expect(parseWasmThreads('3')).toBe(3);
    expect(parseWasmThreads(1)).toBe(1);
    expect(parseWasmThreads('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', 'two', -1, 1.5, '']) expect(() => parseWasmThreads(bad)).toThrow(InvalidArgumentError);
  });
});
