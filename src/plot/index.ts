/** Charts (SVG → PNG): learning curves of runs and experiments, trade-off frontiers. */
export { renderChartSvg, escapeXml, PALETTE, type ChartSpec, type LineSeries, type ScatterSeries, type ScatterPoint, type SpreadBand, type MarkerShape } from './chart.js';
export { niceTicks, formatTick, type AxisTicks } from './ticks.js';
export { svgToPng, writeChart, writeFileAtomic, PNG_SIGNATURE } from './png.js';
export { readMetricsFile, findRunDirs, runCurve, groupName, groupCurves, summarizeGroup, SPREADS, type Spread, type RunCurve, type CurveGroup } from './learning-curves.js';
export { plotRuns, DEFAULT_METRIC, DEFAULT_X, type PlotRunsOptions, type PlotRunsResult } from './plot-runs.js';
export { plotExperiment, plotExperimentResults, readExperimentResults, curveMetrics, experimentCurveSeries, experimentXLabel, type PlotExperimentOptions } from './experiment-plot.js';
export { plotFrontier, frontierSeries, type TradeoffPoint, type FrontierPlotOptions } from './frontier-plot.js';
