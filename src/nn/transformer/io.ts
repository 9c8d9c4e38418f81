/**
 * Saving and loading a sequence model: `<path>.safetensors` holds the decoder's weights (F32, Teleo
 * parameter names), `<path>.json` holds `{ format, version, decoderConfig, tokenizer, weightsSha256, ...extra }`.
 * The weights are written first and the JSON last, each to a temporary file renamed into place, so a
 * reader sees either the previous pair or the new one; the JSON records the SHA-256 of the weights
 * file, so a truncated, altered or mismatched weights file is reported as `CorruptFileError`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CorruptFileError, InvalidArgumentError } from '../../core/errors.js';
import { decodeSafetensors, encodeSafetensors, writeFileAtomic } from '../safetensors.js';
import { parametersFromTensors, parametersToTensors } from '../serialize.js';
import { CausalDecoder, checkDecoderConfig, type DecoderConfig } from './decoder.js';
import { Tokenizer } from './tokenizer.js';

export const SEQUENCE_MODEL_FORMAT = 'teleo-sequence-model';
export const SEQUENCE_MODEL_VERSION = 1;
const RESERVED_KEYS = ['format', 'version', 'decoderConfig', 'tokenizer', 'weightsSha256'];

/** `<base>.json` and `<base>.safetensors` for `path` given with or without either extension. */
export function sequenceModelPaths(path: string): { json: string; weights: string } {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError(`Sequence model path must be a non-empty string, got ${JSON.stringify(path)}`);
  const base = path.replace(/\.(json|safetensors)$/, '');
  return { json: `${base}.json`, weights: `${base}.safetensors` };
}

export async function saveSequenceModel(path: string, model: CausalDecoder, tokenizer: Tokenizer, extra: Record<string, unknown> = {}): Promise<void> {
  const paths = sequenceModelPaths(path);
  if (!(model instanceof CausalDecoder)) throw new InvalidArgumentError('saveSequenceModel needs a CausalDecoder');
  if (!(tokenizer instanceof Tokenizer)) throw new InvalidArgumentError('saveSequenceModel needs a Tokenizer');
  if (tokenizer.vocabSize !== model.config.vocabSize) {
    throw new InvalidArgumentError(`saveSequenceModel: the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabSize is ${model.config.vocabSize}`);
  }
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new InvalidArgumentError('saveSequenceModel: extra must be a plain object');
  for (const key of RESERVED_KEYS) {
    if (key in extra) throw new InvalidArgumentError(`saveSequenceModel: extra may not use the reserved key '${key}'`);
  }
  const weights = encodeSafetensors(parametersToTensors(model.params), { format: SEQUENCE_MODEL_FORMAT });
  const json = {
    format: SEQUENCE_MODEL_FORMAT,
    version: SEQUENCE_MODEL_VERSION,
    decoderConfig: model.config,
    tokenizer: tokenizer.toJSON(),
    weightsSha256: sha256(weights),
    ...extra,
  };
  let text: string;
  try {
    text = JSON.stringify(json, null, 2) + '\n';
  } catch (err) {
    throw new InvalidArgumentError(`saveSequenceModel: extra is not JSON-serialisable (${(err as Error).message})`);
  }
  await writeFileAtomic(paths.weights, weights);
  await writeFileAtomic(paths.json, new TextEncoder().encode(text));
}

export async function loadSequenceModel(path: string): Promise<{ model: CausalDecoder; tokenizer: Tokenizer; extra: Record<string, unknown> }> {
  const paths = sequenceModelPaths(path);
  const fail = (file: string, msg: string, cause?: unknown): never => {
    throw new CorruptFileError(file, msg, cause === undefined ? undefined : { cause });
  };
  let meta: Record<string, unknown> = {};
  try {
    meta = JSON.parse(await readFile(paths.json, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    fail(paths.json, `not valid JSON (${(err as Error).message})`, err);
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) fail(paths.json, 'not a JSON object');
  if (meta.format !== SEQUENCE_MODEL_FORMAT) fail(paths.json, `format is ${JSON.stringify(meta.format)}, expected '${SEQUENCE_MODEL_FORMAT}'`);
  if (meta.version !== SEQUENCE_MODEL_VERSION) fail(paths.json, `unsupported version ${JSON.stringify(meta.version)} (this Teleo reads ${SEQUENCE_MODEL_VERSION})`);
  let config: Required<DecoderConfig> | undefined;
  let tokenizer: Tokenizer | undefined;
  try {
    config = checkDecoderConfig(meta.decoderConfig as DecoderConfig);
    tokenizer = Tokenizer.fromJSON(meta.tokenizer);
  } catch (err) {
    fail(paths.json, (err as Error).message, err);
  }
  if (tokenizer!.vocabSize !== config!.vocabSize) {
    fail(paths.json, `the tokenizer has ${tokenizer!.vocabSize} tokens but decoderConfig.vocabSize is ${config!.vocabSize}`);
  }
  const bytes = new Uint8Array(await readFile(paths.weights));
  if (typeof meta.weightsSha256 !== 'string') fail(paths.json, 'weightsSha256 is missing');
  if (sha256(bytes) !== meta.weightsSha256) {
    fail(paths.weights, `SHA-256 ${sha256(bytes).slice(0, 12)}… differs from the ${String(meta.weightsSha256).slice(0, 12)}… recorded in ${paths.json} (truncated, altered, or from another save)`);
  }
  const content = decodeSafetensors(bytes, paths.weights);
  const model = new CausalDecoder(config!, 0);
  try {
    parametersFromTensors(model.params, content.tensors);
  } catch (err) {
    model.dispose();
    fail(paths.weights, (err as Error).message, err);
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) if (!RESERVED_KEYS.includes(key)) extra[key] = value;
  return { model, tokenizer: tokenizer!, extra };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
