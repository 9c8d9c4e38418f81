/** The loop, config fields, batch helpers, target updates and the host-side MLP passes shared by the off-policy learners. */
export * from './config.js';
export * from './batch.js';
export { HostMLP, polyakHost, type HostTrace, type HostBackwardResult } from './host-mlp.js';
export * from './off-policy.js';
export * from './run-training.js';
export * from './target-update.js';
