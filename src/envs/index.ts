export * from './env.js';
export * from './wrapper.js';
export * from './registration.js';
export * from './wrappers/index.js';
export * from './classic/index.js';
export * from './vector/index.js';
/** Vector-env wrappers share their class names with the single-env ones, so they live in a namespace. */
export * as vectorWrappers from './vector/wrappers/index.js';
export * from './checker.js';
/** Text tasks with verifiers for sequence policies (addition, countdown, json-struct, …): `text.makeTextTask('addition')`. */
export * as text from './text/index.js';
