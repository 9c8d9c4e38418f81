/** Bandit environments and synthetic logged bandit data. */
export * from './synthetic.js';
export { truncatedNormalMean, sampleTruncatedNormal } from './truncated-normal.js';
