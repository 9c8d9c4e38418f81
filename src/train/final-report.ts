/**
 * The end of a `teleo train` run, shared by PPO and the off-policy learners: evaluate the trained policy on a
 * fresh env and print the throughput, training-episode and evaluation summary.
 */
import { join } from 'node:path';
import { make } from '../envs/registration.js';
import { evaluatePolicy, type PolicyLike } from './evaluate.js';

/** What the final report reads from a trained model. */
export interface TrainedModel extends PolicyLike {
  readonly seed: number;
  readonly numTimesteps: number;
  readonly episodeRewardMean: number;
  readonly config: { readonly envKwargs: Record<string, unknown>; readonly statsWindowSize: number };
}

/**
 * Evaluates `model` deterministically over `evalEpisodes` episodes of `envId` (seeded from 1,000,000 + the
 * model's seed), prints the run summary to `io.out`, and returns the mean evaluation return and `out`.
 */
export function reportFinalEvaluation(
  model: TrainedModel,
  run: { envId: string; out: string; evalEpisodes: number; seconds: number; startSteps: number },
  io: { out(text: string): void },
): { meanReturn: number; out: string } {
  const { envId, out, evalEpisodes, seconds, startSteps } = run;
  const evalEnv = make(envId, model.config.envKwargs);
  const result = evaluatePolicy(model, evalEnv, { nEvalEpisodes: evalEpisodes, deterministic: true, seed: 1_000_000 + model.seed });
  evalEnv.close();
  const done = model.numTimesteps - startSteps;
  io.out(`Trained ${done.toLocaleString('en-US')} steps in ${seconds.toFixed(1)} s (${Math.round(done / seconds)} steps/s, training included); ${model.numTimesteps.toLocaleString('en-US')} in all`);
  io.out(`Training episodes (last ${model.config.statsWindowSize}): mean return ${model.episodeRewardMean.toFixed(1)}`);
  io.out(`Final mean return: ${result.meanReward.toFixed(1)} ± ${result.stdReward.toFixed(1)} over ${evalEpisodes} deterministic episodes`);
  io.out(`Saved ${join(out, 'model')}`);
  return { meanReturn: result.meanReward, out };
}
