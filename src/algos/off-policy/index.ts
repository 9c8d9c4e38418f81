/** The loop, config fields, target updates and explicit MLP passes shared by the off-policy learners. */
export * from './config.js';
export * from './mlp-backprop.js';
export * from './off-policy.js';
export * from './run-training.js';
export * from './target-update.js';
