/**
 * The run core: the scheduler (one run, or several on one resource pool), the task executor, retries, timeouts, compensation, the report.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { FakeClock } from './clock.js';
export { formatBytes, MAX_OUTPUT_CEILING, parseSize } from './output-limit.js';
export { reportJson } from './report-json.js';
export { POOL_CAPACITY } from './resource-pool.js';
export { resolveInputs, RunSetupError } from './run-setup.js';
export { runWorkflow, runWorkflows } from './scheduler.js';
export { MAX_VALUE_DEPTH, nestedDeeperThan } from './value-depth.js';
export type * from './run-types.js';
