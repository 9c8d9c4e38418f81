/**
 * The environment registry: Gymnasium's `register`, `make`, `spec`, `registry`.
 *
 * `make(id)` builds `entryPoint(kwargs)` and wraps it, innermost first, in PassiveEnvChecker (unless
 * disabled), TimeLimit (when the spec has `maxEpisodeSteps`) and OrderEnforcing (unless disabled).
 * OrderEnforcing sits outside TimeLimit (Gymnasium puts it inside) so that stepping past a truncation
 * is caught as well.
 */
import { AlreadyRegisteredError, InvalidArgumentError, UnknownEnvError, describeValue } from '../core/errors.js';
import { checkOptions, closeMatches } from '../core/options.js';
import { Env, type EnvCreator, type EnvSpec } from './env.js';
import { OrderEnforcing } from './wrappers/order-enforcing.js';
import { PassiveEnvChecker } from './wrappers/passive-env-checker.js';
import { TimeLimit } from './wrappers/time-limit.js';

export interface RegisterOptions {
  id: string;
  entryPoint: EnvCreator;
  /**
   * URL or specifier of a module whose import registers this id (usually `import.meta.url` of the file
   * that calls `register`). Worker threads of `AsyncVectorEnv` import it to find the env.
   */
  module?: string;
  rewardThreshold?: number | null;
  nondeterministic?: boolean;
  maxEpisodeSteps?: number | null;
  orderEnforce?: boolean;
  disableEnvChecker?: boolean;
  kwargs?: Record<string, unknown>;
  description?: string;
  /** Replace an existing registration instead of throwing. */
  override?: boolean;
}

export type RegisteredSpec = EnvSpec;

/** Options `make` consumes itself; every other key is passed to the env's entry point. */
export interface MakeOptions {
  /** Overrides the spec's time limit; `null` disables TimeLimit. */
  maxEpisodeSteps?: number | null;
  disableEnvChecker?: boolean;
  orderEnforce?: boolean;
  [kwarg: string]: unknown;
}

const ID_PATTERN = /^(?:[\w:.-]+\/)?[\w:.-]+?(?:-v\d+)?$/;

const REGISTER_OPTION_KEYS = [
  'id',
  'entryPoint',
  'module',
  'rewardThreshold',
  'nondeterministic',
  'maxEpisodeSteps',
  'orderEnforce',
  'disableEnvChecker',
  'kwargs',
  'description',
  'override',
] as const;

/** `maxEpisodeSteps` is a positive integer, or null/undefined for no time limit. */
function checkMaxEpisodeSteps(owner: string, steps: unknown): void {
  if (steps === undefined || steps === null) return;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps <= 0) {
    throw new InvalidArgumentError(`${owner}: maxEpisodeSteps must be a positive integer or null, got ${describeValue(steps)}`);
  }
}

/** All registered specs, keyed by id. */
export const registry: Map<string, RegisteredSpec> = new Map();

export function register(options: RegisterOptions): RegisteredSpec {
  const { id, entryPoint } = options;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new InvalidArgumentError(`Environment id must look like 'Name-v0' or 'namespace/Name-v0', got ${JSON.stringify(id)}`);
  }
  if (typeof entryPoint !== 'function') throw new InvalidArgumentError(`register('${id}'): entryPoint must be a function`);
  checkOptions(`register('${id}')`, options, REGISTER_OPTION_KEYS);
  checkMaxEpisodeSteps(`register('${id}')`, options.maxEpisodeSteps);
  for (const key of ['nondeterministic', 'orderEnforce', 'disableEnvChecker', 'override'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new InvalidArgumentError(`register('${id}'): ${key} must be a boolean, got ${describeValue(options[key])}`);
    }
  }
  const threshold = options.rewardThreshold;
  if (threshold !== undefined && threshold !== null && (typeof threshold !== 'number' || Number.isNaN(threshold))) {
    throw new InvalidArgumentError(`register('${id}'): rewardThreshold must be a number or null, got ${describeValue(threshold)}`);
  }
  if (options.kwargs !== undefined && (typeof options.kwargs !== 'object' || options.kwargs === null || Array.isArray(options.kwargs))) {
    throw new InvalidArgumentError(`register('${id}'): kwargs must be an object, got ${describeValue(options.kwargs)}`);
  }
  if (registry.has(id) && !options.override) throw new AlreadyRegisteredError(id);
  const spec: RegisteredSpec = {
    id,
    entryPoint,
    module: options.module,
    rewardThreshold: options.rewardThreshold ?? null,
    nondeterministic: options.nondeterministic ?? false,
    maxEpisodeSteps: options.maxEpisodeSteps ?? null,
    orderEnforce: options.orderEnforce ?? true,
    disableEnvChecker: options.disableEnvChecker ?? false,
    kwargs: { ...(options.kwargs ?? {}) },
    description: options.description,
  };
  registry.set(id, spec);
  return spec;
}

/** The spec registered under `id`; throws `UnknownEnvError` with close matches otherwise. */
export function spec(id: string): RegisteredSpec {
  if (typeof id !== 'string') throw new InvalidArgumentError(`Environment id must be a string, got ${describeValue(id)}`);
  const found = registry.get(id);
  if (found) return found;
  const base = id.replace(/-v\d+$/, '');
  const versions = [...registry.keys()].filter((k) => k.replace(/-v\d+$/, '') === base);
  const detail = versions.length > 0 && versions.indexOf(id) < 0 ? `Registered versions of '${base}': ${versions.join(', ')}.` : undefined;
  throw new UnknownEnvError(id, versions.length > 0 ? versions : closeMatches(id, registry.keys()), detail);
}

/** Builds a registered environment with its standard wrappers (see the module comment). */
export function make<Obs = any, Act = any>(id: string, options: MakeOptions = {}): Env<Obs, Act> {
  const s = spec(id);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`make('${id}'): options must be an object, got ${describeValue(options)}`);
  }
  const { maxEpisodeSteps, disableEnvChecker, orderEnforce, ...kwargs } = options;
  checkMaxEpisodeSteps(`make('${id}')`, maxEpisodeSteps);
  for (const [key, value] of [['disableEnvChecker', disableEnvChecker], ['orderEnforce', orderEnforce]] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new InvalidArgumentError(`make('${id}'): ${key} must be a boolean, got ${describeValue(value)}`);
    }
  }
  const envKwargs = { ...s.kwargs, ...kwargs };
  let env: Env<any, any> = s.entryPoint(envKwargs);
  if (!(env instanceof Env)) {
    throw new InvalidArgumentError(`make('${id}'): the entry point returned ${describeValue(env)}, not an Env`);
  }
  const steps = maxEpisodeSteps === undefined ? s.maxEpisodeSteps : maxEpisodeSteps;
  const madeSpec: EnvSpec = {
    ...s,
    maxEpisodeSteps: steps,
    orderEnforce: orderEnforce ?? s.orderEnforce,
    disableEnvChecker: disableEnvChecker ?? s.disableEnvChecker,
    kwargs: envKwargs,
  };
  env.unwrapped.spec = madeSpec;
  if (!madeSpec.disableEnvChecker) env = new PassiveEnvChecker(env);
  if (steps !== null && steps !== undefined) env = new TimeLimit(env, steps);
  if (madeSpec.orderEnforce) env = new OrderEnforcing(env);
  return env as Env<Obs, Act>;
}

/** Registered ids, sorted. */
export function registeredIds(): string[] {
  return [...registry.keys()].sort();
}
