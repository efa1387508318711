/** The metrics history under `ROOT/.kmflow/metrics/`: record runs, load summaries, estimate. */
export { recordRun, readRecords, compactHistory, retain, historyFile, metricsDir, DEFAULT_MAX_SAMPLES, type HistoryOptions } from './store.js';
export { loadHistory, summarizeHistory } from './summary.js';
export { estimateFromHistory, type EstimateMs } from './estimate.js';
export { HistoryCache, type HistoryCacheOptions } from './history-cache.js';
export { recordsOf } from './records.js';
export type * from './types.js';
