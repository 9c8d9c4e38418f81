import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
const t0 = performance.now();
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string);
console.log('loaded in', performance.now() - t0);
await tf.setBackend('cpu');
const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor([1, 2, 3]));
console.log(g.dataSync());
