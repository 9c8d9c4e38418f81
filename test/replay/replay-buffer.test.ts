/** ReplayBuffer: storage layout, truncation vs termination, n-step returns, segments, seeded sampling, state. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidStateError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { allocateReplaySample, ReplayBuffer, SegmentedReplayBuffer } from '../../src/data/replay-buffer.js';

/** Adds step t of a single env: obs = [t], next = [t + 1] (or `final` when given), reward = t + 1. */
function addStep(buf: ReplayBuffer, t: number, flags: { term?: boolean; trunc?: boolean; final?: number } = {}): void {
  buf.add({
    observations: [t],
    actions: [t * 10],
    rewards: [t + 1],
    nextObservations: [flags.final ?? t + 1],
    terminations: [flags.term ?? false],
    truncations: [flags.trunc ?? false],
  });
}

/** The sampled row whose observation is `obs` (stored transitions have distinct observations here). */
function transitionFor(buf: ReplayBuffer, obs: number) {
  const s = allocateReplaySample(buf.size, 1, 1);
  for (let k = 0; k < buf.size; k++) buf.copyTransition(k, s, k);
  const i = [...s.observations].indexOf(obs);
  expect(i).toBeGreaterThanOrEqual(0);
  return { reward: s.rewards[i]!, next: s.nextObservations[i]!, term: s.terminations[i]!, discount: s.discounts[i]!, action: s.actions[i]! };
}

describe('ReplayBuffer', () => {
  it('refuses to sample before it holds a batch, naming the counts', () => {
    const buf = new ReplayBuffer({ capacity: 10, obsDim: 1, actionDim: 1 });
    expect(() => buf.sample(1, Rng.fromSeed(0))).toThrow(InvalidStateError);
    addStep(buf, 0);
    addStep(buf, 1);
    expect(() => buf.sample(3, Rng.fromSeed(0))).toThrow(/holds 2 transitions, fewer than the 3/);
    expect(buf.sample(2, Rng.fromSeed(0)).batchSize).toBe(2);
  });

  it('rejects bad options and wrongly sized steps', () => {
    expect(() => new ReplayBuffer({ capacity: 0, obsDim: 1, actionDim: 1 })).toThrow(InvalidArgumentError);
    expect(() => new ReplayBuffer({ capacity: 4, obsDim: 1, actionDim: 1, gamma: 2 })).toThrow(/gamma/);
    const buf = new ReplayBuffer({ capacity: 4, obsDim: 2, actionDim: 1 });
    expect(() => buf.add({ observations: [1], actions: [0], rewards: [0], nextObservations: [1, 2], terminations: [0], truncations: [0] })).toThrow(/observations must hold 2/);
    expect(() => buf.add({ observations: [1, 2], actions: [0], rewards: [NaN], nextObservations: [1, 2], terminations: [0], truncations: [0] })).toThrow(/reward/);
  });

  it('stores termination and truncation apart: truncation keeps the bootstrap and the true final observation', () => {
    const buf = new ReplayBuffer({ capacity: 10, obsDim: 1, actionDim: 1, gamma: 0.9 });
    addStep(buf, 0);
    addStep(buf, 1, { trunc: true, final: 99 });
    addStep(buf, 2, { term: true, final: 77 });
    const trunc = transitionFor(buf, 1);
    expect(trunc).toEqual({ reward: 2, next: 99, term: 0, discount: expect.closeTo(0.9, 6), action: 10 });
    const term = transitionFor(buf, 2);
    expect(term.term).toBe(1);
    expect(term.next).toBe(77);
  });

  it('sums n-step returns along the episode, stopping at ends and at the newest step', () => {
    const g = 0.5;
    const buf = new ReplayBuffer({ capacity: 10, obsDim: 1, actionDim: 1, gamma: g, nSteps: 3 });
    addStep(buf, 0);
    addStep(buf, 1);
    addStep(buf, 2, { term: true, final: 50 });
    addStep(buf, 3); // new episode
    addStep(buf, 4, { trunc: true, final: 60 });
    addStep(buf, 5);
    addStep(buf, 6);
    const t0 = transitionFor(buf, 0); // rewards 1, 2, 3 then terminated
    expect(t0.reward).toBeCloseTo(1 + g * 2 + g * g * 3, 6);
    expect([t0.next, t0.term, t0.discount]).toEqual([50, 1, g ** 3]);
    const t1 = transitionFor(buf, 1); // 2, 3 (terminated after 2 steps)
    expect(t1.reward).toBeCloseTo(2 + g * 3, 6);
    expect([t1.next, t1.term, t1.discount]).toEqual([50, 1, g ** 2]);
    const t3 = transitionFor(buf, 3); // 4, 5 then truncated: bootstrap from the final obs
    expect(t3.reward).toBeCloseTo(4 + g * 5, 6);
    expect([t3.next, t3.term, t3.discount]).toEqual([60, 0, g ** 2]);
    const t5 = transitionFor(buf, 5); // 6, 7 and no newer step stored
    expect(t5.reward).toBeCloseTo(6 + g * 7, 6);
    expect([t5.next, t5.term, t5.discount]).toEqual([7, 0, g ** 2]);
  });

  it('keeps parallel envs apart in n-step sums and wraps circularly', () => {
    const buf = new ReplayBuffer({ capacity: 6, obsDim: 1, actionDim: 1, numEnvs: 2, gamma: 1, nSteps: 2 });
    for (let t = 0; t < 5; t++) {
      buf.add({ observations: [t, 100 + t], actions: [0, 1], rewards: [1, 10], nextObservations: [t + 1, 101 + t], terminations: [0, 0], truncations: [0, 0] });
    }
    expect(buf.size).toBe(6); // 3 rows of 2, rows 0 and 1 overwritten by t = 3, 4
    const s = allocateReplaySample(300, 1, 1);
    const rng = Rng.fromSeed(1);
    for (let k = 0; k < 50; k++) buf.sampleInto(s, 6 * k, 6, rng);
    const seen = new Set(s.observations);
    expect([...seen].sort((a, b) => a - b)).toEqual([2, 3, 4, 102, 103, 104]);
    for (let i = 0; i < 300; i++) {
      const o = s.observations[i]!;
      const newest = o === 4 || o === 104;
      expect(s.rewards[i]).toBe((o >= 100 ? 10 : 1) * (newest ? 1 : 2));
      expect(s.nextObservations[i]).toBe(o + (newest ? 1 : 2));
    }
  });

  it('samples deterministically for a seed and uniformly', () => {
    const buf = new ReplayBuffer({ capacity: 100, obsDim: 1, actionDim: 1 });
    for (let t = 0; t < 4; t++) addStep(buf, t);
    expect(buf.sample(4, Rng.fromSeed(7))).toEqual(buf.sample(4, Rng.fromSeed(7)));
    expect(buf.sample(4, Rng.fromSeed(7))).not.toEqual(buf.sample(4, Rng.fromSeed(9)));
    const s = allocateReplaySample(4000, 1, 1);
    const rng = Rng.fromSeed(8);
    for (let k = 0; k < 1000; k++) buf.sampleInto(s, 4 * k, 4, rng);
    const counts = [0, 0, 0, 0];
    for (const o of s.observations) counts[o]! += 1;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(4 * Math.sqrt(4000 * 0.25 * 0.75));
  });

  it('restores its exact contents from getState', () => {
    const a = new ReplayBuffer({ capacity: 5, obsDim: 1, actionDim: 1 });
    for (let t = 0; t < 7; t++) addStep(a, t, { trunc: t === 3 });
    const b = new ReplayBuffer({ capacity: 5, obsDim: 1, actionDim: 1 });
    b.setState(a.getState());
    expect(b.size).toBe(5);
    expect(b.sample(5, Rng.fromSeed(2))).toEqual(a.sample(5, Rng.fromSeed(2)));
    const other = new ReplayBuffer({ capacity: 5, obsDim: 2, actionDim: 1 });
    expect(() => other.setState(a.getState())).toThrow(/obsDim/);
  });
});

describe('SegmentedReplayBuffer', () => {
  function filled(value: number, n: number): ReplayBuffer {
    const b = new ReplayBuffer({ capacity: 500, obsDim: 1, actionDim: 1 });
    for (let t = 0; t < n; t++) b.add({ observations: [value], actions: [0], rewards: [0], nextObservations: [value], terminations: [0], truncations: [0] });
    return b;
  }

  it('draws each segment at its ratio', () => {
    const seg = new SegmentedReplayBuffer({ segments: { offline: filled(1, 300), online: filled(2, 300) }, ratios: { offline: 1, online: 3 } });
    const s = seg.sample(256, Rng.fromSeed(0));
    expect([...s.observations].filter((o) => o === 1).length).toBe(64);
    expect([...s.observations].filter((o) => o === 2).length).toBe(192);
    expect(seg.counts(3)).toEqual({ offline: 1, online: 2 });
  });

  it('names the segment that cannot fill its share and rejects bad ratios', () => {
    const seg = new SegmentedReplayBuffer({ segments: { offline: filled(1, 20), online: filled(2, 1) }, ratios: { offline: 0.5, online: 0.5 } });
    expect(() => seg.sample(8, Rng.fromSeed(0))).toThrow(/segment 'online' holds 1 transitions/);
    expect(() => new SegmentedReplayBuffer({ segments: { a: filled(1, 1) }, ratios: { b: 1 } })).toThrow(/unknown segment 'b'/);
    expect(() => new SegmentedReplayBuffer({ segments: { a: filled(1, 1) }, ratios: { a: -1 } })).toThrow(InvalidArgumentError);
  });
});
