/**
 * A minimal synchronous VectorEnv for the vector-wrapper tests (independent of SyncVectorEnv):
 * Box or Discrete observations concatenated env-major, Box actions sliced per env or Discrete actions
 * as an Int32Array, numeric infos merged into Float64Arrays with '_key' masks, and the three autoreset
 * modes (SAME_STEP stores `final_obs` / `final_info`).
 */
import { Box, Discrete, Rng, type Space, type TypedArray } from '../../../src/core/index.js';
import type { Env, Info } from '../../../src/envs/env.js';
import { batchSpace } from '../../../src/envs/vector/batching.js';
import {
  VectorEnv,
  type AutoresetMode,
  type VectorEnvMetadata,
  type VectorResetArgs,
  type VectorResetResult,
  type VectorStepResult,
} from '../../../src/envs/vector/vector-env.js';

function batch(space: Space<unknown>, n: number): Space<any> {
  if (space instanceof Box || space instanceof Discrete) return batchSpace(space, n);
  throw new Error(`toy vector env cannot batch ${space.toString()}`);
}

export class ToyVectorEnv extends VectorEnv<any, any, any, any> {
  readonly numEnvs: number;
  readonly envs: Env<any, any>[];
  readonly singleObservationSpace: Space<any>;
  readonly singleActionSpace: Space<any>;
  readonly observationSpace: Space<any>;
  readonly actionSpace: Space<any>;
  readonly metadata: VectorEnvMetadata;
  private readonly pendingReset: boolean[];
  private readonly _rng = Rng.fromSeed(0);

  constructor(envs: Env<any, any>[], autoresetMode: AutoresetMode = 'NEXT_STEP') {
    super();
    this.envs = envs;
    this.numEnvs = envs.length;
    this.singleObservationSpace = envs[0]!.observationSpace;
    this.singleActionSpace = envs[0]!.actionSpace;
    this.observationSpace = batch(this.singleObservationSpace, this.numEnvs);
    this.actionSpace = batch(this.singleActionSpace, this.numEnvs);
    this.metadata = { autoresetMode, renderModes: [] };
    this.pendingReset = new Array<boolean>(this.numEnvs).fill(false);
  }

  get rng(): Rng {
    return this._rng;
  }

  private obsSize(): number {
    const s = this.singleObservationSpace;
    return s instanceof Box ? s.size : 1;
  }

  private writeObs(out: TypedArray, i: number, obs: unknown): void {
    const size = this.obsSize();
    if (typeof obs === 'number') out[i] = obs;
    else out.set(obs as ArrayLike<number>, i * size);
  }

  private newObsBatch(): TypedArray {
    const s = this.singleObservationSpace;
    return s instanceof Box ? new (s.low.constructor as Float32ArrayConstructor)(this.numEnvs * s.size) : new Int32Array(this.numEnvs);
  }

  private actionOf(actions: any, i: number): unknown {
    const s = this.singleActionSpace;
    if (s instanceof Box) return actions.slice(i * s.size, (i + 1) * s.size);
    return actions[i];
  }

  reset(args: VectorResetArgs = {}): VectorResetResult<any> {
    const mask = args.options?.resetMask;
    const { resetMask: _ignored, ...envOptions } = args.options ?? {};
    const obs = this.newObsBatch();
    const infos: Info[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask !== undefined && !mask[i]) {
        infos.push({});
        continue;
      }
      const seed = typeof args.seed === 'number' ? args.seed + i : Array.isArray(args.seed) ? (args.seed[i] ?? undefined) : undefined;
      const [o, info] = this.envs[i]!.reset({ seed, options: envOptions });
      this.writeObs(obs, i, o);
      this.pendingReset[i] = false;
      infos.push(info);
    }
    return [obs, mergeInfos(infos)];
  }

  step(actions: any): VectorStepResult<any> {
    const n = this.numEnvs;
    const obs = this.newObsBatch();
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    const infos: Info[] = [];
    const finalObs: unknown[] = new Array(n).fill(null);
    const finalInfo: unknown[] = new Array(n).fill(null);
    const hasFinal: boolean[] = new Array<boolean>(n).fill(false);
    for (let i = 0; i < n; i++) {
      const env = this.envs[i]!;
      if (this.metadata.autoresetMode === 'NEXT_STEP' && this.pendingReset[i]) {
        const [o, info] = env.reset();
        this.writeObs(obs, i, o);
        this.pendingReset[i] = false;
        infos.push(info);
        continue;
      }
      let [o, r, term, trunc, info] = env.step(this.actionOf(actions, i));
      rewards[i] = r;
      terminations[i] = term ? 1 : 0;
      truncations[i] = trunc ? 1 : 0;
      if (term || trunc) {
        if (this.metadata.autoresetMode === 'SAME_STEP') {
          finalObs[i] = o;
          finalInfo[i] = info;
          hasFinal[i] = true;
          [o, info] = env.reset();
        } else if (this.metadata.autoresetMode === 'NEXT_STEP') {
          this.pendingReset[i] = true;
        }
      }
      this.writeObs(obs, i, o);
      infos.push(info);
    }
    const merged = mergeInfos(infos);
    if (hasFinal.some((h) => h)) Object.assign(merged, { final_obs: finalObs, _final_obs: hasFinal, final_info: finalInfo, _final_info: hasFinal });
    return [obs, rewards, terminations, truncations, merged];
  }

  close(): void {
    for (const e of this.envs) e.close();
  }
}

/** Numbers to Float64Array, other values to arrays, each with a '_key' mask. */
function mergeInfos(infos: Info[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = new Set(infos.flatMap((info) => Object.keys(info)));
  for (const key of keys) {
    const numeric = infos.every((info) => !(key in info) || typeof info[key] === 'number');
    const values = numeric ? new Float64Array(infos.length) : new Array<unknown>(infos.length).fill(null);
    const mask = infos.map((info) => key in info);
    infos.forEach((info, i) => {
      if (key in info) (values as unknown[])[i] = info[key];
    });
    out[key] = values;
    out[`_${key}`] = mask;
  }
  return out;
}
