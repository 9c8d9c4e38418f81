/** Deep Q-Network. */
export * from './config.js';
export * from './dqn.js';
