/**
 * The three autoreset modes, step by step against hand-written timelines, for SyncVectorEnv and
 * AsyncVectorEnv. Env 0 terminates every 2 steps; env 1 (k = 5) is truncated by a TimeLimit of 3.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ResetNeededError } from '../../src/core/errors.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';
import { KINDS, buildVector, episodeStep } from './helpers.js';

const SOURCES = [
  { id: 'Countdown-v0', options: { k: 2 } },
  { id: 'Countdown-v0', options: { k: 5, maxEpisodeSteps: 3 } },
];
const ACTIONS = Int32Array.of(1, 0);

/** Expected per-env result of one step: [episode, step], reward, terminated, truncated. */
type Row = [[number, number], number, 0 | 1, 0 | 1];

let open: VectorEnv<any, any, any, any>[] = [];
afterEach(() => {
  for (const e of open) e.close();
  open = [];
});

function checkRow(t: number, result: ReturnType<VectorEnv<any, any, any, any>['step']>, rows: [Row, Row]): void {
  const [obs, rewards, terms, truncs] = result;
  rows.forEach(([es, r, term, trunc], i) => {
    expect(episodeStep(obs as Float32Array, i), `t=${t} env ${i} (episode, step)`).toEqual(es);
    expect(rewards[i], `t=${t} env ${i} reward`).toBe(r);
    expect(terms[i], `t=${t} env ${i} terminated`).toBe(term);
    expect(truncs[i], `t=${t} env ${i} truncated`).toBe(trunc);
  });
}

describe.each(KINDS)('%s vector env autoreset', (kind) => {
  it('NEXT_STEP resets an ended env on the following step, ignoring its action', () => {
    const envs = buildVector(kind, SOURCES, { autoresetMode: 'NEXT_STEP' });
    open.push(envs);
    expect(envs.metadata.autoresetMode).toBe('NEXT_STEP');
    const [obs0, info0] = envs.reset({ seed: 7 });
    expect([episodeStep(obs0, 0), episodeStep(obs0, 1)]).toEqual([[1, 0], [1, 0]]);
    expect(Array.from(info0.episode as Float64Array)).toEqual([1, 1]);
    const timeline: [Row, Row][] = [
      [[[1, 1], 11, 0, 0], [[1, 1], 10, 0, 0]],
      [[[1, 2], 21, 1, 0], [[1, 2], 20, 0, 0]],
      [[[2, 0], 0, 0, 0], [[1, 3], 30, 0, 1]],
      [[[2, 1], 11, 0, 0], [[2, 0], 0, 0, 0]],
      [[[2, 2], 21, 1, 0], [[2, 1], 10, 0, 0]],
      [[[3, 0], 0, 0, 0], [[2, 2], 20, 0, 0]],
    ];
    timeline.forEach((rows, t) => {
      const result = envs.step(ACTIONS);
      checkRow(t + 1, result, rows);
      const [obs, , , , infos] = result;
      if (t + 1 === 3) {
        // env 0 was reset: its last action is -1 (action ignored), and it reports the reset info only
        expect((obs as Float32Array)[3]).toBe(-1);
        expect(infos._episode).toEqual([true, false]);
        expect((infos.episode as Float64Array)[0]).toBe(2);
        expect(infos._step).toEqual([false, true]);
        expect((infos.step as Float64Array)[1]).toBe(3);
        expect(infos.final_obs).toBeUndefined();
      }
      if (t + 1 === 2) {
        expect(infos._last).toEqual([true, false]);
        expect(Array.from(infos.last as Uint8Array)).toEqual([1, 0]);
      }
    });
  });

  it('SAME_STEP returns the reset observation and reports final_obs / final_info', () => {
    const envs = buildVector(kind, SOURCES, { autoresetMode: 'SAME_STEP' });
    open.push(envs);
    envs.reset({ seed: 7 });
    const timeline: [Row, Row][] = [
      [[[1, 1], 11, 0, 0], [[1, 1], 10, 0, 0]],
      [[[2, 0], 21, 1, 0], [[1, 2], 20, 0, 0]],
      [[[2, 1], 11, 0, 0], [[2, 0], 30, 0, 1]],
      [[[3, 0], 21, 1, 0], [[2, 1], 10, 0, 0]],
      [[[3, 1], 11, 0, 0], [[2, 2], 20, 0, 0]],
      [[[4, 0], 21, 1, 0], [[3, 0], 30, 0, 1]],
    ];
    timeline.forEach((rows, t) => {
      const result = envs.step(ACTIONS);
      checkRow(t + 1, result, rows);
      const infos = result[4];
      const ended = rows.map(([, , term, trunc]) => term === 1 || trunc === 1);
      if (!ended.some(Boolean)) {
        expect(infos.final_obs, `t=${t + 1}`).toBeUndefined();
        return;
      }
      expect(infos._final_obs).toEqual(ended);
      expect(infos._final_info).toEqual(ended);
      ended.forEach((e, i) => {
        if (!e) return;
        const finalObs = (infos.final_obs as Float32Array[])[i]!;
        const [[episode, step]] = rows[i]!;
        // the true last observation of the finished episode
        expect([finalObs[0], finalObs[1]]).toEqual([episode - 1, i === 0 ? 2 : 3]);
        const finalInfo = infos.final_info as Record<string, unknown>;
        expect((finalInfo._step as boolean[])[i]).toBe(true);
        expect((finalInfo.step as Float64Array)[i]).toBe(i === 0 ? 2 : 3);
        // the top-level info of an ended env is its reset info
        expect((infos._episode as boolean[])[i]).toBe(true);
        expect((infos.episode as Float64Array)[i]).toBe(episode);
        expect((infos._step as boolean[] | undefined)?.[i] ?? false).toBe(false);
        expect(step).toBe(0);
      });
    });
  });

  it('DISABLED leaves ended envs alone and resets only masked envs', () => {
    const envs = buildVector(kind, SOURCES, { autoresetMode: 'DISABLED' });
    open.push(envs);
    envs.reset({ seed: 7 });
    checkRow(1, envs.step(ACTIONS), [[[1, 1], 11, 0, 0], [[1, 1], 10, 0, 0]]);
    checkRow(2, envs.step(ACTIONS), [[[1, 2], 21, 1, 0], [[1, 2], 20, 0, 0]]);
    expect(() => envs.step(ACTIONS)).toThrow(ResetNeededError);
    expect(() => envs.step(ACTIONS)).toThrow(/Sub-environment 0/);
    const [obs, infos] = envs.reset({ options: { resetMask: [true, false] } });
    // env 1 was not stepped by the refused calls, nor reset
    expect([episodeStep(obs, 0), episodeStep(obs, 1)]).toEqual([[2, 0], [1, 2]]);
    expect(infos._episode).toEqual([true, false]);
    checkRow(3, envs.step(ACTIONS), [[[2, 1], 11, 0, 0], [[1, 3], 30, 0, 1]]);
    expect(() => envs.step(ACTIONS)).toThrow(/Sub-environment 1/);
    const [obs2] = envs.reset({ options: { resetMask: Uint8Array.of(0, 1) } });
    expect([episodeStep(obs2, 0), episodeStep(obs2, 1)]).toEqual([[2, 1], [2, 0]]);
    checkRow(4, envs.step(ACTIONS), [[[2, 2], 21, 1, 0], [[2, 1], 10, 0, 0]]);
  });
});
