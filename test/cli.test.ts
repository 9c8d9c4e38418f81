import { describe, expect, it } from 'vitest';
import { benchMode, formatBenchResult } from '../src/cli/bench-command.js';
import { main } from '../src/cli/index.js';
import { cli } from './fixtures/cli.js';
import { formatEnvList, listEnvs } from '../src/cli/envs-command.js';
import { markdownTable, textTable } from '../src/cli/table.js';
import { measureThroughput } from '../src/cli/throughput.js';
import { InvalidArgumentError, UnknownEnvError } from '../src/core/errors.js';

describe('teleo envs', () => {
  it('lists CartPole-v1 with its spaces, time limit and reward threshold, columns aligned', async () => {
    const { code, out, err } = await cli('envs');
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^ID\s+Observation space\s+Action space\s+Max steps\s+Reward threshold$/);
    const cartpole = lines.find((l) => l.startsWith('CartPole-v1 '));
    expect(cartpole).toBeDefined();
    expect(cartpole).toContain('Discrete(2)');
    // float32 bounds are written as the shortest decimal that reads back as the same float32.
    expect(cartpole).toContain('Box([-4.8, -inf, -0.41887903, -inf], [4.8, inf, 0.41887903, inf], (4,), float32)');
    expect(cartpole).toMatch(/\s500\s+475$/);
    // Every column starts at the same offset on each row: the header's "Action space" lines up with the row's.
    const actionCol = lines[0]!.indexOf('Action space');
    expect(cartpole!.slice(actionCol).startsWith('Discrete(2)')).toBe(true);
    expect(out).toMatch(/\d+ environments registered\.$/);
  });

  it('--json prints the same envs as data', async () => {
    const { code, out } = await cli('envs', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { id: string; actionSpace: string; maxEpisodeSteps: number | null }[];
    expect(parsed.map((e) => e.id)).toEqual(listEnvs().map((e) => e.id));
    const cartpole = parsed.find((e) => e.id === 'CartPole-v1');
    expect(cartpole?.actionSpace).toBe('Discrete(2)');
    expect(cartpole?.maxEpisodeSteps).toBe(500);
  });

  it('says so when nothing is registered', () => {
    expect(formatEnvList([])).toBe('No environments are registered.');
  });
});

describe('teleo bench env', () => {
  it('prints env-steps/s, steps, wall time and the machine', async () => {
    const { code, out, err } = await cli('bench', 'env', 'CartPole-v1', '--steps', '2000', '--seed', '3');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^CartPole-v1: make\(\) env/);
    expect(out).toMatch(/^ {2}[\d,]+(\.\d)? env-steps\/s$/m);
    expect(out).toMatch(/2,000 env-steps timed in \d+\.\d{3} s \(200 warm-up steps excluded\), [\d,]+ episodes/);
    expect(out).toMatch(/machine: .+, \d+ cores?, Node v\d+/);
  });

  it('--num-envs 4 runs a SyncVectorEnv and counts env-steps', async () => {
    const { code, out, err } = await cli('bench', 'env', 'CartPole-v1', '--num-envs', '4', '--steps', '4000', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ mode: 'sync', numEnvs: 4, steps: 4000, warmupSteps: 400 });
    // A random CartPole episode lasts tens of steps, so 4000 env-steps finish many episodes.
    expect(r.episodes).toBeGreaterThan(4000 / 200);
  });

  it('--vector async runs worker threads and closes them', async () => {
    const { code, out, err } = await cli('bench', 'env', 'CartPole-v1', '--num-envs', '4', '--vector', 'async', '--envs-per-worker', '2', '--steps', '2000');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^CartPole-v1: AsyncVectorEnv of 4 \(2 worker threads\)$/m);
    expect(out).toMatch(/^ {2}[\d,]+(\.\d)? env-steps\/s$/m);
  });

  it('--raw --json reports the unwrapped env as data', async () => {
    const { code, out } = await cli('bench', 'env', 'CartPole-v1', '--steps', '500', '--warmup', '0', '--raw', '--json');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ envId: 'CartPole-v1', mode: 'raw', numEnvs: 1, steps: 500, warmupSteps: 0 });
    expect(r.stepsPerSecond).toBeCloseTo(500 / r.seconds, 6);
    expect(typeof r.machine.cpuModel).toBe('string');
  });

  it('an unknown id exits 1 with one line naming close matches', async () => {
    const { code, out, err } = await cli('bench', 'env', 'CartPol-v1', '--steps', '10');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain("teleo: UnknownEnvError: Environment 'CartPol-v1' is not registered.");
    expect(err).toContain("Did you mean: 'CartPole-v1'");
  });

  it.each([
    [['--steps', 'abc'], /option '--steps <n>' argument 'abc' is invalid/],
    [['--steps', '0'], /argument '0' is invalid\. expected an integer >= 1/],
    [['--seed', '-1'], /option '--seed <s>' argument '-1' is invalid/],
    [['--num-envs', '2.5'], /option '--num-envs <n>' argument '2\.5' is invalid/],
    [['--vector', 'threads'], /argument 'threads' is invalid\. Allowed choices are none, sync, async/],
    [['--num-envs', '4', '--vector', 'none'], /InvalidArgumentError: --num-envs 4 needs a vector env/],
  ])('bad input %j exits 1 with one clear line', async (extra, pattern) => {
    const { code, out, err } = await cli('bench', 'env', 'CartPole-v1', ...extra);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(pattern);
  });

  it('main() (the bin entry) sets the process exit code instead of exiting', async () => {
    const saved = process.exitCode;
    const write = process.stderr.write;
    const lines: string[] = [];
    process.stderr.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      await main(['node', 'teleo', 'bench', 'env', 'NoSuchEnv-v0']);
      expect(process.exitCode).toBe(1);
      expect(lines.join('')).toBe("teleo: UnknownEnvError: Environment 'NoSuchEnv-v0' is not registered.\n");
    } finally {
      process.stderr.write = write;
      process.exitCode = saved;
    }
  });

  it('resolves the measurement mode from --vector, --num-envs and --raw', () => {
    expect(benchMode({ numEnvs: 1 })).toBe('make');
    expect(benchMode({ numEnvs: 1, raw: true })).toBe('raw');
    expect(benchMode({ numEnvs: 4 })).toBe('sync');
    expect(benchMode({ numEnvs: 4, vector: 'async' })).toBe('async');
    expect(() => benchMode({ numEnvs: 4, vector: 'sync', raw: true })).toThrow(InvalidArgumentError);
  });
});

describe('measureThroughput', () => {
  it('is reproducible in what it runs: same seed, same number of episodes', async () => {
    const a = await measureThroughput({ envId: 'CartPole-v1', mode: 'make', steps: 3000, warmupSteps: 0, seed: 7 });
    const b = await measureThroughput({ envId: 'CartPole-v1', mode: 'make', steps: 3000, warmupSteps: 0, seed: 7 });
    expect(a.episodes).toBe(b.episodes);
    expect(a.episodes).toBeGreaterThan(3000 / 500);
    expect(a.stepsPerSecond).toBeGreaterThan(0);
  });

  it('rounds vector runs up to whole vector steps', async () => {
    const r = await measureThroughput({ envId: 'MountainCar-v0', mode: 'sync', numEnvs: 4, steps: 1001, warmupSteps: 0, seed: 1 });
    expect(r.steps).toBe(1004);
    // MountainCar under a random policy never reaches the goal: every episode is truncated at 200 steps.
    expect(r.episodes).toBe(4);
  });

  it('rejects bad options with typed errors', async () => {
    await expect(measureThroughput({ envId: 'Nope-v0', mode: 'make', steps: 10 })).rejects.toBeInstanceOf(UnknownEnvError);
    await expect(measureThroughput({ envId: 'CartPole-v1', mode: 'make', steps: -1 })).rejects.toThrow(/steps must be a positive integer/);
    await expect(measureThroughput({ envId: 'CartPole-v1', mode: 'raw', numEnvs: 2, steps: 10 })).rejects.toThrow(/numEnvs must be 1/);
    await expect(measureThroughput({ envId: 'CartPole-v1', mode: 'sync', numEnvs: 2, steps: 10, envsPerWorker: 2 })).rejects.toThrow(
      /envsPerWorker applies only to mode 'async'/,
    );
  });

  it('formats results on four lines', () => {
    const text = formatBenchResult(
      { envId: 'X-v0', mode: 'sync', numEnvs: 8, steps: 8000, warmupSteps: 800, seconds: 0.5, stepsPerSecond: 16000, episodes: 12, workers: 0 },
      'CPU, 2 cores, Node v20',
    );
    expect(text.split('\n')).toEqual([
      'X-v0: SyncVectorEnv of 8',
      '  16,000 env-steps/s',
      '  8,000 env-steps timed in 0.500 s (800 warm-up steps excluded), 12 episodes',
      '  machine: CPU, 2 cores, Node v20',
    ]);
  });
});

describe('tables', () => {
  it('aligns text and markdown columns, right-aligning numbers', () => {
    const cols = [{ header: 'Env' }, { header: 'Rate', align: 'right' as const }];
    expect(textTable(cols, [['a', '1'], ['bbbbb', '100']]).split('\n')).toEqual(['Env    Rate', '-----  ----', 'a         1', 'bbbbb   100']);
    expect(markdownTable(cols, [['a', '1']]).split('\n')).toEqual(['| Env | Rate |', '|-----|-----:|', '| a   |    1 |']);
  });
});
