/**
 * Gymnasium's `FrameStackObservation`: returns the last `stackSize` observations, oldest first, stacked
 * along a new leading dimension. After `reset()` the slots before the first observation are filled with
 * the padding: the reset observation itself ('reset', the default), the space's zero element ('zero'),
 * or a given element of the observation space.
 *
 * Supported observation spaces and their stacked forms: Box of shape S → Box of shape [stackSize, ...S]
 * (one flat typed array), Discrete → MultiDiscrete of stackSize entries, MultiBinary → MultiBinary.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { MultiBinary } from '../../core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../core/spaces/multi-discrete.js';
import { TYPED_ARRAY_OF, type Space, type TypedArray, type TypedArrayConstructor } from '../../core/spaces/space.js';
import type { Env, ResetArgs, ResetResult, StepResult } from '../env.js';
import { Wrapper } from '../wrapper.js';
import { requirePositiveInteger, stackBox, zeroElement } from './space-helpers.js';

export type FramePadding<Obs> = 'reset' | 'zero' | Obs;

export interface FrameStackObservationOptions<Obs> {
  /** What fills the slots before the first observation of an episode (default 'reset'). */
  paddingType?: FramePadding<Obs>;
  /** Alias of `paddingType`. */
  padding?: FramePadding<Obs>;
}

export class FrameStackObservation<Obs = unknown, Act = unknown> extends Wrapper<TypedArray, Act, Obs, Act> {
  readonly stackSize: number;
  /** 'reset', 'zero' or 'custom' (a given observation). */
  readonly paddingType: 'reset' | 'zero' | 'custom';
  private paddingValue: Obs;
  /** Values per frame. */
  private readonly frameSize: number;
  private readonly FrameArray: TypedArrayConstructor;
  /** The stacked frames, oldest first. */
  private readonly frames: TypedArray;

  constructor(env: Env<Obs, Act>, stackSize: number, options: FrameStackObservationOptions<Obs> = {}) {
    super(env);
    checkOptions('FrameStackObservation', options, ['paddingType', 'padding']);
    if (options.paddingType !== undefined && options.padding !== undefined) {
      throw new InvalidArgumentError('FrameStackObservation: give paddingType or its alias padding, not both');
    }
    this.stackSize = requirePositiveInteger(stackSize, 'FrameStackObservation', 'stackSize');
    const space = env.observationSpace as Space<unknown>;
    if (space instanceof Box) {
      this.observationSpace = stackBox(space, stackSize);
      this.frameSize = space.size;
      this.FrameArray = TYPED_ARRAY_OF[space.dtype!];
    } else if (space instanceof Discrete) {
      this.observationSpace = new MultiDiscrete(new Array<number>(stackSize).fill(space.n), new Array<number>(stackSize).fill(space.start));
      this.frameSize = 1;
      this.FrameArray = Int32Array;
    } else if (space instanceof MultiBinary) {
      this.observationSpace = new MultiBinary([stackSize, ...space.shape!]);
      this.frameSize = space.size;
      this.FrameArray = Int8Array;
    } else {
      throw new InvalidArgumentError(
        `FrameStackObservation supports Box, Discrete and MultiBinary observation spaces, got ${space.toString()} (wrap with FlattenObservation first)`,
      );
    }
    const padding = options.paddingType ?? options.padding ?? 'reset';
    if (padding === 'reset' || padding === 'zero') {
      this.paddingType = padding as 'reset' | 'zero';
      this.paddingValue = zeroElement(space) as Obs;
    } else {
      const why = space.explain(padding);
      if (why !== null) {
        throw new InvalidArgumentError(
          `FrameStackObservation padding must be 'reset', 'zero' or an element of ${space.toString()}: ${typeof padding === 'string' ? `unknown padding '${padding}'` : why}`,
        );
      }
      this.paddingType = 'custom';
      this.paddingValue = space.copyElement(padding as never) as Obs;
    }
    this.frames = new this.FrameArray(stackSize * this.frameSize);
    for (let k = 0; k < stackSize; k++) this.writeFrame(k, this.paddingValue);
  }

  override reset(args: ResetArgs = {}): ResetResult<TypedArray> {
    const [obs, info] = this.env.reset(args);
    const padding = this.paddingType === 'reset' ? obs : this.paddingValue;
    for (let k = 0; k < this.stackSize - 1; k++) this.writeFrame(k, padding);
    this.writeFrame(this.stackSize - 1, obs);
    return [this.frames.slice(), info];
  }

  override step(action: Act): StepResult<TypedArray> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.frames.copyWithin(0, this.frameSize);
    this.writeFrame(this.stackSize - 1, obs);
    return [this.frames.slice(), reward, terminated, truncated, info];
  }

  private writeFrame(slot: number, obs: Obs): void {
    const offset = slot * this.frameSize;
    if (typeof obs === 'number') {
      this.frames[offset] = obs;
      return;
    }
    const values = obs as unknown as ArrayLike<number>;
    if (values.length !== this.frameSize) {
      throw new InvalidArgumentError(`FrameStackObservation expected observations of ${this.frameSize} values, got ${values.length}`);
    }
    for (let i = 0; i < this.frameSize; i++) this.frames[offset + i] = values[i]!;
  }
}
