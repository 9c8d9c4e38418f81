export * from './errors.js';
export * from './rng.js';
export * from './options.js';
export * from './spaces/index.js';
