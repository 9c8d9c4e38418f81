/**
 * Gymnasium's `FrameStackObservation`: returns the last `stackSize` observations, oldest first, stacked
 * along a new leading dimension (`batchSpace(observationSpace, stackSize)`: a Box of shape S becomes a
 * Box of shape [stackSize, ...S] held in one flat typed array, Discrete becomes MultiDiscrete, Dict and
 * Tuple stack entry by entry). After `reset()` the slots before the first observation are filled with the
 * padding: the reset observation itself ('reset', the default), the space's zero element ('zero'), or a
 * given element of the observation space.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Space } from '../../core/spaces/space.js';
import type { Env, ResetArgs, ResetResult, StepResult } from '../env.js';
import { batchSpace, createBatch, writeBatchItem } from '../vector/batching.js';
import { Wrapper } from '../wrapper.js';
import { requirePositiveInteger, zeroElement } from './space-helpers.js';

export type FramePadding<Obs> = 'reset' | 'zero' | Obs;

export interface FrameStackObservationOptions<Obs> {
  /** What fills the slots before the first observation of an episode (default 'reset'). */
  paddingType?: FramePadding<Obs>;
  /** Alias of `paddingType`. */
  padding?: FramePadding<Obs>;
}

export class FrameStackObservation<Obs = unknown, Act = unknown> extends Wrapper<any, Act, Obs, Act> {
  readonly stackSize: number;
  /** 'reset', 'zero' or 'custom' (a given observation). */
  readonly paddingType: 'reset' | 'zero' | 'custom';
  private readonly frameSpace: Space<Obs>;
  private paddingValue: Obs;
  /** The last `stackSize` observations (copies), oldest first. */
  private frames: Obs[];

  constructor(env: Env<Obs, Act>, stackSize: number, options: FrameStackObservationOptions<Obs> = {}) {
    super(env);
    checkOptions('FrameStackObservation', options, ['paddingType', 'padding']);
    if (options.paddingType !== undefined && options.padding !== undefined) {
      throw new InvalidArgumentError('FrameStackObservation: give paddingType or its alias padding, not both');
    }
    this.stackSize = requirePositiveInteger(stackSize, 'FrameStackObservation', 'stackSize');
    const space = env.observationSpace;
    this.frameSpace = space;
    this.observationSpace = batchSpace(space, stackSize);
    const padding = options.paddingType ?? options.padding ?? 'reset';
    if (padding === 'reset' || padding === 'zero') {
      this.paddingType = padding as 'reset' | 'zero';
      this.paddingValue = zeroElement(space) as Obs;
    } else {
      const why = space.explain(padding);
      if (why !== null) {
        throw new InvalidArgumentError(
          `FrameStackObservation padding must be 'reset', 'zero' or an element of ${space.toString()}: ${
            typeof padding === 'string' ? `unknown padding '${padding}'` : why
          }`,
        );
      }
      this.paddingType = 'custom';
      this.paddingValue = this.copy(padding as Obs);
    }
    this.frames = new Array<Obs>(stackSize).fill(this.paddingValue);
  }

  override reset(args: ResetArgs = {}): ResetResult<any> {
    const [obs, info] = this.env.reset(args);
    const first = this.copy(obs);
    const padding = this.paddingType === 'reset' ? first : this.paddingValue;
    this.frames = new Array<Obs>(this.stackSize - 1).fill(padding);
    this.frames.push(first);
    return [this.stacked(), info];
  }

  override step(action: Act): StepResult<any> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.frames.shift();
    this.frames.push(this.copy(obs));
    return [this.stacked(), reward, terminated, truncated, info];
  }

  /** A fresh stacked observation (never shares memory with earlier ones). */
  private stacked(): unknown {
    const batch = createBatch(this.frameSpace, this.stackSize);
    this.frames.forEach((frame, k) => writeBatchItem(this.frameSpace, batch, k, frame));
    return batch;
  }

  /** Envs may reuse their observation buffers, so frames are kept as copies. */
  private copy(obs: Obs): Obs {
    return typeof obs === 'number' ? obs : this.frameSpace.copyElement(obs);
  }
}
