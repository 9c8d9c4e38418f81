/**
 * `checkEnv`: an active check that an environment follows the Env API (Gymnasium's `check_env`).
 *
 * It resets and steps the environment several times (so it changes the env's state and reseeds its
 * generator and its action space), then checks spaces, the reset/step return contracts, seeding
 * determinism, reset options, the declared render modes and close. A broken contract throws an
 * `EnvCheckError` whose `check` names the failed check; mild issues come back as warning strings.
 */
import { EnvCheckError, describeValue } from '../core/errors.js';
import { Box } from '../core/spaces/box.js';
import { Dict } from '../core/spaces/dict.js';
import { Discrete } from '../core/spaces/discrete.js';
import { MultiBinary } from '../core/spaces/multi-binary.js';
import { MultiDiscrete } from '../core/spaces/multi-discrete.js';
import { Space, TYPED_ARRAY_OF, isTypedArray } from '../core/spaces/space.js';
import { Tuple } from '../core/spaces/tuple.js';
import { Env, type Info } from './env.js';

export interface CheckEnvOptions {
  /** Skip rendering the env and building it in each declared render mode. */
  skipRenderCheck?: boolean;
  /** Skip building a fresh env from the spec and closing it twice. */
  skipCloseCheck?: boolean;
}

/** Names of the checks, as reported in `EnvCheckError.check`. */
export type EnvCheckName =
  | 'env-type'
  | 'spaces'
  | 'reset-return'
  | 'reset-seed'
  | 'reset-options'
  | 'step-return'
  | 'step-determinism'
  | 'render'
  | 'close';

const SEED_A = 123;
const SEED_B = 456;
/** Relative and absolute tolerance of "equivalent but not identical" values (as numpy's allclose). */
const TOLERANCE = 1e-5;

/**
 * Checks `env` against the Env API. Returns the warnings (possibly empty); throws `EnvCheckError`
 * naming the failed check when the env breaks the API.
 */
export function checkEnv(env: Env<any, any>, options: CheckEnvOptions = {}): string[] {
  const warnings: string[] = [];
  if (!(env instanceof Env)) {
    throw new EnvCheckError('env-type', `the environment must extend Env, got ${describeValue(env)}`);
  }
  if (env.unwrapped !== env) {
    warnings.push(
      `${env.toString()} is wrapped; checkEnv is meant for the raw environment (pass env.unwrapped), wrappers may hide or cause problems`,
    );
  }

  const actionSpace = getSpace(env, 'action');
  const observationSpace = getSpace(env, 'observation');
  checkSpaceLimits(actionSpace, 'action', warnings);
  checkSpaceLimits(observationSpace, 'observation', warnings);
  const sampled = actionSpace.sample();
  const sampleWhy = actionSpace.explain(sampled);
  if (sampleWhy !== null) {
    throw new EnvCheckError('spaces', `actionSpace.sample() returned an element outside ${actionSpace.toString()}: ${sampleWhy}`);
  }

  checkResetReturn(env, observationSpace, warnings);
  checkResetSeed(env, observationSpace, warnings);
  checkResetOptions(env, observationSpace);
  checkStepReturn(env, observationSpace, actionSpace, warnings);
  checkStepDeterminism(env, actionSpace, warnings);
  if (!options.skipRenderCheck) checkRender(env, warnings);
  if (!options.skipCloseCheck) checkClose(env, warnings);
  return warnings;
}

function getSpace(env: Env<any, any>, which: 'observation' | 'action'): Space<unknown> {
  let space: unknown;
  try {
    space = which === 'observation' ? env.observationSpace : env.actionSpace;
  } catch (err) {
    throw new EnvCheckError('spaces', `the environment has no ${which} space (${(err as Error).message})`, { cause: err });
  }
  if (!(space instanceof Space)) {
    throw new EnvCheckError('spaces', `${which}Space must be a Space, got ${describeValue(space)}`);
  }
  return space;
}

/** Warnings for unbounded boxes and non-normalised action boxes, recursing into Dict/Tuple. */
function checkSpaceLimits(space: Space<unknown>, which: 'observation' | 'action', warnings: string[]): void {
  if (space instanceof Box) {
    if (space.low.some((v) => v === -Infinity)) warnings.push(`a Box ${which} space has a lower bound of -Infinity, probably too low`);
    if (space.high.some((v) => v === Infinity)) warnings.push(`a Box ${which} space has an upper bound of Infinity, probably too high`);
    if (space.low.some((v, i) => v === space.high[i])) warnings.push(`a Box ${which} space has equal lower and upper bounds`);
    if (which === 'action' && space.shape!.length === 1) {
      const normalised = space.low.every((lo, i) => {
        const hi = space.high[i]!;
        return lo >= -1 && hi <= 1 && (lo === 0 || Math.abs(lo) === Math.abs(hi));
      });
      if (!normalised) warnings.push('a Box action space is not symmetric and normalised; [-1, 1] or [0, 1] usually trains better');
    }
  } else if (space instanceof Tuple) {
    for (const sub of space.spaces) checkSpaceLimits(sub, which, warnings);
  } else if (space instanceof Dict) {
    for (const key of space.keys) checkSpaceLimits(space.spaces[key]!, which, warnings);
  }
}

/** Calls `fn`, turning anything it throws into an `EnvCheckError` for `check`. */
function call<T>(check: EnvCheckName, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof EnvCheckError) throw err;
    const name = err instanceof Error ? `${err.name}: ${err.message}` : describeValue(err);
    throw new EnvCheckError(check, `${what} threw ${name}`, { cause: err });
  }
}

function assertObservation(check: EnvCheckName, space: Space<unknown>, obs: unknown, where: string, warnings: string[]): void {
  const why = space.explain(obs);
  if (why !== null) {
    throw new EnvCheckError(check, `the observation returned by ${where} is outside ${space.toString()}: ${why}`);
  }
  const typeIssue = elementTypeIssue(space, obs);
  if (typeIssue !== null) addOnce(warnings, `the observation returned by ${where} ${typeIssue}`);
}

/** Representation problems the spaces tolerate in `contains` (e.g. a number[] for a Float32 Box). */
function elementTypeIssue(space: Space<unknown>, x: unknown): string | null {
  if (space instanceof Box) {
    const Ctor = TYPED_ARRAY_OF[space.dtype!];
    return x instanceof Ctor ? null : `should be a ${Ctor.name} (Box ${space.dtype}), got ${typeName(x)}`;
  }
  if (space instanceof Discrete) return typeof x === 'number' ? null : `should be a number (Discrete), got ${typeName(x)}`;
  if (space instanceof MultiDiscrete) return x instanceof Int32Array ? null : `should be an Int32Array (MultiDiscrete), got ${typeName(x)}`;
  if (space instanceof MultiBinary) return x instanceof Int8Array ? null : `should be an Int8Array (MultiBinary), got ${typeName(x)}`;
  if (space instanceof Tuple) {
    if (!Array.isArray(x)) return `should be an array (Tuple), got ${typeName(x)}`;
    for (let i = 0; i < space.spaces.length; i++) {
      const issue = elementTypeIssue(space.spaces[i]!, x[i]);
      if (issue !== null) return `at index ${i} ${issue}`;
    }
    return null;
  }
  if (space instanceof Dict) {
    for (const key of space.keys) {
      const issue = elementTypeIssue(space.spaces[key]!, (x as Record<string, unknown>)[key]);
      if (issue !== null) return `at key '${key}' ${issue}`;
    }
  }
  return null;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return typeof x;
}

function isInfo(x: unknown): x is Info {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isTypedArray(x);
}

function addOnce(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}

function checkResetReturn(env: Env<any, any>, space: Space<unknown>, warnings: string[]): void {
  const result: unknown = call('reset-return', 'env.reset()', () => env.reset());
  if (!Array.isArray(result) || result.length !== 2) {
    throw new EnvCheckError('reset-return', `env.reset() must return [obs, info], got ${describeValue(result)}`);
  }
  assertObservation('reset-return', space, result[0], 'env.reset()', warnings);
  if (!isInfo(result[1])) {
    throw new EnvCheckError('reset-return', `the info returned by env.reset() must be a plain object, got ${describeValue(result[1])}`);
  }
}

/** Resets and returns the observation, checking it; `label` describes the call in messages. */
function resetObs(env: Env<any, any>, space: Space<unknown>, label: string, args: Parameters<Env['reset']>[0], warnings: string[]): unknown {
  const result = call('reset-seed', label, () => env.reset(args));
  if (!Array.isArray(result) || result.length !== 2) {
    throw new EnvCheckError('reset-seed', `${label} must return [obs, info], got ${describeValue(result)}`);
  }
  assertObservation('reset-seed', space, result[0], label, warnings);
  // Copy: an env may reuse its observation buffer across calls.
  return space.copyElement(result[0]);
}

function rngState(env: Env<any, any>): readonly number[] {
  return env.unwrapped.rng.getState();
}

function sameState(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isNondeterministic(env: Env<any, any>): boolean {
  return env.spec?.nondeterministic === true;
}

/**
 * Same seed → same observation and generator state; reset() after a seeded reset continues the
 * seeded stream (so it repeats too); a different seed gives a different generator.
 */
function checkResetSeed(env: Env<any, any>, space: Space<unknown>, warnings: string[]): void {
  const obs1 = resetObs(env, space, `env.reset({ seed: ${SEED_A} })`, { seed: SEED_A }, warnings);
  const state1 = rngState(env);
  const obs2 = resetObs(env, space, 'env.reset()', {}, warnings);
  const obs3 = resetObs(env, space, `env.reset({ seed: ${SEED_A} })`, { seed: SEED_A }, warnings);
  const state3 = rngState(env);
  const obs4 = resetObs(env, space, 'env.reset()', {}, warnings);

  if (!isNondeterministic(env)) {
    compare('reset-seed', obs1, obs3, 'observations', `on two calls of env.reset({ seed: ${SEED_A} })`, warnings);
    compare(
      'reset-seed',
      obs2,
      obs4,
      'observations',
      `on env.reset() after each env.reset({ seed: ${SEED_A} }) (a reset without seed must continue the seeded stream)`,
      warnings,
    );
  }
  if (!sameState(state1, state3)) {
    throw new EnvCheckError(
      'reset-seed',
      `the env's generator differs after two env.reset({ seed: ${SEED_A} }) calls; reset() most likely does not call super.reset(args)`,
    );
  }
  resetObs(env, space, `env.reset({ seed: ${SEED_B} })`, { seed: SEED_B }, warnings);
  if (sameState(rngState(env), state1)) {
    throw new EnvCheckError(
      'reset-seed',
      `the env's generator is the same after env.reset({ seed: ${SEED_A} }) and env.reset({ seed: ${SEED_B} }); the seed is ignored`,
    );
  }
}

function checkResetOptions(env: Env<any, any>, space: Space<unknown>): void {
  const result = call('reset-options', 'env.reset({ options: {} })', () => env.reset({ options: {} }));
  if (!Array.isArray(result) || result.length !== 2) {
    throw new EnvCheckError('reset-options', `env.reset({ options: {} }) must return [obs, info], got ${describeValue(result)}`);
  }
  const why = space.explain(result[0]);
  if (why !== null) throw new EnvCheckError('reset-options', `the observation returned by env.reset({ options: {} }) is outside ${space.toString()}: ${why}`);
}

type StepTuple = [unknown, number, boolean, boolean, Info];

/** Steps once and validates the 5-tuple; returns it with the observation copied. */
function stepChecked(env: Env<any, any>, space: Space<unknown>, action: unknown, check: EnvCheckName, warnings: string[]): StepTuple {
  const where = 'env.step(action)';
  const result: unknown = call(check, where, () => env.step(action));
  if (!Array.isArray(result) || result.length !== 5) {
    const got = Array.isArray(result) ? `an array of ${result.length} elements` : describeValue(result);
    throw new EnvCheckError(check, `${where} must return [obs, reward, terminated, truncated, info], got ${got}`);
  }
  const [obs, reward, terminated, truncated, info] = result as unknown[];
  assertObservation(check, space, obs, where, warnings);
  if (typeof reward !== 'number') throw new EnvCheckError(check, `the reward returned by ${where} must be a number, got ${describeValue(reward)}`);
  if (Number.isNaN(reward)) throw new EnvCheckError(check, `the reward returned by ${where} is NaN`);
  if (!Number.isFinite(reward)) throw new EnvCheckError(check, `the reward returned by ${where} is ${reward}`);
  if (typeof terminated !== 'boolean') {
    throw new EnvCheckError(check, `terminated returned by ${where} must be a boolean, got ${describeValue(terminated)}`);
  }
  if (typeof truncated !== 'boolean') {
    throw new EnvCheckError(check, `truncated returned by ${where} must be a boolean, got ${describeValue(truncated)}`);
  }
  if (!isInfo(info)) throw new EnvCheckError(check, `the info returned by ${where} must be a plain object, got ${describeValue(info)}`);
  return [space.copyElement(obs), reward, terminated, truncated, info];
}

function checkStepReturn(env: Env<any, any>, obsSpace: Space<unknown>, actSpace: Space<unknown>, warnings: string[]): void {
  call('step-return', 'env.reset()', () => env.reset());
  stepChecked(env, obsSpace, actSpace.sample(), 'step-return', warnings);
}

/** Same seed and same action → the same transition and the same generator state afterwards. */
function checkStepDeterminism(env: Env<any, any>, actSpace: Space<unknown>, warnings: string[]): void {
  if (isNondeterministic(env)) {
    warnings.push('step determinism was not checked: the spec declares the env nondeterministic');
    return;
  }
  const obsSpace = env.observationSpace as Space<unknown>;
  actSpace.seed(SEED_A);
  const action = actSpace.sample();
  call('step-determinism', `env.reset({ seed: ${SEED_A} })`, () => env.reset({ seed: SEED_A }));
  const first = stepChecked(env, obsSpace, action, 'step-determinism', warnings);
  const stateFirst = rngState(env);
  call('step-determinism', `env.reset({ seed: ${SEED_A} })`, () => env.reset({ seed: SEED_A }));
  const second = stepChecked(env, obsSpace, action, 'step-determinism', warnings);
  const stateSecond = rngState(env);

  const what = `for the same seed (${SEED_A}) and action`;
  compare('step-determinism', first[0], second[0], 'env.step() observations', what, warnings);
  compare('step-determinism', first[1], second[1], 'env.step() rewards', what, warnings);
  if (first[2] !== second[2]) throw new EnvCheckError('step-determinism', `env.step() terminated differs ${what}`);
  if (first[3] || second[3]) {
    throw new EnvCheckError('step-determinism', 'the env truncates after a single step; something is badly wrong');
  }
  compare('step-determinism', first[4], second[4], 'env.step() infos', what, warnings);
  if (!sameState(stateFirst, stateSecond)) {
    throw new EnvCheckError('step-determinism', `the env's generator ends in different states ${what}`);
  }
}

/**
 * Throws when `a` and `b` differ beyond tolerance; warns when they only agree within tolerance.
 * Messages read "<subject> differ <context>" / "<subject> are close but not identical <context>".
 */
function compare(check: EnvCheckName, a: unknown, b: unknown, subject: string, context: string, warnings: string[]): void {
  if (equivalent(a, b, true)) return;
  if (!equivalent(a, b, false)) throw new EnvCheckError(check, `${subject} differ ${context}: ${describeValue(a)} vs ${describeValue(b)}`);
  addOnce(warnings, `${subject} are close but not identical ${context}`);
}

/** Structural equality of observations/infos: exact, or within TOLERANCE for numbers when `exact` is false. */
export function equivalent(a: unknown, b: unknown, exact: boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b) || a === b) return true;
    return !exact && Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= TOLERANCE + TOLERANCE * Math.abs(b);
  }
  if (isTypedArray(a) || isTypedArray(b)) {
    if (!isTypedArray(a) || !isTypedArray(b) || a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equivalent(a[i], b[i], exact)) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => equivalent(v, b[i], exact));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length || !ka.every((k) => Object.prototype.hasOwnProperty.call(b, k))) return false;
    return ka.every((k) => equivalent((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], exact));
  }
  return a === b;
}

/** What a render call in `mode` should return; null when it did. */
function renderReturnIssue(mode: string, frame: unknown): string | null {
  if (mode === 'human') return frame === null || frame === undefined ? null : `should return nothing, got ${typeName(frame)}`;
  if (mode === 'ansi' || mode === 'ascii') return typeof frame === 'string' ? null : `should return a string, got ${typeName(frame)}`;
  if (mode === 'rgb_array' || mode === 'depth_array') {
    return frame === null || frame === undefined ? `should return a frame, got ${String(frame)}` : null;
  }
  if (mode.endsWith('_list')) {
    if (!Array.isArray(frame)) return `should return an array of frames, got ${typeName(frame)}`;
    for (const item of frame) {
      const issue = renderReturnIssue(mode.slice(0, -'_list'.length), item);
      if (issue !== null) return `item: ${issue}`;
    }
  }
  return null;
}

function checkRenderMetadata(env: Env<any, any>, warnings: string[]): string[] {
  const modes: unknown = env.metadata?.renderModes;
  if (!Array.isArray(modes) || !modes.every((m) => typeof m === 'string')) {
    throw new EnvCheckError('render', `metadata.renderModes must be an array of strings, got ${describeValue(modes)}`);
  }
  const fps: unknown = env.metadata.renderFps;
  if (modes.length > 0) {
    if (fps === undefined || fps === null) addOnce(warnings, 'metadata.renderFps is not declared; rendering may run at an inconsistent rate');
    else if (typeof fps !== 'number' || !(fps > 0)) {
      throw new EnvCheckError('render', `metadata.renderFps must be a positive number, got ${describeValue(fps)}`);
    }
  }
  const mode = env.renderMode;
  if (mode !== null && mode !== undefined && !modes.includes(mode)) {
    throw new EnvCheckError('render', `renderMode '${mode}' is not among metadata.renderModes [${modes.join(', ')}]`);
  }
  return modes as string[];
}

function renderChecked(env: Env<any, any>, label: string, warnings: string[]): void {
  checkRenderMetadata(env, warnings);
  const frame = call('render', `${label}.render()`, () => env.render());
  const mode = env.renderMode;
  if (mode === null || mode === undefined) return;
  const issue = renderReturnIssue(mode, frame);
  if (issue !== null) throw new EnvCheckError('render', `${label}.render() in mode '${mode}' ${issue}`);
}

/** Renders the env as given, then builds a fresh env in every declared render mode and renders it after reset. */
function checkRender(env: Env<any, any>, warnings: string[]): void {
  const modes = checkRenderMetadata(env, warnings);
  if (env.renderMode !== null && env.renderMode !== undefined) renderChecked(env, 'env', warnings);
  const spec = env.spec;
  if (spec === null) {
    if (modes.length > 0) warnings.push('render modes were not checked: the env has no spec to rebuild it from (create it with make())');
    return;
  }
  for (const mode of modes) {
    const label = `env in render mode '${mode}'`;
    const fresh = call('render', `building the ${label}`, () => spec.entryPoint({ ...spec.kwargs, renderMode: mode }));
    try {
      if (fresh.renderMode !== mode) {
        throw new EnvCheckError('render', `building the env with { renderMode: '${mode}' } gave renderMode ${describeValue(fresh.renderMode)}`);
      }
      call('render', `${label}: reset()`, () => fresh.reset({ seed: SEED_A }));
      renderChecked(fresh, label, warnings);
    } finally {
      fresh.close();
    }
  }
}

/** Closing a fresh env twice must be allowed (a warning, as in Gymnasium, if the second close throws). */
function checkClose(env: Env<any, any>, warnings: string[]): void {
  const spec = env.spec;
  if (spec === null) {
    warnings.push('close was not checked: the env has no spec to build a fresh one from (create it with make())');
    return;
  }
  const fresh = call('close', 'building a fresh env from its spec', () => spec.entryPoint({ ...spec.kwargs }));
  call('close', 'env.close()', () => fresh.close());
  try {
    fresh.close();
  } catch (err) {
    warnings.push(`calling close() on a closed env should be allowed, but it threw ${(err as Error).message ?? String(err)}`);
  }
}
