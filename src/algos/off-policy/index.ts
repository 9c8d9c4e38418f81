/** The loop, config fields and target updates shared by the off-policy learners. */
export * from './config.js';
export * from './off-policy.js';
export * from './target-update.js';
