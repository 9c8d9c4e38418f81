import { InvalidArgumentError, InvalidSpaceError } from '../errors.js';
import type { Rng } from '../rng.js';
import { Space, resolveSampleArgs, type SampleOptions, type SpaceJSON, type TypedArray } from './space.js';

/** A fixed-length sequence of subspaces: Gymnasium's `Tuple`. Elements are arrays. */
export class Tuple extends Space<unknown[]> {
  readonly spaces: readonly Space<unknown>[];

  constructor(spaces: readonly Space<any>[], seed?: number) {
    if (!Array.isArray(spaces) || !spaces.every((s) => s instanceof Space)) {
      throw new InvalidSpaceError('Tuple needs an array of Spaces');
    }
    super(null, null, undefined);
    this.spaces = Object.freeze([...spaces]);
    if (seed !== undefined) this.seed(seed);
  }

  protected override seedChildren(rng: Rng): number[] {
    const seeds: number[] = [];
    for (const s of this.spaces) seeds.push(...s.seed(rng.integers(0, 2 ** 31)));
    return seeds;
  }

  /**
   * Independent samples of the subspaces. `{ mask }` (or a bare array) / `{ probability }` take an array
   * with one entry per subspace, passed on as its mask / probability (null: unrestricted).
   */
  override sample(options?: readonly unknown[] | SampleOptions<readonly unknown[], readonly unknown[]>): unknown[] {
    const { mask, probability } = resolveSampleArgs(this, options);
    const kind = mask !== null ? 'mask' : 'probability';
    const perSpace = (mask ?? probability) as readonly unknown[] | null;
    if (perSpace !== null && (!Array.isArray(perSpace) || perSpace.length !== this.spaces.length)) {
      throw new InvalidArgumentError(`Tuple.sample: ${kind} must be an array with one entry per subspace (${this.spaces.length})`);
    }
    return this.spaces.map((s, i) => {
      const sub = perSpace === null ? null : perSpace[i];
      return s.sample(sub === null || sub === undefined ? undefined : { [kind]: sub });
    });
  }

  override explain(x: unknown): string | null {
    if (!Array.isArray(x)) return 'expected an array';
    if (x.length !== this.spaces.length) return `expected ${this.spaces.length} entries, got ${x.length}`;
    for (let i = 0; i < x.length; i++) {
      const why = this.spaces[i]!.explain(x[i]);
      if (why !== null) return `entry ${i}: ${why}`;
    }
    return null;
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof Tuple && other.spaces.length === this.spaces.length && this.spaces.every((s, i) => s.equals(other.spaces[i]!));
  }

  override toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  override get flatDim(): number {
    return this.spaces.reduce((n, s) => n + s.flatDim, 0);
  }

  override flattenInto(x: unknown[], out: TypedArray, offset: number): void {
    let o = offset;
    this.spaces.forEach((s, i) => {
      s.flattenInto(x[i], out, o);
      o += s.flatDim;
    });
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): unknown[] {
    let o = offset;
    return this.spaces.map((s) => {
      const v = s.unflattenFrom(flat, o);
      o += s.flatDim;
      return v;
    });
  }

  override copyElement(x: unknown[]): unknown[] {
    return this.spaces.map((s, i) => s.copyElement(x[i]));
  }

  override toString(): string {
    return `Tuple(${this.spaces.map((s) => s.toString()).join(', ')})`;
  }
}
