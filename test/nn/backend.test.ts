/** Backend selection: names, idempotence, unavailable tfjs-node, and the info recorded in run headers. */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendInfo, initBackend, parseBackendName } from '../../src/core/backend.js';
import { BackendUnavailableError, InvalidArgumentError } from '../../src/core/errors.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it('rejects unknown names with InvalidArgumentError naming the accepted ones', async () => {
    await expect(initBackend('gpu')).rejects.toThrow(InvalidArgumentError);
    await expect(initBackend('gpu')).rejects.toThrow(/'auto', 'tfjs-node', 'wasm', 'cpu'/);
    expect(() => parseBackendName('tensorflow')).toThrow(/called 'tfjs-node'/);
  });

  it('activates cpu and wasm, reports their details, and is idempotent', async () => {
    const cpu = await initBackend('cpu');
    expect(cpu).toMatchObject({ name: 'cpu', tfBackend: 'cpu', version: tf.version_core });
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend('cpu')).toBe(cpu);
    expect(backendInfo()).toBe(cpu);

    const wasm = await initBackend('wasm');
    expect(wasm).toMatchObject({ name: 'wasm', tfBackend: 'wasm' });
    expect(wasm.threads).toBeGreaterThanOrEqual(1);
    expect(typeof wasm.simd).toBe('boolean');
    expect(tf.getBackend()).toBe('wasm');
    expect(await initBackend('auto')).toBe(wasm); // 'auto' keeps the active backend
    // Concurrent calls are serialised and agree.
    const [a, b] = await Promise.all([initBackend('cpu'), initBackend('cpu')]);
    expect(a).toBe(b);
    expect(tf.getBackend()).toBe('cpu');
  });

  it.skipIf(tfjsNodeInstalled())('tfjs-node, when not installed, is a BackendUnavailableError that says how to install it', async () => {
    const err = await initBackend('tfjs-node').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).backend).toBe('tfjs-node');
    expect((err as Error).message).toContain(`npm i @tensorflow/tfjs-node@${tf.version_core}`);
    expect(tf.getBackend()).toBe('cpu'); // the previous backend stays active
  });
});
