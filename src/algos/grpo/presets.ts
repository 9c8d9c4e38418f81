/**
 * Named GRPO-family presets with the papers' / released scripts' settings, scaled to the tiny setting
 * (G = 8, 16 prompts per step, 4 prompts per mini-batch, the task's short responses). Everything not
 * listed keeps the config default (see `config.ts`). Sources: lime-RL/DCPO `recipe/dcpo/run_{grpo,dapo,
 * dcpo,base}.sh` and `core_algos.py` (the baselines of the DCPO paper, which are verl's GRPO and DAPO), the
 * DAPO recipe in verl (via TAPO's script), and Dr.GRPO as TRL/verl expose it.
 *
 *  - grpo: std-normalised group advantage, symmetric ε 0.2, seq-mean-token-mean, KL to the initial policy
 *    with β 0.001 (DCPO's `run_grpo.sh` enables the KL loss with verl's `kl_loss_coef` 0.001).
 *  - drgrpo: mean-only advantage (`scaleRewards 'none'`), the constant normaliser
 *    (seq-mean-token-sum-norm, divisor = maxCompletionLength), symmetric ε 0.2, no KL.
 *  - dapo: clip-higher ε 0.2 / 0.28, dual-clip c = 10, dynamic sampling on accuracy (at most 10 generation
 *    batches per step), token-mean, the soft overlong penalty (factor 1), no KL.
 *  - dcpo: dynamic-adaptive clipping with ε 0.2 / 0.28 and dual-clip c = 10, smooth advantage
 *    standardisation, only-token-mean (token mean per group, summed over groups), no dynamic sampling, no
 *    overlong shaping, no KL. ε: the README's table lists 0.16 / 0.2, but the released `run_dcpo.sh`
 *    runs 0.2 (run_base default) / 0.28; we use the script's values, which are also DAPO's, so the
 *    DAPO-vs-DCPO comparison isolates the clip *rule* rather than a different ε.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { closeMatches } from '../../core/options.js';
import type { GRPOConfigInput } from './config.js';

/** Shared by every preset: verl's learning-rate warm-up of the DCPO scripts. */
const COMMON: GRPOConfigInput = { warmupSteps: 10 };

export const GRPO_PRESETS: Readonly<Record<string, { description: string; config: GRPOConfigInput }>> = {
  grpo: {
    description: 'GRPO: group z-score advantage, symmetric clip 0.2, seq-mean-token-mean, KL β 0.001',
    config: {
      ...COMMON,
      advantageEstimator: 'grpo',
      scaleRewards: 'group',
      epsilon: 0.2,
      clipType: 'symmetric',
      lossType: 'seq-mean-token-mean',
      beta: 0.001,
    },
  },
  drgrpo: {
    description: 'Dr.GRPO: mean-only advantage, constant normaliser (seq-mean-token-sum-norm), clip 0.2, no KL',
    config: {
      ...COMMON,
      advantageEstimator: 'grpo',
      scaleRewards: 'none',
      epsilon: 0.2,
      clipType: 'symmetric',
      lossType: 'seq-mean-token-sum-norm',
      beta: 0,
    },
  },
  dapo: {
    description: 'DAPO: clip-higher 0.2/0.28, dual-clip 10, dynamic sampling, token-mean, overlong shaping, no KL',
    config: {
      ...COMMON,
      advantageEstimator: 'grpo',
      scaleRewards: 'group',
      epsilon: 0.2,
      epsilonHigh: 0.28,
      clipType: 'decoupled',
      dualClipC: 10,
      lossType: 'token-mean',
      dynamicSampling: true,
      filterGroupsMetric: 'acc',
      maxGenerationBatches: 10,
      overlongBufferLength: 'auto',
      overlongPenaltyFactor: 1,
      beta: 0,
    },
  },
  dcpo: {
    description: 'DCPO: dynamic-adaptive clip 0.2/0.28 + dual-clip 10, smooth advantage standardisation, only-token-mean, no KL',
    config: {
      ...COMMON,
      advantageEstimator: 'dcpo',
      scaleRewards: 'group',
      epsilon: 0.2,
      epsilonHigh: 0.28,
      clipType: 'dcpo-dynamic',
      dualClipC: 10,
      lossType: 'group-token-mean-sum',
      dynamicSampling: false,
      overlongBufferLength: null,
      beta: 0,
    },
  },
};

export const GRPO_PRESET_NAMES: readonly string[] = Object.keys(GRPO_PRESETS);

/** The preset's config (a copy); `InvalidArgumentError` with close matches for an unknown name. */
export function grpoPreset(name: string): GRPOConfigInput {
  const preset = GRPO_PRESETS[name];
  if (preset === undefined) {
    const hint = closeMatches(name, GRPO_PRESET_NAMES);
    throw new InvalidArgumentError(
      `Unknown GRPO preset '${name}' (available: ${GRPO_PRESET_NAMES.join(', ')})${hint.length > 0 ? `. Did you mean: ${hint.map((h) => `'${h}'`).join(', ')}?` : ''}`,
    );
  }
  return structuredClone(preset.config);
}
