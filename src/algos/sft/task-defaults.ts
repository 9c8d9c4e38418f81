/**
 * Task options `teleo train sft <task>` uses unless `--task-option` sets them. They pick a setting in
 * which the default decoder (dModel 64, 2 layers, 4 heads, batch 32, lr 1e-3) reaches the 0.4 held-out
 * target in about a minute of one CPU core: 3-digit addition (the task's own default) was still near 5 %
 * greedy accuracy after 800 steps, 2-digit addition crosses 40 % after ~350–500 steps. The options are
 * saved in the checkpoint, so a GRPO run started from it rebuilds the same task.
 */
export const SFT_TASK_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.freeze({
  addition: Object.freeze({ difficulty: 2 }),
});

/** `SFT_TASK_DEFAULTS[task]` overridden by the user's options. */
export function sftTaskOptions(task: string, given: Record<string, unknown>): Record<string, unknown> {
  return { ...(SFT_TASK_DEFAULTS[task] ?? {}), ...given };
}
