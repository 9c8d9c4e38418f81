/**
 * GRPO step cost on `addition` with the default decoder (dModel 64, 2 layers, 4 heads, context 64), per
 * preset: seconds per training step, generation calls per step, rollout tokens/s (generated tokens over
 * the rollout time) and training tokens/s (non-pad sequence tokens × iterations over the update time),
 * each the median over the timed steps after one warm-up step. Without `--init` the policy is a fresh
 * random decoder (its responses run to the length limit, so rollouts are longer than a warm start's).
 *
 *   npx tsx bench/grpo.ts [--init <sft-run>] [--presets grpo,dapo,dcpo] [--steps 10] [--backend wasm]
 */
import { tokenizerForTask } from '../src/algos/sequence/encoding.js';
import { loadSequencePolicyForTask } from '../src/algos/sequence/checkpoint.js';
import { GRPOTrainer, grpoPreset } from '../src/algos/grpo/index.js';
import { describeMachine } from '../src/cli/machine.js';
import { markdownTable } from '../src/cli/table.js';
import { initBackend } from '../src/core/backend.js';
import { makeTextTask } from '../src/envs/text/index.js';
import { CausalDecoder } from '../src/nn/transformer/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const backend = await initBackend(arg('backend', 'wasm'));
const presets = arg('presets', 'grpo,dapo,dcpo').split(',');
const steps = Number(arg('steps', '10'));
const init = arg('init', '');
const task = makeTextTask('addition');
const rows: string[][] = [];
for (const preset of presets) {
  const { model, tokenizer } = init
    ? await loadSequencePolicyForTask(init, task)
    : (() => {
        const tok = tokenizerForTask(task);
        return { model: new CausalDecoder({ vocabSize: tok.vocabSize, contextLength: 64 }, 0), tokenizer: tok };
      })();
  const trainer = new GRPOTrainer(model, tokenizer, task, { ...grpoPreset(preset), evalInterval: 0 });
  try {
    await trainer.learn({ steps: steps + 1 });
    const records = trainer.logger.records.slice(1);
    const col = (key: string) => median(records.map((r) => r[key]!));
    rows.push([
      preset,
      col('time/step_seconds').toFixed(3),
      col('rollout/generation_calls').toFixed(1),
      col('rollout/response_length').toFixed(1),
      Math.round(col('rollout/tokens_per_s')).toString(),
      Math.round(col('train/tokens_per_s')).toString(),
    ]);
  } finally {
    trainer.dispose();
  }
}
process.stdout.write(`${describeMachine()}; backend ${backend.name}; ${init ? `init ${init}` : 'fresh random policy'}; median of ${steps} steps after 1 warm-up\n\n`);
process.stdout.write(
  markdownTable(
    [{ header: 'preset' }, { header: 's/step', align: 'right' }, { header: 'gen calls/step', align: 'right' }, { header: 'response tokens', align: 'right' }, { header: 'rollout tok/s', align: 'right' }, { header: 'train tok/s', align: 'right' }],
    rows,
  ) + '\n',
);
