/** makeTextTask(name, options): the text tasks by name, with "did you mean" suggestions for unknown names. */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { closeMatches } from '../../core/options.js';
import { ArithmeticTask } from './arithmetic.js';
import { CountdownTask } from './countdown.js';
import { JsonStructTask } from './json-struct.js';
import { FunctionCallTask } from './function-call.js';
import type { TextTask } from './types.js';

const FACTORIES: Record<string, (options: Record<string, unknown>) => TextTask> = {
  addition: (o) => new ArithmeticTask('+', o),
  multiplication: (o) => new ArithmeticTask('*', o),
  countdown: (o) => new CountdownTask(o),
  'json-struct': (o) => new JsonStructTask(o),
  'function-call': (o) => new FunctionCallTask(o),
};

export const textTaskNames: readonly string[] = Object.freeze(Object.keys(FACTORIES));

/** The task `name` built with `options` (each task validates its own options with typed errors). */
export function makeTextTask(name: string, options: Record<string, unknown> = {}): TextTask {
  if (typeof name !== 'string' || !Object.hasOwn(FACTORIES, name)) {
    const suggestions = typeof name === 'string' ? closeMatches(name, textTaskNames) : [];
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    throw new InvalidArgumentError(`Unknown text task ${describeValue(name)}.${hint} Known tasks: ${textTaskNames.join(', ')}`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`makeTextTask('${name}'): options must be an object, got ${describeValue(options)}`);
  }
  return FACTORIES[name]!(options);
}
