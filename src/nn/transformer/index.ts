/** The tiny causal transformer for sequence policies: tokenizer, decoder, KV-cache generation, save/load. */
export { Tokenizer } from './tokenizer.js';
export { CausalDecoder, checkDecoderConfig, type DecoderConfig } from './decoder.js';
export type { FinishReason, GenerateOptions, Generation } from './generate.js';
export { loadSequenceModel, saveSequenceModel, sequenceModelPaths, SEQUENCE_MODEL_FORMAT, SEQUENCE_MODEL_VERSION } from './io.js';
export { layerNorm, LAYER_NORM_EPS } from './layer-norm.js';
export { argmaxRow, checkSamplingRule, chooseToken, logSoftmaxAt, type SamplingRule } from './sampling.js';
