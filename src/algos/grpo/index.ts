/** The GRPO family: advantages, clip rules and loss aggregations, the configurable trainer and its presets. */
export * from './advantages.js';
export * from './policy-loss.js';
export * from './sampling.js';
export * from './shaping.js';
export * from './config.js';
export * from './presets.js';
export * from './rollout.js';
export * from './grpo.js';
