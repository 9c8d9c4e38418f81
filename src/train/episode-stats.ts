/**
 * Training-episode bookkeeping shared by the learners: running return and length per env, a window of the
 * most recent finished episodes (SB3's `ep_info_buffer`, for `rollout/ep_rew_mean`), and the episode count.
 */
export interface EpisodeInfo {
  /** Return. */
  r: number;
  /** Length in steps. */
  l: number;
}

export class EpisodeStats {
  /** Running return of each env's current episode. */
  readonly returns: Float64Array;
  /** Running length of each env's current episode. */
  readonly lengths: Float64Array;
  /** The last `windowSize` finished episodes, newest last. */
  recent: EpisodeInfo[] = [];
  /** Finished episodes in all. */
  count = 0;

  constructor(
    nEnvs: number,
    readonly windowSize: number,
  ) {
    this.returns = new Float64Array(nEnvs);
    this.lengths = new Float64Array(nEnvs);
  }

  /** Adds one step of env `e`. */
  step(e: number, reward: number): void {
    this.returns[e] += reward;
    this.lengths[e] += 1;
  }

  /** Env `e`'s episode ended (terminated or truncated): records it and starts a new one. */
  finish(e: number): void {
    this.recent.push({ r: this.returns[e]!, l: this.lengths[e]! });
    if (this.recent.length > this.windowSize) this.recent.shift();
    this.count += 1;
    this.returns[e] = 0;
    this.lengths[e] = 0;
  }

  /** Every env starts a new episode (after a reset of all envs). */
  restartAll(): void {
    this.returns.fill(0);
    this.lengths.fill(0);
  }

  /** Mean return of the recent finished episodes (NaN before the first). */
  get meanReturn(): number {
    return this.recent.length === 0 ? NaN : this.recent.reduce((a, e) => a + e.r, 0) / this.recent.length;
  }

  /** Mean length of the recent finished episodes (NaN before the first). */
  get meanLength(): number {
    return this.recent.length === 0 ? NaN : this.recent.reduce((a, e) => a + e.l, 0) / this.recent.length;
  }
}
