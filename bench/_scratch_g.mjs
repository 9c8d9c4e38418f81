import { register } from 'node:module';
const hooks = `
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.includes('/@tensorflow/tfjs-core/dist/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    const url = new URL(specifier, context.parentURL);
    const p = fileURLToPath(url);
    if (existsSync(p + '.js')) return next(url.href + '.js', context);
    if (existsSync(p) && statSync(p).isDirectory()) return next(url.href + '/index.js', context);
  }
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
const t0 = performance.now();
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
console.log('loaded in', performance.now() - t0);
await tf.setBackend('cpu');
const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor([1, 2, 3]));
console.log(g.dataSync());
