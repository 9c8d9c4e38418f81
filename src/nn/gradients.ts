/**
 * Gradients for the tfjs kernels Teleo's losses use.
 *
 * Why this file exists: `@tensorflow/tfjs-core` registers no gradients by itself. tfjs ships them as
 * `@tensorflow/tfjs-core/dist/register_all_gradients`, an ES module graph with extensionless relative
 * imports that Node cannot load (only bundlers can), and the Node bundle `tf-core.node.js` leaves them
 * out; the union package `@tensorflow/tfjs` (and so `@tensorflow/tfjs-node`, which depends on it)
 * registers them itself. So Teleo registers its own, for the kernels listed below, only where no gradient
 * is registered yet; if tfjs's are loaded later they replace Teleo's (same mathematics).
 * The exceptions are `BatchMatMul` and `_FusedMatMul`, always Teleo's: tfjs's versions use transposed
 * matMuls, 5–14× slower on the wasm backend than an explicit `transpose` + `matMul` (see `matmul.ts`).
 *
 * Every formula is checked against central finite differences in `test/nn/gradients.test.ts`.
 * A kernel outside this set fails loudly in tfjs ("gradient function not found for <kernel>").
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMulT } from './matmul.js';

type Saved = tf.Tensor[];
type Attrs = Record<string, unknown>;
type GradMap = Record<string, () => tf.Tensor>;
type GradFn = (dy: tf.Tensor | tf.Tensor[], saved: Saved, attrs: Attrs) => GradMap;

interface Config {
  kernelName: string;
  inputsToSave?: string[];
  saveAllInputs?: boolean;
  outputsToSave?: boolean[];
  gradFunc: GradFn;
}

/** Sums a broadcast gradient back down to `shape`. */
function unbroadcast(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  const reduced = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(reduced, shape);
}

/** Broadcasts a reduction's gradient back over the reduced axes of `x`. */
function expandReduced(dy: tf.Tensor, x: tf.Tensor, axisAttr: unknown): tf.Tensor {
  const axes = tf.util.parseAxisParam((axisAttr ?? null) as number | number[], x.shape);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.broadcastTo(tf.reshape(dy, keptShape), x.shape);
}

function binary(kernelName: string, grad: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => [tf.Tensor, tf.Tensor]): Config {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(grad(dy as tf.Tensor, a!, b!)[0], a!.shape),
      b: () => unbroadcast(grad(dy as tf.Tensor, a!, b!)[1], b!.shape),
    }),
  };
}

function unaryFromInput(kernelName: string, grad: (dy: tf.Tensor, x: tf.Tensor, attrs: Attrs) => tf.Tensor): Config {
  return { kernelName, inputsToSave: ['x'], gradFunc: (dy, [x], attrs) => ({ x: () => grad(dy as tf.Tensor, x!, attrs) }) };
}

function unaryFromOutput(kernelName: string, grad: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor): Config {
  return { kernelName, outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => grad(dy as tf.Tensor, y!) }) };
}

// Piecewise-constant or non-float ops: zero gradient (float32, as the tape requires).
const zerosFor = (kernelName: string): Config => unaryFromInput(kernelName, (_dy, x) => tf.zeros(x.shape));

/** Comparisons and logical ops: zero gradient for both inputs. */
const zerosForBinary = (kernelName: string): Config => ({
  kernelName,
  inputsToSave: ['a', 'b'],
  gradFunc: (_dy, [a, b]) => ({ a: () => tf.zeros(a!.shape), b: () => tf.zeros(b!.shape) }),
});

/** Gradients of C = op(A)·op(B) (`aT`/`bT` are the forward's flags), with backend-appropriate transposes. */
function matMulGrads(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, aT: boolean, bT: boolean): { a: () => tf.Tensor; b: () => tf.Tensor } {
  let da: () => tf.Tensor;
  let db: () => tf.Tensor;
  if (!aT && !bT) {
    da = () => matMulT(dy, b, false, true); // dC·Bᵀ
    db = () => matMulT(a, dy, true, false); // Aᵀ·dC
  } else if (!aT && bT) {
    da = () => matMulT(dy, b, false, false); // dC·B
    db = () => matMulT(dy, a, true, false); // dCᵀ·A
  } else if (aT && !bT) {
    da = () => matMulT(b, dy, false, true); // B·dCᵀ
    db = () => matMulT(a, dy, false, false); // A·dC
  } else {
    da = () => matMulT(b, dy, true, true); // Bᵀ·dCᵀ
    db = () => matMulT(dy, a, true, true); // dCᵀ·Aᵀ
  }
  return { a: () => unbroadcast(da(), a.shape), b: () => unbroadcast(db(), b.shape) };
}

const CONFIGS: Config[] = [
  // Elementwise binary ops (with broadcasting).
  binary(tf.Add, (dy) => [dy, dy]),
  binary(tf.Sub, (dy) => [dy, tf.neg(dy)]),
  binary(tf.Multiply, (dy, a, b) => [tf.mul(dy, b), tf.mul(dy, a)]),
  binary(tf.RealDiv, (dy, a, b) => [tf.div(dy, b), tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))]),
  binary(tf.SquaredDifference, (dy, a, b) => {
    const g = tf.mul(dy, tf.mul(tf.sub(a, b), 2));
    return [g, tf.neg(g)];
  }),
  // Ties send the gradient to `a` (as TensorFlow does).
  binary(tf.Maximum, (dy, a, b) => [tf.mul(dy, tf.cast(tf.greaterEqual(a, b), 'float32')), tf.mul(dy, tf.cast(tf.less(a, b), 'float32'))]),
  binary(tf.Minimum, (dy, a, b) => [tf.mul(dy, tf.cast(tf.lessEqual(a, b), 'float32')), tf.mul(dy, tf.cast(tf.greater(a, b), 'float32'))]),
  binary(tf.Pow, (dy, a, b) => {
    const y = tf.pow(a, b);
    const logA = tf.where(tf.greater(a, 0), tf.log(a), tf.zerosLike(a));
    return [tf.mul(dy, tf.mul(b, tf.pow(a, tf.sub(b, 1)))), tf.mul(dy, tf.mul(y, logA))];
  }),
  {
    kernelName: tf.AddN,
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [String(i), () => dy as tf.Tensor])),
  },
  // Elementwise unary ops.
  { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: tf.Identity, gradFunc: (dy) => ({ x: () => dy as tf.Tensor }) },
  unaryFromInput(tf.Cast, (dy, x) => (x.dtype === 'float32' ? dy : tf.zeros(x.shape))),
  unaryFromInput(tf.Square, (dy, x) => tf.mul(dy, tf.mul(x, 2))),
  unaryFromInput(tf.Abs, (dy, x) => tf.mul(dy, tf.sign(x))),
  unaryFromInput(tf.Log, (dy, x) => tf.div(dy, x)),
  unaryFromInput(tf.Log1p, (dy, x) => tf.div(dy, tf.add(x, 1))),
  unaryFromInput(tf.Reciprocal, (dy, x) => tf.neg(tf.div(dy, tf.square(x)))),
  unaryFromInput(tf.Relu, (dy, x) => tf.mul(dy, tf.step(x))),
  unaryFromInput(tf.Softplus, (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  unaryFromInput(tf.Atanh, (dy, x) => tf.div(dy, tf.sub(1, tf.square(x)))),
  unaryFromInput(tf.ClipByValue, (dy, x, attrs) => {
    const inside = tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number));
    return tf.where(inside, dy, tf.zerosLike(dy));
  }),
  unaryFromOutput(tf.Exp, (dy, y) => tf.mul(dy, y)),
  unaryFromOutput(tf.Sqrt, (dy, y) => tf.div(dy, tf.mul(y, 2))),
  unaryFromOutput(tf.Tanh, (dy, y) => tf.sub(dy, tf.mul(dy, tf.square(y)))),
  unaryFromOutput(tf.Sigmoid, (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  unaryFromInput(tf.Relu6, (dy, x) => tf.mul(dy, tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6)), 'float32'))),
  unaryFromInput(tf.LeakyRelu, (dy, x, attrs) => tf.mul(dy, tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, attrs.alpha as number)))),
  zerosFor(tf.Sign),
  zerosFor(tf.Step),
  zerosFor(tf.Floor),
  zerosFor(tf.Round),
  zerosFor(tf.ArgMax),
  zerosFor(tf.ArgMin),
  zerosFor(tf.LogicalNot),
  { kernelName: tf.OneHot, inputsToSave: ['indices'], gradFunc: (_dy, [indices]) => ({ indices: () => tf.zeros(indices!.shape) }) },
  ...[tf.Greater, tf.GreaterEqual, tf.Less, tf.LessEqual, tf.Equal, tf.NotEqual, tf.LogicalAnd, tf.LogicalOr].map(zerosForBinary),
  {
    kernelName: tf.Select,
    inputsToSave: ['condition'],
    gradFunc: (dy, [condition]) => ({
      condition: () => tf.zeros(condition!.shape),
      t: () => tf.where(condition!, dy as tf.Tensor, tf.zerosLike(dy as tf.Tensor)),
      e: () => tf.where(condition!, tf.zerosLike(dy as tf.Tensor), dy as tf.Tensor),
    }),
  },
  // Reductions.
  unaryFromInput(tf.Sum, (dy, x, attrs) => expandReduced(dy, x, attrs.axis)),
  unaryFromInput(tf.Mean, (dy, x, attrs) => {
    const axes = tf.util.parseAxisParam((attrs.axis ?? null) as number | number[], x.shape);
    const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
    return tf.div(expandReduced(dy, x, attrs.axis), count);
  }),
  ...[tf.Max, tf.Min].map(
    (kernelName): Config => ({
      kernelName,
      inputsToSave: ['x'],
      outputsToSave: [true],
      gradFunc: (dy, [x, y], attrs) => ({
        x: () => {
          const axisAttr = kernelName === tf.Max ? attrs.reductionIndices : attrs.axis;
          const axes = tf.util.parseAxisParam((axisAttr ?? null) as number | number[], x!.shape);
          const keptShape = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
          const hit = tf.cast(tf.equal(x!, tf.reshape(y!, keptShape)), 'float32');
          return tf.mul(hit, tf.reshape(dy as tf.Tensor, keptShape));
        },
      }),
    }),
  ),
  {
    kernelName: tf.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => {
      const dim = attrs.dim as number;
      const g = dy as tf.Tensor;
      return { logits: () => tf.mul(y!, tf.sub(g, tf.sum(tf.mul(g, y!), dim, true))) };
    },
  },
  // Shape ops.
  unaryFromInput(tf.Reshape, (dy, x) => tf.reshape(dy, x.shape)),
  unaryFromInput(tf.BroadcastTo, (dy, x) => unbroadcast(dy, x.shape)),
  {
    kernelName: tf.Transpose,
    gradFunc: (dy, _saved, attrs) => {
      const perm = attrs.perm as number[];
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return { x: () => tf.transpose(dy as tf.Tensor, inverse) };
    },
  },
  unaryFromInput(tf.Slice, (dy, x, attrs) => {
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
    return tf.pad(dy, begin!.map((b, i) => [b, x.shape[i]! - b - size![i]!] as [number, number]));
  }),
  unaryFromInput(tf.PadV2, (dy, x, attrs) => {
    const paddings = attrs.paddings as Array<[number, number]>;
    return tf.slice(dy, paddings.map((p) => p[0]), x.shape);
  }),
  unaryFromInput(tf.Tile, (dy, x, attrs) => {
    const reps = attrs.reps as number[];
    // View dy as [reps_0, x_0, reps_1, x_1, ...] and sum over the repetition axes.
    const split = x.shape.flatMap((d, i) => [reps[i]!, d]);
    return tf.reshape(tf.sum(tf.reshape(dy, split), x.shape.map((_, i) => 2 * i)), x.shape);
  }),
  {
    kernelName: tf.Concat,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0]!.shape)[0]!;
      const parts = tf.split(dy as tf.Tensor, saved.map((s) => s.shape[axis]!), axis);
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p]));
    },
  },
  {
    kernelName: tf.Pack,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const parts = tf.unstack(dy as tf.Tensor, attrs.axis as number);
      return Object.fromEntries(saved.map((_, i) => [String(i), () => parts[i]!]));
    },
  },
  {
    kernelName: tf.Unpack,
    gradFunc: (dy, _saved, attrs) => ({ value: () => tf.stack(dy as tf.Tensor[], attrs.axis as number) }),
  },
  {
    kernelName: tf.SplitV,
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as tf.Tensor[], attrs.axis as number) }),
  },
  {
    kernelName: tf.GatherV2,
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy, [x, indices], attrs) => ({
      x: () => {
        const axis = tf.util.parseAxisParam(attrs.axis as number, x!.shape)[0]!;
        if (axis !== 0 || ((attrs.batchDims as number) ?? 0) !== 0 || indices!.rank !== 1) {
          throw new Error('Teleo gradients: GatherV2 is differentiable only for axis 0, batchDims 0 and 1-D indices');
        }
        // Scatter-add as a matMul with the one-hot selection matrix (UnsortedSegmentSum has no wasm kernel).
        // The one-hot is built as int32 and cast: tfjs-backend-wasm 4.22's OneHot ignores dtype 'float32'
        // and writes int32 bit patterns into the float tensor.
        const n = x!.shape[0]!;
        const k = indices!.shape[0]!;
        const selection = tf.cast(tf.oneHot(indices as tf.Tensor1D, n), 'float32'); // [k, n]
        return tf.reshape(matMulT(selection, tf.reshape(dy as tf.Tensor, [k, -1]), true, false), x!.shape);
      },
      indices: () => tf.zeros(indices!.shape),
    }),
  },
];

const MATMUL_CONFIGS: Config[] = [
  {
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => matMulGrads(dy as tf.Tensor, a!, b!, Boolean(attrs.transposeA), Boolean(attrs.transposeB)),
  },
  {
    kernelName: tf._FusedMatMul,
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dy, [a, b, y], attrs) => {
      const activation = (attrs.activation as string) ?? 'linear';
      let dz = dy as tf.Tensor;
      if (activation === 'relu') dz = tf.mul(dz, tf.step(y!));
      else if (activation !== 'linear') throw new Error(`Teleo gradients: _FusedMatMul with activation '${activation}' is not differentiable`);
      const grads = matMulGrads(dz, a!, b!, Boolean(attrs.transposeA), Boolean(attrs.transposeB));
      // The bias broadcasts over all leading axes of the output.
      return { ...grads, bias: () => tf.sum(dz, [...dz.shape.keys()].slice(0, -1)) };
    },
  },
];

let registered = false;

/** Registers Teleo's gradients (idempotent; runs on import of any `src/nn` module that differentiates). */
export function registerGradients(): void {
  if (registered) return;
  registered = true;
  for (const config of CONFIGS) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config as unknown as tf.GradConfig);
  }
  for (const config of MATMUL_CONFIGS) {
    if (tf.getGradient(config.kernelName) !== undefined) tf.unregisterGradient(config.kernelName);
    tf.registerGradient(config as unknown as tf.GradConfig);
  }
}

/** Kernel names with a Teleo gradient (for docs and tests). */
export const DIFFERENTIABLE_KERNELS: readonly string[] = [...CONFIGS, ...MATMUL_CONFIGS].map((c) => c.kernelName);

registerGradients();
