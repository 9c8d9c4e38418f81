import { describe, expect, it } from 'vitest';
import { Box, Rng } from '../src/core/index.js';

describe('smoke', () => {
  it('seeded rng is deterministic', () => {
    expect(Rng.fromSeed(1).random()).toBe(Rng.fromSeed(1).random());
    expect(new Box(-1, 1, [3], 'float32', 0).sample()).toEqual(new Box(-1, 1, [3], 'float32', 0).sample());
  });
});
