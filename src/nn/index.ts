/** Neural-network building blocks: layers, initialisers, parameters, distributions, Adam, safetensors. */
export * from './activations.js';
export * from './gradients.js';
export * from './init.js';
export * from './parameters.js';
export * from './linear.js';
export * from './mlp.js';
export * from './distributions/categorical.js';
export * from './distributions/diag-gaussian.js';
export * from './distributions/tanh-gaussian.js';
export * from './optim/adam.js';
export * from './safetensors.js';
export * from './serialize.js';
/** The tiny causal transformer for sequence policies: tokenizer, decoder with KV-cache sampling, save/load. */
export * from './transformer/index.js';
