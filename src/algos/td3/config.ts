/**
 * TD3 configuration: SB3's `TD3(...)` keyword arguments in camelCase with SB3's defaults (lr 1e-3, buffer
 * 1e6, learningStarts 100, batch 256, τ 0.005, γ 0.99, trainFreq 1, gradientSteps 1, policyDelay 2,
 * targetPolicyNoise 0.2, targetNoiseClip 0.5, MLP [400, 300], no exploration noise unless `actionNoise`).
 */
import { z } from 'zod';
import { offPolicyFields, parseOffPolicyConfig } from '../off-policy/config.js';

export const td3ConfigSchema = z
  .object({
    ...offPolicyFields({ learningRate: 1e-3, bufferSize: 1_000_000, learningStarts: 100, batchSize: 256, tau: 0.005, gamma: 0.99, trainFreq: 1, gradientSteps: 1, netArch: [400, 300] }),
    /** Critic updates per actor (and target) update. */
    policyDelay: z.number().int().positive().default(2),
    /** Std of the Gaussian smoothing noise on target actions (scaled action units). */
    targetPolicyNoise: z.number().finite().nonnegative().default(0.2),
    targetNoiseClip: z.number().finite().nonnegative().default(0.5),
    /** Gaussian exploration noise added to scaled actions while collecting (SB3's NormalActionNoise); null: none. */
    actionNoise: z.object({ type: z.literal('normal'), sigma: z.number().finite().nonnegative() }).strict().nullable().default(null),
  })
  .strict();

export type TD3ConfigInput = z.input<typeof td3ConfigSchema>;
export type TD3Config = z.output<typeof td3ConfigSchema>;

export function parseTD3Config(input: unknown): TD3Config {
  return parseOffPolicyConfig('TD3', td3ConfigSchema, input);
}
