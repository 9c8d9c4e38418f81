/** The experiment runner: define arms × seeds, run them (in worker processes), report IQM with bootstrap CIs. */
export { defineExperiment, getExperiment } from './define.js';
export type { ArmDefinition, Experiment, ExperimentDefinition, MetricSpec, MetricValue, RunContext, RunMetrics } from './define.js';
export { runExperiment } from './run.js';
export type { RunExperimentOptions } from './run.js';
export type { ArmSummary, BootstrapSettings, CurveSummary, MetricSummary, RunRecord } from './aggregate.js';
export { failureSummary, formatNumber, resultsMarkdown, resultsTable, writeResults } from './report.js';
export type { ExperimentResults } from './report.js';
export type { RunError } from './run-arm.js';
