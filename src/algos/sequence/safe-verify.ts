/**
 * Verification that never interrupts a run: a verifier that throws, or returns a reward that is not a
 * finite number, yields reward 0, `correct: false` and the flag 'verifier-error' (the rule for
 * bad verifier output), so one broken problem costs one zero reward instead of the whole run.
 */
import type { TextProblem, TextTask, Verification } from '../../envs/text/index.js';

export const VERIFIER_ERROR_FLAG = 'verifier-error';

export function safeVerify(task: Pick<TextTask, 'verify'>, problem: TextProblem, response: string): Verification {
  let result: Verification;
  try {
    result = task.verify(problem, response);
  } catch {
    return { reward: 0, correct: false, components: {}, flags: [VERIFIER_ERROR_FLAG] };
  }
  if (result === null || typeof result !== 'object' || typeof result.reward !== 'number' || !Number.isFinite(result.reward)) {
    return { reward: 0, correct: false, components: {}, flags: [VERIFIER_ERROR_FLAG] };
  }
  return {
    reward: result.reward,
    correct: result.correct === true,
    components: result.components ?? {},
    flags: Array.isArray(result.flags) ? result.flags : [],
  };
}
