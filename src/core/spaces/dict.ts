import { InvalidArgumentError, InvalidSpaceError } from '../errors.js';
import type { Rng } from '../rng.js';
import { Space, resolveSampleArgs, type SampleOptions, type SpaceJSON, type TypedArray } from './space.js';

export type DictElement = Record<string, unknown>;

/**
 * A dictionary of named subspaces: Gymnasium's `Dict`. Keys are sorted, as Gymnasium sorts a plain
 * dict's keys, so flattening order does not depend on insertion order. Elements are plain objects.
 */
export class Dict extends Space<DictElement> {
  readonly spaces: Readonly<Record<string, Space<unknown>>>;
  readonly keys: readonly string[];

  constructor(spaces: Record<string, Space<any>>, seed?: number) {
    const keys = Object.keys(spaces).sort();
    for (const k of keys) {
      if (!(spaces[k] instanceof Space)) throw new InvalidSpaceError(`Dict entry '${k}' is not a Space`);
    }
    super(null, null, undefined);
    const ordered: Record<string, Space<unknown>> = {};
    for (const k of keys) ordered[k] = spaces[k]!;
    this.spaces = Object.freeze(ordered);
    this.keys = Object.freeze(keys);
    if (seed !== undefined) this.seed(seed);
  }

  protected override seedChildren(rng: Rng): number[] {
    const seeds: number[] = [];
    for (const k of this.keys) seeds.push(...this.spaces[k]!.seed(rng.integers(0, 2 ** 31)));
    return seeds;
  }

  /**
   * Independent samples of the subspaces. `{ mask }` / `{ probability }` take an object with every key of
   * the space, each value passed on as that subspace's mask / probability (null: unrestricted).
   */
  override sample(options?: SampleOptions<Record<string, unknown>, Record<string, unknown>>): DictElement {
    const { mask, probability } = resolveSampleArgs(this, options);
    const kind = mask !== null ? 'mask' : 'probability';
    const perKey = (mask ?? probability) as Record<string, unknown> | null;
    if (perKey !== null) {
      if (typeof perKey !== 'object' || Array.isArray(perKey)) {
        throw new InvalidArgumentError(`Dict.sample: ${kind} must be an object keyed like the space (${this.keys.join(', ')})`);
      }
      const got = Object.keys(perKey);
      if (got.length !== this.keys.length || !got.every((k) => Object.hasOwn(this.spaces, k))) {
        throw new InvalidArgumentError(`Dict.sample: ${kind} keys must be exactly ${this.keys.join(', ')}, got ${got.join(', ')}`);
      }
    }
    const out: DictElement = {};
    for (const k of this.keys) {
      const sub = perKey === null ? null : perKey[k];
      out[k] = this.spaces[k]!.sample(sub === null || sub === undefined ? undefined : { [kind]: sub });
    }
    return out;
  }

  override explain(x: unknown): string | null {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'expected a plain object';
    const obj = x as Record<string, unknown>;
    const got = Object.keys(obj);
    for (const k of got) if (!Object.hasOwn(this.spaces, k)) return `unexpected key '${k}'`;
    for (const k of this.keys) {
      if (!Object.hasOwn(obj, k)) return `missing key '${k}'`;
      const why = this.spaces[k]!.explain(obj[k]);
      if (why !== null) return `key '${k}': ${why}`;
    }
    return null;
  }

  override equals(other: Space<unknown>): boolean {
    return (
      other instanceof Dict &&
      other.keys.length === this.keys.length &&
      this.keys.every((k, i) => other.keys[i] === k && this.spaces[k]!.equals(other.spaces[k]!))
    );
  }

  override toJSON(): SpaceJSON {
    const spaces: Record<string, SpaceJSON> = {};
    for (const k of this.keys) spaces[k] = this.spaces[k]!.toJSON();
    return { type: 'Dict', spaces };
  }

  override get flatDim(): number {
    let n = 0;
    for (const k of this.keys) n += this.spaces[k]!.flatDim;
    return n;
  }

  override flattenInto(x: DictElement, out: TypedArray, offset: number): void {
    let o = offset;
    for (const k of this.keys) {
      const s = this.spaces[k]!;
      s.flattenInto(x[k], out, o);
      o += s.flatDim;
    }
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): DictElement {
    const out: DictElement = {};
    let o = offset;
    for (const k of this.keys) {
      const s = this.spaces[k]!;
      out[k] = s.unflattenFrom(flat, o);
      o += s.flatDim;
    }
    return out;
  }

  override copyElement(x: DictElement): DictElement {
    const out: DictElement = {};
    for (const k of this.keys) out[k] = this.spaces[k]!.copyElement(x[k]);
    return out;
  }

  override toString(): string {
    return `Dict(${this.keys.map((k) => `'${k}': ${this.spaces[k]!.toString()}`).join(', ')})`;
  }
}
