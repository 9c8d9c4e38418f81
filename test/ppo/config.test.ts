/** PPO config validation, schedules and presets. */
import { describe, expect, it } from 'vitest';
import { parsePPOConfig, ppoPreset, toScheduleFn } from '../../src/algos/ppo/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

describe('parsePPOConfig', () => {
  it("fills SB3's defaults", () => {
    const c = parsePPOConfig({});
    expect(c).toMatchObject({ learningRate: 3e-4, nSteps: 2048, batchSize: 64, nEpochs: 10, gamma: 0.99, gaeLambda: 0.95, clipRange: 0.2, clipRangeVf: null });
    expect(c).toMatchObject({ normalizeAdvantage: true, entCoef: 0, vfCoef: 0.5, maxGradNorm: 0.5, targetKl: null, nEnvs: 1, normalize: false });
    expect(c.policyKwargs).toEqual({ netArch: [64, 64], activationFn: 'tanh', orthoInit: true, logStdInit: 0 });
    expect(c.normalizeKwargs).toMatchObject({ normObs: true, normReward: true, clipObs: 10, clipReward: 10 });
  });

  it.each([
    [{ batchsize: 64 }, /'batchsize': unknown key/],
    [{ nSteps: 0 }, /'nSteps'/],
    [{ nEpochs: 1.5 }, /'nEpochs'/],
    [{ gaeLambda: -0.1 }, /'gaeLambda'/],
    [{ learningRate: 'cos_1e-3' }, /'learningRate'/],
    [{ policyKwargs: { netArch: [64, 0] } }, /'policyKwargs.netArch.1'/],
    [{ normalizeKwargs: { clipObs: 10, foo: 1 } }, /'normalizeKwargs.foo': unknown key/],
    [{ seed: -1 }, /'seed'/],
    [[], /must be an object/],
  ])('rejects %j', (input, message) => {
    expect(() => parsePPOConfig(input)).toThrow(InvalidArgumentError);
    expect(() => parsePPOConfig(input)).toThrow(message);
  });

  it('reads linear schedules as RL-Zoo does', () => {
    const f = toScheduleFn('lin_0.001', 'learningRate');
    expect(f(1)).toBeCloseTo(0.001, 12);
    expect(f(0.25)).toBeCloseTo(0.00025, 12);
    expect(toScheduleFn(0.2, 'clipRange')(0.1)).toBe(0.2);
  });

  it('has the zoo presets and rejects unknown ones', () => {
    expect(ppoPreset('zoo', 'CartPole-v1').config).toMatchObject({ nEnvs: 8, nSteps: 32, batchSize: 256, nEpochs: 20, learningRate: 'lin_0.001' });
    for (const id of ['Acrobot-v1', 'Pendulum-v1', 'MountainCarContinuous-v0']) expect(() => parsePPOConfig(ppoPreset('zoo', id).config)).not.toThrow();
    expect(() => ppoPreset('zo', 'CartPole-v1')).toThrow(/did you mean 'zoo'/);
    expect(() => ppoPreset('zoo', 'Hopper-v4')).toThrow(/no entry for 'Hopper-v4'/);
  });
});
