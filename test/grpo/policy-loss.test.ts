/**
 * The GRPO-family policy loss against hand-computed values: every clip rule (DCPO's bound vectors included),
 * dual-clip, each aggregation on a ragged mask, the k3 KL, the clip statistics; its gradient against central
 * finite differences; no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/core/backend.js';
import { InvalidArgumentError, TeleoError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { dcpoRatioBounds, policyLoss, type ClipRule, type LossAggregation, type PolicyLossConfig, type PolicyLossInput } from '../../src/algos/grpo/policy-loss.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Log-probs whose ratio to `old` is exactly `ratios` (row-major N×T). */
function logProbsFor(ratios: number[], old: number[], n: number, t: number): tf.Tensor2D {
  return tf.tensor2d(ratios.map((r, j) => Math.log(r) + old[j]!), [n, t]);
}

function lossValue(input: PolicyLossInput, config: PolicyLossConfig): number {
  const { loss } = policyLoss(input, config);
  const v = loss.dataSync()[0]!;
  loss.dispose();
  return v;
}

const symmetric: ClipRule = { type: 'symmetric', epsLow: 0.2, epsHigh: 0.2 };

describe('policyLoss: clip rules and aggregations (hand-computed)', () => {
  // N=2, T=3; A = [+1, −2]; ratios row 0 [1.5, 0.9, 0.7], row 1 [0.5, 1.1, (masked 3.0)].
  // Symmetric ε=.2, per token ℓ = max(−A·r, −A·clip(r, .8, 1.2)):
  //   row 0: −1.2 (r clipped high), −0.9, −0.7 (A>0, r<lo: unclipped branch is the min) → sum −2.8
  //   row 1: 2·max(.5,.8) = 1.6 (clipped low), 2.2                                   → sum 3.8
  const old = [-1, -0.5, -2, -0.3, -1.2, -0.7];
  const ratios = [1.5, 0.9, 0.7, 0.5, 1.1, 3.0];
  const base = (): PolicyLossInput => ({
    logProbs: logProbsFor(ratios, old, 2, 3),
    oldLogProbs: Float32Array.from(old),
    advantages: Float32Array.from([1, -2]),
    mask: Float32Array.from([1, 1, 1, 1, 1, 0]),
    groupOf: Int32Array.from([0, 1]),
    maxResponseLength: 4,
  });
  const cases: [LossAggregation, number][] = [
    ['token-mean', 1.0 / 5],
    ['seq-mean-token-mean', (-2.8 / 3 + 3.8 / 2) / 2],
    ['seq-mean-token-sum', (-2.8 + 3.8) / 2],
    ['seq-mean-token-sum-norm', 1.0 / (2 * 4)],
    ['group-token-mean-sum', -2.8 / 3 + 3.8 / 2],
  ];
  it.each(cases)('symmetric ε = 0.2 with %s', (aggregation, expected) => {
    expect(lossValue(base(), { clip: symmetric, aggregation })).toBeCloseTo(expected, 5);
  });

  it('group-token-mean-sum with both sequences in one group is the token mean', () => {
    expect(lossValue({ ...base(), groupOf: Int32Array.from([3, 3]) }, { clip: symmetric, aggregation: 'group-token-mean-sum' })).toBeCloseTo(0.2, 5);
  });

  it('fully masked sequences are left out of sequence means but counted in Dr.GRPO N', () => {
    const input: PolicyLossInput = {
      logProbs: logProbsFor([...ratios, 1, 1, 1], [...old, 0, 0, 0], 3, 3),
      oldLogProbs: Float32Array.from([...old, 0, 0, 0]),
      advantages: Float32Array.from([1, -2, 5]),
      mask: Float32Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0]),
      groupOf: Int32Array.from([0, 1, 2]),
      maxResponseLength: 4,
    };
    expect(lossValue(input, { clip: symmetric, aggregation: 'seq-mean-token-mean' })).toBeCloseTo((-2.8 / 3 + 3.8 / 2) / 2, 5);
    expect(lossValue(input, { clip: symmetric, aggregation: 'seq-mean-token-sum' })).toBeCloseTo(0.5, 5);
    expect(lossValue(input, { clip: symmetric, aggregation: 'seq-mean-token-sum-norm' })).toBeCloseTo(1.0 / (3 * 4), 5);
    expect(lossValue(input, { clip: symmetric, aggregation: 'group-token-mean-sum' })).toBeCloseTo(-2.8 / 3 + 3.8 / 2, 5);
  });

  it('decoupled clip-higher (0.2, 0.28) moves only the upper bound', () => {
    // Row 0 token 0: clip(1.5) = 1.28 → −1.28; the rest as before: (−2.88 + 3.8)/5.
    expect(lossValue(base(), { clip: { type: 'decoupled', epsLow: 0.2, epsHigh: 0.28 }, aggregation: 'token-mean' })).toBeCloseTo(0.92 / 5, 5);
    // With ε_low = .4 the low-clipped token of row 1 becomes unclipped: 2·max(.5, .6) = 1.2.
    expect(lossValue(base(), { clip: { type: 'decoupled', epsLow: 0.4, epsHigh: 0.28 }, aggregation: 'token-mean' })).toBeCloseTo((-2.88 + 1.2 + 2.2) / 5, 5);
  });

  it('per-token advantages are used as given', () => {
    const input = { ...base(), advantages: Float32Array.from([1, 1, 0, -2, -2, 7]) };
    // Token 2 has A = 0 → 0; the masked token's A never counts.
    expect(lossValue(input, { clip: symmetric, aggregation: 'token-mean' })).toBeCloseTo((-1.2 - 0.9 + 1.6 + 2.2) / 5, 5);
  });

  it('dual-clip caps the loss of negative-advantage tokens at −A·c', () => {
    // Row 1 ratios [0.5, 4.0]: without dual clip ℓ = 2·4 = 8; with c = 3 it is 2·3 = 6. Row 0 r=4 (A>0) is untouched.
    const r = [4.0, 0.9, 0.7, 0.5, 4.0, 3.0];
    const input = { ...base(), logProbs: logProbsFor(r, old, 2, 3) };
    const plain = lossValue(input, { clip: symmetric, aggregation: 'token-mean' });
    expect(plain).toBeCloseTo((-1.2 - 0.9 - 0.7 + 1.6 + 8) / 5, 5);
    const out = policyLoss({ ...input }, { clip: { ...symmetric, dualClipC: 3 }, aggregation: 'token-mean' });
    expect(out.loss.dataSync()[0]).toBeCloseTo((-1.2 - 0.9 - 0.7 + 1.6 + 6) / 5, 5);
    const s = out.stats();
    expect(s.dualClipFraction).toBeCloseTo(1 / 5, 6);
    expect(s.clipFractionHigh).toBeCloseTo(1 / 5, 6); // row 0's r=4 with A>0
    expect(s.clipFractionLow).toBeCloseTo(1 / 5, 6); // row 1's r=.5 with A<0; r=4 with A<0 is dual-clipped, not low
    out.loss.dispose();
  });
});

describe('DCPO dynamic-adaptive bounds', () => {
  // The notes' test vectors for (ε_low, ε_high) = (0.16, 0.2).
  it.each([
    [0.9, 0.769, 1.187],
    [0.5, 0.5, 1.306],
    [0.1, 0.5, 2.0],
    [0.01, 0.5, 5.0],
    [0.001, 0.5, 10],
  ])('q = %f → [%f, %f]', (q, lo, hi) => {
    const [l, h] = dcpoRatioBounds(q, 0.16, 0.2);
    expect(l).toBeCloseTo(lo, 3);
    expect(h).toBeCloseTo(hi, 3);
  });

  it('the cap is configurable and q = 0 gives the limit', () => {
    expect(dcpoRatioBounds(0.001, 0.16, 0.2, 20)[1]).toBeCloseTo(0.5 + 0.5 * Math.sqrt(801), 6);
    expect(dcpoRatioBounds(0, 0.16, 0.2)).toEqual([0.5, 10]);
    expect(() => dcpoRatioBounds(1.5, 0.16, 0.2)).toThrow(/probability/);
    expect(() => dcpoRatioBounds(0.5, 0, 0.2)).toThrow(/epsLow/);
  });

  it('the loss clips each token at its own bounds', () => {
    // Old probs [.5, .01, .9] → bounds [.5, 1.306226], [.5, 5], [.768742, 1.187184]; ratios [2, 3, .7].
    const oldL = [Math.log(0.5), Math.log(0.01), Math.log(0.9)];
    const hi05 = 0.5 + 0.5 * Math.sqrt(1 + 0.8 / 0.5); // 1.306226
    const lo09 = 0.5 + 0.5 * Math.sqrt(1 - 0.64 / 0.9); // 0.768742
    const input = (a: number): PolicyLossInput => ({
      logProbs: logProbsFor([2, 3, 0.7], oldL, 1, 3),
      oldLogProbs: Float32Array.from(oldL),
      advantages: Float32Array.from([a]),
      mask: Float32Array.from([1, 1, 1]),
    });
    const clip: ClipRule = { type: 'dcpo-dynamic', epsLow: 0.16, epsHigh: 0.2 };
    // A = +1: −min(r, clip r) = [−1.306226, −3, −.7]; token 0 clipped high.
    const pos = policyLoss(input(1), { clip, aggregation: 'seq-mean-token-sum' });
    expect(pos.loss.dataSync()[0]).toBeCloseTo(-hi05 - 3 - 0.7, 5);
    expect(pos.stats()).toMatchObject({ clipFractionHigh: 1 / 3, clipFractionLow: 0, tokenCount: 3 });
    // A = −1: max(r, clip r) = [2, 3, .768742]; token 2 clipped low. Dual-clip c = 2.5 caps token 1 at 2.5.
    const neg = policyLoss(input(-1), { clip: { ...clip, dualClipC: 2.5 }, aggregation: 'seq-mean-token-sum' });
    expect(neg.loss.dataSync()[0]).toBeCloseTo(2 + 2.5 + lo09, 5);
    const s = neg.stats();
    expect(s.clipFractionLow).toBeCloseTo(1 / 3, 6);
    expect(s.dualClipFraction).toBeCloseTo(1 / 3, 6);
    pos.loss.dispose();
    neg.loss.dispose();
  });
});

describe('policyLoss: KL to the reference and statistics', () => {
  it('adds klCoef · k3 with verl’s clamps', () => {
    // A = 0 (no policy-gradient term); d = ref − logp = [.5, −1, 0] → k3 = [e^.5 − 1.5, e^−1, 0].
    const lp = [-1, -2, -0.5];
    const ref = [-0.5, -3, -0.5];
    const input: PolicyLossInput = {
      logProbs: tf.tensor2d(lp, [1, 3]),
      oldLogProbs: Float32Array.from(lp),
      refLogProbs: Float32Array.from(ref),
      advantages: Float32Array.from([0]),
      mask: Float32Array.from([1, 1, 1]),
    };
    const k3 = [Math.exp(0.5) - 1.5, Math.exp(-1), 0];
    const out = policyLoss(input, { clip: symmetric, aggregation: 'token-mean', klCoef: 0.1 });
    expect(out.loss.dataSync()[0]).toBeCloseTo((0.1 * (k3[0]! + k3[1]!)) / 3, 6);
    expect(out.stats().klToRef).toBeCloseTo((k3[0]! + k3[1]!) / 3, 5);
    expect(out.stats().approxKl).toBeCloseTo(0, 6); // ratio 1 everywhere
    out.loss.dispose();
    // d = 25 is clamped to 20, and e^20 − 21 to 10.
    const far = { ...input, refLogProbs: Float32Array.from([24, -2, -0.5]) };
    expect(lossValue(far, { clip: symmetric, aggregation: 'token-mean', klCoef: 1 })).toBeCloseTo((10 + 0 + 0) / 3, 4);
  });

  it('reports ratio mean, approximate KL and clip fractions over masked tokens only', () => {
    const old = [-1, -1, -1, -1];
    const r = [1.5, 0.5, 1.1, 9.0];
    const out = policyLoss(
      { logProbs: logProbsFor(r, old, 2, 2), oldLogProbs: Float32Array.from(old), advantages: Float32Array.from([1, -1]), mask: Float32Array.from([1, 1, 1, 0]) },
      { clip: symmetric, aggregation: 'token-mean' },
    );
    const s = out.stats();
    out.loss.dispose();
    expect(s.tokenCount).toBe(3);
    expect(s.ratioMean).toBeCloseTo((1.5 + 0.5 + 1.1) / 3, 5);
    const k = (x: number): number => x - 1 - Math.log(x);
    expect(s.approxKl).toBeCloseTo((k(1.5) + k(0.5) + k(1.1)) / 3, 5);
    // r=1.5 with A>0: high; r=.5 with A>0: the unclipped branch is active (not clipped); r=1.1 inside.
    expect(s).toMatchObject({ clipFractionHigh: 1 / 3, clipFractionLow: 0, clipFraction: 1 / 3, dualClipFraction: 0, klToRef: 0 });
  });

  it('stats() works after the tensors are disposed', () => {
    const lp = tf.tensor2d([[-1, -2]]);
    const out = policyLoss({ logProbs: lp, oldLogProbs: Float32Array.from([-1, -1]), advantages: Float32Array.from([1]), mask: Float32Array.from([1, 1]) }, { clip: symmetric, aggregation: 'token-mean' });
    out.loss.dispose();
    lp.dispose();
    expect(out.stats().ratioMean).toBeCloseTo((1 + Math.exp(-1)) / 2, 6);
  });
});

describe('policyLoss: bad input', () => {
  const ok = (): PolicyLossInput => ({ logProbs: tf.zeros([2, 2]) as tf.Tensor2D, oldLogProbs: new Float32Array(4), advantages: new Float32Array(2), mask: Float32Array.from([1, 1, 1, 0]) });
  const cfg: PolicyLossConfig = { clip: symmetric, aggregation: 'token-mean' };
  it.each<[string, () => unknown, RegExp]>([
    ['wrong old length', () => policyLoss({ ...ok(), oldLogProbs: new Float32Array(3) }, cfg), /oldLogProbs/],
    ['wrong advantages length', () => policyLoss({ ...ok(), advantages: new Float32Array(3) }, cfg), /advantages/],
    ['non-binary mask', () => policyLoss({ ...ok(), mask: Float32Array.from([1, 0.5, 1, 0]) }, cfg), /mask\[1\] must be 0 or 1/],
    ['NaN old on a counted token', () => policyLoss({ ...ok(), oldLogProbs: Float32Array.from([0, Number.NaN, 0, 0]) }, cfg), /oldLogProbs\[1\]/],
    ['kl without reference', () => policyLoss(ok(), { ...cfg, klCoef: 0.1 }), /refLogProbs/],
    ['unknown aggregation', () => policyLoss(ok(), { ...cfg, aggregation: 'token-sum' as LossAggregation }), /Unknown loss aggregation/],
    ['Dr.GRPO without constant', () => policyLoss(ok(), { ...cfg, aggregation: 'seq-mean-token-sum-norm' }), /maxResponseLength/],
    ['OTM without groups', () => policyLoss(ok(), { ...cfg, aggregation: 'group-token-mean-sum' }), /groupOf/],
    ['asymmetric symmetric rule', () => policyLoss(ok(), { ...cfg, clip: { type: 'symmetric', epsLow: 0.2, epsHigh: 0.28 } }), /decoupled/],
    ['dual clip ≤ 1', () => policyLoss(ok(), { ...cfg, clip: { ...symmetric, dualClipC: 1 } }), /dualClipC/],
    ['unknown clip type', () => policyLoss(ok(), { ...cfg, clip: { type: 'gspo' as 'symmetric', epsLow: 0.2, epsHigh: 0.2 } }), /Unknown clip rule/],
    ['typo in config', () => policyLoss(ok(), { ...cfg, klcoef: 1 } as PolicyLossConfig), /unknown option 'klcoef'/],
  ])('%s → typed error', (_name, call, message) => {
    // Unknown option names raise UnknownOptionError (a TeleoError); everything else InvalidArgumentError.
    expect(call).toThrow(message.source.startsWith('unknown option') ? TeleoError : InvalidArgumentError);
    expect(call).toThrow(message);
  });

  it('NaN on masked-out positions is ignored', () => {
    const v = lossValue({ ...ok(), oldLogProbs: Float32Array.from([0, 0, 0, Number.NaN]), advantages: Float32Array.from([1, 1]) }, cfg);
    expect(v).toBeCloseTo(-1, 6);
  });
});

/** Random inputs whose ratios stay clear of every kink (clip bounds, dual-clip c) by more than the FD step. */
function randomCase(rng: Rng, n: number, t: number, clip: ClipRule): { lp: Float32Array; input: Omit<PolicyLossInput, 'logProbs'> } {
  const old = new Float32Array(n * t);
  const lp = new Float32Array(n * t);
  const ref = new Float32Array(n * t);
  const mask = new Float32Array(n * t);
  const adv = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    adv[i] = i % 2 === 0 ? rng.uniform(0.3, 2) : -rng.uniform(0.3, 2);
    const len = 1 + (i % t); // ragged
    for (let j = 0; j < t; j++) mask[i * t + j] = j < len ? 1 : 0;
  }
  for (let k = 0; k < n * t; k++) {
    old[k] = Math.log(rng.uniform(0.02, 0.95));
    const bounds = clip.type === 'dcpo-dynamic' ? dcpoRatioBounds(Math.exp(old[k]!), clip.epsLow, clip.epsHigh) : [1 - clip.epsLow, 1 + clip.epsHigh];
    const kinks = [...bounds, ...(clip.dualClipC === undefined ? [] : [clip.dualClipC])];
    let r: number;
    do r = Math.exp(rng.uniform(-1, 1.6)); while (kinks.some((b) => Math.abs(Math.log(r) - Math.log(b)) < 0.05));
    lp[k] = old[k]! + Math.log(r);
    ref[k] = lp[k]! + rng.uniform(-1, 1);
  }
  return { lp, input: { oldLogProbs: old, refLogProbs: ref, advantages: adv, mask, groupOf: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 2)), maxResponseLength: t + 2 } };
}

describe('policyLoss: gradient w.r.t. logProbs', () => {
  const rules: ClipRule[] = [symmetric, { type: 'decoupled', epsLow: 0.2, epsHigh: 0.28, dualClipC: 3 }, { type: 'dcpo-dynamic', epsLow: 0.16, epsHigh: 0.2, dualClipC: 10 }];
  const aggregations: LossAggregation[] = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum', 'seq-mean-token-sum-norm', 'group-token-mean-sum'];
  const combos = rules.flatMap((clip, ci) => aggregations.map((aggregation, ai) => ({ clip, aggregation, seed: 10 * ci + ai, name: `${clip.type}${clip.dualClipC ? '+dual' : ''} / ${aggregation}` })));

  it.each(combos)('$name matches central differences (with KL)', ({ clip, aggregation, seed }) => {
    const n = 4;
    const t = 5;
    const { lp, input } = randomCase(Rng.fromSeed(seed), n, t, clip);
    const config: PolicyLossConfig = { clip, aggregation, klCoef: 0.05 };
    const f = (x: Float32Array): number => lossValue({ ...input, logProbs: tf.tensor2d(x, [n, t]) }, config);
    const g = tf.grad((x: tf.Tensor) => policyLoss({ ...input, logProbs: x as tf.Tensor2D }, config).loss);
    const x0 = tf.tensor2d(lp, [n, t]);
    const analytic = g(x0).dataSync();
    x0.dispose();
    const h = 1e-2;
    let scale = 0;
    for (let k = 0; k < lp.length; k++) scale = Math.max(scale, Math.abs(analytic[k]!));
    expect(scale).toBeGreaterThan(1e-3);
    for (let k = 0; k < lp.length; k++) {
      const plus = Float32Array.from(lp);
      const minus = Float32Array.from(lp);
      plus[k] = plus[k]! + h;
      minus[k] = minus[k]! - h;
      const numeric = (f(plus) - f(minus)) / (2 * h);
      expect(Math.abs(analytic[k]! - numeric)).toBeLessThan(2e-3 * Math.max(1, scale));
      if (input.mask[k] === 0) expect(Math.abs(analytic[k]!)).toBe(0);
    }
  });
});

describe('policyLoss: memory', () => {
  it('leaves no tensors behind over many updates', () => {
    const clip: ClipRule = { type: 'dcpo-dynamic', epsLow: 0.16, epsHigh: 0.2, dualClipC: 10 };
    const { lp, input } = randomCase(Rng.fromSeed(3), 6, 8, clip);
    const v = tf.variable(tf.tensor2d(lp, [6, 8]));
    const config: PolicyLossConfig = { clip, aggregation: 'group-token-mean-sum', klCoef: 0.01 };
    const before = tf.memory().numTensors;
    for (let step = 0; step < 40; step++) {
      const { value, grads } = tf.variableGrads(() => policyLoss({ ...input, logProbs: v as unknown as tf.Tensor2D }, config).loss);
      tf.tidy(() => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01))));
      value.dispose();
      tf.dispose(grads);
    }
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });
});

describe('policyLoss on the wasm backend', () => {
  it('gives the same loss and gradient as on cpu', async () => {
    const clip: ClipRule = { type: 'dcpo-dynamic', epsLow: 0.16, epsHigh: 0.2, dualClipC: 10 };
    const { lp, input } = randomCase(Rng.fromSeed(5), 4, 6, clip);
    const config: PolicyLossConfig = { clip, aggregation: 'group-token-mean-sum', klCoef: 0.05 };
    const run = (): { value: number; grad: Float32Array } => {
      const x = tf.tensor2d(lp, [4, 6]);
      const { value, grad } = tf.valueAndGrad((y: tf.Tensor) => policyLoss({ ...input, logProbs: y as tf.Tensor2D }, config).loss)(x);
      const out = { value: value.dataSync()[0]!, grad: Float32Array.from(grad.dataSync()) };
      tf.dispose([x, value, grad]);
      return out;
    };
    const cpu = run();
    await initBackend('wasm');
    try {
      const wasm = run();
      expect(wasm.value).toBeCloseTo(cpu.value, 5);
      wasm.grad.forEach((g, k) => expect(g).toBeCloseTo(cpu.grad[k]!, 5));
    } finally {
      await initBackend('cpu');
    }
  });
});
