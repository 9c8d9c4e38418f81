/** All single-environment wrappers (Gymnasium's `gymnasium.wrappers`). */
export { TimeLimit } from './time-limit.js';
export { OrderEnforcing } from './order-enforcing.js';
export { PassiveEnvChecker } from './passive-env-checker.js';
export { RecordEpisodeStatistics, type EpisodeStatistics, type RecordEpisodeStatisticsOptions } from './record-episode-statistics.js';
export { RunningMeanStd, type RunningMeanStdOptions, type RunningMeanStdState } from './running-mean-std.js';
export { NormalizeObservation, type NormalizeObservationOptions, type NormalizeObservationState } from './normalize-observation.js';
export { NormalizeReward, type NormalizeRewardOptions, type NormalizeRewardState } from './normalize-reward.js';
export { TransformAction } from './transform-action.js';
export { ClipAction } from './clip-action.js';
export { RescaleAction } from './rescale-action.js';
export { TransformObservation } from './transform-observation.js';
export { FlattenObservation } from './flatten-observation.js';
export { TransformReward } from './transform-reward.js';
export { FrameStackObservation, type FramePadding, type FrameStackObservationOptions } from './frame-stack-observation.js';
