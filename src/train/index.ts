/** Training infrastructure: callbacks, metrics logging, evaluation, checkpoints, run headers, progress. */
export * from './callbacks.js';
export * from './logger.js';
export * from './evaluate.js';
export * from './checkpoint.js';
export * from './progress.js';
export * from './run-header.js';
export * from './episode-stats.js';
