/** RolloutBuffer: GAE with termination vs truncation, episode starts, the SAME_STEP recipe, minibatches, errors. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidStateError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { RolloutBuffer, type RolloutStep } from '../../src/data/rollout-buffer.js';
import { make } from '../../src/envs/registration.js';
import { SyncVectorEnv } from '../../src/envs/vector/sync-vector-env.js';
import '../fixtures/countdown-env.js';

function step(fields: Partial<RolloutStep> & { rewards: number[]; values: number[] }, numEnvs: number, obsDim = 1): RolloutStep {
  return {
    observations: new Float32Array(numEnvs * obsDim),
    actions: new Float32Array(numEnvs),
    logProbs: new Float64Array(numEnvs),
    terminations: new Uint8Array(numEnvs),
    truncations: new Uint8Array(numEnvs),
    ...fields,
  };
}

/**
 * Reference GAE by the forward definition: A_t = Σ_k (γλ)^k δ_{t+k}, summed until the episode ends (inclusive) or
 * the rollout ends, with δ_j = r_j + γ·next_j − V(s_j) and next_j given directly by the caller.
 */
function forwardGae(r: number[], v: number[], next: number[], ends: boolean[], gamma: number, lambda: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < r.length; t++) {
    let sum = 0;
    let weight = 1;
    for (let j = t; j < r.length; j++) {
      sum += weight * (r[j]! + gamma * next[j]! - v[j]!);
      if (ends[j]) break;
      weight *= gamma * lambda;
    }
    out.push(sum);
  }
  return out;
}

describe('RolloutBuffer GAE', () => {
  it('matches a hand-computed rollout with truncation, termination and both flags', () => {
    const gamma = 0.9;
    const lambda = 0.5;
    const buf = new RolloutBuffer({ numSteps: 3, numEnvs: 2, obsDim: 1, gamma, gaeLambda: lambda });
    // env 0 never ends; env 1: truncated (V(final) = 4), terminated, then terminated and truncated together.
    buf.add(step({ rewards: [1, 1], values: [0.5, 0.5], truncations: Uint8Array.of(0, 1), truncationValues: [0, 4] }, 2));
    buf.add(step({ rewards: [2, 2], values: [1, 1], terminations: Uint8Array.of(0, 1) }, 2));
    buf.add(step({ rewards: [3, 3], values: [1.5, 1.5], terminations: [false, true], truncations: [false, true], truncationValues: [0, 7] }, 2));
    expect(buf.full).toBe(true);
    buf.computeReturnsAndAdvantages([2, 100], [0, 1]);

    const a02 = 3 + gamma * 2 - 1.5;
    const a01 = 2 + gamma * 1.5 - 1 + gamma * lambda * a02;
    const a00 = 1 + gamma * 1 - 0.5 + gamma * lambda * a01;
    const a10 = 1 + gamma * 4 - 0.5; // bootstraps from V(final obs), not from the next stored value
    const a11 = 2 - 1; // terminated: no bootstrap
    const a12 = 3 - 1.5; // both flags count as terminated: the truncation value 7 and lastValues are ignored
    const expected = [a00, a10, a01, a11, a02, a12];
    expected.forEach((a, i) => expect(buf.advantages[i]).toBeCloseTo(a, 12));
    const values = [0.5, 0.5, 1, 1, 1.5, 1.5];
    expected.forEach((a, i) => expect(buf.returns[i]).toBeCloseTo(a + values[i]!, 12));
    expect(Array.from(buf.episodeStarts)).toEqual([1, 1, 0, 1, 0, 1]);

    // Episode starts carry over into the next rollout: env 1 ended on the last step, env 0 did not.
    buf.reset();
    expect(buf.full).toBe(false);
    expect(buf.advantagesComputed).toBe(false);
    buf.add(step({ rewards: [0, 0], values: [0, 0] }, 2));
    expect(Array.from(buf.episodeStarts.subarray(0, 2))).toEqual([0, 1]);
  });

  it('equals the forward-sum definition on random rollouts, and reduces to TD(0) / Monte Carlo at λ = 0 / 1', () => {
    const rng = Rng.fromSeed(7);
    const T = 40;
    const E = 3;
    for (const lambda of [0, 0.95, 1]) {
      const gamma = 0.97;
      const buf = new RolloutBuffer({ numSteps: T, numEnvs: E, obsDim: 2, actDim: 1, actionKind: 'discrete', gamma, gaeLambda: lambda });
      const r: number[][] = [];
      const v: number[][] = [];
      const term: boolean[][] = [];
      const trunc: boolean[][] = [];
      const tv: number[][] = [];
      for (let t = 0; t < T; t++) {
        const row = { r: [] as number[], v: [] as number[], term: [] as boolean[], trunc: [] as boolean[], tv: [] as number[] };
        for (let e = 0; e < E; e++) {
          row.r.push(rng.normal());
          row.v.push(rng.normal());
          row.term.push(rng.random() < 0.1);
          row.trunc.push(rng.random() < 0.1);
          row.tv.push(rng.normal());
        }
        r.push(row.r);
        v.push(row.v);
        term.push(row.term);
        trunc.push(row.trunc);
        tv.push(row.tv);
        buf.add({
          observations: new Float32Array(E * 2),
          actions: Int32Array.of(0, 1, 2),
          rewards: row.r,
          values: row.v,
          logProbs: [0, 0, 0],
          terminations: row.term,
          truncations: row.trunc,
          truncationValues: row.tv,
        });
      }
      const last = [rng.normal(), rng.normal(), rng.normal()];
      buf.computeReturnsAndAdvantages(last);
      for (let e = 0; e < E; e++) {
        const col = <X>(m: X[][]) => m.map((rowValues) => rowValues[e]!);
        const ends = col(term).map((x, t) => x || trunc[t]![e]!);
        const next = col(v).map((_, t) => {
          if (term[t]![e]) return 0;
          if (trunc[t]![e]) return tv[t]![e]!;
          return t === T - 1 ? last[e]! : v[t + 1]![e]!;
        });
        const ref = forwardGae(col(r), col(v), next, ends, gamma, lambda);
        for (let t = 0; t < T; t++) {
          expect(buf.advantages[t * E + e]).toBeCloseTo(ref[t]!, 10);
          if (lambda === 0) expect(buf.returns[t * E + e]).toBeCloseTo(r[t]![e]! + gamma * next[t]!, 10);
        }
        if (lambda === 1) {
          // λ = 1: returns are discounted reward sums to the episode end plus the discounted bootstrap value.
          for (let t = 0; t < T; t++) {
            let g = 0;
            let discount = 1;
            for (let j = t; j < T; j++) {
              g += discount * r[j]![e]!;
              discount *= gamma;
              if (ends[j]) {
                if (!term[j]![e]) g += discount * tv[j]![e]!;
                break;
              }
              if (j === T - 1) g += discount * last[e]!;
            }
            expect(buf.returns[t * E + e]).toBeCloseTo(g, 9);
          }
        }
      }
    }
  });
});

describe('RolloutBuffer with a SAME_STEP vector env (the documented recipe)', () => {
  it('gives the same advantages as per-episode GAE computed on each env alone', () => {
    // env 0 terminates every 3 steps, env 1 is truncated every 2 steps, env 2 ends with both flags every 2 steps.
    const configs = [{ k: 3 }, { k: 5, maxEpisodeSteps: 2 }, { k: 2, maxEpisodeSteps: 2 }];
    const E = configs.length;
    const T = 7;
    const gamma = 0.9;
    const lambda = 0.8;
    const valueOf = (obs: ArrayLike<number>) => 0.5 * obs[1]! + obs[2]! + 0.1 * obs[3]!; // uses the env's noise
    const actionOf = (t: number, e: number) => (t + e) % 2;

    const envs = new SyncVectorEnv(configs.map((c) => () => make('Countdown-v0', c)), { autoresetMode: 'SAME_STEP' });
    const buf = new RolloutBuffer({ numSteps: T, numEnvs: E, obsDim: 4, actionKind: 'discrete', gamma, gaeLambda: lambda });
    let [obs] = envs.reset({ seed: 42 }) as [Float32Array, unknown];
    let sawTruncation = false;
    for (let t = 0; t < T; t++) {
      const actions = Int32Array.from({ length: E }, (_, e) => actionOf(t, e));
      const values = Array.from({ length: E }, (_, e) => valueOf(obs.subarray(e * 4, e * 4 + 4)));
      const [nextObs, rewards, terminations, truncations, infos] = envs.step(actions);
      const finalObs = infos.final_obs as (Float32Array | null)[];
      const truncationValues = new Float64Array(E);
      for (let e = 0; e < E; e++) {
        if (truncations[e] && !terminations[e]) {
          sawTruncation = true;
          truncationValues[e] = valueOf(finalObs[e]!);
        }
      }
      buf.add({ observations: obs, actions, rewards, terminations, truncations, values, logProbs: new Float64Array(E), truncationValues });
      obs = nextObs as Float32Array;
    }
    const lastValues = Array.from({ length: E }, (_, e) => valueOf(obs.subarray(e * 4, e * 4 + 4)));
    buf.computeReturnsAndAdvantages(lastValues);
    envs.close();
    expect(sawTruncation).toBe(true);

    // Reference: each env stepped alone with the same seed and actions; δ uses the true next observation.
    configs.forEach((config, e) => {
      const env = make<Float32Array, number>('Countdown-v0', config);
      let [o] = env.reset({ seed: 42 + e });
      const r: number[] = [];
      const v: number[] = [];
      const next: number[] = [];
      const ends: boolean[] = [];
      const starts: number[] = [];
      let start = 1;
      for (let t = 0; t < T; t++) {
        starts.push(start);
        const [o2, reward, terminated, truncated] = env.step(actionOf(t, e));
        r.push(reward);
        v.push(valueOf(o));
        next.push(terminated ? 0 : valueOf(o2));
        ends.push(terminated || truncated);
        start = terminated || truncated ? 1 : 0;
        o = terminated || truncated ? env.reset()[0] : o2;
      }
      const ref = forwardGae(r, v, next, ends, gamma, lambda);
      for (let t = 0; t < T; t++) {
        expect(buf.advantages[t * E + e]).toBeCloseTo(ref[t]!, 6);
        expect(buf.episodeStarts[t * E + e]).toBe(starts[t]);
      }
      env.close();
    });
  });
});

describe('RolloutBuffer minibatches', () => {
  function filled(numSteps: number, numEnvs: number): RolloutBuffer {
    const buf = new RolloutBuffer({ numSteps, numEnvs, obsDim: 2, actDim: 2 });
    for (let t = 0; t < numSteps; t++) {
      const ids = Array.from({ length: numEnvs }, (_, e) => t * numEnvs + e);
      buf.add({
        observations: Float32Array.from(ids.flatMap((i) => [i, -i])),
        actions: Float32Array.from(ids.flatMap((i) => [i + 0.5, i + 0.25])),
        rewards: ids.map((i) => i),
        values: ids.map((i) => i / 2),
        logProbs: ids.map((i) => -i),
        terminations: ids.map(() => 0),
        truncations: ids.map(() => 0),
      });
    }
    buf.computeReturnsAndAdvantages(new Float64Array(numEnvs));
    return buf;
  }

  it('covers every transition once per pass, is reproducible for a seed, and gathers the right rows', () => {
    const buf = filled(5, 2); // 10 transitions, batches of 4 → 4, 4, 2
    const batches = [...buf.minibatches(4, Rng.fromSeed(3))];
    expect(batches.map((b) => b.indices.length)).toEqual([4, 4, 2]);
    const all = batches.flatMap((b) => Array.from(b.indices)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const again = [...buf.minibatches(4, Rng.fromSeed(3))].map((b) => Array.from(b.indices));
    expect(again).toEqual(batches.map((b) => Array.from(b.indices)));
    const other = [...buf.minibatches(4, Rng.fromSeed(4))].map((b) => Array.from(b.indices));
    expect(other).not.toEqual(again);
    for (const b of batches) {
      b.indices.forEach((i, k) => {
        expect(Array.from(b.observations.subarray(2 * k, 2 * k + 2))).toEqual([i, -i]);
        expect(Array.from(b.actions.subarray(2 * k, 2 * k + 2))).toEqual([i + 0.5, i + 0.25]);
        expect(b.values[k]).toBe(i / 2);
        expect(b.logProbs[k]).toBe(-i);
        expect(b.advantages[k]).toBeCloseTo(buf.advantages[i]!, 5);
        expect(b.returns[k]).toBeCloseTo(buf.returns[i]!, 5);
      });
    }
  });

  it('refuses to sample before the advantages are computed or the buffer is full', () => {
    const buf = new RolloutBuffer({ numSteps: 2, numEnvs: 1, obsDim: 1 });
    buf.add(step({ rewards: [1], values: [0] }, 1));
    expect(() => buf.minibatchIndices(1, Rng.fromSeed(0)).next()).toThrow(InvalidStateError);
    expect(() => buf.computeReturnsAndAdvantages([0])).toThrow(/holds 1 of 2 steps/);
    buf.add(step({ rewards: [1], values: [0] }, 1));
    expect(() => buf.minibatches(1, Rng.fromSeed(0)).next()).toThrow(/computeReturnsAndAdvantages/);
    buf.computeReturnsAndAdvantages([0]);
    expect([...buf.minibatches(1, Rng.fromSeed(0))]).toHaveLength(2);
    // Adding after a reset invalidates the computed advantages.
    buf.reset();
    buf.add(step({ rewards: [1], values: [0] }, 1));
    buf.add(step({ rewards: [1], values: [0] }, 1));
    expect(() => buf.minibatches(1, Rng.fromSeed(0)).next()).toThrow(InvalidStateError);
  });
});

describe('RolloutBuffer input checks', () => {
  it('rejects bad options', () => {
    expect(() => new RolloutBuffer({ numSteps: 0, numEnvs: 1, obsDim: 1 })).toThrow(/numSteps must be a positive integer/);
    expect(() => new RolloutBuffer({ numSteps: 1, numEnvs: 1, obsDim: 1, gamma: 1.5 })).toThrow(/gamma must be a number in \[0, 1\]/);
    expect(() => new RolloutBuffer({ numSteps: 1, numEnvs: 1, obsDim: 1, lambda: 0.9 } as never)).toThrow(/unknown option 'lambda'/);
    expect(() => new RolloutBuffer({ numSteps: 1, numEnvs: 1, obsDim: 1, actionKind: 'box' as never })).toThrow(InvalidArgumentError);
  });

  it('rejects malformed steps without storing anything', () => {
    const buf = new RolloutBuffer({ numSteps: 2, numEnvs: 2, obsDim: 3, actionKind: 'discrete' });
    const good = step({ rewards: [0, 0], values: [0, 0] }, 2, 3);
    expect(() => buf.add({ ...good, observations: new Float32Array(5) })).toThrow(/observations must have length 6, got 5/);
    expect(() => buf.add({ ...good, rewards: [0, NaN] })).toThrow(/rewards\[1\] must be a finite number/);
    expect(() => buf.add({ ...good, actions: [0, 1.5] })).toThrow(/discrete action at index 1 must be a 32-bit integer/);
    expect(() => buf.add({ ...good, terminations: [0, 2] })).toThrow(/terminations\[1\] must be 0\/1/);
    expect(() => buf.add({ ...good, truncations: [0, 1] })).toThrow(/truncationValues .* is required/);
    expect(() => buf.add({ ...good, truncations: [0, 1], truncationValues: [0, Infinity] })).toThrow(/truncationValues\[1\] must be finite/);
    expect(() => buf.add({ ...good, dones: [0, 0] } as never)).toThrow(/unknown field 'dones'/);
    expect(buf.stepCount).toBe(0);
    // Terminated and truncated together needs no truncation value.
    buf.add({ ...good, terminations: [0, 1], truncations: [0, 1] });
    buf.add(good);
    expect(() => buf.add(good)).toThrow(InvalidStateError);
    expect(() => buf.computeReturnsAndAdvantages([0, 0], [1, 0])).toThrow(/lastDones\[0\] = 1 disagrees/);
    expect(() => buf.computeReturnsAndAdvantages([0])).toThrow(/lastValues must have length 2/);
  });
});
