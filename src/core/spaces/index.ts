export * from './space.js';
export { Box } from './box.js';
export { Discrete } from './discrete.js';
export { MultiDiscrete } from './multi-discrete.js';
export { MultiBinary } from './multi-binary.js';
export { Dict, type DictElement } from './dict.js';
export { Tuple } from './tuple.js';
export * from './utils.js';
