/** Off-policy evaluation: estimators, bootstrap intervals, reward models and cross-fitting. */
export * from './estimators.js';
export * from './bootstrap.js';
export * from './reward-models.js';
export * from './mlp-reward-model.js';
export * from './cross-fit.js';
export { DISTRIBUTION_TOLERANCE } from './inputs.js';
export * from './action-distribution.js';
export * from './registry.js';
