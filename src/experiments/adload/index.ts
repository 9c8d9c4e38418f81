/** The ad-load balancing reproduction (issue 4): pipeline, λ frontier, heterogeneity check, experiment, report. */
export { reproduceAdload, type AdloadClaims, type AdloadReproduction, type ReproduceAdloadOptions } from './reproduce.js';
export { adloadExperiment, ADLOAD_ARMS } from './experiment.js';
export { runAdloadSeed, makeAdloadWorld, type AdloadSeedResult, type PolicyReport } from './pipeline.js';
export { frontierPoints, frontierMarkdown, dominates, type FrontierPoint } from './frontier.js';
export { adLoadTable, checkHeterogeneity } from './heterogeneity.js';
export { DEFAULT_ADLOAD_CONFIG, QUICK_ADLOAD_CONFIG, resolveAdloadConfig, type AdloadConfig } from './config.js';
