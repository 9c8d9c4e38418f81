/** Text tasks with seeded generators, exact verifiers and scripted solvers, for sequence policies (GRPO family). */
export * from './types.js';
export { makeTextTask, textTaskNames } from './registry.js';
export { ArithmeticTask, type ArithmeticOperator, type ArithmeticTaskOptions } from './arithmetic.js';
export { splitOf, hashString32 } from './split-hash.js';
