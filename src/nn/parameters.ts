/**
 * `ParameterCollection`: the named trainable `tf.Variable`s of a model. Names are Teleo's own
 * (e.g. `actor.0.weight`); tfjs's global variable names are left automatic so two models never clash.
 * `getWeights()`/`setWeights()` exchange plain Float32Arrays (for checkpoints and copying between models).
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js'; // registers the gradients tfjs-core leaves out
import { InvalidArgumentError } from '../core/errors.js';

const NAME_PATTERN = /^[A-Za-z0-9_.\-/]+$/;

export class ParameterCollection {
  private readonly vars = new Map<string, tf.Variable>();

  /** Creates a float32 variable `name` of `shape` holding `values` (copied). */
  add(name: string, shape: readonly number[], values: Float32Array): tf.Variable {
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      throw new InvalidArgumentError(`Parameter name must match ${NAME_PATTERN}, got ${JSON.stringify(name)}`);
    }
    if (this.vars.has(name)) throw new InvalidArgumentError(`Parameter '${name}' already exists in this collection`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new InvalidArgumentError(`Parameter '${name}': ${values.length} initial values for shape [${shape.join(', ')}] (needs ${size})`);
    }
    // The variable takes its own reference to the data, so the initial tensor can go right away.
    const initial = tf.tensor(values, [...shape], 'float32');
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.vars.set(name, variable);
    return variable;
  }

  /** Adds every parameter of `other` under `prefix.` (the variables are shared, not copied). */
  addAll(prefix: string, other: ParameterCollection): void {
    for (const [name, variable] of other.entries()) {
      const full = `${prefix}.${name}`;
      if (this.vars.has(full)) throw new InvalidArgumentError(`Parameter '${full}' already exists in this collection`);
      this.vars.set(full, variable);
    }
  }

  /** The variable called `name`; `InvalidArgumentError` naming the known parameters if absent. */
  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (v === undefined) throw new InvalidArgumentError(`No parameter '${name}' (parameters: ${[...this.vars.keys()].join(', ')})`);
    return v;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  /** The variables in insertion order (the order `tf.variableGrads` and `Adam` use). */
  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  entries(): IterableIterator<[string, tf.Variable]> {
    return this.vars.entries();
  }

  get size(): number {
    return this.vars.size;
  }

  /** Total number of scalar parameters. */
  get numParams(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** Shapes by name (for configs and error messages). */
  shapes(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [name, v] of this.vars) out[name] = [...v.shape];
    return out;
  }

  /** A copy of every parameter's values, by name. */
  getWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of this.vars) out[name] = Float32Array.from(v.dataSync() as Float32Array);
    return out;
  }

  /**
   * Assigns values by name. Every parameter must be given, with exactly its size (and its shape when
   * `shapes` is passed, e.g. from a safetensors header); unknown names are rejected unless
   * `allowExtra` — all checks run before anything is assigned, so a failed call changes nothing.
   */
  setWeights(
    weights: Record<string, ArrayLike<number>>,
    options: { shapes?: Record<string, readonly number[]>; allowExtra?: boolean } = {},
  ): void {
    for (const [name, v] of this.vars) {
      const w = weights[name];
      if (w === undefined) throw new InvalidArgumentError(`setWeights: missing parameter '${name}' (shape [${v.shape.join(', ')}])`);
      if (w.length !== v.size) {
        throw new InvalidArgumentError(`setWeights: parameter '${name}' has shape [${v.shape.join(', ')}] (${v.size} values), got ${w.length} values`);
      }
      const shape = options.shapes?.[name];
      if (shape !== undefined && (shape.length !== v.shape.length || shape.some((d, i) => d !== v.shape[i]))) {
        throw new InvalidArgumentError(`setWeights: parameter '${name}' has shape [${v.shape.join(', ')}], got [${shape.join(', ')}]`);
      }
      for (let i = 0; i < w.length; i++) {
        if (!Number.isFinite(w[i]!)) throw new InvalidArgumentError(`setWeights: parameter '${name}' has a non-finite value ${w[i]} at index ${i}`);
      }
    }
    if (!options.allowExtra) {
      for (const name of Object.keys(weights)) {
        if (!this.vars.has(name)) throw new InvalidArgumentError(`setWeights: unknown parameter '${name}' (parameters: ${this.names().join(', ')})`);
      }
    }
    for (const [name, v] of this.vars) {
      const w = weights[name]!;
      tf.tidy(() => v.assign(tf.tensor(w instanceof Float32Array ? w : Float32Array.from(w), v.shape, 'float32')));
    }
  }

  /** Copies another collection's values into this one (same names and shapes), e.g. target networks. */
  copyFrom(other: ParameterCollection): void {
    this.setWeights(other.getWeights(), { shapes: other.shapes() });
  }

  /** Disposes the variables. Do not call on a collection whose variables are shared through `addAll`. */
  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
