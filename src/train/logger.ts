/**
 * Metrics logger: one JSON object per line (`metrics.jsonl`) with Stable-Baselines3's metric names
 * (`rollout/ep_rew_mean`, `train/approx_kl`, `time/fps`, ...). Values are collected with `record` and
 * written together by `dump(step)`, like SB3's logger; the file is appended to, so a resumed run continues it.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type MetricRecord = Record<string, number>;

export class MetricsLogger {
  /** Path of the JSONL file, or null to keep records in memory only. */
  readonly path: string | null;
  /** Every dumped record (also when writing to a file). */
  readonly records: MetricRecord[] = [];
  private pending: MetricRecord = {};
  private readonly listeners: Array<(record: MetricRecord) => void> = [];

  constructor(path: string | null = null) {
    this.path = path;
    if (path !== null) mkdirSync(dirname(path), { recursive: true });
  }

  record(key: string, value: number): void {
    this.pending[key] = value;
  }

  /** Calls `listener` with every record as it is dumped (e.g. a progress display). */
  onDump(listener: (record: MetricRecord) => void): void {
    this.listeners.push(listener);
  }

  /** Writes the pending values as one record, with `time/total_timesteps = step`. */
  dump(step: number): MetricRecord {
    const record: MetricRecord = { ...this.pending, 'time/total_timesteps': step };
    this.pending = {};
    this.records.push(record);
    if (this.path !== null) appendFileSync(this.path, JSON.stringify(record) + '\n');
    for (const l of this.listeners) l(record);
    return record;
  }
}
