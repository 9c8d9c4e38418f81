/** The header printed at the start of every training run: what runs, on which backend, with which config. */
import type { BackendInfo } from '../core/backend.js';

export interface RunHeaderInfo {
  algo: string;
  envId: string;
  seed: number;
  backend: BackendInfo;
  totalTimesteps: number;
  config: Record<string, unknown>;
  preset?: string | null;
  out?: string | null;
  resumedFrom?: string | null;
}

export function formatBackend(b: BackendInfo): string {
  const extra = b.name === 'wasm' ? ` (threads ${b.threads ?? 1}, SIMD ${b.simd ? 'on' : 'off'})` : '';
  return `${b.name}${extra}, tfjs-core ${b.version}`;
}

export function formatRunHeader(h: RunHeaderInfo): string {
  const lines = [
    `teleo train ${h.algo} ${h.envId}`,
    `  backend:   ${formatBackend(h.backend)}`,
    `  seed:      ${h.seed}`,
    `  timesteps: ${h.totalTimesteps.toLocaleString('en-US')}`,
  ];
  if (h.preset) lines.push(`  preset:    ${h.preset}`);
  if (h.resumedFrom) lines.push(`  resumed:   ${h.resumedFrom}`);
  if (h.out) lines.push(`  output:    ${h.out}`);
  lines.push(`  config:    ${JSON.stringify(h.config)}`);
  return lines.join('\n');
}
