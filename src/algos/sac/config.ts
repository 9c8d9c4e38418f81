/**
 * SAC configuration: SB3's `SAC(...)` keyword arguments in camelCase with SB3's defaults (lr 3e-4,
 * buffer 1e6, learningStarts 100, batch 256, τ 0.005, γ 0.99, trainFreq 1, gradientSteps 1, [256, 256]).
 * `entCoef` is `'auto'` (learned, starting at 1), `'auto_<init>'` (learned from init) or a fixed number;
 * `targetEntropy` `'auto'` means −dim(A).
 */
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/errors.js';
import { offPolicyFields, parseOffPolicyConfig } from '../off-policy/config.js';

export const sacConfigSchema = z
  .object({
    ...offPolicyFields({ learningRate: 3e-4, bufferSize: 1_000_000, learningStarts: 100, batchSize: 256, tau: 0.005, gamma: 0.99, trainFreq: 1, gradientSteps: 1, netArch: [256, 256] }),
    entCoef: z.union([z.literal('auto'), z.string().regex(/^auto_[0-9.eE+-]+$/, "use 'auto', 'auto_<init>' or a number"), z.number().finite().nonnegative()]).default('auto'),
    targetEntropy: z.union([z.literal('auto'), z.number().finite()]).default('auto'),
    /** Gradient steps between target-network updates. */
    targetUpdateInterval: z.number().int().positive().default(1),
  })
  .strict();

export type SACConfigInput = z.input<typeof sacConfigSchema>;
export type SACConfig = z.output<typeof sacConfigSchema>;

export function parseSACConfig(input: unknown): SACConfig {
  const config = parseOffPolicyConfig('SAC', sacConfigSchema, input);
  if (typeof config.entCoef === 'string' && config.entCoef !== 'auto') {
    const init = Number(config.entCoef.slice(5));
    if (!(init > 0)) throw new InvalidArgumentError(`SAC config: 'entCoef': the initial value in ${JSON.stringify(config.entCoef)} must be positive`);
  }
  return config;
}
