/** Twin Delayed DDPG. */
export * from './config.js';
export * from './td3.js';
