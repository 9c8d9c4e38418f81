/**
 * json-struct, the RL-Struct setting at toy scale: the prompt lists required keys with types, some with a given
 * value (`a:i=7 c:s="bd" d:b e:l>`), and the response must be a JSON object with exactly those keys, each of its
 * type and with the given value where one is stated (`{"a":7,"c":"bd","d":false,"e":[]}`, keys in any order).
 * Types: i = integer, s = string, b = boolean, l = list of integers. Difficulty = number of keys (1..8).
 *
 * Reward = weighted sum of four components (Teleo's weights by default; RL-Struct does not publish its own):
 *   structural 0.2 — a JSON object can be parsed from the response (the whole of it, or its outermost {...} span);
 *   format     0.1 — nothing but whitespace outside the object;
 *   content    0.4 — fraction of the required keys present with the right type and (when given) value;
 *   validity   0.3 — the schema is met exactly: format, every key right, no extra or duplicate keys.
 * `correct` = validity; a correct response scores 1.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { isJsonObject, parseStrictJson, type JsonObject, type JsonValue } from './strict-json.js';
import { TextTaskBase, type GeneratedProblem } from './text-task-base.js';
import { integerOption, objectOption, openFractionOption } from './task-options.js';
import type { TextProblem, Verification } from './types.js';

export type JsonFieldType = 'i' | 's' | 'b' | 'l';

export interface JsonField {
  key: string;
  type: JsonFieldType;
  /** The required value as canonical JSON text, when the prompt states one. */
  value?: string;
}

export interface JsonStructData {
  fields: JsonField[];
}

export interface JsonStructWeights {
  structural: number;
  format: number;
  content: number;
  validity: number;
}

export interface JsonStructTaskOptions {
  /** Number of required keys: the highest difficulty (default 3, range 1..8). */
  difficulty?: number;
  /** Component weights (non-negative, normalised to sum 1); default structural 0.2, format 0.1, content 0.4, validity 0.3. */
  weights?: Partial<JsonStructWeights>;
  /** Fraction of problem identities held out for the test split (default 0.2). */
  testFraction?: number;
}

const OPTION_KEYS = ['difficulty', 'weights', 'testFraction'] as const;
const DEFAULT_WEIGHTS: JsonStructWeights = { structural: 0.2, format: 0.1, content: 0.4, validity: 0.3 };
// Keys avoid the type letters i, s, b, l so that `a:i` never reads as `i:...`.
const KEY_LETTERS = 'acdefghjkmnop';
const STRING_LETTERS = 'abcdefgh';
const TYPES: readonly JsonFieldType[] = ['i', 's', 'b', 'l'];
/** Longest canonical value of each type: 99, "abc", false, [9,9,9]. */
const MAX_VALUE_LENGTH = 7;
/** Value an unconstrained key gets in the scripted solution. */
const FREE_VALUE: Record<JsonFieldType, string> = { i: '0', s: '""', b: 'false', l: '[]' };

export class JsonStructTask extends TextTaskBase<JsonStructData> {
  readonly name = 'json-struct';
  readonly alphabet: readonly string[];
  readonly componentNames = ['structural', 'format', 'content', 'validity'] as const;
  readonly difficulty: number;
  readonly minDifficulty = 1;
  readonly weights: Readonly<JsonStructWeights>;
  readonly testFraction: number;
  readonly maxResponseLength: number;
  readonly maxPromptLength: number;
  readonly options: Readonly<Record<string, unknown>>;

  constructor(options: JsonStructTaskOptions = {}) {
    super();
    checkOptions(this.name, options, OPTION_KEYS);
    this.difficulty = integerOption(this.name, 'difficulty', options.difficulty, 3, 1, 8);
    this.testFraction = openFractionOption(this.name, 'testFraction', options.testFraction, 0.2);
    this.weights = Object.freeze(resolveWeights(objectOption(this.name, 'weights', options.weights)));
    this.options = Object.freeze({ difficulty: this.difficulty, weights: { ...this.weights }, testFraction: this.testFraction });
    const letters = new Set([...KEY_LETTERS, ...STRING_LETTERS, ...TYPES, ...'truefalse']);
    this.alphabet = Object.freeze([...'0123456789', ...[...letters].sort(), ...'{}[]":,= >']);
    // Braces, then per key `"k":<value>,` less the last comma.
    this.maxResponseLength = 2 + this.difficulty * (5 + MAX_VALUE_LENGTH) - 1;
    // Per key `k:t=<value> ` less the last space, then '>'.
    this.maxPromptLength = this.difficulty * (5 + MAX_VALUE_LENGTH) - 1 + 1;
  }

  protected generate(rng: Rng, difficulty: number): GeneratedProblem<JsonStructData> {
    const keys = rng.shuffle([...KEY_LETTERS]).slice(0, difficulty);
    const fields: JsonField[] = keys.map((key) => {
      const type = TYPES[rng.integers(0, TYPES.length)]!;
      return rng.random() < 0.5 ? { key, type, value: randomValue(rng, type) } : { key, type };
    });
    const describe = (f: JsonField) => `${f.key}:${f.type}${f.value === undefined ? '' : '=' + f.value}`;
    const prompt = fields.map(describe).join(' ') + '>';
    // The identity ignores the order in which the prompt lists the keys.
    const splitKey = fields.map(describe).sort().join(' ');
    return { prompt, data: { fields }, splitKey };
  }

  protected dataOf(problem: TextProblem): JsonStructData {
    const d = problem?.data as Partial<JsonStructData> | undefined;
    const isField = (f: unknown): f is JsonField => {
      const x = f as JsonField;
      return typeof x === 'object' && x !== null && typeof x.key === 'string' && TYPES.includes(x.type) && (x.value === undefined || typeof x.value === 'string');
    };
    if (typeof d !== 'object' || d === null || !Array.isArray(d.fields) || d.fields.length === 0 || !d.fields.every(isField)) {
      this.badData(problem, 'data needs a non-empty fields list of { key, type: i|s|b|l, value? }');
    }
    return d as JsonStructData;
  }

  protected check(data: JsonStructData, response: string): Verification {
    const flags: string[] = [];
    let parsed = parseStrictJson(response);
    const format = parsed !== null && isJsonObject(parsed.value);
    if (!format) {
      // Structure without format: an object wrapped in other text.
      const start = response.indexOf('{');
      const end = response.lastIndexOf('}');
      parsed = start >= 0 && end > start ? parseStrictJson(response.slice(start, end + 1)) : null;
      if (parsed === null || !isJsonObject(parsed.value)) return this.failure(['malformed']);
      flags.push('extra-text');
    }
    const object = parsed!.value as JsonObject;
    if (parsed!.duplicateKeys.length > 0) flags.push('duplicate-key');
    let satisfied = 0;
    for (const field of data.fields) {
      if (!object.has(field.key)) {
        flags.push('missing-key');
        continue;
      }
      const v = object.get(field.key)!;
      if (!hasType(v, field.type)) flags.push('wrong-type');
      else if (field.value !== undefined && !jsonEqual(v, JSON.parse(field.value) as JsonValue)) flags.push('wrong-value');
      else satisfied++;
    }
    const required = new Set(data.fields.map((f) => f.key));
    if ([...object.keys()].some((k) => !required.has(k))) flags.push('extra-key');
    const content = satisfied / data.fields.length;
    const valid = format && satisfied === data.fields.length && flags.length === 0;
    const components = { structural: 1, format: format ? 1 : 0, content, validity: valid ? 1 : 0 };
    const w = this.weights;
    const reward = valid ? 1 : w.structural * components.structural + w.format * components.format + w.content * content;
    return { reward, correct: valid, components, flags: [...new Set(flags)] };
  }

  protected solveData(data: JsonStructData): string {
    return '{' + data.fields.map((f) => `${JSON.stringify(f.key)}:${f.value ?? FREE_VALUE[f.type]}`).join(',') + '}';
  }
}

function randomValue(rng: Rng, type: JsonFieldType): string {
  switch (type) {
    case 'i':
      return String(rng.integers(0, 100));
    case 's':
      return JSON.stringify(Array.from({ length: rng.integers(1, 4) }, () => STRING_LETTERS[rng.integers(0, STRING_LETTERS.length)]).join(''));
    case 'b':
      return rng.random() < 0.5 ? 'true' : 'false';
    case 'l':
      return JSON.stringify(Array.from({ length: rng.integers(1, 4) }, () => rng.integers(0, 10)));
  }
}

function hasType(v: JsonValue, type: JsonFieldType): boolean {
  switch (type) {
    case 'i':
      return typeof v === 'number' && Number.isInteger(v);
    case 's':
      return typeof v === 'string';
    case 'b':
      return typeof v === 'boolean';
    case 'l':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
  }
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  if (isJsonObject(a as JsonValue) || isJsonObject(b as JsonValue)) return false; // no object-valued fields in this task
  return a === b;
}

function resolveWeights(given: Record<string, unknown> | undefined): JsonStructWeights {
  if (given === undefined) return { ...DEFAULT_WEIGHTS };
  checkOptions('json-struct weights', given, Object.keys(DEFAULT_WEIGHTS));
  const w = { ...DEFAULT_WEIGHTS };
  for (const [k, v] of Object.entries(given)) {
    if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) {
      throw new InvalidArgumentError(`json-struct: weight '${k}' must be a finite non-negative number, got ${describeValue(v)}`);
    }
    w[k as keyof JsonStructWeights] = v;
  }
  const total = w.structural + w.format + w.content + w.validity;
  if (!(total > 0)) throw new InvalidArgumentError('json-struct: the weights must not all be 0');
  return { structural: w.structural / total, format: w.format / total, content: w.content / total, validity: w.validity / total };
}
