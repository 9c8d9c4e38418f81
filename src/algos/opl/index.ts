/** Off-policy learning: softmax policies trained on IPS/DR estimates, greedy (DM) and static baselines. */
export * from './policy.js';
export { LinearSoftmaxPolicy } from './linear-softmax.js';
export { MLPSoftmaxPolicy, type MLPSoftmaxPolicyOptions } from './mlp-softmax.js';
export { oplObjective, type OplEstimator, type OplObjectiveOptions, type OplObjectiveValue } from './objective.js';
export { TypedAdam, type AdamOptions } from './adam.js';
export { trainOffPolicy, type TrainOffPolicyOptions, type TrainOffPolicyResult } from './train.js';
