/** The tiny causal transformer for sequence policies: tokenizer, decoder, KV-cache generation, save/load. */
export * from './tokenizer.js';
export * from './decoder.js';
export * from './generate.js';
export * from './io.js';
export { layerNorm, LAYER_NORM_EPS } from './layer-norm.js';
export { checkSamplingRule, chooseToken, logSoftmaxAt, argmaxRow, type SamplingRule } from './sampling.js';
