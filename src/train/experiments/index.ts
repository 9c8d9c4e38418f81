/** The experiment runner: define arms × seeds, run them (in worker processes), report IQM with bootstrap CIs. */
export { defineExperiment, getExperiment } from './define.js';
export type { ArmDefinition, Experiment, ExperimentDefinition, JsonValue, MetricInfo, MetricSpec, MetricValue, RunContext, RunMetrics, RunReturn, SharedInputs } from './define.js';
export type { CurvePoints } from './curves.js';
export { runExperiment } from './run.js';
export type { RunExperimentOptions } from './run.js';
export type { ArmSummary, BootstrapSettings, CurveSummary, MetricSummary, RunRecord } from './aggregate.js';
export { failureSummary, formatNumber, resultsMarkdown, resultsTable, writeResults } from './report.js';
export type { ExperimentResults } from './report.js';
export type { RunError } from './run-arm.js';
