/**
 * Bootstrapping on truncation, checked on a toy MDP whose value is known in closed form.
 *
 * `test/ConstantReward-v0`: the observation is always [1], there are two actions that do nothing, the reward
 * is 1 on every step and the MDP never terminates; `make` cuts episodes with a time limit of T = 5 steps.
 * Truncation is not termination, so with discount γ = 0.9 every state is worth
 *
 *   V* = Σ_k γ^k = 1 / (1 − γ) = 10.
 *
 * A learner that wrongly treated truncation as termination would, since the observation does not reveal the
 * time step, learn the mean discounted return to the cut over the steps of an episode,
 *
 *   V_cut = (1/T) Σ_{t=0}^{T-1} (1 − γ^(T−t)) / (1 − γ) ≈ 2.63 (T = 5, γ = 0.9),
 *
 * so the two are far apart and a test of "≈ 10" fails for a learner that ignores truncation.
 *
 * Two levels: PPO trained on the env must learn V([1]) ≈ 10, and a RolloutBuffer filled from the env through
 * a SAME_STEP SyncVectorEnv with the exact value function V ≡ 10 must give λ-returns of exactly 10 (and does
 * not when the truncations are passed as terminations).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../src/algos/ppo/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Box } from '../../src/core/spaces/box.js';
import { Discrete } from '../../src/core/spaces/discrete.js';
import { RolloutBuffer } from '../../src/data/rollout-buffer.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../src/envs/env.js';
import { make, register } from '../../src/envs/registration.js';
import { SyncVectorEnv } from '../../src/envs/vector/sync-vector-env.js';

const ID = 'test/ConstantReward-v0';
const T = 5;
const GAMMA = 0.9;
const V_TRUE = 1 / (1 - GAMMA); // 10
/** What a learner that bootstraps 0 at the time limit converges to (see the header). */
const V_CUT = (() => {
  let s = 0;
  for (let t = 0; t < T; t++) s += (1 - GAMMA ** (T - t)) / (1 - GAMMA);
  return s / T;
})();
const OBS = Float32Array.of(1);

class ConstantRewardEnv extends Env<Float32Array, number> {
  constructor() {
    super();
    this.observationSpace = new Box(0, 2, [1], 'float32');
    this.actionSpace = new Discrete(2);
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    return [Float32Array.of(1), {}];
  }

  override step(action: number): StepResult<Float32Array> {
    this.assertAction(action);
    return [Float32Array.of(1), 1, false, false, {}];
  }
}

beforeAll(async () => {
  await initBackend('wasm');
  register({ id: ID, entryPoint: () => new ConstantRewardEnv(), maxEpisodeSteps: T, override: true });
});

describe('toy MDP: reward 1 forever, cut by a time limit', () => {
  it('has the expected reference values', () => {
    expect(V_TRUE).toBeCloseTo(10, 12);
    expect(V_CUT).toBeCloseTo(2.62882, 5);
    // The env is truncated (never terminated) after exactly T steps.
    const env = make(ID);
    env.reset({ seed: 0 });
    for (let t = 1; t <= T; t++) {
      const [, reward, terminated, truncated] = env.step(0);
      expect([reward, terminated, truncated]).toEqual([1, false, t === T]);
    }
    env.close();
  });

  it('PPO learns V = 1/(1-γ) = 10, not the value of treating truncation as termination', async () => {
    // 2 envs × 20 steps = 40 transitions per rollout (8 episodes, so 8 truncations to bootstrap from).
    // A tiny critic and a large learning rate: Adam moves each weight by about lr per step whatever the
    // gradient's scale, so the head reaches 10 within a few rollouts; the λ-return targets then contract
    // towards the fixed point 10 from one rollout to the next. maxGradNorm off so clipping does not slow it.
    const model = new PPO(ID, {
      nEnvs: 2,
      nSteps: 20,
      batchSize: 40,
      nEpochs: 10,
      gamma: GAMMA,
      gaeLambda: 0.95,
      learningRate: 0.03,
      vfCoef: 1,
      maxGradNorm: null,
      seed: 0,
      policyKwargs: { netArch: [8] },
    });
    const before = model.policy.valuesJs(OBS, 1)[0]!;
    await model.learn({ totalTimesteps: 40 * 60 });
    const v = model.policy.valuesJs(OBS, 1)[0]!;
    // The untrained critic starts near 0 (output gain 1, one unit in), so reaching 10 is learnt, not given.
    expect(Math.abs(before - V_TRUE)).toBeGreaterThan(5);
    // Tolerance 0.5 (5 %): the targets are exact in expectation (deterministic rewards, one state), so the
    // remaining error is Adam's jitter around the fixed point and the geometric lag of bootstrapped targets;
    // it is far below the gap |V_TRUE − V_CUT| ≈ 7.4, so a learner that cut the return at the time limit
    // (V ≈ 2.6) fails this assertion by a wide margin.
    expect(Math.abs(v - V_TRUE)).toBeLessThan(0.5);
    expect(Math.abs(v - V_CUT)).toBeGreaterThan(5);
    model.close();
  });
});

describe('RolloutBuffer on the toy MDP (SAME_STEP, exact V ≡ 10)', () => {
  function fill(truncationAsTermination: boolean): RolloutBuffer {
    const E = 2;
    const numSteps = 12; // not a multiple of T: truncations land mid-rollout, the rollout ends mid-episode
    const envs = new SyncVectorEnv(Array.from({ length: E }, () => () => make(ID)), { autoresetMode: 'SAME_STEP' });
    const buffer = new RolloutBuffer({ numSteps, numEnvs: E, obsDim: 1, actionKind: 'discrete', gamma: GAMMA, gaeLambda: 0.95 });
    const V = (): Float64Array => new Float64Array(E).fill(V_TRUE);
    let [obs] = envs.reset({ seed: 0 });
    let truncationsSeen = 0;
    for (let t = 0; t < numSteps; t++) {
      const [next, rewards, terminations, truncations, infos] = envs.step(new Int32Array(E));
      const truncationValues = new Float64Array(E);
      for (let e = 0; e < E; e++) {
        if (truncations[e] && !terminations[e]) {
          truncationsSeen += 1;
          expect((infos._final_obs as ArrayLike<boolean>)[e]).toBe(true);
          truncationValues[e] = V_TRUE; // V(infos.final_obs[e]): every state is worth 10
        }
      }
      buffer.add({
        observations: obs as Float32Array,
        actions: new Int32Array(E),
        rewards,
        terminations: truncationAsTermination ? truncations : terminations,
        truncations,
        values: V(),
        logProbs: new Float64Array(E),
        truncationValues,
      });
      obs = next;
    }
    expect(truncationsSeen).toBe(E * Math.floor(numSteps / T));
    buffer.computeReturnsAndAdvantages(V());
    envs.close();
    return buffer;
  }

  it('gives λ-returns of exactly 10 and zero advantages when truncation bootstraps', () => {
    const buffer = fill(false);
    expect(Array.from(buffer.returns)).toEqual(new Array(buffer.size).fill(V_TRUE));
    expect(Array.from(buffer.advantages)).toEqual(new Array(buffer.size).fill(0));
  });

  it('would not if truncation were treated as termination', () => {
    const buffer = fill(true);
    // At a cut step the target collapses to the reward alone: r + γ·0 = 1.
    const cut = Array.from(buffer.returns).filter((_, i) => buffer.truncations[i] === 1);
    expect(cut.length).toBeGreaterThan(0);
    for (const r of cut) expect(r).toBe(1);
    expect(Math.min(...buffer.returns)).toBeLessThan(V_TRUE - 5);
  });
});
