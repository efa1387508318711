/**
 * What runs leave behind: the journal, the cache, the measured history, the schema lock.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { canonicalJson } from './cache/index.js';
export { estimateFromHistory, type EstimateMs, HistoryCache, historyFile, loadHistory, recordRun } from './history/index.js';
export { type History } from './history/types.js';
export { findJournal, readJournal, type ReadJournal } from './journal/index.js';
export { type Cassette, CassetteError, cassettePath, CassetteRecorder, type CassetteReplayer, readCassette, recordingConnectors, replayConnectors, writeCassette } from './recordings/index.js';
export { buildLock, diffLock, lockedDescriptors, mergeLock, readLock, type SchemaLock, type ToolDrift, writeLock } from './schema-lock.js';
