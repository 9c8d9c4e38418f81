/**
 * Where a MuJoCo env step's time goes: for each task, env-steps/s of the raw env (random actions, resets
 * when episodes end) against the same number of bare `mj_step` calls (frame_skip per env step) on the
 * env's own model, so the rest — action checks, observation, reward, info, reset — shows as overhead.
 *
 *   npx tsx bench/mujoco-step-overhead.ts [--steps 20000] [--env ID ...]
 */
import { describeMachine } from '../src/cli/machine.js';
import { Rng } from '../src/core/rng.js';
import { make, registry } from '../src/envs/registration.js';
import { ready } from '../src/envs/mujoco/index.js';
import { MujocoEnv } from '../src/envs/mujoco/mujoco-env.js';

const argv = process.argv.slice(2);
const steps = argv.includes('--steps') ? Number(argv[argv.indexOf('--steps') + 1]) : 20_000;
const chosen = argv.flatMap((a, i) => (a === '--env' ? [argv[i + 1]!] : []));

await ready;
const ids = chosen.length ? chosen : [...registry.keys()].filter((id) => id.endsWith('-v5') && registry.get(id)!.module?.includes('mujoco'));
console.log(`${steps} env-steps per cell; ${describeMachine()}\n`);
console.log('| Env | frame_skip | env.step (env-steps/s) | bare mj_step × frame_skip (env-steps/s) | share outside mj_step |');
console.log('|---|--:|--:|--:|--:|');
for (const id of ids) {
  const env = make(id).unwrapped as MujocoEnv;
  const rng = Rng.fromSeed(0);
  const nu = env.model.nu;
  const actions = Array.from({ length: 64 }, () => Float32Array.from({ length: nu }, () => rng.uniform(-1, 1)));
  env.reset({ seed: 0 });
  // Warm-up (JIT), then the timed env loop.
  for (let i = 0; i < 2000; i++) if (env.step(actions[i & 63]!)[2]) env.reset();
  let t = performance.now();
  for (let i = 0; i < steps; i++) {
    const [, , terminated] = env.step(actions[i & 63]!);
    if (terminated) env.reset();
  }
  const envRate = steps / ((performance.now() - t) / 1000);
  // Bare physics on the same model, same controls, resetting every 1000 env steps to stay in range.
  const m = env.model;
  const d = env.data;
  const mj = (env as unknown as { mj: { mj_step: (m: unknown, d: unknown) => void; mj_resetData: (m: unknown, d: unknown) => void } }).mj;
  mj.mj_resetData(m, d);
  t = performance.now();
  for (let i = 0; i < steps; i++) {
    (d.ctrl as Float64Array).set(actions[i & 63]!);
    for (let k = 0; k < env.frameSkip; k++) mj.mj_step(m, d);
    if (i % 1000 === 999) mj.mj_resetData(m, d);
  }
  const physRate = steps / ((performance.now() - t) / 1000);
  console.log(`| ${id} | ${env.frameSkip} | ${Math.round(envRate)} | ${Math.round(physRate)} | ${(100 * (1 - envRate / physRate)).toFixed(0)}% |`);
  env.close();
}
