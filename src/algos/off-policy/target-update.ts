/**
 * Target-network updates: θ' ← τ·θ + (1 − τ)·θ' (Polyak averaging; τ = 1 is a hard copy), parameter by
 * parameter between two collections with the same names and shapes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../core/errors.js';
import type { ParameterCollection } from '../../nn/parameters.js';

export function polyakUpdate(target: ParameterCollection, source: ParameterCollection, tau: number): void {
  if (!(tau >= 0 && tau <= 1)) throw new InvalidArgumentError(`polyakUpdate: tau must be in [0, 1], got ${tau}`);
  const names = source.names();
  if (target.size !== names.length) throw new InvalidArgumentError(`polyakUpdate: target has ${target.size} parameters, source ${names.length}`);
  tf.tidy(() => {
    for (const name of names) {
      const s = source.get(name);
      const t = target.get(name);
      if (tau === 1) t.assign(s);
      else t.assign(tf.add(tf.mul(s, tau), tf.mul(t, 1 - tau)));
    }
  });
}
