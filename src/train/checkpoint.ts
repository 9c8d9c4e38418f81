/**
 * Checkpoint directories written atomically: every file goes into a sibling temporary directory, which is
 * then renamed onto the target (an existing checkpoint there is moved aside first and removed after), so a
 * reader never sees a partial checkpoint, even if the process dies mid-write.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CorruptFileError } from '../core/errors.js';

let counter = 0;

/** Writes `files` (name → content) as directory `dir`, replacing any previous one atomically. */
export async function writeCheckpointDir(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now()}-${counter++}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    for (const [name, content] of Object.entries(files)) {
      const handle = await open(join(tmp, name), 'w');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    if (existsSync(dir)) {
      const old = join(parent, `.${basename(dir)}.old-${tag}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Reads and parses `<dir>/<name>` as JSON; `CorruptFileError` if it is missing or malformed. */
export async function readCheckpointJson(dir: string, name: string): Promise<Record<string, unknown>> {
  const path = join(dir, name);
  let text: string;
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CorruptFileError(path, `cannot read checkpoint file (${(err as Error).message})`, { cause: err });
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new CorruptFileError(path, `not a valid JSON checkpoint file (${(err as Error).message})`, { cause: err });
  }
}
