import { InvalidObservationError, TeleoError } from '../../core/errors.js';
import type { Space } from '../../core/spaces/space.js';
import type { ResetArgs, ResetResult, StepResult } from '../env.js';
import { Wrapper } from '../wrapper.js';

function checkObservation(space: Space<unknown>, obs: unknown, where: string): void {
  const why = space.explain(obs);
  if (why !== null) throw new InvalidObservationError(`${where} returned an observation outside ${space.toString()}: ${why}`);
}

/**
 * Checks the first `reset()` and first `step()` results against the env's spaces and the
 * step-tuple contract (Gymnasium's `PassiveEnvChecker`), throwing typed errors instead of warning.
 * Later calls pass through untouched, so it costs nothing in the hot loop.
 */
export class PassiveEnvChecker<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act, Obs, Act> {
  private checkedReset = false;
  private checkedStep = false;

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = this.env.reset(args);
    if (!this.checkedReset) {
      this.checkedReset = true;
      if (!Array.isArray(result) || result.length !== 2) {
        throw new TeleoError('ENV_API', `${this.env.toString()}.reset() must return [obs, info], got ${String(result)}`);
      }
      checkObservation(this.observationSpace, result[0], `${this.env.toString()}.reset()`);
      if (typeof result[1] !== 'object' || result[1] === null) {
        throw new TeleoError('ENV_API', `${this.env.toString()}.reset() info must be an object`);
      }
    }
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    if (!this.checkedStep) {
      this.checkedStep = true;
      const where = `${this.env.toString()}.step()`;
      if (!Array.isArray(result) || result.length !== 5) {
        throw new TeleoError('ENV_API', `${where} must return [obs, reward, terminated, truncated, info]`);
      }
      const [obs, reward, terminated, truncated, info] = result;
      checkObservation(this.observationSpace, obs, where);
      if (typeof reward !== 'number' || !Number.isFinite(reward)) {
        throw new TeleoError('ENV_API', `${where} reward must be a finite number, got ${String(reward)}`);
      }
      if (typeof terminated !== 'boolean' || typeof truncated !== 'boolean') {
        throw new TeleoError('ENV_API', `${where} terminated and truncated must be booleans`);
      }
      if (typeof info !== 'object' || info === null) throw new TeleoError('ENV_API', `${where} info must be an object`);
    }
    return result;
  }
}
