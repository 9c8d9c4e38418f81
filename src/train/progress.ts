/**
 * Training progress display, as a callback. On a TTY: a cli-progress bar with steps, steps per second,
 * ETA and the mean training return, redrawn after every rollout. Elsewhere (CI, pipes, logs): one plain
 * line every `intervalSeconds`, and a last one when training ends.
 */
import cliProgress from 'cli-progress';
import { Callback } from './callbacks.js';

export interface ProgressOptions {
  /** Where plain lines go (default: stderr). */
  write?: (line: string) => void;
  /** Force the bar on or off (default: whether stderr is a TTY). */
  tty?: boolean;
  /** Seconds between plain lines (default 5). */
  intervalSeconds?: number;
}

function formatReturn(r: number): string {
  return Number.isNaN(r) ? '—' : r.toFixed(1);
}

export class ProgressCallback extends Callback {
  private readonly write: (line: string) => void;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private bar: cliProgress.SingleBar | null = null;
  private start = 0;
  private startSteps = 0;
  private lastLine = 0;

  constructor(options: ProgressOptions = {}) {
    super();
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
    this.tty = options.tty ?? Boolean(process.stderr.isTTY);
    this.intervalMs = (options.intervalSeconds ?? 5) * 1000;
  }

  private stats(): { steps: number; total: number; sps: number; eta: number; ret: number } {
    const m = this.trainingModel;
    const seconds = (performance.now() - this.start) / 1000;
    const done = m.numTimesteps - this.startSteps;
    const sps = seconds > 0 ? done / seconds : 0;
    const eta = sps > 0 ? Math.max(0, m.totalTimesteps - m.numTimesteps) / sps : NaN;
    return { steps: m.numTimesteps, total: m.totalTimesteps, sps, eta, ret: m.episodeRewardMean };
  }

  override onTrainingStart(): void {
    this.start = performance.now();
    this.lastLine = this.start;
    this.startSteps = this.trainingModel.numTimesteps;
    if (this.tty) {
      this.bar = new cliProgress.SingleBar(
        { format: '{bar} {percentage}% | {value}/{total} steps | {sps} steps/s | ETA {eta_formatted} | mean return {ret}', hideCursor: true, etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.trainingModel.totalTimesteps, this.trainingModel.numTimesteps, { sps: '0', ret: '—' });
    }
  }

  override onRolloutEnd(): void {
    const s = this.stats();
    if (this.bar !== null) {
      this.bar.setTotal(s.total);
      this.bar.update(s.steps, { sps: Math.round(s.sps).toString(), ret: formatReturn(s.ret) });
      return;
    }
    const now = performance.now();
    if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      this.write(this.line(s));
    }
  }

  private line(s: ReturnType<ProgressCallback['stats']>): string {
    const pct = s.total > 0 ? Math.min(100, (100 * s.steps) / s.total).toFixed(0) : '0';
    const eta = Number.isFinite(s.eta) ? `${s.eta.toFixed(0)}s` : '—';
    return `[${pct}%] ${s.steps}/${s.total} steps | ${Math.round(s.sps)} steps/s | ETA ${eta} | mean return ${formatReturn(s.ret)}`;
  }

  override onTrainingEnd(): void {
    const s = this.stats();
    if (this.bar !== null) {
      this.bar.update(s.steps, { sps: Math.round(s.sps).toString(), ret: formatReturn(s.ret) });
      this.bar.stop();
      this.bar = null;
    } else {
      this.write(this.line(s));
    }
  }
}
