/**
 * In SAME_STEP autoreset mode a finished sub-env's last observation travels in `infos.final_obs`
 * (one entry per env, masked by `infos._final_obs`); observation wrappers must transform it too.
 */
import type { AutoresetMode, VectorInfo } from '../vector-env.js';

/** A copy of `infos` whose masked `final_obs` entries went through `fn` (infos unchanged otherwise). */
export function transformFinalObservations(infos: VectorInfo, mode: AutoresetMode, fn: (obs: unknown) => unknown): VectorInfo {
  if (mode !== 'SAME_STEP') return infos;
  const finals = infos.final_obs;
  const mask = infos._final_obs as ArrayLike<boolean | number> | undefined;
  if (!Array.isArray(finals) || mask === undefined) return infos;
  return { ...infos, final_obs: finals.map((o, i) => (mask[i] ? fn(o) : o)) };
}
