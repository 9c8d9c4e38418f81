/**
 * Experiment definitions: arms (the method and its baselines) × seeds, the metrics they report, a budget.
 *
 *   export const experiment = defineExperiment({
 *     name: 'ppo-cartpole',
 *     module: import.meta.url,            // lets runExperiment run each (arm, seed) in a worker process
 *     arms: { ppo: { run: async ({ seed, budget, log }) => ({ return: 480, curve: [...] }) }, random: { ... } },
 *     seeds: [0, 1, 2, 3, 4],
 *     metrics: [{ key: 'return', higherIsBetter: true, label: 'Final return' }],
 *     budget: 100_000,
 *   });
 *
 * Definitions that name their `module` are kept in a process-wide registry under their name, so a worker
 * process can import the module by URL and find the experiment again (the same pattern as env registration).
 * A metric value is a number (a final score), an array of numbers (a learning curve, points evenly spaced
 * over the budget) or `{ x, y }` (a learning curve with its x values, e.g. environment steps; see curves.ts).
 * Inputs that every run needs (a model path, a dataset) go in `runExperiment(exp, { shared })` and arrive as
 * `ctx.shared`, in worker processes too.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { assertValidSeed } from '../../core/rng.js';
import { isCurvePoints, validateCurvePoints, type CurvePoints } from './curves.js';

export type MetricValue = number | number[] | CurvePoints;
export type RunMetrics = Record<string, MetricValue>;

/** A value that survives JSON.stringify → JSON.parse unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** Inputs given to every run of an experiment (`runExperiment`'s `shared` option). */
export type SharedInputs = { [key: string]: JsonValue };

export interface RunContext {
  arm: string;
  seed: number;
  /** The experiment's budget (e.g. environment steps), possibly overridden by `runExperiment`. */
  budget: number;
  /** Progress messages, shown prefixed with the arm and seed. */
  log: (message: string) => void;
  /** The `shared` inputs passed to `runExperiment` (a fresh copy per run; `{}` when none were given). */
  shared: SharedInputs;
}

/** What a run may return: numbers, arrays (typed arrays too) and `{ x, y }` curves of either. */
export type RunReturn = Record<string, number | ArrayLike<number> | { x: ArrayLike<number>; y: ArrayLike<number> }>;

export interface ArmDefinition {
  description?: string;
  /** One run of this arm. May return typed arrays for curves; they are stored as number[]. */
  run: (ctx: RunContext) => Promise<RunReturn> | RunReturn;
}

export interface MetricSpec {
  key: string;
  higherIsBetter: boolean;
  /** Column title in reports (default: the key). */
  label?: string;
  /** Curve metrics with x values: the chart's x-axis title (e.g. 'env steps'). */
  xLabel?: string;
}

/** A metric as the experiment keeps it: the label filled in. */
export type MetricInfo = Required<Omit<MetricSpec, 'xLabel'>> & { xLabel?: string };

export interface ExperimentDefinition {
  name: string;
  description?: string;
  arms: Record<string, ArmDefinition>;
  seeds: number[];
  metrics: MetricSpec[];
  budget: number;
  /** The arm the others are compared against (reported, and listed first in tables). */
  baseline?: string;
  /** `import.meta.url` of the module that defines the experiment; needed to run it in worker processes. */
  module?: string;
}

export interface Experiment {
  readonly name: string;
  readonly description: string;
  readonly arms: Readonly<Record<string, ArmDefinition>>;
  readonly armNames: readonly string[];
  readonly seeds: readonly number[];
  readonly metrics: readonly MetricInfo[];
  readonly budget: number;
  readonly baseline: string | null;
  readonly module: string | null;
}

const DEFINITION_KEYS = ['name', 'description', 'arms', 'seeds', 'metrics', 'budget', 'baseline', 'module'];
const METRIC_KEYS = ['key', 'higherIsBetter', 'label', 'xLabel'];
const ARM_KEYS = ['description', 'run'];

// Shared through globalThis so that two copies of this module (e.g. src and dist) still see one registry.
const REGISTRY_KEY = Symbol.for('teleo.experiments');
const registry: Map<string, Experiment> = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, Experiment> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = new Map<string, Experiment>()) as Map<string, Experiment>;

function fail(name: string, message: string): never {
  throw new InvalidArgumentError(`defineExperiment('${name}'): ${message}`);
}

function checkKeys(name: string, what: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(name, `${what} has an unknown field '${key}' (accepted: ${allowed.join(', ')})`);
  }
}

/** Validates a definition, freezes it and (when it names its module) registers it for worker processes. */
export function defineExperiment(definition: ExperimentDefinition): Experiment {
  if (definition === null || typeof definition !== 'object') throw new InvalidArgumentError('defineExperiment needs a definition object');
  const name = definition.name;
  if (typeof name !== 'string' || name.trim() === '') throw new InvalidArgumentError(`defineExperiment: name must be a non-empty string, got ${String(name)}`);
  checkKeys(name, 'the definition', definition, DEFINITION_KEYS);

  const arms = definition.arms;
  if (arms === null || typeof arms !== 'object' || Object.keys(arms).length === 0) fail(name, 'arms must be an object with at least one arm');
  for (const [arm, spec] of Object.entries(arms)) {
    if (spec === null || typeof spec !== 'object' || typeof spec.run !== 'function') fail(name, `arm '${arm}' needs a run(ctx) function`);
    checkKeys(name, `arm '${arm}'`, spec, ARM_KEYS);
  }
  const armNames = Object.keys(arms);

  if (!Array.isArray(definition.seeds) || definition.seeds.length === 0) fail(name, 'seeds must be a non-empty array');
  checkSeeds(name, definition.seeds);

  if (!Array.isArray(definition.metrics) || definition.metrics.length === 0) fail(name, 'metrics must be a non-empty array');
  const metrics = definition.metrics.map((m, i) => {
    if (m === null || typeof m !== 'object' || typeof m.key !== 'string' || m.key === '') fail(name, `metrics[${i}] needs a non-empty string key`);
    checkKeys(name, `metric '${m.key}'`, m, METRIC_KEYS);
    if (typeof m.higherIsBetter !== 'boolean') fail(name, `metric '${m.key}' needs higherIsBetter: true or false`);
    if (m.label !== undefined && typeof m.label !== 'string') fail(name, `metric '${m.key}' label must be a string`);
    if (m.xLabel !== undefined && typeof m.xLabel !== 'string') fail(name, `metric '${m.key}' xLabel must be a string`);
    const info: MetricInfo = { key: m.key, higherIsBetter: m.higherIsBetter, label: m.label ?? m.key, ...(m.xLabel === undefined ? {} : { xLabel: m.xLabel }) };
    return Object.freeze(info);
  });
  const duplicate = metrics.find((m, i) => metrics.findIndex((o) => o.key === m.key) !== i);
  if (duplicate) fail(name, `metric '${duplicate.key}' is listed twice`);

  checkBudget(name, definition.budget);
  const baseline = definition.baseline ?? null;
  if (baseline !== null && !armNames.includes(baseline)) fail(name, `baseline '${String(baseline)}' is not one of the arms (${armNames.join(', ')})`);
  const module = definition.module ?? null;
  if (module !== null && (typeof module !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(module))) {
    fail(name, `module must be a URL (pass import.meta.url), got ${String(module)}`);
  }

  const experiment: Experiment = Object.freeze({
    name,
    description: definition.description ?? '',
    arms: Object.freeze({ ...arms }),
    armNames: Object.freeze(armNames),
    seeds: Object.freeze([...definition.seeds]),
    metrics: Object.freeze(metrics),
    budget: definition.budget,
    baseline,
    module,
  });
  if (module !== null) {
    const existing = registry.get(name);
    if (existing && existing.module !== module) {
      fail(name, `an experiment with this name is already defined in ${existing.module}; experiment names must be unique`);
    }
    registry.set(name, experiment);
  }
  return experiment;
}

/** The registered experiment with this name (defined with a `module`), or undefined. */
export function getExperiment(name: string): Experiment | undefined {
  return registry.get(name);
}

export function checkSeeds(name: string, seeds: readonly unknown[]): void {
  seeds.forEach((s, i) => {
    try {
      assertValidSeed(s);
    } catch {
      fail(name, `seeds[${i}] must be a non-negative safe integer, got ${String(s)}`);
    }
  });
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) fail(name, `seed ${String(dup)} is listed twice`);
}

export function checkBudget(name: string, budget: unknown): void {
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) fail(name, `budget must be a positive number, got ${String(budget)}`);
}

/**
 * Checks what an arm's run returned: a plain object whose values are finite numbers, non-empty arrays of
 * finite numbers or `{ x, y }` curves, containing every declared metric. Returns it with arrays converted
 * to number[].
 */
export function validateRunMetrics(experiment: Experiment, value: unknown): RunMetrics {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new InvalidArgumentError(`run must return an object of metrics, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const out: RunMetrics = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`metric '${key}' is ${v}; metrics must be finite numbers`);
      out[key] = v;
    } else if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      const arr = Array.from(v as ArrayLike<unknown>);
      if (arr.length === 0) throw new InvalidArgumentError(`metric '${key}' is an empty array`);
      const bad = arr.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
      if (bad >= 0) throw new InvalidArgumentError(`metric '${key}' has ${String(arr[bad])} at index ${bad}; curves must hold finite numbers`);
      out[key] = arr as number[];
    } else if (isCurvePoints(v)) {
      out[key] = validateCurvePoints(key, v);
    } else {
      throw new InvalidArgumentError(`metric '${key}' must be a number, an array of numbers or { x, y } arrays, got ${v === null ? 'null' : typeof v}`);
    }
  }
  const missing = experiment.metrics.filter((m) => !(m.key in out)).map((m) => m.key);
  if (missing.length > 0) throw new InvalidArgumentError(`run did not return the declared metric(s) ${missing.map((k) => `'${k}'`).join(', ')}`);
  return out;
}

/** Metric kinds: a number, a plain curve (array) or a curve with x values. */
export type MetricKind = 'scalar' | 'curve' | 'xcurve';

export function metricKind(value: MetricValue): MetricKind {
  return typeof value === 'number' ? 'scalar' : Array.isArray(value) ? 'curve' : 'xcurve';
}

/** Walks a value that must be JSON-serialisable; throws naming the path of the first part that is not. */
export function checkJsonValue(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`${path} is ${value}; shared inputs must be JSON values (finite numbers)`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonValue(v, `${path}[${i}]`));
    return;
  }
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkJsonValue(v, `${path}.${k}`);
    return;
  }
  const what = typeof value === 'object' ? `a ${(value as object).constructor.name}` : value === undefined ? 'undefined' : `a ${typeof value}`;
  throw new InvalidArgumentError(`${path} is ${what}; shared inputs must be JSON values (null, booleans, finite numbers, strings, arrays, plain objects)`);
}
