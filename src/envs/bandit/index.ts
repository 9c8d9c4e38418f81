/** Bandit environments and synthetic logged bandit data. */
export * from './synthetic.js';
export { truncatedNormalMean, sampleTruncatedNormal } from './truncated-normal.js';
export * from './adload.js';
export * from './adload-logging-policy.js';
