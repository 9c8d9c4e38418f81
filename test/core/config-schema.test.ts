import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfigObject } from '../../src/core/config-schema.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

const schema = z
  .object({
    learningRate: z.number().positive().default(3e-4),
    policyKwargs: z.object({ netArch: z.array(z.number().int()).default([64, 64]) }).strict().prefault({}),
  })
  .strict();

describe('parseConfigObject', () => {
  it('fills defaults, including nested ones', () => {
    expect(parseConfigObject('Toy', schema, undefined)).toEqual({ learningRate: 3e-4, policyKwargs: { netArch: [64, 64] } });
    expect(parseConfigObject('Toy', schema, { learningRate: 1 }).learningRate).toBe(1);
  });

  it('names the key and lists the accepted keys at its level', () => {
    expect(() => parseConfigObject('Toy', schema, { learningrate: 1 })).toThrow(/Toy config: 'learningrate': unknown key \(accepted: learningRate, policyKwargs\)/);
    expect(() => parseConfigObject('Toy', schema, { policyKwargs: { netarch: [8] } })).toThrow(
      /Toy config: 'policyKwargs.netarch': unknown key \(accepted: netArch\)/,
    );
    expect(() => parseConfigObject('Toy', schema, { learningRate: -1 })).toThrow(/Toy config: 'learningRate': /);
  });

  it('refuses a config that is not a plain object', () => {
    for (const bad of [null, 3, 'x', [1]]) {
      expect(() => parseConfigObject('Toy', schema, bad)).toThrow(InvalidArgumentError);
      expect(() => parseConfigObject('Toy', schema, bad)).toThrow(/Toy config must be an object/);
    }
  });
});
