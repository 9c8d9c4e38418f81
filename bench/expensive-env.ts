/**
 * A benchmark-only env whose step burns a fixed amount of CPU (like a physics engine would), so that
 * `AsyncVectorEnv` has work to spread over cores. Importing this module registers `bench/ExpensiveStep-v0`;
 * the registration names this module so async vector workers can import it too.
 */
import { Box } from '../src/core/spaces/box.js';
import { Discrete } from '../src/core/spaces/discrete.js';
import { checkOptions } from '../src/core/options.js';
import { InvalidArgumentError } from '../src/core/errors.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../src/envs/env.js';
import { register, registry } from '../src/envs/registration.js';

export const EXPENSIVE_ENV_ID = 'bench/ExpensiveStep-v0';

export interface ExpensiveStepOptions {
  /** Inner-loop iterations per step (about 1 µs per 100 on a current server core). */
  work?: number;
}

export class ExpensiveStepEnv extends Env<Float32Array, number> {
  private readonly work: number;
  private readonly state = new Float32Array(4);

  constructor(options: ExpensiveStepOptions = {}) {
    super();
    checkOptions('ExpensiveStepEnv', options, ['work']);
    const work = options.work ?? 5000;
    if (!Number.isSafeInteger(work) || work < 0) throw new InvalidArgumentError(`ExpensiveStepEnv work must be a non-negative integer, got ${work}`);
    this.work = work;
    this.observationSpace = new Box<Float32Array>(-1, 1, [4], 'float32');
    this.actionSpace = new Discrete(2);
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    for (let i = 0; i < 4; i++) this.state[i] = this.rng.uniform(-0.05, 0.05);
    return [this.state.slice(), {}];
  }

  override step(action: number): StepResult<Float32Array> {
    this.assertAction(action);
    // Deterministic busy work whose result feeds the observation, so it cannot be optimised away.
    let acc = 0;
    for (let i = 0; i < this.work; i++) acc += Math.sin(i * 0.001 + this.state[0]!);
    const drift = (action === 1 ? 0.01 : -0.01) + 1e-9 * acc;
    for (let i = 0; i < 4; i++) this.state[i] = Math.max(-1, Math.min(1, this.state[i]! * 0.9 + drift));
    return [this.state.slice(), 1, false, false, {}];
  }
}

if (!registry.has(EXPENSIVE_ENV_ID)) {
  register({
    id: EXPENSIVE_ENV_ID,
    entryPoint: (options) => new ExpensiveStepEnv(options as ExpensiveStepOptions),
    module: import.meta.url,
    maxEpisodeSteps: 200,
    description: 'Benchmark env: each step burns CPU (option work = inner iterations)',
  });
}
