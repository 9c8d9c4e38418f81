/** Proximal Policy Optimization: the algorithm, its config schema, presets, policy and loss. */
export * from './config.js';
export * from './presets.js';
export * from './policy.js';
export * from './loss.js';
export * from './fast-gradients.js';
export * from './ppo.js';
