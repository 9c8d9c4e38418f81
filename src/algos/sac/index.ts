/** Soft Actor-Critic. */
export * from './config.js';
export * from './sac.js';
