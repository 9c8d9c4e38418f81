/**
 * `MujocoEnv`: the base of the MuJoCo environments (Gymnasium's `MujocoEnv` in spirit). It owns one
 * compiled model and its data on the shared wasm module, steps `frameSkip` physics steps per action,
 * applies seeded reset noise, looks bodies/geoms/joints up by name, exposes contact forces, supports
 * domain randomisation (gravity, friction, masses) and frees its wasm objects on `close()`.
 *
 * Actions: a float32 vector with one entry per actuator. Finite values outside the control range are
 * clamped by MuJoCo (as in Gymnasium, where the control cost still uses the unclamped action); a wrong
 * length or a non-finite value is an `InvalidActionError`. A simulation that goes NaN or trips MuJoCo's
 * instability check (which would otherwise silently reset the state) raises a `NumericalError`.
 */
import type { MjData, MjModel } from 'mujoco-js';
import {
  ClosedEnvironmentError,
  InvalidActionError,
  InvalidArgumentError,
  NumericalError,
  ResetNeededError,
  describeValue,
} from '../../core/errors.js';
import { closeMatches } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { compileMjcf, getMujoco, type MujocoModule } from './module.js';

/** Per-reset random scaling of the dynamics; each factor is drawn uniformly from `[low, high]`. */
export interface DynamicsRandomization {
  /** Scales the gravity vector. */
  gravityScale?: readonly [number, number];
  /** Scales every geom's sliding friction coefficient (one factor per reset). */
  frictionScale?: readonly [number, number];
  /** Scales every body's mass and inertia (one factor per body). */
  massScale?: readonly [number, number];
}

export interface MujocoEnvOptions {
  /** Half-width of the reset noise (meaning per env, as in Gymnasium). */
  resetNoiseScale?: number;
  /** Random dynamics drawn at every reset from the env's generator (sim variants for sim-to-real work). */
  dynamicsRandomization?: DynamicsRandomization;
}

// mjtObj values used for name lookups.
const OBJ = { body: 1, joint: 3, geom: 5, site: 6, actuator: 19 } as const;
export type MujocoObjectKind = keyof typeof OBJ;

export abstract class MujocoEnv extends Env<Float64Array, Float32Array> {
  readonly frameSkip: number;
  readonly resetNoiseScale: number;
  readonly dynamicsRandomization: DynamicsRandomization | null;
  /** Positions and velocities of the model's reference configuration (Gymnasium's init_qpos/init_qvel). */
  readonly initQpos: Float64Array;
  readonly initQvel: Float64Array;
  /** Seconds per physics step (the model's option; fixed). */
  readonly timestep: number;
  protected readonly mj: MujocoModule;
  private _model: MjModel | null;
  private _data: MjData | null;
  private needsReset = true;
  // Nominal dynamics, restored before each randomisation draw.
  private readonly nominalGravity: Float64Array;
  private readonly nominalFriction: Float64Array;
  private readonly nominalMass: Float64Array;
  private readonly nominalInertia: Float64Array;

  constructor(xml: string, frameSkip: number, defaultNoise: number, options: MujocoEnvOptions) {
    super();
    const name = this.constructor.name;
    if (!Number.isInteger(frameSkip) || frameSkip < 1) {
      throw new InvalidArgumentError(`${name}: frameSkip must be a positive integer, got ${describeValue(frameSkip)}`);
    }
    const noise = options.resetNoiseScale ?? defaultNoise;
    if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
      throw new InvalidArgumentError(`${name}: resetNoiseScale must be a finite number >= 0, got ${describeValue(noise)}`);
    }
    this.dynamicsRandomization = checkRandomization(name, options.dynamicsRandomization);
    this.frameSkip = frameSkip;
    this.resetNoiseScale = noise;
    this.mj = getMujoco();
    this._model = compileMjcf(xml, name);
    this._data = new this.mj.MjData(this._model);
    const m = this._model;
    const d = this._data;
    this.timestep = m.opt.timestep;
    this.initQpos = Float64Array.from(d.qpos as Float64Array);
    this.initQvel = Float64Array.from(d.qvel as Float64Array);
    this.nominalGravity = Float64Array.from(m.opt.gravity as Float64Array);
    this.nominalFriction = Float64Array.from(m.geom_friction as Float64Array);
    this.nominalMass = Float64Array.from(m.body_mass as Float64Array);
    this.nominalInertia = Float64Array.from(m.body_inertia as Float64Array);
    const range = m.actuator_ctrlrange as Float64Array;
    const limited = m.actuator_ctrllimited as Uint8Array;
    const low: number[] = [];
    const high: number[] = [];
    for (let i = 0; i < m.nu; i++) {
      low.push(limited[i] ? range[2 * i]! : -Infinity);
      high.push(limited[i] ? range[2 * i + 1]! : Infinity);
    }
    this.actionSpace = new Box(low, high, [m.nu], 'float32');
    this.metadata = { renderModes: [], renderFps: Math.round(1 / this.dt) };
  }

  /** The compiled model (throws once closed). */
  get model(): MjModel {
    if (!this._model) throw new ClosedEnvironmentError(`${this.constructor.name} is closed`);
    return this._model;
  }

  /** The simulation data (throws once closed). */
  get data(): MjData {
    if (!this._data) throw new ClosedEnvironmentError(`${this.constructor.name} is closed`);
    return this._data;
  }

  /** Seconds of simulated time per env step: timestep × frameSkip. */
  get dt(): number {
    return this.timestep * this.frameSkip;
  }

  /** Live views of the state; refetch after any call into MuJoCo (wasm memory growth detaches views). */
  get qpos(): Float64Array {
    return this.data.qpos as Float64Array;
  }
  get qvel(): Float64Array {
    return this.data.qvel as Float64Array;
  }

  /**
   * Gymnasium's usual observation: qpos without its first `skip` entries (the excluded root positions), then qvel,
   * written at the start of `out` (default: a new array of exactly that length).
   */
  protected positionsThenVelocities(skip: number, out?: Float64Array): Float64Array {
    const q = this.qpos;
    const v = this.qvel;
    const obs = out ?? new Float64Array(q.length - skip + v.length);
    obs.set(q.subarray(skip));
    obs.set(v, q.length - skip);
    return obs;
  }

  /** Sets positions and velocities and recomputes derived quantities (mj_forward). */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    const m = this.model;
    if (qpos.length !== m.nq || qvel.length !== m.nv) {
      throw new InvalidArgumentError(
        `${this.constructor.name}.setState: expected qpos of length ${m.nq} and qvel of length ${m.nv}, got ${qpos.length} and ${qvel.length}`,
      );
    }
    for (let i = 0; i < qpos.length; i++) if (!Number.isFinite(qpos[i])) throw new InvalidArgumentError(`${this.constructor.name}.setState: qpos[${i}] is ${qpos[i]}`);
    for (let i = 0; i < qvel.length; i++) if (!Number.isFinite(qvel[i])) throw new InvalidArgumentError(`${this.constructor.name}.setState: qvel[${i}] is ${qvel[i]}`);
    (this.data.qpos as Float64Array).set(qpos);
    (this.data.qvel as Float64Array).set(qvel);
    this.mj.mj_forward(m, this.data);
    this.needsReset = false;
  }

  /** qpos followed by qvel (Gymnasium's `state_vector`). */
  stateVector(): Float64Array {
    const out = new Float64Array(this.model.nq + this.model.nv);
    out.set(this.qpos);
    out.set(this.qvel, this.model.nq);
    return out;
  }

  /** Index of a named model object; unknown names → `InvalidArgumentError` with close matches. */
  nameToId(kind: MujocoObjectKind, name: string): number {
    const id = this.mj.mj_name2id(this.model, OBJ[kind], name);
    if (id < 0) {
      const names: string[] = [];
      const count = { body: this.model.nbody, joint: this.model.njnt, geom: this.model.ngeom, site: this.model.nsite, actuator: this.model.nu }[kind];
      for (let i = 0; i < count; i++) {
        const n = this.mj.mj_id2name(this.model, OBJ[kind], i);
        if (n) names.push(n);
      }
      const close = closeMatches(name, names);
      throw new InvalidArgumentError(
        `${this.constructor.name}: no ${kind} named ${JSON.stringify(name)}${close.length ? ` (did you mean ${close.map((c) => JSON.stringify(c)).join(', ')}?)` : ''}`,
      );
    }
    return id;
  }

  /** World position of a body's frame (a copy). */
  bodyPosition(name: string): Float64Array {
    const id = this.nameToId('body', name);
    return (this.data.xpos as Float64Array).slice(3 * id, 3 * id + 3);
  }

  /** World position of a geom's centre (a copy). */
  geomPosition(name: string): Float64Array {
    const id = this.nameToId('geom', name);
    return (this.data.geom_xpos as Float64Array).slice(3 * id, 3 * id + 3);
  }

  /**
   * External (contact) forces on every body, `nbody × 6` (torque then force, MuJoCo's `cfrc_ext`), after
   * running `mj_rnePostConstraint` (MuJoCo computes them lazily). Returns a copy.
   */
  contactForces(): Float64Array {
    this.mj.mj_rnePostConstraint(this.model, this.data);
    return Float64Array.from(this.data.cfrc_ext as Float64Array);
  }

  /** Sets the gravity vector (domain randomisation; persists until changed or `resetDynamics()`). */
  setGravity(gravity: ArrayLike<number>): void {
    if (gravity.length !== 3 || !Array.from(gravity).every(Number.isFinite)) {
      throw new InvalidArgumentError(`${this.constructor.name}.setGravity: expected 3 finite numbers, got ${describeValue(gravity)}`);
    }
    (this.model.opt.gravity as Float64Array).set(gravity);
  }

  /** Sets a geom's friction `[sliding, torsional, rolling]`. */
  setGeomFriction(geom: string, friction: ArrayLike<number>): void {
    const id = this.nameToId('geom', geom);
    if (friction.length !== 3 || !Array.from(friction).every((f) => Number.isFinite(f) && f >= 0)) {
      throw new InvalidArgumentError(`${this.constructor.name}.setGeomFriction: expected 3 finite numbers >= 0, got ${describeValue(friction)}`);
    }
    (this.model.geom_friction as Float64Array).set(friction, 3 * id);
  }

  /** Sets a body's mass, scaling its inertia by the same factor (same shape, new density). */
  setBodyMass(body: string, mass: number): void {
    const id = this.nameToId('body', body);
    if (!Number.isFinite(mass) || mass <= 0) {
      throw new InvalidArgumentError(`${this.constructor.name}.setBodyMass: mass must be finite and > 0, got ${describeValue(mass)}`);
    }
    this.scaleBodyMass(id, mass / this.nominalMass[id]!);
  }

  /** Restores the model's nominal gravity, friction, masses and inertias. */
  resetDynamics(): void {
    const m = this.model;
    (m.opt.gravity as Float64Array).set(this.nominalGravity);
    (m.geom_friction as Float64Array).set(this.nominalFriction);
    (m.body_mass as Float64Array).set(this.nominalMass);
    (m.body_inertia as Float64Array).set(this.nominalInertia);
  }

  private scaleBodyMass(id: number, factor: number): void {
    const m = this.model;
    (m.body_mass as Float64Array)[id] = this.nominalMass[id]! * factor;
    const inertia = m.body_inertia as Float64Array;
    for (let k = 0; k < 3; k++) inertia[3 * id + k] = this.nominalInertia[3 * id + k]! * factor;
  }

  private randomizeDynamics(rng: Rng, r: DynamicsRandomization): void {
    this.resetDynamics();
    const m = this.model;
    if (r.gravityScale) {
      const s = rng.uniform(r.gravityScale[0], r.gravityScale[1]);
      const g = m.opt.gravity as Float64Array;
      for (let k = 0; k < 3; k++) g[k] = this.nominalGravity[k]! * s;
    }
    if (r.frictionScale) {
      const s = rng.uniform(r.frictionScale[0], r.frictionScale[1]);
      const f = m.geom_friction as Float64Array;
      for (let g = 0; g < m.ngeom; g++) f[3 * g] = this.nominalFriction[3 * g]! * s;
    }
    if (r.massScale) {
      for (let b = 1; b < m.nbody; b++) this.scaleBodyMass(b, rng.uniform(r.massScale[0], r.massScale[1]));
    }
  }

  override reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    super.reset(args);
    this.mj.mj_resetData(this.model, this.data);
    if (this.dynamicsRandomization) this.randomizeDynamics(this.rng, this.dynamicsRandomization);
    this.resetModel(this.rng);
    this.needsReset = false;
    return [this.getObs(), this.resetInfo()];
  }

  /** Draws the initial state (Gymnasium's `reset_model`); must call `setState`. */
  protected abstract resetModel(rng: Rng): void;
  /** The observation of the current state (a fresh array). */
  protected abstract getObs(): Float64Array;
  /** Info returned by reset. */
  protected resetInfo(): Record<string, unknown> {
    return {};
  }

  /** `[low, high)` uniform noise around `base` (Gymnasium's `init + uniform(-s, s)`). */
  protected uniformNoise(rng: Rng, base: Float64Array, scale: number): Float64Array {
    const out = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) out[i] = base[i]! + rng.uniform(-scale, scale);
    return out;
  }

  /** `base + scale × N(0, 1)` noise. */
  protected normalNoise(rng: Rng, base: Float64Array, scale: number): Float64Array {
    const out = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) out[i] = base[i]! + scale * rng.normal();
    return out;
  }

  /** Validates an action's shape and finiteness (range is clamped by MuJoCo). */
  protected checkAction(action: unknown): Float32Array | Float64Array | number[] {
    const nu = this.model.nu;
    const ok =
      (action instanceof Float32Array || action instanceof Float64Array || Array.isArray(action)) && action.length === nu;
    if (!ok) {
      throw new InvalidActionError(`${this.constructor.name}: action must be a Float32Array of length ${nu}, got ${describeValue(action)}`);
    }
    const a = action as ArrayLike<number>;
    for (let i = 0; i < nu; i++) {
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) {
        throw new InvalidActionError(`${this.constructor.name}: action[${i}] is ${describeValue(a[i])}, must be finite`);
      }
    }
    return action as Float32Array;
  }

  /** Applies `ctrl` and advances `frameSkip` physics steps (Gymnasium's `do_simulation`). */
  protected doSimulation(ctrl: ArrayLike<number>): void {
    if (this.needsReset) throw new ResetNeededError(`${this.constructor.name}: call reset() before step()`);
    const m = this.model;
    const d = this.data;
    (d.ctrl as Float64Array).set(ctrl);
    const timeBefore = d.time;
    // On a bad qpos/qvel/qacc MuJoCo warns and silently resets the data, which rewinds the clock. From
    // time 0 a rewind is invisible, so the first step of an episode reads the warning counters instead
    // (they cost an embind call each; later steps rely on the clock).
    const warningsBefore = timeBefore === 0 ? this.instabilityWarnings() : 0;
    for (let i = 0; i < this.frameSkip; i++) this.mj.mj_step(m, d);
    const expected = timeBefore + this.frameSkip * this.timestep;
    const rewound = timeBefore === 0 ? this.instabilityWarnings() !== warningsBefore : Math.abs(d.time - expected) > 0.5 * this.timestep;
    if (rewound) {
      this.needsReset = true;
      throw new NumericalError(
        `${this.constructor.name}: the simulation became unstable (MuJoCo detected a bad qpos/qvel/qacc and reset its state); reset the environment`,
      );
    }
    this.checkFinite();
  }

  /** Total count of MuJoCo's instability warnings (mjWARN_BADQPOS, _BADQVEL, _BADQACC = 4, 5, 6). */
  private instabilityWarnings(): number {
    // `data.warning` is a copy in wasm memory (unlike the array views): free it and its elements.
    const w = this.data.warning;
    let total = 0;
    for (let k = 4; k <= 6; k++) {
      const stat = w.get(k)!;
      total += stat.number;
      stat.delete();
    }
    w.delete();
    return total;
  }

  private checkFinite(): void {
    const q = this.qpos;
    const v = this.qvel;
    for (let i = 0; i < q.length; i++) if (!Number.isFinite(q[i]!)) this.unstable('qpos', i);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) this.unstable('qvel', i);
  }

  private unstable(what: string, i: number): never {
    this.needsReset = true;
    throw new NumericalError(`${this.constructor.name}: the simulation state went non-finite (${what}[${i}]); reset the environment`);
  }

  abstract override step(action: Float32Array): StepResult<Float64Array>;

  /** Frees the model and data in wasm memory; idempotent. */
  override close(): void {
    this._data?.delete();
    this._model?.delete();
    this._data = null;
    this._model = null;
  }

  get closed(): boolean {
    return this._model === null;
  }
}

function checkRandomization(name: string, r: DynamicsRandomization | undefined): DynamicsRandomization | null {
  if (r === undefined || r === null) return null;
  if (typeof r !== 'object') throw new InvalidArgumentError(`${name}: dynamicsRandomization must be an object, got ${describeValue(r)}`);
  const keys = ['gravityScale', 'frictionScale', 'massScale'];
  for (const key of Object.keys(r)) {
    if (!keys.includes(key)) throw new InvalidArgumentError(`${name}: unknown dynamicsRandomization key ${JSON.stringify(key)} (expected ${keys.join(', ')})`);
    const range = (r as Record<string, unknown>)[key];
    if (
      !Array.isArray(range) ||
      range.length !== 2 ||
      !range.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0) ||
      range[0] > range[1]
    ) {
      throw new InvalidArgumentError(`${name}: dynamicsRandomization.${key} must be [low, high] with 0 < low <= high, got ${describeValue(range)}`);
    }
  }
  return r;
}
