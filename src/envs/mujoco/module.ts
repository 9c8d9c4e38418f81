/**
 * The MuJoCo WebAssembly module (`mujoco-js`, the official build): loaded once per process or worker
 * thread and shared by every MuJoCo environment in it. Loading is asynchronous, so `loadMujoco()` must
 * have resolved before an environment is constructed; importing `src/envs/mujoco/index.ts` does that.
 *
 * Also: compiling MJCF strings into models with the parser's message on failure, and reading the message
 * of a C++ exception thrown inside the wasm module (the build does not expose it otherwise).
 */
import { BackendUnavailableError, InvalidArgumentError } from '../../core/errors.js';
import type { MainModule, MjModel } from 'mujoco-js';

export type MujocoModule = MainModule;

let instance: MujocoModule | null = null;
let loading: Promise<MujocoModule> | null = null;
/** Lines the module printed to stderr since the last `takeStderr()` (parser diagnostics land here). */
let stderrLines: string[] = [];
let fileCounter = 0;
const WORK_DIR = '/teleo-mjcf';

/** Loads the wasm module (once per thread); later calls return the same instance. */
export function loadMujoco(): Promise<MujocoModule> {
  if (instance) return Promise.resolve(instance);
  if (!loading) {
    loading = (async () => {
      let factory: (options?: Record<string, unknown>) => Promise<MujocoModule>;
      try {
        factory = (await import('mujoco-js')).default as unknown as typeof factory;
      } catch (err) {
        loading = null;
        throw new BackendUnavailableError(
          'mujoco-js',
          `MuJoCo environments need the 'mujoco-js' package (npm i mujoco-js@0.0.7): ${(err as Error).message}`,
        );
      }
      const mod = await factory({
        // MuJoCo prints its warnings (e.g. a full contact arena) to stdout: pass them on to stderr.
        print: (line: string) => console.warn(`[mujoco] ${line}`),
        printErr: (line: string) => {
          stderrLines.push(line);
          if (stderrLines.length > 100) stderrLines.shift();
        },
      });
      mod.FS.mkdir(WORK_DIR);
      instance = mod;
      return mod;
    })();
  }
  return loading;
}

/** The loaded module; throws a typed error when `loadMujoco()` has not resolved yet. */
export function getMujoco(): MujocoModule {
  if (!instance) {
    throw new BackendUnavailableError(
      'mujoco-js',
      "the MuJoCo wasm module is not loaded yet: `await ready` from src/envs/mujoco/index.ts (or `await loadMujoco()`) before creating a MuJoCo environment",
    );
  }
  return instance;
}

/** True once the module is loaded in this thread. */
export function isMujocoLoaded(): boolean {
  return instance !== null;
}

function takeStderr(): string[] {
  const lines = stderrLines;
  stderrLines = [];
  return lines;
}

/**
 * The message of an exception thrown by MuJoCo's C++ code. mjXError/mjCError keep their text in a char
 * array at the start of the thrown object, which we read straight from wasm memory; other exceptions
 * fall back to their type name.
 */
export function wasmExceptionMessage(mod: MujocoModule, err: unknown, heap: ArrayBuffer): string {
  const e = err as { excPtr?: unknown; name?: unknown; message?: unknown };
  if (typeof e?.excPtr === 'number' && (e.name === 'mjXError' || e.name === 'mjCError')) {
    const bytes = new Uint8Array(heap, e.excPtr, Math.min(1000, heap.byteLength - e.excPtr));
    const end = bytes.indexOf(0);
    const text = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)).trim();
    if (text) return text;
  }
  if (e instanceof Error && e.message) return `${e.name}: ${e.message}`;
  void mod;
  return typeof e?.name === 'string' ? e.name : String(err);
}


let probeModel: MjModel | null = null;
function heapProbe(mod: MujocoModule): ArrayBuffer {
  if (!probeModel) {
    const path = `${WORK_DIR}/probe.xml`;
    mod.FS.writeFile(path, '<mujoco model="probe"><worldbody><body><joint/><geom size="0.1"/></body></worldbody></mujoco>');
    probeModel = mod.MjModel.loadFromXML(path);
    mod.FS.unlink(path);
  }
  return (probeModel.body_mass as Float64Array).buffer as ArrayBuffer;
}

/** Current wasm linear-memory size in bytes (for leak checks). */
export function wasmMemoryBytes(): number {
  return heapProbe(getMujoco()).byteLength;
}

/**
 * Compiles an MJCF document into a model. Invalid MJCF → `InvalidArgumentError` carrying the parser's
 * message (`name` labels the model in the message).
 */
export function compileMjcf(xml: string, name: string): MjModel {
  const mod = getMujoco();
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new InvalidArgumentError(`${name}: MJCF must be a non-empty XML string`);
  }
  const path = `${WORK_DIR}/model-${fileCounter++}.xml`;
  mod.FS.writeFile(path, xml);
  takeStderr();
  try {
    const model = mod.MjModel.loadFromXML(path);
    if (!model) throw new Error('loadFromXML returned nothing');
    return model;
  } catch (err) {
    const printed = takeStderr().join('\n').trim();
    const parsed = wasmExceptionMessage(mod, err, heapProbe(mod));
    throw new InvalidArgumentError(`${name}: invalid MJCF: ${parsed}${printed ? `\n${printed}` : ''}`, { cause: err });
  } finally {
    mod.FS.unlink(path);
  }
}
