/** Save/load of model + tokenizer: round trip, extra fields, corrupt and mismatched files. */
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptFileError, InvalidArgumentError } from '../../../src/core/errors.js';
import { CausalDecoder, Tokenizer, loadSequenceModel, saveSequenceModel } from '../../../src/nn/transformer/index.js';
import { use } from '../helpers.js';
import { take, tinyModel } from './helpers.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'teleo-seqmodel-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const tokenizer = new Tokenizer(['0', '1', '2', '+', '=', '<call>']);
const CONFIG = { vocabSize: tokenizer.vocabSize, contextLength: 10, dModel: 8, nLayers: 1, nHeads: 2 };

describe('saveSequenceModel / loadSequenceModel', () => {
  it('round-trips weights, config, tokenizer and extra fields; writes no stray temp files', async () => {
    await use('wasm');
    const dir = await tempDir();
    const model = tinyModel(CONFIG, 1);
    await saveSequenceModel(join(dir, 'policy'), model, tokenizer, { task: 'addition', step: 12 });
    expect((await readdir(dir)).sort()).toEqual(['policy.json', 'policy.safetensors']);
    const loaded = await loadSequenceModel(join(dir, 'policy.json'));
    expect(loaded.model.config).toEqual(model.config);
    expect(loaded.tokenizer.equals(tokenizer)).toBe(true);
    expect(loaded.extra).toEqual({ task: 'addition', step: 12 });
    const seq = Int32Array.from([1, ...tokenizer.encode('1+2=<call>'), 2]);
    expect(take(loaded.model.tokenLogProbs(seq, 1, seq.length))).toEqual(take(model.tokenLogProbs(seq, 1, seq.length)));
    // A different task vocabulary is detectable.
    expect(loaded.tokenizer.equals(new Tokenizer(['0', '1', '2', '+', '=', '<call']))).toBe(false);
    model.dispose();
    loaded.model.dispose();
  });

  it('reports truncated, altered or mismatched files as CorruptFileError', async () => {
    await use('wasm');
    const dir = await tempDir();
    const model = tinyModel(CONFIG, 2);
    const base = join(dir, 'm');
    await saveSequenceModel(base, model, tokenizer);
    const weights = await readFile(`${base}.safetensors`);
    const json = await readFile(`${base}.json`, 'utf8');

    await truncate(`${base}.safetensors`, weights.length - 7);
    await expect(loadSequenceModel(base)).rejects.toThrow(CorruptFileError);

    const altered = Buffer.from(weights);
    altered[altered.length - 3]! ^= 0x40;
    await writeFile(`${base}.safetensors`, altered);
    await expect(loadSequenceModel(base)).rejects.toThrow(/SHA-256/);

    await writeFile(`${base}.safetensors`, weights);
    await writeFile(`${base}.json`, json.slice(0, json.length / 2));
    await expect(loadSequenceModel(base)).rejects.toThrow(/not valid JSON/);

    const meta = JSON.parse(json);
    await writeFile(`${base}.json`, JSON.stringify({ ...meta, decoderConfig: { ...meta.decoderConfig, vocabSize: 20 } }));
    await expect(loadSequenceModel(base)).rejects.toThrow(CorruptFileError);

    await writeFile(`${base}.json`, JSON.stringify({ ...meta, format: 'something-else' }));
    await expect(loadSequenceModel(base)).rejects.toThrow(/format/);

    // Weights of a differently shaped model saved under the same name: the hash no longer matches.
    const other = new CausalDecoder({ ...CONFIG, dModel: 4 }, 0);
    await saveSequenceModel(join(dir, 'other'), other, tokenizer);
    await writeFile(`${base}.json`, json);
    await writeFile(`${base}.safetensors`, await readFile(join(dir, 'other.safetensors')));
    await expect(loadSequenceModel(base)).rejects.toThrow(CorruptFileError);
    model.dispose();
    other.dispose();
  });

  it('rejects a tokenizer that does not fit the model and reserved extra keys', async () => {
    await use('wasm');
    const dir = await tempDir();
    const model = tinyModel(CONFIG, 3);
    await expect(saveSequenceModel(join(dir, 'x'), model, new Tokenizer(['a']))).rejects.toThrow(InvalidArgumentError);
    await expect(saveSequenceModel(join(dir, 'x'), model, tokenizer, { format: 'x' })).rejects.toThrow(/reserved key 'format'/);
    expect(await readdir(dir)).toEqual([]);
    model.dispose();
  });
});
