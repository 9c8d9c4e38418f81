/**
 * Wrappers for vector environments (Gymnasium's `gymnasium.wrappers.vector`). Class names match the
 * single-env wrappers, so export this module under a namespace (e.g. `vectorWrappers`).
 */
export { RecordEpisodeStatistics, type VectorEpisodeStatistics } from './record-episode-statistics.js';
export { NormalizeObservation } from './normalize-observation.js';
export { NormalizeReward, type VectorNormalizeRewardState } from './normalize-reward.js';
export { TransformAction } from './transform-action.js';
export { ClipAction } from './clip-action.js';
export { RescaleAction } from './rescale-action.js';
export { TransformReward } from './transform-reward.js';
export { FlattenObservation } from './flatten-observation.js';
export { TransformObservation } from './transform-observation.js';
