/**
 * Activation functions used by `Linear`/`MLP`. Each is applied as one tfjs op, and its derivative is
 * written in terms of the activation's *output* y so the backward pass needs no saved pre-activation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../core/errors.js';

export const ACTIVATIONS = ['linear', 'tanh', 'relu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export function checkActivation(name: unknown): Activation {
  if (typeof name === 'string' && (ACTIVATIONS as readonly string[]).includes(name)) return name as Activation;
  throw new InvalidArgumentError(`Unknown activation ${JSON.stringify(name)}; expected one of ${ACTIVATIONS.join(', ')}`);
}

/** act(z). */
export function activate(z: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return z;
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
  }
}

/** dL/dz given dL/dy and y = act(z): tanh' = 1 − y², relu' = [y > 0]. */
export function activationBackward(dy: tf.Tensor, y: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return dy;
    case 'tanh':
      return tf.sub(dy, tf.mul(dy, tf.square(y)));
    case 'relu':
      return tf.mul(dy, tf.step(y));
  }
}
