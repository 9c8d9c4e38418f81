/** Teleo: policy learning for TypeScript. */
export * from './core/index.js';
export * from './core/backend.js';
export * from './envs/index.js';
export * from './envs/bandit/index.js';
export * from './nn/index.js';
export * from './data/index.js';
export * from './ope/index.js';
export {
  iqm,
  trimMean,
  mean,
  median,
  quantile,
  quantiles,
  stratifiedBootstrapCI,
  summarize,
  type Summary,
  type BootstrapOptions as StatsBootstrapOptions,
} from './train/stats.js';
export * from './train/experiments/index.js';
export * from './algos/ppo/index.js';
/** Off-policy learning for contextual bandits (softmax policies on IPS/DR objectives). */
export * as opl from './algos/opl/index.js';
export * from './train/index.js';
export * as plot from './plot/index.js';
export * from './algos/off-policy/index.js';
export * from './algos/sac/index.js';
export * from './algos/td3/index.js';
export * from './algos/dqn/index.js';
/** Sequence policies: shared encoding, the SFT warm start, held-out evaluation and the GRPO family. */
export * from './algos/sequence/index.js';
export * from './algos/sft/index.js';
export * from './train/sequence-eval.js';
export * from './algos/grpo/index.js';
