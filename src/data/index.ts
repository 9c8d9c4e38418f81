/** Data storage for learning: on-policy rollouts (datasets and replay buffers join here). */
export { RolloutBuffer } from './rollout-buffer.js';
export type { ActionKind, RolloutBatch, RolloutBufferOptions, RolloutStep } from './rollout-buffer.js';
export { BanditLog, type BanditLogColumns } from './bandit-log.js';
export * from './bandit-log-arrow.js';
export * from './replay-buffer.js';
