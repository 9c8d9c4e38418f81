/**
 * Sequence-model throughput: the tiny causal transformer (`src/nn/transformer`) at the default size
 * (dModel 64, 2 layers, 4 heads, context 64, vocab 24) and a bigger one (dModel 128, 4 layers, 4 heads).
 *
 * - rollout: `generate` for 128 prompts (lengths 8–16) × 32 new tokens with the KV cache, sampling at
 *   temperature 1 with no stop token, so exactly 4096 tokens; tokens/s counts generated tokens.
 * - training: `tokenLogProbs` forward + backward + Teleo's Adam on a batch of 128 sequences × 48 tokens;
 *   tokens/s counts the 128·48 tokens of the batch.
 *
 *   npx tsx bench/transformer.ts [--backends wasm,cpu] [--rounds 3] [--sizes default,big]
 *
 * Each cell is the median over `--rounds` timed calls after one warm-up call; in parentheses the tfjs kernel
 * launches per call (load-independent). Fails if a call leaks tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { countKernels } from './kernel-count.js';
import { describeMachine } from '../src/cli/machine.js';
import { markdownTable } from '../src/cli/table.js';
import { initBackend, type BackendName } from '../src/core/backend.js';
import { Rng } from '../src/core/rng.js';
import { Adam } from '../src/nn/optim/adam.js';
import { CausalDecoder, type DecoderConfig } from '../src/nn/transformer/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const SIZES: Record<string, DecoderConfig> = {
  default: { vocabSize: 24, contextLength: 64, dModel: 64, nLayers: 2, nHeads: 4 },
  big: { vocabSize: 24, contextLength: 64, dModel: 128, nLayers: 4, nHeads: 4 },
};
const ROLLOUT_BATCH = 128;
const NEW_TOKENS = 32;
const TRAIN_BATCH = 128;
const TRAIN_LENGTH = 48;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Median seconds per call over `rounds` calls (after a warm-up), plus kernels per call; checks for leaks. */
function measure(fn: () => void, rounds: number): { seconds: number; kernels: number } {
  fn();
  const before = tf.memory().numTensors;
  const kernels = countKernels(fn);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  if (tf.memory().numTensors !== before) throw new Error(`leak: ${tf.memory().numTensors - before} tensors`);
  return { seconds: median(times), kernels };
}

async function main(): Promise<void> {
  const backends = arg('backends', 'wasm').split(',') as BackendName[];
  const rounds = Number(arg('rounds', '3'));
  const sizes = arg('sizes', 'default,big').split(',');
  console.log(`Machine: ${describeMachine()}\n`);
  const rows: string[][] = [];
  for (const backend of backends) {
    await initBackend(backend);
    for (const size of sizes) {
      const config = SIZES[size];
      if (config === undefined) throw new Error(`unknown size '${size}' (known: ${Object.keys(SIZES).join(', ')})`);
      const model = new CausalDecoder(config, 0);
      const rng = Rng.fromSeed(1);
      const V = config.vocabSize;
      const prompts = Array.from({ length: ROLLOUT_BATCH }, () =>
        Int32Array.from({ length: rng.integers(8, 17) }, (_, i) => (i === 0 ? 1 : rng.integers(3, V))),
      );
      const rollout = measure(() => {
        const gen = model.generate(prompts, { maxNewTokens: NEW_TOKENS, rng, stopTokens: [] });
        if (gen.responses.some((r) => r.length !== NEW_TOKENS)) throw new Error('a response stopped early');
      }, rounds);

      const tokens = Int32Array.from({ length: TRAIN_BATCH * TRAIN_LENGTH }, (_, i) => (i % TRAIN_LENGTH === 0 ? 1 : rng.integers(3, V)));
      const adam = new Adam(model.params, { lr: 1e-4 });
      const train = measure(() => {
        adam.minimize(() => tf.neg(tf.mean(model.tokenLogProbs(tokens, TRAIN_BATCH, TRAIN_LENGTH))) as tf.Scalar);
      }, rounds);
      const c = model.config;
      rows.push([
        `${backend}, d${c.dModel} L${c.nLayers} H${c.nHeads} ctx${c.contextLength} V${V} (${(model.params.numParams / 1000).toFixed(0)}k params)`,
        `${Math.round((ROLLOUT_BATCH * NEW_TOKENS) / rollout.seconds)} (${(rollout.seconds * 1000).toFixed(0)} ms, ${rollout.kernels})`,
        `${Math.round((TRAIN_BATCH * TRAIN_LENGTH) / train.seconds)} (${(train.seconds * 1000).toFixed(0)} ms, ${train.kernels})`,
      ]);
      console.error(rows[rows.length - 1]!.join(' | '));
      model.dispose();
    }
  }
  console.log(
    markdownTable(
      [
        { header: 'model' },
        { header: `rollout tokens/s (${ROLLOUT_BATCH}×${NEW_TOKENS}: ms, kernels)`, align: 'right' },
        { header: `training tokens/s (${TRAIN_BATCH}×${TRAIN_LENGTH} fwd+bwd+Adam: ms, kernels)`, align: 'right' },
      ],
      rows,
    ),
  );
}

await main();
