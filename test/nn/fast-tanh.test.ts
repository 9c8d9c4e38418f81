/** tanhInPlace agrees with Math.tanh rounded to float32 (to 1 ulp, rarely off at all) and keeps its special values. */
import { describe, expect, it } from 'vitest';
import { tanhInPlace } from '../../src/nn/fast-tanh.js';

describe('tanhInPlace', () => {
  it('matches float32(Math.tanh) to 1 ulp over float32 values of every magnitude and sign', () => {
    const n = 400_000;
    const x = new Float32Array(n);
    const bits = new Uint32Array(x.buffer);
    // Spread over all float32 magnitudes below 11 (bit patterns), both signs.
    for (let i = 0; i < n; i++) bits[i] = ((Math.imul(i, 2654435761) >>> 0) % 0x41300000) | ((i & 1) << 31);
    const got = Float32Array.from(x);
    tanhInPlace(got);
    const want = Float32Array.from(x, (v) => Math.tanh(v));
    const gotBits = new Int32Array(got.buffer);
    const wantBits = new Int32Array(want.buffer);
    let differing = 0;
    for (let i = 0; i < n; i++) {
      if (gotBits[i] !== wantBits[i]) {
        differing += 1;
        expect(Math.abs(gotBits[i]! - wantBits[i]!), `x = ${x[i]}`).toBe(1);
      }
    }
    expect(differing).toBeLessThan(n * 1e-4);
  });

  it('is exact at the special values and saturates', () => {
    const z = Float32Array.of(0, -0, Infinity, -Infinity, NaN, 30, -30, 1e-30, -1e-30);
    tanhInPlace(z);
    expect(Object.is(z[0], 0)).toBe(true);
    expect(Object.is(z[1], -0)).toBe(true);
    expect([z[2], z[3], z[5], z[6]]).toEqual([1, -1, 1, -1]);
    expect(Number.isNaN(z[4])).toBe(true);
    expect(z[7]).toBe(Math.fround(1e-30));
    expect(z[8]).toBe(Math.fround(-1e-30));
  });

  it('only touches the first n values when n is given', () => {
    const z = Float32Array.of(1, 2, 3);
    tanhInPlace(z, 2);
    expect(z[0]).toBe(Math.fround(Math.tanh(1)));
    expect(z[1]).toBe(Math.fround(Math.tanh(2)));
    expect(z[2]).toBe(3);
  });
});
