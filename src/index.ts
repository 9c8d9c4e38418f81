/** Teleo: policy learning for TypeScript. */
export * from './core/index.js';
export * from './envs/index.js';
