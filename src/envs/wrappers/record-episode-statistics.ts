/**
 * Gymnasium's `RecordEpisodeStatistics`: at the end of each episode adds
 * `info.episode = { r: return, l: length, t: seconds since the episode began }`
 * and keeps the last `bufferLength` returns, lengths and durations.
 */
import { InvalidArgumentError, TeleoError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Env, ResetArgs, ResetResult, StepResult } from '../env.js';
import { Wrapper } from '../wrapper.js';
import { requirePositiveInteger } from './space-helpers.js';

export interface EpisodeStatistics {
  /** Undiscounted return. */
  r: number;
  /** Number of steps. */
  l: number;
  /** Wall-clock seconds from the reset (or previous episode end) to the last step, rounded to 1 µs. */
  t: number;
}

export interface RecordEpisodeStatisticsOptions {
  /** Capacity of `returnQueue`, `lengthQueue` and `timeQueue` (default 100). */
  bufferLength?: number;
  /** The info key for the statistics (default 'episode'). */
  statsKey?: string;
}

/** Seconds from a monotonic clock. */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}

/** Rounds elapsed seconds to microseconds, as Gymnasium does. */
export function roundMicro(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** The info key must be a non-empty string. */
export function requireStatsKey(key: unknown, owner: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgumentError(`${owner} statsKey must be a non-empty string, got ${String(key)}`);
  }
  return key;
}

/** Appends to a bounded FIFO buffer, dropping the oldest entries beyond `capacity`. */
export function pushBounded(queue: number[], value: number, capacity: number): void {
  queue.push(value);
  if (queue.length > capacity) queue.splice(0, queue.length - capacity);
}

export class RecordEpisodeStatistics<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act, Obs, Act> {
  readonly bufferLength: number;
  readonly statsKey: string;
  /** Completed episodes. */
  episodeCount = 0;
  /** Return and length of the episode in progress. */
  episodeReturn = 0;
  episodeLength = 0;
  private episodeStartTime = -1;
  /** The last `bufferLength` episode returns, lengths and durations, oldest first. */
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];

  constructor(env: Env<Obs, Act>, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    checkOptions('RecordEpisodeStatistics', options, ['bufferLength', 'statsKey']);
    this.bufferLength = requirePositiveInteger(options.bufferLength ?? 100, 'RecordEpisodeStatistics', 'bufferLength');
    this.statsKey = requireStatsKey(options.statsKey ?? 'episode', 'RecordEpisodeStatistics');
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.episodeStartTime = monotonicSeconds();
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.episodeReturn += reward;
    this.episodeLength += 1;
    if (!(terminated || truncated)) return [obs, reward, terminated, truncated, info];
    if (this.statsKey in info) {
      throw new TeleoError('INFO_KEY_CONFLICT', `RecordEpisodeStatistics: info already has the key '${this.statsKey}'; pass another statsKey`);
    }
    const now = monotonicSeconds();
    const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: roundMicro(now - this.episodeStartTime) };
    pushBounded(this.returnQueue, stats.r, this.bufferLength);
    pushBounded(this.lengthQueue, stats.l, this.bufferLength);
    pushBounded(this.timeQueue, stats.t, this.bufferLength);
    this.episodeCount += 1;
    this.episodeStartTime = now;
    return [obs, reward, terminated, truncated, { ...info, [this.statsKey]: stats }];
  }
}
