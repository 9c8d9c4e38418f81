/**
 * Validation of trainer configs (plain objects) against a zod schema, with one message format for every
 * trainer: `<Label> config: '<key path>': <problem>`. An unknown key lists the keys accepted at its level,
 * so a typo is fixed from the message alone.
 */
import { z } from 'zod';
import { InvalidArgumentError } from './errors.js';

/** Validates `input` (undefined = all defaults) and fills the schema's defaults; `InvalidArgumentError` naming the key otherwise. */
export function parseConfigObject<S extends z.ZodObject>(label: string, schema: S, input: unknown): z.output<S> {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new InvalidArgumentError(`${label} config must be an object, got ${JSON.stringify(input)}`);
  }
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  let path = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    path = path === '' ? key : `${path}.${key}`;
    message = `unknown key (accepted: ${acceptedKeysAt(schema, issue.path).join(', ')})`;
  }
  throw new InvalidArgumentError(`${label} config: '${path}': ${message}`);
}

/** The keys of the object schema reached by following `path` from `schema`. */
function acceptedKeysAt(schema: z.ZodObject, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const key of path) node = objectSchemaOf(node)?.shape[String(key)];
  const object = objectSchemaOf(node);
  return object ? Object.keys(object.shape) : [];
}

/** Unwraps default / prefault / optional / nullable wrappers down to an object schema, if there is one. */
function objectSchemaOf(node: unknown): z.ZodObject | undefined {
  for (let depth = 0; node !== undefined && node !== null && depth < 8; depth++) {
    if (node instanceof z.ZodObject) return node;
    node = (node as { def?: { innerType?: unknown } }).def?.innerType;
  }
  return undefined;
}
