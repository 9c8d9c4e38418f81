/**
 * Gymnasium's vector `RecordEpisodeStatistics`: when sub-env i finishes an episode, the step's infos get
 * `episode = { r, l, t }` (Float64Arrays of numEnvs, zero where no episode ended) and the mask
 * `_episode` (boolean[]), following the vector infos convention.
 *
 * Autoreset modes: in NEXT_STEP (and DISABLED) mode the step after an episode end only resets that
 * sub-env, so it is not counted in the next episode; in SAME_STEP mode every step counts.
 */
import { TeleoError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/options.js';
import {
  monotonicSeconds,
  pushBounded,
  requireStatsKey,
  roundMicro,
  type RecordEpisodeStatisticsOptions,
} from '../../wrappers/record-episode-statistics.js';
import { requirePositiveInteger } from '../../wrappers/space-helpers.js';
import { VectorWrapper, type VectorEnv, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from '../vector-env.js';
import { resetMaskOf } from './reset-mask.js';

export interface VectorEpisodeStatistics {
  r: Float64Array;
  l: Float64Array;
  t: Float64Array;
}

export class RecordEpisodeStatistics<Obs = unknown, Act = unknown> extends VectorWrapper<Obs, Act> {
  readonly bufferLength: number;
  readonly statsKey: string;
  /** Completed episodes over all sub-envs. */
  episodeCount = 0;
  /** Per sub-env return, length and start time of the episode in progress. */
  readonly episodeReturns: Float64Array;
  readonly episodeLengths: Float64Array;
  private readonly episodeStartTimes: Float64Array;
  /** Which sub-envs ended an episode on the previous step (NEXT_STEP bookkeeping). */
  private readonly prevDones: Uint8Array;
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];

  constructor(env: VectorEnv<Obs, Act>, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    checkOptions('vector RecordEpisodeStatistics', options, ['bufferLength', 'statsKey']);
    this.bufferLength = requirePositiveInteger(options.bufferLength ?? 100, 'vector RecordEpisodeStatistics', 'bufferLength');
    this.statsKey = requireStatsKey(options.statsKey ?? 'episode', 'vector RecordEpisodeStatistics');
    const n = this.numEnvs;
    this.episodeReturns = new Float64Array(n);
    this.episodeLengths = new Float64Array(n);
    this.episodeStartTimes = new Float64Array(n);
    this.prevDones = new Uint8Array(n);
  }

  override reset(args?: VectorResetArgs): VectorResetResult<Obs> {
    const result = this.env.reset(args);
    const mask = resetMaskOf(args, this.numEnvs, 'vector RecordEpisodeStatistics');
    const now = monotonicSeconds();
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask !== null && !mask[i]) continue;
      this.episodeReturns[i] = 0;
      this.episodeLengths[i] = 0;
      this.episodeStartTimes[i] = now;
      this.prevDones[i] = 0;
    }
    return result as VectorResetResult<Obs>;
  }

  override step(actions: Act): VectorStepResult<Obs> {
    const [obs, rewards, terminations, truncations, infos] = this.env.step(actions) as VectorStepResult<Obs>;
    const n = this.numEnvs;
    const sameStep = this.autoresetMode === 'SAME_STEP';
    const now = monotonicSeconds();
    for (let i = 0; i < n; i++) {
      if (!sameStep && this.prevDones[i]) {
        // This step only reset sub-env i: the next episode starts after it.
        this.episodeReturns[i] = 0;
        this.episodeLengths[i] = 0;
        this.episodeStartTimes[i] = now;
      } else {
        this.episodeReturns[i] += rewards[i]!;
        this.episodeLengths[i] += 1;
      }
    }
    const dones: boolean[] = new Array<boolean>(n);
    let anyDone = false;
    for (let i = 0; i < n; i++) {
      dones[i] = terminations[i] === 1 || truncations[i] === 1;
      this.prevDones[i] = dones[i] ? 1 : 0;
      anyDone ||= dones[i]!;
    }
    if (!anyDone) return [obs, rewards, terminations, truncations, infos];

    const key = this.statsKey;
    if (key in infos || `_${key}` in infos) {
      throw new TeleoError('INFO_KEY_CONFLICT', `vector RecordEpisodeStatistics: infos already have the key '${key}'; pass another statsKey`);
    }
    const stats: VectorEpisodeStatistics = { r: new Float64Array(n), l: new Float64Array(n), t: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      if (!dones[i]) continue;
      stats.r[i] = this.episodeReturns[i]!;
      stats.l[i] = this.episodeLengths[i]!;
      stats.t[i] = roundMicro(now - this.episodeStartTimes[i]!);
      pushBounded(this.returnQueue, stats.r[i]!, this.bufferLength);
      pushBounded(this.lengthQueue, stats.l[i]!, this.bufferLength);
      pushBounded(this.timeQueue, stats.t[i]!, this.bufferLength);
      this.episodeCount += 1;
      if (sameStep) {
        // The sub-env was already reset inside this step: its next episode starts now.
        this.episodeReturns[i] = 0;
        this.episodeLengths[i] = 0;
        this.episodeStartTimes[i] = now;
      }
    }
    return [obs, rewards, terminations, truncations, { ...infos, [key]: stats, [`_${key}`]: dones }];
  }
}
