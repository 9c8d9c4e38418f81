/**
 * Parameters and Adam state as safetensors. A model file holds one F32 tensor per parameter under its
 * Teleo name; optimizer moments go under `adam.m.<name>` / `adam.v.<name>` with the scalars (step, lr,
 * betas, eps, maxGradNorm) as JSON in the `adam` metadata entry — so one file can carry both.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { AdamState } from './optim/adam.js';
import type { ParameterCollection } from './parameters.js';
import { loadSafetensors, saveSafetensors, type SafeTensor, type SafetensorsContent } from './safetensors.js';

/** The parameters as named F32 tensors with their shapes. */
export function parametersToTensors(params: ParameterCollection): Record<string, SafeTensor> {
  const weights = params.getWeights();
  const shapes = params.shapes();
  const out: Record<string, SafeTensor> = {};
  for (const name of params.names()) out[name] = { dtype: 'F32', shape: shapes[name]!, data: weights[name]! };
  return out;
}

/**
 * Assigns `params` from tensors by name: every parameter must be present as F32 with its exact shape
 * (`InvalidArgumentError` naming the parameter otherwise); other tensors (e.g. optimizer state) are ignored.
 */
export function parametersFromTensors(params: ParameterCollection, tensors: Record<string, SafeTensor>): void {
  const weights: Record<string, Float32Array> = {};
  const shapes: Record<string, number[]> = {};
  for (const name of params.names()) {
    const t = tensors[name];
    if (t === undefined) throw new InvalidArgumentError(`Parameter '${name}' is missing from the saved tensors`);
    if (t.dtype !== 'F32') throw new InvalidArgumentError(`Parameter '${name}' is saved as ${t.dtype}, expected F32`);
    weights[name] = t.data as Float32Array;
    shapes[name] = t.shape;
  }
  params.setWeights(weights, { shapes });
}

/** Adam's moments as tensors (`adam.m.<name>`, `adam.v.<name>`) and its scalars as a JSON string. */
export function adamStateToTensors(state: AdamState): { tensors: Record<string, SafeTensor>; config: string } {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, m] of Object.entries(state.m)) tensors[`adam.m.${name}`] = { dtype: 'F32', shape: [m.length], data: m };
  for (const [name, v] of Object.entries(state.v)) tensors[`adam.v.${name}`] = { dtype: 'F32', shape: [v.length], data: v };
  const { step, lr, beta1, beta2, eps, maxGradNorm } = state;
  return { tensors, config: JSON.stringify({ step, lr, beta1, beta2, eps, maxGradNorm }) };
}

/** Inverse of `adamStateToTensors` (validated further by `Adam.setState`). */
export function adamStateFromTensors(tensors: Record<string, SafeTensor>, config: string): AdamState {
  let scalars: Omit<AdamState, 'm' | 'v'>;
  try {
    scalars = JSON.parse(config);
  } catch (err) {
    throw new InvalidArgumentError(`Adam config is not valid JSON: ${(err as Error).message}`);
  }
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const [key, t] of Object.entries(tensors)) {
    const target = key.startsWith('adam.m.') ? m : key.startsWith('adam.v.') ? v : null;
    if (target === null) continue;
    if (t.dtype !== 'F32') throw new InvalidArgumentError(`Adam moment '${key}' is saved as ${t.dtype}, expected F32`);
    target[key.slice('adam.m.'.length)] = t.data as Float32Array;
  }
  return { ...scalars, m, v };
}

/** Saves parameters (and optionally Adam's state) to one safetensors file, atomically. */
export async function saveParameters(
  path: string,
  params: ParameterCollection,
  options: { metadata?: Record<string, string>; adam?: AdamState } = {},
): Promise<void> {
  const tensors: Record<string, SafeTensor> = parametersToTensors(params);
  const metadata = { ...(options.metadata ?? {}) };
  if (options.adam !== undefined) {
    const { tensors: moments, config } = adamStateToTensors(options.adam);
    Object.assign(tensors, moments);
    metadata.adam = config;
  }
  await saveSafetensors(path, tensors, metadata);
}

/**
 * Loads parameters saved by `saveParameters` into `params`; returns the file's content so the caller can
 * read the metadata and, when `metadata.adam` exists, `adamStateFromTensors(content.tensors, metadata.adam)`.
 */
export async function loadParameters(path: string, params: ParameterCollection): Promise<SafetensorsContent> {
  const content = await loadSafetensors(path);
  parametersFromTensors(params, content.tensors);
  return content;
}
